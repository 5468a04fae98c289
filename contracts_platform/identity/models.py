"""OTP challenges, signing invitations and identity-check records.

Secrets are never stored: an OTP is kept as a keyed HMAC, an invitation token as its
SHA-256. Write these rows only through ``identity.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OtpPurpose(models.TextChoices):
    """What a code unlocks; the label is named in the SMS so the worker knows what they approve."""

    LOGIN = "login", _("登录")
    SIGNING = "signing", _("签署劳动合同")
    DECLINING = "declining", _("拒签劳动合同")
    IDENTITY = "identity", _("身份核验")


class OtpChallenge(models.Model):
    """One code sent to one phone for one purpose; only the newest per phone+purpose is live."""

    phone = models.CharField(_("手机号码"), max_length=11)
    purpose = models.CharField(_("用途"), max_length=16, choices=OtpPurpose.choices)
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    # False for the stand-in challenge of a login to an unknown phone: nothing was sent,
    # it exists so that throttling looks the same whether or not the phone is on file.
    sent = models.BooleanField(default=True)
    subject_type = models.CharField(_("对象类型"), max_length=32, blank=True)
    subject_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    message = models.ForeignKey("notifications.OutboundMessage", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("过期时间"))
    locked_at = models.DateTimeField(_("锁定时间"), null=True, blank=True)
    consumed_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["phone", "purpose", "created_at"], name="identity_otp_lookup")]

    def __str__(self) -> str:
        return f"OTP #{self.pk} {self.purpose}"


class InvitationState(models.TextChoices):
    ACTIVE = "active", _("有效")
    USED = "used", _("已使用")
    REVOKED = "revoked", _("已作废")


class SigningInvitation(models.Model):
    """A link texted to the worker to open and sign one contract version.

    The token itself exists only in the SMS; ``token_hash`` is its SHA-256 (the token
    has 256 random bits, so an unkeyed hash cannot be searched backwards). Expiry is
    a time, not a state: see ``is_expired``.
    """

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="invitations")
    contract_version = models.ForeignKey("contracts.ContractVersion", on_delete=models.PROTECT,
                                         related_name="invitations")
    worker = models.ForeignKey("parties.Worker", on_delete=models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    state = models.CharField(_("状态"), max_length=10, choices=InvitationState.choices,
                             default=InvitationState.ACTIVE, db_index=True)
    message = models.ForeignKey("notifications.OutboundMessage", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("过期时间"))
    opened_at = models.DateTimeField(_("首次打开时间"), null=True, blank=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("签署邀请")
        verbose_name_plural = _("签署邀请")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_state_display()})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class IdentityCheck(models.Model):
    """One identity check of a signer (Guideline Art 7: method, result, time, IP/device).

    Kept beside the ``identity.checked`` evidence event so a signature can point at
    the check that admitted it, and so failures can be counted for the lockout.
    """

    invitation = models.ForeignKey(SigningInvitation, on_delete=models.PROTECT, related_name="identity_checks")
    method = models.CharField(_("核验方式"), max_length=40)
    ok = models.BooleanField(_("通过"))
    reasons = models.JSONField(_("未通过原因"), default=list, blank=True)
    id_number_masked = models.CharField(_("所填身份证号码（脱敏）"), max_length=32, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器标识"), max_length=300, blank=True)
    evidence_seq = models.PositiveBigIntegerField(_("存证序号"), null=True, blank=True)
    created_at = models.DateTimeField(_("核验时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("身份核验记录")
        verbose_name_plural = _("身份核验记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.method} {'ok' if self.ok else 'failed'} @ {self.created_at:%Y-%m-%d %H:%M}"
