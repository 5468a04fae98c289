"""Evidence events of the contracts domain: one function per event type."""

from __future__ import annotations

from typing import TYPE_CHECKING

from contracts_platform.accounts.models import User

if TYPE_CHECKING:
    from contracts_platform.contracts.models import ContractVersion


def _append(**kwargs: object) -> None:
    from contracts_platform.archive.services import evidence_append

    evidence_append(**kwargs)


def contract_version_created_event(*, version: ContractVersion, actor: User | None) -> None:
    _append(event_type="contract.version_created", actor=actor, subject_type="contract",
            subject_id=str(version.contract_id),
            payload={"contract_number": version.contract.number, "version": version.number,
                     "terms_sha256": version.terms_sha256, "is_ready": version.is_ready,
                     "findings": [f["rule"] for f in version.findings]})


def contract_preview_viewed_event(*, version: ContractVersion, actor: User | None) -> None:
    _append(event_type="contract.preview_viewed", actor=actor, subject_type="contract",
            subject_id=str(version.contract_id),
            payload={"contract_number": version.contract.number, "version": version.number,
                     "terms_sha256": version.terms_sha256})
