"""The outbox: every SMS and e-mail the platform sends, one row each.

Rows are written by ``services.sms_send`` / ``services.email_send`` and moved along
``queued -> sent -> delivered`` (or ``failed``) by ``services.message_deliver``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts_platform.core import pii


class Channel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    SENT = "sent", _("已发送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("发送失败")


class OutboundMessage(models.Model):
    """One message to one recipient.

    ``body`` is the exact text handed to the gateway. For templates that carry a
    secret (the OTP code) it is the only place the secret is stored, and
    ``services.outbox_redact_secrets`` blanks it once the secret can no longer be
    used; ``context`` never holds the secret (it is replaced by ``"******"``).
    """

    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("接收方"), max_length=254, db_index=True)
    template = models.CharField(_("模板"), max_length=40)
    subject_line = models.CharField(_("邮件标题"), max_length=200, blank=True)
    body = models.TextField(_("正文"))
    body_sha256 = models.CharField(_("正文 SHA-256"), max_length=64)
    context = models.JSONField(_("模板参数（已脱敏）"), default=dict, blank=True)
    is_secret = models.BooleanField(_("含一次性密码"), default=False)
    body_redacted = models.BooleanField(_("正文已抹除"), default=False)
    language = models.CharField(_("语言"), max_length=10)
    purpose = models.CharField(_("用途"), max_length=40)
    # The domain object the notice is about, same labels as the evidence log's subject.
    subject_type = models.CharField(_("对象类型"), max_length=32, blank=True)
    subject_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=MessageStatus.choices,
                              default=MessageStatus.QUEUED, db_index=True)
    backend = models.CharField(_("发送通道"), max_length=200, blank=True)
    provider_id = models.CharField(_("通道消息编号"), max_length=128, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("外发消息")
        verbose_name_plural = _("外发消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="notif_msg_subject")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.channel} {self.template} ({self.status})"

    @property
    def recipient_masked(self) -> str:
        """138****5678 for phones, z***@example.com for e-mail addresses."""
        if self.channel == Channel.SMS:
            return pii.mask_phone(self.recipient)
        local, _at, domain = self.recipient.partition("@")
        return f"{local[:1]}***@{domain}" if domain else "***"
