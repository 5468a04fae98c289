"""Reads of the archive: chain verification, the full audit check, Merkle proofs.

Nothing here writes; ``services.archive_audit_run`` records the outcome.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from contracts_platform.archive.chain import (
    GENESIS_HASH,
    MAX_PROBLEMS,
    ChainEntry,
    ChainReport,
    Problem,
    format_occurred_at,
    verify_chain,
)
from contracts_platform.archive.merkle import merkle_inclusion_proof, merkle_root
from contracts_platform.archive.models import ArchiveAudit, EvidenceEvent, MerkleRoot, StoredObject
from contracts_platform.archive.store import archive_key_path, archive_storage, hash_stored

_ENTRY_FIELDS = ("seq", "event_type", "actor_label", "subject_type", "subject_id", "occurred_at",
                 "payload", "prev_hash", "entry_hash")
_CHUNK_ROWS = 2000


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Start (inclusive) and end (exclusive) of a local day in ``settings.TIME_ZONE``.

    China has no DST, but zoneinfo arithmetic keeps this right elsewhere too.
    """
    tz = timezone.get_default_timezone()
    return (dt.datetime.combine(day, dt.time.min, tzinfo=tz),
            dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


def chain_entries(queryset: QuerySet[EvidenceEvent] | None = None) -> Iterator[ChainEntry]:
    """Events as pure ``ChainEntry`` values, in seq order, streamed in chunks."""
    qs = EvidenceEvent.objects.all() if queryset is None else queryset
    rows = qs.order_by("seq").values_list(*_ENTRY_FIELDS).iterator(chunk_size=_CHUNK_ROWS)
    for seq, event_type, actor_label, subject_type, subject_id, occurred_at, payload, prev, entry in rows:
        yield ChainEntry(seq=seq, event_type=event_type, actor_label=actor_label,
                         subject_type=subject_type, subject_id=subject_id,
                         occurred_at=format_occurred_at(occurred_at), payload=payload,
                         prev_hash=prev, entry_hash=entry)


def chain_verify() -> ChainReport:
    """Recompute every entry hash in seq order; report gaps, broken links, edits.

    ``report.first_bad_seq`` is the first seq at which something is wrong: an
    edited payload or hash at that seq, or the first missing seq of a gap.
    Deleting the newest rows leaves no gap; ``archive_check`` catches that from
    the head recorded by the last good audit and from the stored Merkle roots.
    """
    return verify_chain(chain_entries())


def chain_head() -> tuple[int, str]:
    """(seq, entry_hash) of the newest event, or (0, GENESIS_HASH) for an empty log."""
    last = EvidenceEvent.objects.order_by("-seq").values_list("seq", "entry_hash").first()
    return last if last is not None else (0, GENESIS_HASH)


def evidence_for_subject(*, subject_type: str, subject_id: str | int) -> QuerySet[EvidenceEvent]:
    return EvidenceEvent.objects.filter(subject_type=subject_type, subject_id=str(subject_id)).order_by("seq")


def last_good_audit_head() -> tuple[int, str] | None:
    """Head (seq, hash) the newest passing audit saw; later the log may only have grown."""
    audit = ArchiveAudit.objects.filter(ok=True).order_by("-started").first()
    if audit is None or "head_seq" not in audit.summary:
        return None
    return int(audit.summary["head_seq"]), str(audit.summary["head_hash"])


@dataclass
class AuditReport:
    """Outcome of ``archive_check``. Problems are listed objects first, then chain, then roots."""

    objects_checked: int = 0
    bytes_checked: int = 0
    events_checked: int = 0
    merkle_roots_checked: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def first_problem(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "objects_checked": self.objects_checked, "bytes_checked": self.bytes_checked,
                "events_checked": self.events_checked, "merkle_roots_checked": self.merkle_roots_checked,
                "head_seq": self.head_seq, "head_hash": self.head_hash, "problem_count": self.problem_count,
                "first_problem": str(self.first_problem) if self.first_problem else None,
                "problems": [p.as_dict() for p in self.problems], "seconds": round(self.seconds, 3)}


def objects_verify(report: AuditReport) -> None:
    """Re-hash every object the ``StoredObject`` table says must exist, through the storage API."""
    storage = archive_storage()
    for obj in StoredObject.objects.order_by("sha256").iterator(chunk_size=_CHUNK_ROWS):
        report.objects_checked += 1
        path = archive_key_path(obj.sha256)
        try:
            actual, size = hash_stored(storage, path)
        except FileNotFoundError:
            report.add(Problem("object", obj.sha256, "missing"))
            continue
        except OSError as exc:
            report.add(Problem("object", obj.sha256, "unreadable", type(exc).__name__))
            continue
        report.bytes_checked += size
        if actual != obj.sha256:
            report.add(Problem("object", obj.sha256, "hash mismatch", f"stored bytes hash to {actual}"))
        elif size != obj.size:
            report.add(Problem("object", obj.sha256, "size mismatch", f"{size} != recorded {obj.size}"))


def merkle_roots_verify(report: AuditReport) -> None:
    """Recompute every stored daily root from the log, and check it covers exactly its day."""
    for mr in MerkleRoot.objects.order_by("day").iterator():
        report.merkle_roots_checked += 1
        start, end = day_bounds(mr.day)
        in_day = EvidenceEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end).count()
        if mr.leaf_count == 0:
            rows: list[tuple[int, str, dt.datetime]] = []
        else:
            rows = list(EvidenceEvent.objects.filter(seq__gte=mr.first_seq, seq__lte=mr.last_seq)
                        .order_by("seq").values_list("seq", "entry_hash", "occurred_at"))
        ref = mr.day.isoformat()
        if len(rows) != mr.leaf_count:
            report.add(Problem("merkle", ref, "events missing",
                               f"{len(rows)} of {mr.leaf_count} in seq {mr.first_seq}..{mr.last_seq}"))
        elif in_day != mr.leaf_count or any(not start <= at < end for _s, _h, at in rows):
            report.add(Problem("merkle", ref, "day boundary mismatch",
                               f"{in_day} events in day, root covers {mr.leaf_count}"))
        elif merkle_root([bytes.fromhex(h) for _s, h, _at in rows]).hex() != mr.root:
            report.add(Problem("merkle", ref, "root mismatch"))


def archive_check(*, known_head: tuple[int, str] | None = None, objects: bool = True) -> AuditReport:
    """The whole audit: objects, chain, known head, Merkle roots. Read-only.

    ``known_head`` is a (seq, entry_hash) some earlier audit saw; if that entry
    is gone or changed, the log was truncated or rewritten at its tail.
    """
    t0 = time.perf_counter()
    report = AuditReport()
    if objects:
        objects_verify(report)
    chain = chain_verify()
    report.events_checked = chain.events_checked
    report.head_seq, report.head_hash = chain.head_seq, chain.head_hash
    for problem in chain.problems:
        report.add(problem)
    report.problem_count += chain.problem_count - len(chain.problems)
    if known_head is not None and known_head[0] > 0:
        seq, entry_hash = known_head
        stored = EvidenceEvent.objects.filter(seq=seq).values_list("entry_hash", flat=True).first()
        if stored is None:
            report.add(Problem("chain", str(seq), "missing", "recorded as head by an earlier audit"))
        elif stored != entry_hash:
            report.add(Problem("event", str(seq), "differs from head recorded by an earlier audit"))
    merkle_roots_verify(report)
    report.seconds = time.perf_counter() - t0
    return report


@dataclass(frozen=True)
class InclusionProof:
    """Everything an arbitrator needs to check one event against a daily root offline."""

    seq: int
    day: dt.date
    index: int
    tree_size: int
    entry_hash: str
    proof: list[str]
    root: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "day": self.day.isoformat(), "index": self.index,
                "tree_size": self.tree_size, "entry_hash": self.entry_hash, "proof": self.proof,
                "root": self.root, "algorithm": "RFC 6962 SHA-256, leaf = entry_hash bytes"}


def merkle_proof_for_event(*, seq: int) -> InclusionProof | None:
    """Inclusion proof of an event in its day's root; None while that day has no root yet."""
    mr = MerkleRoot.objects.filter(first_seq__lte=seq, last_seq__gte=seq).first()
    if mr is None:
        return None
    hashes = list(EvidenceEvent.objects.filter(seq__gte=mr.first_seq, seq__lte=mr.last_seq)
                  .order_by("seq").values_list("entry_hash", flat=True))
    index = seq - mr.first_seq
    proof = merkle_inclusion_proof([bytes.fromhex(h) for h in hashes], index)
    return InclusionProof(seq=seq, day=mr.day, index=index, tree_size=len(hashes),
                          entry_hash=hashes[index], proof=[p.hex() for p in proof], root=mr.root)
