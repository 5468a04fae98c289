"""Writes of notifications: queue a message, deliver it, re-queue stragglers.

Sending is always two steps. ``sms_send`` / ``email_send`` store the rendered message
and its ``notification.queued`` evidence inside the caller's transaction, and hand the
message id to the ``notifications.deliver`` task only once that transaction commits
(a rolled-back signing never texts anybody). ``message_deliver`` then calls the backend.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from contracts_platform.accounts.models import User
from contracts_platform.notifications import events
from contracts_platform.notifications.backends import DeliveryError, backend_for, backend_path
from contracts_platform.notifications.message_templates import render, template_get
from contracts_platform.notifications.models import Channel, MessageStatus, OutboundMessage
from contracts_platform.notifications.selectors import outbox_keeps_secrets
from contracts_platform.parties.identifiers import check_mobile

__all__ = ["email_send", "message_deliver", "outbox_flush", "sms_send", "subject_ref"]

logger = logging.getLogger(__name__)

PHONE_INVALID = gettext_noop("手机号码格式不正确。")
EMAIL_INVALID = gettext_noop("电子邮箱地址格式不正确。")

Subject = models.Model | tuple[str, str | int] | None


def subject_ref(subject: Subject) -> tuple[str, str]:
    """``(subject_type, subject_id)`` as the evidence log names them: a model's name and pk, or the pair given."""
    if subject is None:
        return "", ""
    if isinstance(subject, models.Model):
        return subject._meta.model_name or "", str(subject.pk)
    subject_type, subject_id = subject
    return subject_type, str(subject_id)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _enqueue(message_id: int) -> None:
    from contracts_platform.notifications.tasks import deliver

    deliver.delay(message_id)


def _message_queue(*, channel: Channel, recipient: str, template: str, context: Mapping[str, Any], purpose: str,
                   subject: Subject, actor: User | None, language: str | None) -> OutboundMessage:
    language = language or settings.LANGUAGE_CODE
    rendered = render(template, context, language=language, sms=channel == Channel.SMS)
    subject_type, subject_id = subject_ref(subject)
    with transaction.atomic():
        message = OutboundMessage.objects.create(
            channel=channel, recipient=recipient, template=template,
            subject_line=rendered.subject_line if channel == Channel.EMAIL else "",
            body=rendered.body, body_sha256=_sha256(rendered.masked_body), context=rendered.context,
            is_secret=bool(template_get(template).secret), language=language, purpose=purpose,
            subject_type=subject_type, subject_id=subject_id, created_by=actor)
        events.notification_queued_event(message=message, actor=actor)
        # robust: a broker outage must not turn a committed request into an error page;
        # the message stays queued and ``outbox_flush`` hands it over again later.
        transaction.on_commit(partial(_enqueue, message.pk), robust=True)
    return message


def sms_send(*, phone: str, template: str, context: Mapping[str, Any], purpose: str, subject: Subject = None,
             actor: User | None = None, language: str | None = None) -> OutboundMessage:
    """Render ``template`` (a code of ``message_templates.TEMPLATES``), store it, send it after commit.

    ``subject`` is what the message is about (a model instance, or ``(type, id)``); its
    evidence is filed under it, so a contract's evidence export shows its notices.
    ``language`` defaults to ``settings.LANGUAGE_CODE`` (Chinese), not to the sender's UI language.
    """
    phone = phone.strip()
    if check_mobile(phone) is not None:
        raise ValidationError(_(PHONE_INVALID), code="phone_invalid")
    return _message_queue(channel=Channel.SMS, recipient=phone, template=template, context=context,
                          purpose=purpose, subject=subject, actor=actor, language=language)


def email_send(*, email: str, template: str, context: Mapping[str, Any], purpose: str, subject: Subject = None,
               actor: User | None = None, language: str | None = None) -> OutboundMessage:
    """Like ``sms_send`` for e-mail; the subject line comes from the template."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_(EMAIL_INVALID), code="email_invalid") from None
    return _message_queue(channel=Channel.EMAIL, recipient=email, template=template, context=context,
                          purpose=purpose, subject=subject, actor=actor, language=language)


def _redact(message: OutboundMessage) -> None:
    """Replace the body by its masked form once delivered: the secret has no reason to stay at rest."""
    masked = render(message.template, message.context, language=message.language,
                    sms=message.channel == Channel.SMS).body
    # If the template text changed since sending, the re-render would not be what was hashed; blank instead.
    message.body = masked if _sha256(masked) == message.body_sha256 else ""
    message.body_redacted = True


def message_deliver(*, message_id: int) -> OutboundMessage | None:
    """Hand one queued message to its backend; idempotent (anything not ``queued`` is left alone).

    The row stays locked (``select_for_update``) during the backend call so that two
    workers given the same id cannot both send it. A backend's ``DeliveryError`` marks the
    message failed; any other exception rolls back and leaves it queued for a retry.
    """
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != MessageStatus.QUEUED:
            return message
        message.backend = backend_path(message.channel)
        try:
            receipt = backend_for(message.channel).send(message)
        except DeliveryError as exc:
            message.status = MessageStatus.FAILED
            message.error = str(exc) or exc.__class__.__name__
            if message.is_secret and not outbox_keeps_secrets():
                # Never retried, so nobody needs the code any more; nobody should read it either.
                _redact(message)
            message.save(update_fields=["backend", "status", "error", "body", "body_redacted"])
            events.notification_failed_event(message=message)
            logger.warning("message %s failed: %s", message.pk, message.error)
            return message
        now = timezone.now()
        message.provider_id = receipt.provider_id[:128]
        message.sent_at = now
        message.error = ""
        if receipt.delivered:
            message.status, message.delivered_at = MessageStatus.DELIVERED, now
        else:
            message.status = MessageStatus.SENT
        if message.is_secret and not outbox_keeps_secrets():
            _redact(message)
        message.save(update_fields=["backend", "provider_id", "sent_at", "delivered_at", "status", "error",
                                    "body", "body_redacted"])
        if receipt.delivered:
            events.notification_delivered_event(message=message)
        else:
            events.notification_sent_event(message=message)
    return message


def outbox_flush(*, older_than: dt.timedelta = dt.timedelta(minutes=5)) -> list[int]:
    """Hand messages still queued after ``older_than`` to the task again (e.g. the broker was down)."""
    cutoff = timezone.now() - older_than
    ids = list(OutboundMessage.objects.filter(status=MessageStatus.QUEUED, created_at__lt=cutoff)
               .order_by("created_at").values_list("pk", flat=True)[:500])
    for message_id in ids:
        _enqueue(message_id)
    return ids
