from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "contracts_platform.archive"
    verbose_name = _("存证归档")
