from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts_platform.contracts"
    verbose_name = _("劳动合同")

    def ready(self) -> None:
        from contracts_platform.contracts.seeding import sync_reference_data

        # Model texts and minimum wages are shipped data: every migrate brings
        # the database up to the files (new versions added, old ones kept).
        post_migrate.connect(sync_reference_data, sender=self)
