"""Celery tasks of evidence packages: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


@shared_task(name="evidence.build_package", acks_late=True, autoretry_for=(OperationalError, OSError),
             retry_backoff=5, max_retries=3, soft_time_limit=120, time_limit=180)
def build_package(contract_id: int, case_ref: str | None = None, actor_id: int | None = None) -> str:
    """Build (or find) the evidence package of one contract; returns the ZIP's SHA-256. Safe to redeliver."""
    from contracts_platform.accounts.models import User
    from contracts_platform.contracts.models import Contract
    from contracts_platform.evidence.services import evidence_package_build

    contract = Contract.objects.get(pk=contract_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return evidence_package_build(contract=contract, case_ref=case_ref, actor=actor).zip_id
