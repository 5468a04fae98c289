from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "contracts_platform.documents"
    verbose_name = _("合同文档")
