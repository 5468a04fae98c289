"""Reads of the evidence app: what a contract's package is built from, already masked.

Everything personal leaves this module masked: ID numbers as 370***********1018,
phones as 138****5678, and any stray occurrence of the worker's plain ID number
or phone in free text (a payload, an intent record, a message body) is replaced
by its masked form, or the value is withheld. Secrets never leave at all: no OTP
code or hash, no invitation token or token hash, no body of a message that
carried a secret.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from contracts_platform.accounts.models import User
from contracts_platform.archive.chain import format_occurred_at, payload_sha256
from contracts_platform.archive.merkle import leaf_hash, node_hash
from contracts_platform.archive.models import EvidenceEvent, MerkleRoot
from contracts_platform.archive.selectors import evidence_for_subject
from contracts_platform.contracts.models import Contract, ContractVersion
from contracts_platform.core import pii
from contracts_platform.core.canonical import canonical_sha256
from contracts_platform.evidence.models import EvidencePackage
from contracts_platform.identity.models import IdentityCheck, OtpChallenge, SigningInvitation
from contracts_platform.notifications.models import OutboundMessage
from signing.django_app.models import SignedDocument
from signing.django_app.selectors import signed_document_latest

# Bumped whenever the package layout changes, so an old cached package is not served for new code.
BUILDER_VERSION = 1


# -- masking --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Secrets:
    """Plain personal values that must not appear in a package, with what replaces them."""

    replacements: tuple[tuple[str, str], ...]

    @classmethod
    def for_contract(cls, contract: Contract) -> Secrets:
        worker = contract.worker
        pairs = []
        if worker.id_number:
            pairs.append((worker.id_number, pii.mask_id_number(worker.id_number)))
            # Lower-case x check digit written by hand is the same number.
            if worker.id_number[-1:] in "Xx":
                pairs.append((worker.id_number[:-1] + worker.id_number[-1].swapcase(),
                              pii.mask_id_number(worker.id_number)))
        if worker.phone:
            pairs.append((worker.phone, pii.mask_phone(worker.phone)))
        return cls(tuple(pairs))

    def found_in(self, text: str) -> bool:
        return any(plain in text for plain, _masked in self.replacements)

    def mask_text(self, text: str) -> str:
        for plain, masked in self.replacements:
            text = text.replace(plain, masked)
        return text

    def mask(self, value: Any) -> Any:
        """``value`` (JSON-like) with every string masked."""
        if isinstance(value, str):
            return self.mask_text(value)
        if isinstance(value, dict):
            return {self.mask_text(str(k)): self.mask(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.mask(v) for v in value]
        return value


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


# -- the inputs of one package --------------------------------------------------------------------

@dataclass(frozen=True)
class RootProof:
    day: str
    index: int
    tree_size: int
    proof: list[str]
    root: str


@dataclass
class PackageSources:
    """Everything a package is built from, read once; ``inputs_sha256`` fingerprints it."""

    contract: Contract
    version: ContractVersion
    document: SignedDocument
    case_ref: str
    events: list[EvidenceEvent]
    roots: list[MerkleRoot]
    proofs: dict[int, RootProof] = field(default_factory=dict)
    secrets: Secrets = field(default_factory=lambda: Secrets(()))

    @property
    def head(self) -> tuple[int, str]:
        last = self.events[-1] if self.events else None
        return (last.seq, last.entry_hash) if last else (0, "0" * 64)

    @property
    def inputs_sha256(self) -> str:
        head_seq, head_hash = self.head
        return canonical_sha256({
            "builder": BUILDER_VERSION, "contract_id": self.contract.pk, "case_ref": self.case_ref,
            "pdf_sha256": self.document.pdf_id, "head_seq": head_seq, "head_hash": head_hash,
            "roots": [[r.day.isoformat(), r.root, bool(r.timestamp_token)] for r in self.roots],
        })


class ContractNotSignedError(ValueError):
    """The contract has no signed document yet: there is nothing to package."""


def package_sources(*, contract: Contract, case_ref: str = "") -> PackageSources:
    """Read what a package of ``contract`` contains (the newest signing stage of its current version)."""
    contract = Contract.objects.select_related("employer", "worker", "current_version").get(pk=contract.pk)
    version = contract.current_version
    document = signed_document_latest(version=version) if version is not None else None
    if document is None:
        raise ContractNotSignedError(f"contract {contract.number or contract.pk} has no signed document")
    events = list(evidence_for_subject(subject_type="contract", subject_id=contract.pk))
    roots: list[MerkleRoot] = []
    if events:
        roots = list(MerkleRoot.objects.filter(leaf_count__gt=0, first_seq__lte=events[-1].seq,
                                               last_seq__gte=events[0].seq).order_by("day"))
    sources = PackageSources(contract=contract, version=version, document=document, case_ref=case_ref,
                             events=events, roots=roots, secrets=Secrets.for_contract(contract))
    sources.proofs = _inclusion_proofs(events, roots)
    return sources


def audit_paths(leaves: Sequence[bytes], indices: Iterable[int]) -> dict[int, list[bytes]]:
    """RFC 6962 audit paths of several leaves of one tree, building the tree once.

    Same result as ``archive.merkle.merkle_inclusion_proof(leaves, i)`` for each
    ``i`` (a test compares them), which rebuilds the whole tree per call: a
    contract has dozens of events on a day that may hold 100k.
    """
    levels = [[leaf_hash(leaf) for leaf in leaves]]
    while len(levels[-1]) > 1:
        level = levels[-1]
        up = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            up.append(level[-1])  # the last node of an odd level moves up unchanged
        levels.append(up)
    paths: dict[int, list[bytes]] = {}
    for index in indices:
        path, i = [], index
        for level in levels[:-1]:
            sibling = i ^ 1
            if sibling < len(level):
                path.append(level[sibling])
            i //= 2
        paths[index] = path
    return paths


def _inclusion_proofs(events: Sequence[EvidenceEvent], roots: Sequence[MerkleRoot]) -> dict[int, RootProof]:
    """Inclusion proof of every event under its day's root."""
    proofs: dict[int, RootProof] = {}
    for root in roots:
        wanted = [e.seq for e in events if root.first_seq <= e.seq <= root.last_seq]
        if not wanted:
            continue
        hashes = list(EvidenceEvent.objects.filter(seq__gte=root.first_seq, seq__lte=root.last_seq)
                      .order_by("seq").values_list("entry_hash", flat=True))
        paths = audit_paths([bytes.fromhex(h) for h in hashes], [seq - root.first_seq for seq in wanted])
        for seq in wanted:
            index = seq - root.first_seq
            proofs[seq] = RootProof(day=root.day.isoformat(), index=index, tree_size=len(hashes),
                                    proof=[p.hex() for p in paths[index]], root=root.root)
    return proofs


# -- records ---------------------------------------------------------------------------------------

def event_record(event: EvidenceEvent, secrets: Secrets) -> dict[str, Any]:
    """One line of ``events/events.jsonl``: every field the entry hash is computed from.

    The payload is the exact stored text. Should it ever hold the worker's plain
    ID number or phone (no event function writes them, this is defence in depth),
    it is withheld and only its SHA-256 given: the entry hash still recomputes,
    because the chain hashes the payload through its hash.
    """
    record: dict[str, Any] = {
        "seq": event.seq, "event_type": event.event_type, "actor_label": event.actor_label,
        "subject_type": event.subject_type, "subject_id": event.subject_id,
        "occurred_at": format_occurred_at(event.occurred_at), "prev_hash": event.prev_hash,
        "entry_hash": event.entry_hash, "payload_sha256": payload_sha256(event.payload),
    }
    if secrets.found_in(event.payload):
        record["payload_withheld"] = "personal_data"
    else:
        record["payload"] = event.payload
    return record


def event_payload(event: EvidenceEvent, secrets: Secrets) -> dict[str, Any]:
    """The payload as data (masked), for the human-readable report."""
    try:
        value = json.loads(event.payload)
    except ValueError:
        return {}
    return secrets.mask(value) if isinstance(value, dict) else {}


def actor_names(events: Iterable[EvidenceEvent]) -> dict[str, str]:
    """User id -> display name (or username) of every user acting in ``events``.

    The chain keeps only "<role>:<id>"; the report names the people, which an
    arbitrator needs and which are not ID numbers or phones. A worker's account
    is named by the contract itself anyway.
    """
    ids = {e.actor_id for e in events if e.actor_id is not None}
    return {str(u.pk): (u.display_name or u.username) for u in User.objects.filter(pk__in=ids)}


def identity_records(*, contract: Contract, events: Iterable[EvidenceEvent], secrets: Secrets) -> dict[str, Any]:
    """Invitations, identity checks, OTP challenges and intent records of the contract, masked."""
    invitations = list(SigningInvitation.objects.filter(contract=contract).select_related("contract_version")
                       .order_by("created_at", "pk"))
    checks = IdentityCheck.objects.filter(invitation__contract=contract).order_by("created_at", "pk")
    otps = OtpChallenge.objects.filter(subject_type="contract", subject_id=str(contract.pk)).order_by("created_at",
                                                                                                      "pk")
    intent = []
    for event in events:
        payload = event_payload(event, secrets)
        if isinstance(payload.get("intent"), dict) and payload["intent"]:
            intent.append({"seq": event.seq, "event_type": event.event_type,
                           "occurred_at": format_occurred_at(event.occurred_at), "intent": payload["intent"]})
    return {
        "invitations": [{
            "invitation_id": inv.pk, "version_no": inv.contract_version.number, "state": inv.state,
            "created_at": _iso(inv.created_at), "expires_at": _iso(inv.expires_at), "opened_at": _iso(inv.opened_at),
            "used_at": _iso(inv.used_at), "revoked_at": _iso(inv.revoked_at), "message_id": inv.message_id,
        } for inv in invitations],
        "identity_checks": [secrets.mask({
            "check_id": c.pk, "invitation_id": c.invitation_id, "method": c.method,
            "result": "passed" if c.ok else "failed", "reasons": list(c.reasons),
            "id_number_masked": c.id_number_masked, "ip": c.ip, "user_agent": c.user_agent,
            "checked_at": _iso(c.created_at), "evidence_seq": c.evidence_seq,
        }) for c in checks],
        "otp_challenges": [{
            "challenge_id": o.pk, "purpose": o.purpose, "phone": pii.mask_phone(o.phone), "sent": o.sent,
            "created_at": _iso(o.created_at), "expires_at": _iso(o.expires_at), "consumed_at": _iso(o.consumed_at),
            "failed_attempts": o.attempts, "locked_at": _iso(o.locked_at), "message_id": o.message_id,
        } for o in otps],
        "intent": intent,
    }


def notification_receipts(*, contract: Contract, secrets: Secrets) -> list[dict[str, Any]]:
    """Every message about the contract with its delivery receipt; never a secret or a tokenised link.

    A message that carried a secret (an OTP code, a signing link with its token)
    is listed without its body; its ``body_sha256`` still ties it to the
    ``notification.*`` events. Other bodies are included, masked.
    """
    rows = []
    for m in OutboundMessage.objects.filter(subject_type="contract", subject_id=str(contract.pk)).order_by("pk"):
        withheld = m.is_secret or m.body_redacted
        rows.append({
            "message_id": m.pk, "channel": m.channel, "recipient": m.recipient_masked, "template": m.template,
            "purpose": m.purpose, "language": m.language, "status": m.status, "backend": m.backend,
            "provider_id": m.provider_id, "created_at": _iso(m.created_at), "sent_at": _iso(m.sent_at),
            "delivered_at": _iso(m.delivered_at), "body_sha256": m.body_sha256,
            "body": None if withheld else secrets.mask_text(m.body),
            "body_withheld": "secret" if withheld else None,
            "error": secrets.mask_text(m.error[:500]) if m.error else "",
        })
    return rows


def evidence_packages_for_contract(*, contract: Contract) -> list[EvidencePackage]:
    return list(EvidencePackage.objects.filter(contract=contract).select_related("zip").order_by("-built_at", "-pk"))


__all__ = ["ContractNotSignedError", "PackageSources", "RootProof", "Secrets", "actor_names", "audit_paths",
           "event_payload",
           "event_record", "evidence_packages_for_contract", "identity_records", "notification_receipts",
           "package_sources"]
