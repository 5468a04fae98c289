"""Celery tasks of the archive: thin wrappers around services (schedules in ``schedules.py``)."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(name="archive.audit")
def archive_audit() -> dict[str, Any]:
    """Re-hash every stored object, verify the chain and roots; record an ``ArchiveAudit``."""
    from contracts_platform.archive.services import archive_audit_run

    audit = archive_audit_run()
    return {"audit_id": audit.pk, "ok": audit.ok, "first_problem": audit.first_problem}


@shared_task(name="archive.merkle_roots")
def archive_merkle_roots() -> list[str]:
    """Root yesterday (and any earlier day a stopped worker missed)."""
    from contracts_platform.archive.services import merkle_roots_catch_up

    return [f"{mr.day}:{mr.root}" for mr in merkle_roots_catch_up()]
