"""Hash-chain arithmetic for the evidence log. Pure Python: no Django imports.

This module is the whole definition of the chain, so that an offline verifier
(the future ``verify_evidence``, or a third party with only an export) can
recompute every hash without the platform.

Entry hash, version 1
---------------------
For the event with sequence number ``seq``::

    payload_sha256  = hex(SHA-256(payload_bytes))
        payload_bytes = the stored payload text, UTF-8 encoded, exactly as stored
        (it was produced by ``canonical_json``: sorted keys, no white space,
        UTF-8, no ASCII escaping).
    canonical_entry = canonical_json({
        "v": 1,
        "seq": seq,                          # integer, gapless from 1
        "event_type": event_type,            # e.g. "contract.version_rendered"
        "actor": actor_label,                # e.g. "worker:17", "system"
        "subject_type": subject_type,        # e.g. "contract"
        "subject_id": subject_id,            # a string, e.g. "42"
        "occurred_at": occurred_at,          # UTC, "YYYY-MM-DDTHH:MM:SS.ffffffZ"
        "payload_sha256": payload_sha256,
    })
        i.e. json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        encoded as UTF-8.
    entry_hash = hex(SHA-256(bytes.fromhex(prev_hash) || canonical_entry))
    prev_hash  = entry_hash of seq - 1, or 64 "0" characters (GENESIS_HASH) for seq 1.

Why the payload enters through its hash: the hash is taken over the payload's
exact stored bytes (no re-serialisation that another JSON library could do
differently), and an evidence package can later withhold a payload holding
personal data while the entry hash still verifies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from contracts_platform.core.canonical import canonical_json, sha256_hex

ENTRY_FORMAT_VERSION = 1
GENESIS_HASH = "0" * 64
# Keep reports bounded: a mass tampering must not produce a million-line report.
MAX_PROBLEMS = 100


def format_occurred_at(value: dt.datetime) -> str:
    """The timestamp as it enters the hash: UTC, microseconds, ``Z`` suffix."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("occurred_at must be timezone-aware")
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def payload_sha256(payload_text: str) -> str:
    return sha256_hex(payload_text.encode("utf-8"))


@dataclass(frozen=True)
class ChainEntry:
    """One log entry as the hash formula sees it (all strings exactly as stored)."""

    seq: int
    event_type: str
    actor_label: str
    subject_type: str
    subject_id: str
    occurred_at: str
    """Already formatted with :func:`format_occurred_at`."""
    payload: str
    """The stored canonical JSON text."""
    prev_hash: str
    entry_hash: str


def canonical_entry_bytes(*, seq: int, event_type: str, actor_label: str, subject_type: str,
                          subject_id: str, occurred_at: str, payload: str) -> bytes:
    return canonical_json({
        "v": ENTRY_FORMAT_VERSION,
        "seq": seq,
        "event_type": event_type,
        "actor": actor_label,
        "subject_type": subject_type,
        "subject_id": subject_id,
        "occurred_at": occurred_at,
        "payload_sha256": payload_sha256(payload),
    })


def compute_entry_hash(*, prev_hash: str, seq: int, event_type: str, actor_label: str,
                       subject_type: str, subject_id: str, occurred_at: str, payload: str) -> str:
    """``SHA-256(prev_hash_bytes || canonical_entry_bytes)`` as lowercase hex."""
    body = canonical_entry_bytes(seq=seq, event_type=event_type, actor_label=actor_label,
                                 subject_type=subject_type, subject_id=subject_id,
                                 occurred_at=occurred_at, payload=payload)
    return hashlib.sha256(bytes.fromhex(prev_hash) + body).hexdigest()


def entry_hash_of(entry: ChainEntry) -> str:
    """Recompute an entry's hash from its stored fields and its stored ``prev_hash``."""
    return compute_entry_hash(prev_hash=entry.prev_hash, seq=entry.seq, event_type=entry.event_type,
                              actor_label=entry.actor_label, subject_type=entry.subject_type,
                              subject_id=entry.subject_id, occurred_at=entry.occurred_at,
                              payload=entry.payload)


@dataclass(frozen=True)
class Problem:
    """One integrity finding.

    ``str(problem)`` is a stable, untranslated line meant for logs, monitoring
    and the exit message of ``audit_archive``, e.g. ``BAD event seq 42:
    entry_hash mismatch``; do not reword it without telling operations.
    """

    kind: str
    """``object``, ``event``, ``chain`` or ``merkle``."""
    ref: str
    """Object key, sequence number or day the finding is about."""
    code: str
    """Stable reason, e.g. ``hash mismatch``, ``entry_hash mismatch``, ``missing``."""
    detail: str = ""

    def __str__(self) -> str:
        if self.kind == "object":
            line = f"BAD object {self.ref}: {self.code}"
        elif self.kind == "event":
            line = f"BAD event seq {self.ref}: {self.code}"
        elif self.kind == "chain":
            line = f"BAD event chain: seq {self.ref} {self.code}"
        else:
            line = f"BAD {self.kind} {self.ref}: {self.code}"
        return f"{line} ({self.detail})" if self.detail else line

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "ref": self.ref, "code": self.code, "detail": self.detail,
                "message": str(self)}


@dataclass
class ChainReport:
    """Outcome of verifying a contiguous run of the log."""

    events_checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    first_bad_seq: int | None = None
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    """Last entry hash seen (the genesis hash for an empty log)."""

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem, seq: int) -> None:
        self.problem_count += 1
        if self.first_bad_seq is None:
            self.first_bad_seq = seq
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "events_checked": self.events_checked,
                "first_bad_seq": self.first_bad_seq, "problem_count": self.problem_count,
                "head_seq": self.head_seq, "head_hash": self.head_hash,
                "problems": [p.as_dict() for p in self.problems]}


def verify_chain(entries: Iterable[ChainEntry], *, start_seq: int = 1,
                 start_prev_hash: str = GENESIS_HASH) -> ChainReport:
    """Verify entries given in ascending ``seq`` order.

    Checks, per entry: the sequence has no gap, ``prev_hash`` links to the
    previous entry, ``entry_hash`` recomputes, and ``occurred_at`` never goes
    backwards (the append service guarantees that, so a violation means rows
    were written outside it). A rewritten entry whose hash was recomputed shows
    up as a ``prev_hash`` mismatch at the *next* seq; the daily Merkle roots
    pin the rewritten one itself.
    """
    report = ChainReport(head_seq=start_seq - 1, head_hash=start_prev_hash)
    expected_seq = start_seq
    prev_hash = start_prev_hash
    prev_occurred_at = ""
    for entry in entries:
        report.events_checked += 1
        if entry.seq != expected_seq:
            if entry.seq > expected_seq:
                missing = (str(expected_seq) if entry.seq == expected_seq + 1
                           else f"{expected_seq}..{entry.seq - 1}")
                report.add(Problem("chain", missing, "missing"), expected_seq)
            else:
                report.add(Problem("event", str(entry.seq), "out of order"), entry.seq)
        elif entry.prev_hash != prev_hash:
            # After a gap the link cannot match; the gap is the finding, not a second one.
            report.add(Problem("event", str(entry.seq), "prev_hash mismatch"), entry.seq)
        if entry_hash_of(entry) != entry.entry_hash:
            report.add(Problem("event", str(entry.seq), "entry_hash mismatch"), entry.seq)
        if entry.occurred_at < prev_occurred_at:
            report.add(Problem("event", str(entry.seq), "occurred_at before previous entry"), entry.seq)
        expected_seq = entry.seq + 1
        prev_hash = entry.entry_hash
        prev_occurred_at = entry.occurred_at
        report.head_seq = entry.seq
        report.head_hash = entry.entry_hash
    return report
