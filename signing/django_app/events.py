"""Evidence events of signing and the platform PKI: one function per event type.

Contract signing events are filed under ("contract", <contract id>) like the other
contract events, so a contract's evidence slice is one query; certificate events
under ("employer", <id>). Payloads carry hashes, serials and times, never an ID
number (worker certificates only hold the pseudonym).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contracts_platform.accounts.models import User
    from contracts_platform.archive.models import EvidenceEvent
    from contracts_platform.contracts.models import ContractVersion
    from signing.django_app.models import EmployerCertificate, SignedDocument, WorkerCertificate

# archive.events.EventType is the archive's list; these strings are ours (no archive migration needed).
EMPLOYER_SEALED = "signature.employer_sealed"
WORKER_SIGNED = "signature.worker_signed"
ARCHIVED = "signature.archived"
EMPLOYER_CERTIFICATE_ISSUED = "pki.employer_cert_issued"
EMPLOYER_CERTIFICATE_REVOKED = "pki.employer_cert_revoked"
EMPLOYER_SEAL_UPLOADED = "pki.employer_seal_uploaded"


def _append(*, event_type: str, actor: User | None, subject: tuple[str, str], payload: dict[str, Any]
            ) -> EvidenceEvent:
    # Imported here: the archive is a lower layer and our models must import without it.
    from contracts_platform.archive.services import evidence_append

    return evidence_append(event_type=event_type, actor=actor, subject_type=subject[0], subject_id=subject[1],
                           payload=payload)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _version_payload(version: ContractVersion) -> dict[str, Any]:
    return {"contract_number": version.contract.number, "version_id": version.pk, "version_no": version.number,
            "terms_sha256": version.terms_sha256}


def _document_payload(document: SignedDocument) -> dict[str, Any]:
    return {"stage": document.stage, "pdf_sha256": document.pdf_id, "signing_time": _iso(document.signed_at),
            "timestamp_time": _iso(document.timestamp_time)}


def employer_sealed_event(*, document: SignedDocument, certificate: EmployerCertificate, source_pdf_sha256: str,
                          actor: User | None) -> EvidenceEvent:
    return _append(event_type=EMPLOYER_SEALED, actor=actor, subject=("contract", str(document.version.contract_id)),
                   payload={**_version_payload(document.version), **_document_payload(document),
                            "certificate_serial": certificate.serial,
                            "certificate_sha256": certificate.fingerprint_sha256,
                            "seal_sha256": certificate.seal_id, "source_pdf_sha256": source_pdf_sha256})


def worker_signed_event(*, document: SignedDocument, certificate: WorkerCertificate, sealed_pdf_sha256: str,
                        intent: dict[str, Any] | None, actor: User | None) -> EvidenceEvent:
    return _append(event_type=WORKER_SIGNED, actor=actor, subject=("contract", str(document.version.contract_id)),
                   payload={**_version_payload(document.version), **_document_payload(document),
                            "certificate_serial": certificate.serial,
                            "certificate_sha256": certificate.fingerprint_sha256,
                            "subject_pseudonym": certificate.pseudonym,
                            "sealed_pdf_sha256": sealed_pdf_sha256, "intent": intent or {}})


def archived_event(*, document: SignedDocument, signed_pdf_sha256: str, actor: User | None) -> EvidenceEvent:
    return _append(event_type=ARCHIVED, actor=actor, subject=("contract", str(document.version.contract_id)),
                   payload={**_version_payload(document.version), **_document_payload(document),
                            "tsa_certificate_serial": document.signer_serial,
                            "signed_pdf_sha256": signed_pdf_sha256, "level": "PAdES-B-LTA"})


def _certificate_payload(certificate: EmployerCertificate) -> dict[str, Any]:
    return {"employer_id": certificate.employer_id, "credit_code": certificate.employer.credit_code,
            "certificate_serial": certificate.serial, "certificate_sha256": certificate.fingerprint_sha256}


def employer_certificate_issued_event(*, certificate: EmployerCertificate, actor: User | None) -> EvidenceEvent:
    return _append(event_type=EMPLOYER_CERTIFICATE_ISSUED, actor=actor,
                   subject=("employer", str(certificate.employer_id)),
                   payload={**_certificate_payload(certificate), "not_before": _iso(certificate.not_before),
                            "not_after": _iso(certificate.not_after), "seal_sha256": certificate.seal_id})


def employer_certificate_revoked_event(*, certificate: EmployerCertificate, actor: User | None) -> EvidenceEvent:
    return _append(event_type=EMPLOYER_CERTIFICATE_REVOKED, actor=actor,
                   subject=("employer", str(certificate.employer_id)),
                   payload={**_certificate_payload(certificate), "revoked_at": _iso(certificate.revoked_at),
                            "reason": certificate.revocation_reason})


def employer_seal_uploaded_event(*, certificate: EmployerCertificate, actor: User | None) -> EvidenceEvent:
    return _append(event_type=EMPLOYER_SEAL_UPLOADED, actor=actor, subject=("employer", str(certificate.employer_id)),
                   payload={**_certificate_payload(certificate), "seal_sha256": certificate.seal_id})
