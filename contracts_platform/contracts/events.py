"""Evidence events of the contracts domain: one function per event type."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

from contracts_platform.accounts.models import User
from contracts_platform.archive.events import EventType
from contracts_platform.archive.services import evidence_append

if TYPE_CHECKING:
    from contracts_platform.contracts.models import ContractVersion


def request_meta(request: HttpRequest | None) -> dict[str, str]:
    """Where an act came from, as the 2021 guideline wants it recorded (IP, device)."""
    if request is None:
        return {}
    return {"ip": request.META.get("REMOTE_ADDR", ""),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300]}


def _version_payload(version: ContractVersion) -> dict[str, object]:
    return {"contract_number": version.contract.number, "version_id": version.pk, "version_no": version.number,
            "terms_sha256": version.terms_sha256}


def contract_version_created_event(*, version: ContractVersion, actor: User | None) -> None:
    evidence_append(event_type=EventType.CONTRACT_VERSION_CREATED, actor=actor, subject_type="contract",
                    subject_id=str(version.contract_id),
                    payload={**_version_payload(version), "is_ready": version.is_ready,
                             "findings": [f["rule"] for f in version.findings]})


def contract_preview_viewed_event(*, version: ContractVersion, actor: User | None,
                                  request: HttpRequest | None = None) -> None:
    evidence_append(event_type=EventType.CONTRACT_PREVIEW_VIEWED, actor=actor, subject_type="contract",
                    subject_id=str(version.contract_id), payload={**_version_payload(version),
                                                                   **request_meta(request)})
