from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "contracts_platform.disputes"
    label = "disputes"
    verbose_name = _("劳动争议与欠薪投诉")
