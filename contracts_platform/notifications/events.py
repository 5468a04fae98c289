"""Evidence events of notifications: one function per event type (Guideline Art 10: log every notice).

Payloads carry the masked recipient and the SHA-256 of the body as evidenced
(secrets masked, see ``message_templates``), never a secret itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contracts_platform.accounts.models import User
    from contracts_platform.notifications.models import OutboundMessage

NOTIFICATION_QUEUED = "notification.queued"
NOTIFICATION_SENT = "notification.sent"
NOTIFICATION_DELIVERED = "notification.delivered"
NOTIFICATION_FAILED = "notification.failed"


def _append(*, event_type: str, actor: User | None, message: OutboundMessage, extra: dict[str, Any]) -> None:
    # Imported here: the archive is a lower layer that must not be loaded by our models' import.
    from contracts_platform.archive.services import evidence_append

    subject_type, subject_id = ((message.subject_type, message.subject_id) if message.subject_type
                                else ("notification", str(message.pk)))
    evidence_append(event_type=event_type, actor=actor, subject_type=subject_type, subject_id=subject_id,
                    payload={"message_id": message.pk, "channel": message.channel,
                             "recipient": message.recipient_masked, "template": message.template,
                             "purpose": message.purpose, "body_sha256": message.body_sha256, **extra})


def notification_queued_event(*, message: OutboundMessage, actor: User | None) -> None:
    _append(event_type=NOTIFICATION_QUEUED, actor=actor, message=message,
            extra={"secret_masked": message.is_secret})


def notification_sent_event(*, message: OutboundMessage) -> None:
    """The gateway accepted the message but has not confirmed delivery yet."""
    _append(event_type=NOTIFICATION_SENT, actor=None, message=message,
            extra={"backend": message.backend, "provider_id": message.provider_id})


def notification_delivered_event(*, message: OutboundMessage) -> None:
    _append(event_type=NOTIFICATION_DELIVERED, actor=None, message=message,
            extra={"backend": message.backend, "provider_id": message.provider_id})


def notification_failed_event(*, message: OutboundMessage) -> None:
    _append(event_type=NOTIFICATION_FAILED, actor=None, message=message,
            extra={"backend": message.backend, "error": message.error[:500]})
