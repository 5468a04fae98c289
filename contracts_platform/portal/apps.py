from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "contracts_platform.portal"
    label = "portal"
    verbose_name = _("劳动者签署与合同查看")
