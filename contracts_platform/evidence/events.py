"""Evidence events of evidence packages: one function per event type.

A download is filed under the contract ("contract", <id>) so that it shows in the
contract's own evidence slice, visible to the parties and in the next package. A
build is filed under the package ("evidence_package", <id>): were it filed under
the contract, every build would change the contract's event head, and the next
build of the same inputs could never reuse the stored package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contracts_platform.archive.services import evidence_append

if TYPE_CHECKING:
    from contracts_platform.accounts.models import User
    from contracts_platform.archive.models import EvidenceEvent
    from contracts_platform.evidence.models import EvidencePackage

PACKAGE_BUILT = "evidence.package_built"
PACKAGE_DOWNLOADED = "evidence.package_downloaded"


def _package_payload(package: EvidencePackage) -> dict[str, Any]:
    return {"package_id": package.pk, "contract_id": package.contract_id,
            "contract_number": package.contract.number, "case_ref": package.case_ref,
            "zip_sha256": package.zip_id, "manifest_sha256": package.manifest_sha256,
            "pdf_sha256": package.pdf_sha256, "event_head_seq": package.event_head_seq}


def package_built_event(*, package: EvidencePackage, actor: User | None) -> EvidenceEvent:
    return evidence_append(event_type=PACKAGE_BUILT, actor=actor, subject_type="evidence_package",
                           subject_id=str(package.pk), payload=_package_payload(package))


def package_downloaded_event(*, package: EvidencePackage, user: User | None, ip: str | None,
                             user_agent: str) -> EvidenceEvent:
    return evidence_append(event_type=PACKAGE_DOWNLOADED, actor=user, subject_type="contract",
                           subject_id=str(package.contract_id),
                           payload={**_package_payload(package), "ip": ip, "user_agent": user_agent})
