"""Reads of the signing app: signed documents, the public verification views, report presentation.

The public pages (``/verify/``) are anonymous. What they may show is decided
here, not in templates: worker names masked (李*明), never an ID number, phone,
address or certificate pseudonym.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contracts_platform.contracts.models import ContractVersion
from signing.django_app.models import AuthorityKind, PlatformAuthority, PublishedCrl, SignedDocument, SignedStage

# Public report cache: verifying an archived contract costs ~0.2 s of CPU, and a
# QR code can be scanned by anyone any number of times.
REPORT_CACHE_SECONDS = 300
_STAGE_ORDER = {SignedStage.SEALED: 1, SignedStage.SIGNED: 2, SignedStage.ARCHIVED: 3}

ROLE_LABELS = {
    "employer_seal": _("用人单位电子印章"),
    "worker_signature": _("劳动者电子签名"),
    "document_timestamp": _("归档时间戳"),
}


def mask_person_name(name: str) -> str:
    """李晓明 → 李*明, 李明 → 李*, 欧阳晓明 → 欧**明: enough to recognise, not to identify."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def signed_documents(*, version: ContractVersion) -> dict[str, SignedDocument]:
    return {d.stage: d for d in SignedDocument.objects.filter(version=version).select_related("pdf")}


def signed_document_latest(*, version: ContractVersion) -> SignedDocument | None:
    """The most advanced signing stage of ``version`` (archived > signed > sealed)."""
    docs = signed_documents(version=version)
    return max(docs.values(), key=lambda d: _STAGE_ORDER[d.stage], default=None)


def archived_copy_of(*, sha256: str) -> SignedDocument | None:
    """The platform document whose exact bytes hash to ``sha256``, if any."""
    return (SignedDocument.objects.filter(pdf_id=sha256).select_related("version__contract")
            .order_by("-created").first())


def published_crl(kind: str) -> PublishedCrl | None:
    authority = PlatformAuthority.objects.filter(kind=kind, retired_at__isnull=True).first()
    return authority.crls.order_by("-number").first() if authority else None


def current_authority_pem(kind: str) -> str | None:
    if kind not in AuthorityKind.values:
        return None
    return (PlatformAuthority.objects.filter(kind=kind, retired_at__isnull=True)
            .values_list("certificate_pem", flat=True).first())


# -- report presentation ------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureRow:
    role: str
    role_label: str
    field_name: str
    signer_name: str
    organisation_code: str
    ok: bool
    intact: bool
    trusted: bool
    timestamp_time: datetime | None
    timestamp_trusted: bool
    signing_time: datetime | None
    tsa_name: str
    reasons: list[str]


@dataclass(frozen=True)
class ReportView:
    ok: bool
    reasons: list[str]
    signatures: list[SignatureRow]
    verified_at: datetime | None
    raw: dict[str, Any] = field(repr=False)


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _short_name(human_friendly: str) -> str:
    """"Common Name: X, Organization: Y, ..." (asn1crypto's rendering) → "X"."""
    prefix = "Common Name: "
    if human_friendly.startswith(prefix):
        return human_friendly[len(prefix):].split(", ")[0]
    return human_friendly


def _reason_text(reason: dict[str, Any], english: bool) -> str:
    return reason["message_en"] if english else reason["message_zh"]


def report_view(report: dict[str, Any], *, mask_workers: bool) -> ReportView:
    """Presentation of ``VerificationReport.to_dict()`` in the active language.

    ``mask_workers`` masks the names of worker signers (public QR page); an
    uploader already holds the file and sees the names it contains.
    """
    english = (get_language() or "").startswith("en")
    rows = []
    for sig in report.get("signatures", []):
        signer = sig.get("signer") or {}
        name = signer.get("common_name") or signer.get("organisation") or ""
        if sig["role"] == "worker_signature" and mask_workers:
            name = mask_person_name(name)
        code = signer.get("organisation_identifier") or ""
        rows.append(SignatureRow(
            role=sig["role"], role_label=str(ROLE_LABELS.get(sig["role"], sig["role"])),
            field_name=sig["field_name"], signer_name=name,
            organisation_code=code.removeprefix("NTRCN-"), ok=sig["ok"], intact=sig["intact"],
            trusted=sig["trusted"], timestamp_time=_dt(sig.get("timestamp_time")),
            timestamp_trusted=sig["timestamp_trusted"], signing_time=_dt(sig.get("signing_time")),
            tsa_name=_short_name(sig.get("tsa_name") or ""),
            reasons=[_reason_text(r, english) for r in sig.get("reasons", [])]))
    # Document-level reasons repeat the per-signature ones; keep each message once.
    reasons = list(dict.fromkeys(_reason_text(r, english) for r in report.get("reasons", [])))
    return ReportView(ok=report["ok"], reasons=reasons, signatures=rows, verified_at=_dt(report.get("verified_at")),
                      raw=report)


def document_report(*, document: SignedDocument) -> dict[str, Any]:
    """The verification report (as a dict) of a platform document, cached for a few minutes."""
    from contracts_platform.archive.store import archive_get
    from signing.django_app.services import contract_verification

    key = f"signing:report:{document.pdf_id}"
    cached = cache.get(key)
    if cached is None:
        cached = contract_verification(archive_get(document.pdf_id)).to_dict()
        cache.set(key, cached, REPORT_CACHE_SECONDS)
    return cached


# -- the public QR page -------------------------------------------------------------------


@dataclass(frozen=True)
class PublicContract:
    contract_number: str
    version_no: int
    employer_name: str
    worker_name_masked: str
    status_label: str
    status: str
    stage: str | None
    stage_label: str
    sealed_at: datetime | None
    worker_signed_at: datetime | None
    archived_at: datetime | None
    report: ReportView | None
    other_matches: int


def public_version_for_hash(sha256: str) -> tuple[ContractVersion | None, int]:
    """The version a QR code's terms hash points to, and how many other versions share the hash.

    Identical terms can occur twice (a contract re-created with the same data);
    the one furthest along in signing, then the newest, is shown.
    """
    versions = list(ContractVersion.objects.filter(terms_sha256=sha256)
                    .select_related("contract__employer", "contract__worker").order_by("-created_at", "-pk"))
    if not versions:
        return None, 0
    stages: dict[int, int] = {}
    for doc in SignedDocument.objects.filter(version__in=versions).values("version_id", "stage"):
        stages[doc["version_id"]] = max(stages.get(doc["version_id"], 0), _STAGE_ORDER[doc["stage"]])
    best = max(versions, key=lambda v: stages.get(v.pk, 0))  # max() keeps the first (newest) on ties
    return best, len(versions) - 1


def public_contract(*, sha256: str) -> PublicContract | None:
    version, others = public_version_for_hash(sha256.lower())
    if version is None:
        return None
    contract = version.contract
    docs = signed_documents(version=version)
    latest = max(docs.values(), key=lambda d: _STAGE_ORDER[d.stage], default=None)
    report = report_view(document_report(document=latest), mask_workers=True) if latest else None
    worker_ts = None
    for row in report.signatures if report else []:
        if row.role == "worker_signature":
            worker_ts = row.timestamp_time
    sealed = docs.get(SignedStage.SEALED)
    archived = docs.get(SignedStage.ARCHIVED)
    signed = docs.get(SignedStage.SIGNED)
    return PublicContract(
        contract_number=contract.number or "", version_no=version.number, employer_name=contract.employer.name,
        worker_name_masked=mask_person_name(contract.worker.name), status=contract.status,
        status_label=str(contract.get_status_display()), stage=latest.stage if latest else None,
        stage_label=str(latest.get_stage_display()) if latest else str(_("尚未签署")),
        sealed_at=sealed.timestamp_time if sealed else None,
        worker_signed_at=(signed.timestamp_time if signed else worker_ts),
        archived_at=archived.timestamp_time if archived else None, report=report, other_matches=others)
