"""The contract signing process: a proxy of viewflow's Process, fields kept in its JSON."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow import jsonstore
from viewflow.workflow.models import Process

from contracts_platform.contracts.models import Contract, ContractVersion


class WorkerOutcome(models.TextChoices):
    SIGNED = "signed", _("已签署")
    DECLINED = "declined", _("已拒签")


class ContractProcess(Process):
    # Plain ids in the process JSON: jsonstore.ForeignKey registers reverse relations
    # that break Django's model checks on Contract's ordering.
    contract_id = jsonstore.IntegerField(null=True)
    version_id = jsonstore.IntegerField(null=True)
    approved = jsonstore.BooleanField(default=False)
    approval_comment = jsonstore.CharField(max_length=500, blank=True)
    lawful = jsonstore.BooleanField(default=False)
    worker_outcome = jsonstore.CharField(max_length=16, blank=True, choices=WorkerOutcome.choices)
    decline_reason = jsonstore.CharField(max_length=500, blank=True)
    signature_sha256 = jsonstore.CharField(max_length=64, blank=True)

    class Meta:
        proxy = True
        verbose_name = _("劳动合同签署流程")
        verbose_name_plural = _("劳动合同签署流程")

    @property
    def contract(self) -> Contract:
        cached = getattr(self, "_contract_cache", None)
        if cached is None or cached.pk != self.contract_id:
            cached = Contract.objects.select_related("employer", "worker").get(pk=self.contract_id)
            self._contract_cache = cached
        return cached

    @contract.setter
    def contract(self, contract: Contract) -> None:
        self.contract_id, self._contract_cache = contract.pk, contract

    @property
    def version(self) -> ContractVersion | None:
        if self.version_id is None:
            return None
        cached = getattr(self, "_version_cache", None)
        if cached is None or cached.pk != self.version_id:
            cached = ContractVersion.objects.select_related("contract").get(pk=self.version_id)
            self._version_cache = cached
        return cached

    @version.setter
    def version(self, version: ContractVersion) -> None:
        self.version_id, self._version_cache = version.pk, version

    @property
    def worker_signed(self) -> bool:
        return self.worker_outcome == WorkerOutcome.SIGNED
