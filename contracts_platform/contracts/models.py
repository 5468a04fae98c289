"""Model texts, contracts and their immutable versions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contracts_platform.core.fields import EncryptedJSONField, EncryptedTextField


class ContractType(models.TextChoices):
    FIXED_TERM = "fixed_term", _("固定期限")
    OPEN_ENDED = "open_ended", _("无固定期限")
    TASK_BASED = "task_based", _("以完成一定工作任务为期限")
    PART_TIME = "part_time", _("非全日制用工")
    DISPATCH = "dispatch", _("劳务派遣")


class ModelText(models.Model):
    """A shipped contract template (示范文本). Never edited: a change is a new version."""

    code = models.CharField(max_length=40)
    version = models.PositiveIntegerField()
    contract_type = models.CharField(max_length=20, choices=ContractType.choices)
    title_zh = models.CharField(max_length=100)
    title_en = models.CharField(max_length=100)
    content = models.JSONField()
    content_sha256 = models.CharField(max_length=64)
    is_current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("合同示范文本")
        verbose_name_plural = _("合同示范文本")
        ordering = ["contract_type", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="uniq_model_text_version")]

    def __str__(self) -> str:
        return f"{self.title_zh} v{self.version}"

    def title(self, language: str) -> str:
        return self.title_en if language.startswith("en") else self.title_zh


class MinimumWageRate(models.Model):
    """Dated regional minimum wages (data; seeded from the rules engine's table)."""

    region_prefix = models.CharField(max_length=6)
    region_name = models.CharField(max_length=50)
    tier = models.PositiveSmallIntegerField()
    monthly = models.DecimalField(max_digits=8, decimal_places=2)
    hourly = models.DecimalField(max_digits=6, decimal_places=2)
    effective_from = models.DateField()
    confirmed = models.BooleanField(default=False)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("最低工资标准")
        verbose_name_plural = _("最低工资标准")
        ordering = ["region_prefix", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["region_prefix", "effective_from"],
                                               name="uniq_min_wage_region_date")]

    def __str__(self) -> str:
        return f"{self.region_name} {self.effective_from}: {self.monthly}"

    def as_row(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in ("region_prefix", "region_name", "tier", "monthly", "hourly",
                                              "effective_from", "confirmed", "source")}


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    READY = "ready", _("待发起签署")
    IN_APPROVAL = "in_approval", _("待签字人审批")
    SIGNING = "signing", _("签署中")
    EFFECTIVE = "effective", _("已生效")
    DECLINED = "declined", _("劳动者拒签")
    WITHDRAWN = "withdrawn", _("已撤回")
    EXPIRED = "expired", _("已过期")


class Contract(models.Model):
    employer = models.ForeignKey("parties.Employer", on_delete=models.PROTECT, related_name="contracts")
    worker = models.ForeignKey("parties.Worker", on_delete=models.PROTECT, related_name="contracts")
    # Null only inside the creating transaction, until the primary key is known.
    number = models.CharField(_("合同编号"), max_length=32, unique=True, null=True)  # noqa: DJ001
    model_text = models.ForeignKey(ModelText, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=ContractStatus.choices,
                              default=ContractStatus.DRAFT, db_index=True)
    current_version = models.ForeignKey("ContractVersion", null=True, on_delete=models.PROTECT,
                                        related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("劳动合同")
        verbose_name_plural = _("劳动合同")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in {ContractStatus.DRAFT, ContractStatus.READY, ContractStatus.DECLINED}


class ImmutableVersionError(RuntimeError):
    pass


class ContractVersion(models.Model):
    """One frozen set of terms. Saved once; editing a contract creates the next version.

    ``terms`` holds the canonical terms with the worker's ID number masked; the
    number itself is kept encrypted in ``worker_id_number``. ``terms_sha256`` is the
    SHA-256 of the canonical JSON of the FULL terms (see ``full_terms``), so the
    hash binds the real number while the database never stores it in the clear.
    """

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    terms = models.JSONField()
    worker_id_number = EncryptedTextField()
    terms_sha256 = models.CharField(max_length=64, db_index=True)
    findings = models.JSONField(default=list)
    warnings_acknowledged = models.BooleanField(default=False)
    is_ready = models.BooleanField(default=False)
    checked_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("合同版本")
        verbose_name_plural = _("合同版本")
        ordering = ["contract", "-number"]
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="uniq_contract_version")]

    def __str__(self) -> str:
        return f"{self.contract} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A frozen version is evidence: refuse any second write at the ORM level.
        if not self._state.adding:
            raise ImmutableVersionError("contract versions are immutable; create a new version")
        super().save(*args, **kwargs)

    def full_terms(self) -> dict[str, Any]:
        terms = dict(self.terms)
        terms["worker"] = {**terms.get("worker", {}), "id_number": self.worker_id_number}
        return terms

    @property
    def error_count(self) -> int:
        return sum(1 for f in self.findings if f.get("level") == "error")

    @property
    def warning_count(self) -> int:
        return sum(1 for f in self.findings if f.get("level") == "warning")


class FilingRecord(models.Model):
    """What was filed with the labor bureau for a contract (the record holds PII: encrypted)."""

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="filing")
    record = EncryptedJSONField()
    reference = models.CharField(max_length=100)
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("用工备案")
        verbose_name_plural = _("用工备案")

    def __str__(self) -> str:
        return f"{self.contract} → {self.reference}"
