from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "signing.django_app"
    # The short label keeps table names (signing_*) and admin URLs readable.
    label = "signing"
    verbose_name = _("电子签名与证书")
    default_auto_field = "django.db.models.BigAutoField"
