"""Test doubles for delivery backends (the only thing that would leave the process)."""

from __future__ import annotations

from contracts_platform.notifications.backends import DeliveryError, DeliveryReceipt
from contracts_platform.notifications.models import OutboundMessage

sent_ids: list[int] = []  # ids handed to CountingBackend, cleared before each test


class CountingBackend:
    def send(self, message: OutboundMessage) -> DeliveryReceipt:
        sent_ids.append(message.pk)
        return DeliveryReceipt(provider_id=f"count-{len(sent_ids)}", delivered=True)


class AcceptingBackend:
    """A gateway that accepts now and would report delivery later."""

    def send(self, message: OutboundMessage) -> DeliveryReceipt:
        return DeliveryReceipt(provider_id="gw-1", delivered=False)


class FailingBackend:
    def send(self, message: OutboundMessage) -> DeliveryReceipt:
        raise DeliveryError("gateway says: number unreachable")
