"""Celery tasks of signing: thin wrappers around services (schedules in ``schedules.py``)."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


@shared_task(name="signing.timestamp_merkle_roots", acks_late=True, autoretry_for=(OperationalError, OSError),
             retry_backoff=30, max_retries=5)
def timestamp_merkle_roots() -> list[str]:
    """Timestamp every daily evidence root that has no token yet (RFC 3161 over the root)."""
    from signing.django_app.services import merkle_roots_timestamp

    return [f"{root.day}:{root.root}" for root in merkle_roots_timestamp()]


@shared_task(name="signing.refresh_crls", acks_late=True)
def refresh_crls() -> list[int]:
    """Re-issue platform CRLs that are half-way to their nextUpdate, so published CRLs never go stale."""
    from signing.django_app.pki import current_crls

    return [len(der) for der in current_crls()]
