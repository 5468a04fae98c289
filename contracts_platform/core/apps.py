from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "contracts_platform.core"
    verbose_name = _("平台核心")

    def ready(self) -> None:
        # Bind @shared_task to our app in every process that loads Django.
        from contracts_platform.celery import app  # noqa: F401
