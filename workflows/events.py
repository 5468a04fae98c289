"""Evidence events of the signing process: one function per event type."""

from __future__ import annotations

from typing import Any

from contracts_platform.accounts.models import User
from contracts_platform.archive.services import evidence_append


def _append(process: Any, event_type: str, actor: User | None, **payload: Any) -> None:
    version = process.version
    evidence_append(event_type=event_type, actor=actor, subject_type="contract", subject_id=str(process.contract_id),
                    payload={"process_id": process.pk, "contract_number": process.contract.number,
                             "version_id": version.pk if version else None,
                             "terms_sha256": version.terms_sha256 if version else None, **payload})


def signing_started_event(*, process: Any, contract: Any, user: User) -> None:
    _append(process, "signing.started", user)


def statutory_rechecked_event(*, process: Any, errors: list[str]) -> None:
    _append(process, "signing.statutory_rechecked", None, errors=errors, lawful=not errors)


def approval_decided_event(*, process: Any, user: User, approved: bool, comment: str) -> None:
    _append(process, "signing.approved" if approved else "signing.returned", user, comment=comment[:500])


def worker_decided_event(*, process: Any, outcome: str, reason: str, intent: dict[str, Any]) -> None:
    _append(process, "signing.worker_signed" if outcome == "signed" else "signing.worker_declined", None,
            reason=reason, signature_image_sha256=process.signature_sha256 or None, intent=intent)


def signing_withdrawn_event(*, process: Any, user: User, reason: str) -> None:
    _append(process, "signing.withdrawn", user, reason=reason[:500])


def signing_expired_event(*, process: Any) -> None:
    _append(process, "signing.expired", None)


def contract_effective_event(*, process: Any) -> None:
    _append(process, "contract.effective", None)
