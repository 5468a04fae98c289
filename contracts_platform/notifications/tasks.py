"""Celery tasks of notifications: thin wrappers around services (schedules in ``schedules.py``)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


# Retries cover the database being briefly away; a gateway refusal is a ``DeliveryError``,
# which the service records as ``failed`` instead of retrying blindly.
@shared_task(name="notifications.deliver", autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def deliver(message_id: int) -> str | None:
    """Send one outbox message; a message already sent (or failed) is left alone."""
    from contracts_platform.notifications.services import message_deliver

    message = message_deliver(message_id=message_id)
    return message.status if message is not None else None


@shared_task(name="notifications.flush")
def flush() -> list[int]:
    """Re-enqueue messages that stayed queued (their ``on_commit`` hand-over was lost)."""
    from contracts_platform.notifications.services import outbox_flush

    return outbox_flush()
