"""Persisted PKI material and signed documents.

Private keys are stored only as encrypted PKCS#8 PEM (``signing.encrypt_private_key``)
under the passphrase ``settings.HEQIAN_PKI_KEY``, which lives outside the database.
Certificate serial numbers are up to 159 bits, more than a database integer holds,
so they are stored as lowercase hex (the form ``signing.verify`` reports them in).

Write these rows only through ``signing.django_app.pki`` and ``services``.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuthorityKind(models.TextChoices):
    ROOT = "root", _("根证书")
    ISSUING = "issuing", _("签发证书")
    TSA = "tsa", _("时间戳服务")


class RevocationReason(models.TextChoices):
    """The RFC 5280 reasons an operator may pick (values are ``x509.ReasonFlags`` names)."""

    UNSPECIFIED = "unspecified", _("未说明")
    KEY_COMPROMISE = "key_compromise", _("密钥泄露")
    AFFILIATION_CHANGED = "affiliation_changed", _("单位信息变更")
    SUPERSEDED = "superseded", _("已被替换")
    CESSATION_OF_OPERATION = "cessation_of_operation", _("停止使用")


class SignedStage(models.TextChoices):
    SEALED = "sealed", _("用人单位已盖章")
    SIGNED = "signed", _("劳动者已签署")
    ARCHIVED = "archived", _("已归档（长期验证）")


class _CertificateFields(models.Model):
    certificate_pem = models.TextField(_("证书（PEM）"))
    # Binary and not editable, so no admin form or log ever renders the blob.
    encrypted_key = models.BinaryField(_("加密私钥"), editable=False)
    serial = models.CharField(_("序列号（十六进制）"), max_length=40)
    fingerprint_sha256 = models.CharField(_("SHA-256 指纹"), max_length=64, unique=True)
    subject = models.CharField(_("主体"), max_length=300)
    not_before = models.DateTimeField(_("生效时间"))
    not_after = models.DateTimeField(_("失效时间"))
    created = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        abstract = True


class PlatformAuthority(_CertificateFields):
    """The platform's root CA, issuing CA or TSA certificate with its key.

    At most one current (``retired_at`` empty) row per kind. A retired row is kept:
    its certificate stays a trust anchor (root) or keeps publishing its CRL
    (issuing) for everything it signed.
    """

    kind = models.CharField(_("类型"), max_length=16, choices=AuthorityKind.choices)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    # Monotonic per issuer (RFC 5280 §5.2.3); bumped under a row lock when a CRL is built.
    crl_number = models.PositiveBigIntegerField(_("最新 CRL 编号"), default=0)

    class Meta:
        verbose_name = _("平台证书机构")
        verbose_name_plural = _("平台证书机构")
        ordering = ["kind", "-created"]
        constraints = [
            models.UniqueConstraint(fields=["kind"], condition=Q(retired_at__isnull=True),
                                    name="signing_one_current_authority"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial[:16]}"


class EmployerCertificate(_CertificateFields):
    """An employer's organisation certificate and the seal image it signs with.

    One current certificate per employer (neither revoked nor superseded); a
    revoked one is replaced on next use.
    """

    employer = models.ForeignKey("parties.Employer", verbose_name=_("用人单位"), on_delete=models.PROTECT,
                                 related_name="signing_certificates")
    issuer = models.ForeignKey(PlatformAuthority, verbose_name=_("签发机构"), on_delete=models.PROTECT,
                               related_name="+")
    seal = models.ForeignKey("archive.StoredObject", verbose_name=_("印章图片"), on_delete=models.PROTECT,
                             related_name="+")
    seal_uploaded = models.BooleanField(_("印章为上传图片"), default=False)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revocation_reason = models.CharField(_("吊销原因"), max_length=32, choices=RevocationReason.choices,
                                         blank=True)
    superseded_at = models.DateTimeField(_("更换时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用人单位证书")
        verbose_name_plural = _("用人单位证书")
        ordering = ["-created"]
        constraints = [
            # Also the race guard: two concurrent first seals cannot both issue a certificate.
            models.UniqueConstraint(fields=["employer"],
                                    condition=Q(revoked_at__isnull=True, superseded_at__isnull=True),
                                    name="signing_one_current_employer_cert"),
            models.UniqueConstraint(fields=["issuer", "serial"], name="signing_employer_cert_serial"),
        ]

    def __str__(self) -> str:
        return f"{self.employer} {self.serial[:16]}"

    @property
    def seal_sha256(self) -> str:
        return self.seal_id


class WorkerCertificate(_CertificateFields):
    """The short-lived personal certificate issued for one worker signing one contract version.

    The subject carries ``serialNumber=IDH-…`` (a keyed HMAC of the ID number), never the number.
    """

    worker = models.ForeignKey("parties.Worker", verbose_name=_("劳动者"), on_delete=models.PROTECT,
                               related_name="signing_certificates")
    # Normally one per version; a retry after the certificate expired or was revoked adds another.
    version = models.ForeignKey("contracts.ContractVersion", verbose_name=_("合同版本"),
                                on_delete=models.PROTECT, related_name="worker_certificates")
    issuer = models.ForeignKey(PlatformAuthority, verbose_name=_("签发机构"), on_delete=models.PROTECT,
                               related_name="+")
    pseudonym = models.CharField(_("身份证号假名"), max_length=40)

    class Meta:
        verbose_name = _("劳动者证书")
        verbose_name_plural = _("劳动者证书")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "serial"], name="signing_worker_cert_serial"),
        ]

    def __str__(self) -> str:
        return f"{self.worker.name} v{self.version_id} {self.serial[:16]}"

    @property
    def issued_at(self) -> datetime:
        return self.created


class Revocation(models.Model):
    """One revoked certificate as its issuer's CRL lists it."""

    issuer = models.ForeignKey(PlatformAuthority, verbose_name=_("签发机构"), on_delete=models.PROTECT,
                               related_name="revocations")
    serial = models.CharField(_("序列号（十六进制）"), max_length=40)
    # Whole seconds: the CRL's revocationDate has no fractions, and the database
    # must say exactly what the CRL says.
    revoked_at = models.DateTimeField(_("吊销时间"))
    reason = models.CharField(_("原因"), max_length=32, choices=RevocationReason.choices,
                              default=RevocationReason.UNSPECIFIED)
    created = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("证书吊销记录")
        verbose_name_plural = _("证书吊销记录")
        ordering = ["-revoked_at"]
        constraints = [models.UniqueConstraint(fields=["issuer", "serial"], name="signing_revocation_once")]

    def __str__(self) -> str:
        return f"{self.serial[:16]} @ {self.revoked_at:%Y-%m-%d %H:%M:%S}"


class PublishedCrl(models.Model):
    """Every CRL the platform issued (DER), newest per issuer served at ``/pki/<kind>.crl``."""

    issuer = models.ForeignKey(PlatformAuthority, verbose_name=_("签发机构"), on_delete=models.PROTECT,
                               related_name="crls")
    number = models.PositiveBigIntegerField(_("CRL 编号"))
    this_update = models.DateTimeField(_("本次更新"))
    next_update = models.DateTimeField(_("下次更新"))
    revoked_count = models.PositiveIntegerField(_("吊销条数"))
    der = models.BinaryField(_("CRL（DER）"))
    created = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("证书吊销列表")
        verbose_name_plural = _("证书吊销列表")
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["issuer", "number"], name="signing_crl_number_once")]

    def __str__(self) -> str:
        return f"CRL #{self.number} ({self.issuer.kind})"


class Counter(models.Model):
    """Named monotonic counters (TSA token serials), advanced with one atomic UPSERT ... RETURNING."""

    name = models.CharField(max_length=32, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("计数器")
        verbose_name_plural = _("计数器")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class SignedDocument(models.Model):
    """One signing stage of a contract version and the archived PDF bytes it produced."""

    version = models.ForeignKey("contracts.ContractVersion", verbose_name=_("合同版本"), on_delete=models.PROTECT,
                                related_name="signed_documents")
    stage = models.CharField(_("阶段"), max_length=16, choices=SignedStage.choices)
    pdf = models.ForeignKey("archive.StoredObject", verbose_name=_("PDF"), on_delete=models.PROTECT,
                            related_name="+")
    # sealed: the employer certificate; signed: the worker certificate; archived: the TSA certificate.
    signer_serial = models.CharField(_("签名证书序列号"), max_length=40)
    signed_at = models.DateTimeField(_("签署时间"))
    timestamp_time = models.DateTimeField(_("时间戳时间"), null=True, blank=True)
    created = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("已签名文件")
        verbose_name_plural = _("已签名文件")
        ordering = ["version", "created"]
        constraints = [models.UniqueConstraint(fields=["version", "stage"], name="signing_one_document_per_stage")]

    def __str__(self) -> str:
        return f"{self.version} {self.stage} {self.pdf_id[:12]}"
