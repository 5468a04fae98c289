from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "contracts_platform.parties"
    verbose_name = _("合同当事人")
