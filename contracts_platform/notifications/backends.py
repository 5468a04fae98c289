"""Delivery backends: the adapter seam between the outbox and a real SMS or e-mail gateway.

A backend is any class with ``send(message) -> DeliveryReceipt``; the one used per channel
is the dotted path in ``settings.HEQIAN_SMS_BACKEND`` / ``settings.HEQIAN_EMAIL_BACKEND``.
**This class is the seam**: a deployment writes one adapter class per gateway (carrier SMS
API, SMTP relay) that turns an ``OutboundMessage`` into the gateway's request and the
gateway's answer into a ``DeliveryReceipt`` or a ``DeliveryError``; nothing else changes.
Everything else (rendering, storage, evidence, idempotency) stays in ``services``.

The default, ``OutboxBackend``, sends nothing: it marks the message delivered and logs it
on the ``heqian.outbox`` logger, so the demo and the browser tests read OTPs and links
from the console or from the ``/outbox/`` page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from contracts_platform.notifications.models import Channel

if TYPE_CHECKING:
    from contracts_platform.notifications.models import OutboundMessage

DEFAULT_BACKEND = "contracts_platform.notifications.backends.OutboxBackend"
BACKEND_SETTINGS = {Channel.SMS: "HEQIAN_SMS_BACKEND", Channel.EMAIL: "HEQIAN_EMAIL_BACKEND"}

outbox_logger = logging.getLogger("heqian.outbox")


@dataclass(frozen=True)
class DeliveryReceipt:
    provider_id: str
    """The gateway's id for the message (for its delivery reports and support tickets)."""
    delivered: bool = False
    """True if the gateway already confirms delivery to the handset; False means only accepted
    (status ``sent``; a gateway's delivery report would move it on later)."""


class DeliveryError(Exception):
    """The gateway refused the message; ``str(exc)`` is stored on the message for operators."""


class MessageBackend(Protocol):
    def send(self, message: OutboundMessage) -> DeliveryReceipt: ...


class OutboxBackend:
    """Development and demo: nothing leaves the machine. Never use in production (a system check warns)."""

    def send(self, message: OutboundMessage) -> DeliveryReceipt:
        # The body is logged on purpose: in development the console is where the OTP is read.
        outbox_logger.info("outbox #%s %s to %s [%s]: %s", message.pk, message.channel, message.recipient_masked,
                           message.template, message.body)
        return DeliveryReceipt(provider_id=f"outbox-{message.pk}", delivered=True)


def backend_path(channel: str) -> str:
    return getattr(settings, BACKEND_SETTINGS[Channel(channel)], DEFAULT_BACKEND) or DEFAULT_BACKEND


def backend_for(channel: str) -> MessageBackend:
    """A fresh backend instance for ``channel`` (read per call, so ``override_settings`` works)."""
    return import_string(backend_path(channel))()
