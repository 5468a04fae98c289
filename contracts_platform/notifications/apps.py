from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "contracts_platform.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        # Registers the system checks that refuse a demo outbox in production.
        from contracts_platform.notifications import checks  # noqa: F401
