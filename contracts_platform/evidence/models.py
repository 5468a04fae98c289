"""Evidence packages and the platform certificate that signs their manifests.

Write these rows only through ``evidence.services`` (packages) and
``evidence.signer`` (the evidence certificate).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EvidencePackage(models.Model):
    """One built evidence ZIP of a contract, stored content-addressed in the archive.

    ``inputs_sha256`` fingerprints everything the package is built from (archived
    PDF, the contract's event head, the daily roots and their tokens, the case
    reference, the format version): the same inputs are built once.
    """

    contract = models.ForeignKey("contracts.Contract", verbose_name=_("合同"), on_delete=models.PROTECT,
                                 related_name="evidence_packages")
    case_ref = models.CharField(_("案号"), max_length=64, blank=True)
    zip = models.ForeignKey("archive.StoredObject", verbose_name=_("证据包 ZIP"), on_delete=models.PROTECT,
                            related_name="+")
    manifest_sha256 = models.CharField(_("清单 SHA-256"), max_length=64)
    pdf_sha256 = models.CharField(_("合同 PDF SHA-256"), max_length=64)
    event_head_seq = models.PositiveBigIntegerField(_("最后事件序号"))
    inputs_sha256 = models.CharField(_("输入指纹"), max_length=64)
    built_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("证据包")
        verbose_name_plural = _("证据包")
        ordering = ["-built_at", "-pk"]
        constraints = [
            # Idempotence and the race guard of concurrent builds of the same inputs.
            models.UniqueConstraint(fields=["contract", "inputs_sha256"], name="evidence_package_once"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.zip_id[:12]}"

    @property
    def zip_sha256(self) -> str:
        return self.zip_id


class EvidenceSigner(models.Model):
    """The platform's evidence certificate (issued by the issuing CA) that signs package manifests.

    One current row (``retired_at`` empty); a retired row stays so that its
    serial can still be revoked and its packages explained.
    """

    # One current certificate per purpose; today the only purpose is signing manifests.
    purpose = models.CharField(_("用途"), max_length=16, default="manifest")
    issuer = models.ForeignKey("signing.PlatformAuthority", verbose_name=_("签发机构"), on_delete=models.PROTECT,
                               related_name="+")
    certificate_pem = models.TextField(_("证书（PEM）"))
    # Encrypted PKCS#8 under settings.HEQIAN_PKI_KEY, like every other platform key.
    encrypted_key = models.BinaryField(_("加密私钥"), editable=False)
    serial = models.CharField(_("序列号（十六进制）"), max_length=40)
    fingerprint_sha256 = models.CharField(_("SHA-256 指纹"), max_length=64, unique=True)
    subject = models.CharField(_("主体"), max_length=300)
    not_before = models.DateTimeField(_("生效时间"))
    not_after = models.DateTimeField(_("失效时间"))
    created = models.DateTimeField(_("创建时间"), default=timezone.now)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("证据包签名证书")
        verbose_name_plural = _("证据包签名证书")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["purpose"], condition=Q(retired_at__isnull=True),
                                    name="evidence_one_current_signer"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.serial[:16]}"
