"""Writes of the archive: appending evidence, daily Merkle roots, audit runs.

Objects are stored through ``archive.store.archive_put`` (re-exported here).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from contracts_platform.archive.chain import GENESIS_HASH, compute_entry_hash, format_occurred_at, verify_chain
from contracts_platform.archive.errors import ArchiveError
from contracts_platform.archive.merkle import merkle_root
from contracts_platform.archive.models import ArchiveAudit, EvidenceEvent, MerkleRoot
from contracts_platform.archive.selectors import (
    archive_check,
    chain_entries,
    day_bounds,
    last_good_audit_head,
)
from contracts_platform.archive.store import archive_get, archive_put
from contracts_platform.core.canonical import canonical_json

__all__ = ["actor_label_for", "archive_audit_run", "archive_get", "archive_put", "evidence_append",
           "merkle_root_for_day", "merkle_roots_catch_up"]

# pg_advisory_xact_lock key for "the evidence chain": b"HQ-EVLOG" as a big-endian int64.
CHAIN_LOCK_ID = int.from_bytes(b"HQ-EVLOG", "big")
_SEQ_RETRIES = 3


def _lock_chain() -> None:
    """Serialize chain writers until the end of the current (outermost) transaction.

    PostgreSQL: a transaction-level advisory lock. SQLite: a no-op UPDATE, which
    makes SQLite take its database write lock *before* we read the chain head;
    Django's deferred ``BEGIN`` would otherwise only take it at the INSERT, so two
    writers could read the same head. Must run inside ``transaction.atomic``.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_ID])
        elif connection.vendor == "sqlite":
            cursor.execute(f'UPDATE "{EvidenceEvent._meta.db_table}" SET seq = seq WHERE 0 = 1')  # noqa: S608
        else:
            raise NotImplementedError(f"evidence chain lock for {connection.vendor}")


def actor_label_for(actor: AbstractBaseUser | None) -> str:
    """Snapshot of who acted, kept in the hash so it survives later changes to the user."""
    if actor is None:
        return "system"
    if actor.pk is None:
        raise ValueError("an actor must be a saved user (or None for the system)")
    return f"{getattr(actor, 'role', '') or 'user'}:{actor.pk}"


def _canonical_payload(payload: dict[str, Any]) -> str:
    if not isinstance(payload, dict):
        raise TypeError("evidence payload must be a JSON object (dict)")
    text = canonical_json(payload).decode("utf-8")

    def _reject(constant: str) -> float:
        raise ValueError(f"evidence payload may not contain {constant}")

    # NaN/Infinity are not JSON; other verifiers would choke on them.
    json.loads(text, parse_constant=_reject)
    return text


def _check_label(name: str, value: str, max_length: int) -> None:
    if not value or len(value) > max_length:
        raise ValueError(f"{name} must be 1..{max_length} characters")


def evidence_append(*, event_type: str, actor: AbstractBaseUser | None, subject_type: str,
                    subject_id: str | int, payload: dict[str, Any],
                    actor_label: str | None = None) -> EvidenceEvent:
    """Append one event to the hash chain and return it.

    Call inside the transaction of the operation the event records: the event
    commits or rolls back with it. The chain lock is then held until that
    transaction ends, so every evidence-writing transaction is serialized from
    this call to its commit: append as late in the transaction as you can, and
    never around network calls.

    ``actor`` None means the platform itself ("system"); ``actor_label``
    overrides the derived "<role>:<id>" label, e.g. for a reporter without an
    account. ``occurred_at`` is the append time, never earlier than the
    previous entry's (it is monotonic along seq, which daily roots rely on);
    times from the domain belong in the payload. The hash formula is in
    ``archive.chain``.

    SQLite: if the caller's transaction has already *read* and another
    connection has written since, SQLite refuses the upgrade to a write lock
    ("database is locked"); the caller's transaction then fails as a whole.
    """
    label = actor_label if actor_label is not None else actor_label_for(actor)
    subject_id = str(subject_id)
    _check_label("event_type", event_type, 64)
    _check_label("actor_label", label, 128)
    _check_label("subject_type", subject_type, 32)
    _check_label("subject_id", subject_id, 64)
    payload_text = _canonical_payload(payload)

    with transaction.atomic():
        _lock_chain()
        for attempt in range(_SEQ_RETRIES):
            last = EvidenceEvent.objects.order_by("-seq").values_list("seq", "entry_hash", "occurred_at").first()
            seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
            occurred_at = timezone.now()
            if last and last[2] > occurred_at:
                occurred_at = last[2]
            entry_hash = compute_entry_hash(prev_hash=prev_hash, seq=seq, event_type=event_type,
                                            actor_label=label, subject_type=subject_type,
                                            subject_id=subject_id,
                                            occurred_at=format_occurred_at(occurred_at),
                                            payload=payload_text)
            try:
                # Savepoint: a lost race on the unique seq can be retried in this transaction.
                with transaction.atomic():
                    return EvidenceEvent.objects.create(
                        seq=seq, event_type=event_type, actor=actor, actor_label=label,
                        subject_type=subject_type, subject_id=subject_id, occurred_at=occurred_at,
                        payload=payload_text, prev_hash=prev_hash, entry_hash=entry_hash)
            except IntegrityError:
                # Only reachable if some writer bypassed the lock; anything else is re-raised.
                if attempt == _SEQ_RETRIES - 1 or not EvidenceEvent.objects.filter(seq=seq).exists():
                    raise
    raise AssertionError("unreachable")


def _chain_barrier() -> None:
    """Wait for in-flight appends to commit; any later append is stamped after now."""
    with transaction.atomic():
        _lock_chain()


def merkle_root_for_day(day: dt.date) -> MerkleRoot:
    """Compute and store the Merkle root of one finished local day; idempotent.

    Returns the stored root if the day already has one. Before rooting, the
    day's entries are verified (hashes, links, link to the previous day), so a
    tampered log is never anchored: that raises ``ArchiveError`` and the audit
    reports the details.
    """
    existing = MerkleRoot.objects.filter(day=day).first()
    if existing is not None:
        return existing
    start, end = day_bounds(day)
    if end > timezone.now():
        raise ValueError(f"day {day} is not over yet")
    _chain_barrier()

    day_qs = EvidenceEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    entries = list(chain_entries(day_qs))
    if entries:
        first = entries[0].seq
        prev = (EvidenceEvent.objects.filter(seq=first - 1).values_list("entry_hash", flat=True).first()
                if first > 1 else GENESIS_HASH)
        report = verify_chain(entries, start_seq=first, start_prev_hash=prev or "")
        if not report.ok:
            raise ArchiveError(f"refusing to root {day}: {report.problems[0]}")
    root = merkle_root([bytes.fromhex(e.entry_hash) for e in entries]).hex()
    try:
        with transaction.atomic():
            return MerkleRoot.objects.create(
                day=day, first_seq=entries[0].seq if entries else None,
                last_seq=entries[-1].seq if entries else None, leaf_count=len(entries), root=root)
    except IntegrityError:
        # Another worker rooted the same day meanwhile; same input, same root.
        return MerkleRoot.objects.get(day=day)


def merkle_roots_catch_up(*, until: dt.date | None = None) -> list[MerkleRoot]:
    """Root every day not rooted yet, up to ``until`` (default: yesterday, local time).

    Starts after the newest stored root, or at the first event's day; so a
    worker that was down for a week closes the whole week on its next run.
    """
    today = timezone.localdate()
    until = until or today - dt.timedelta(days=1)
    latest = MerkleRoot.objects.order_by("-day").values_list("day", flat=True).first()
    if latest is not None:
        day = latest + dt.timedelta(days=1)
    else:
        first_at = EvidenceEvent.objects.order_by("seq").values_list("occurred_at", flat=True).first()
        if first_at is None:
            return []
        day = timezone.localdate(first_at)
    created = []
    while day <= until:
        created.append(merkle_root_for_day(day))
        day += dt.timedelta(days=1)
    return created


def archive_audit_run(*, objects: bool = True) -> ArchiveAudit:
    """Run ``archive_check`` and record it as an ``ArchiveAudit`` row (also when it fails)."""
    audit = ArchiveAudit.objects.create(started=timezone.now())
    report = archive_check(known_head=last_good_audit_head(), objects=objects)
    audit.finished = timezone.now()
    audit.ok = report.ok
    audit.summary = report.as_dict()
    audit.first_problem = str(report.first_problem) if report.first_problem else ""
    audit.save(update_fields=["finished", "ok", "summary", "first_problem"])
    return audit
