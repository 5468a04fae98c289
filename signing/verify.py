"""One verification function for signed contracts: :func:`verify_pdf`.

Built on pyHanko's full verdict for every signature — cryptographic integrity,
chain of trust with revocation, the embedded RFC 3161 token, coverage and the
incremental-update (DocMDP) analysis — never on the ByteRange digest alone: an
appended revision that swaps a page keeps every digest intact
(docs/pdf_signing.md §2) and is only caught by the modification analysis.

Time model (PAdES long-term validation, simplified):

* a signer's certificate chain is validated *at its signature-timestamp time*
  (with revocation data issued later accepted retroactively), so a 30-day
  worker certificate that expired years ago still validates, while a
  certificate that was already expired or revoked when the token was issued
  does not;
* a signature's timestamp token is validated at the time of the first later
  document timestamp (whose DSS carries the TSA's revocation data), or at
  ``at`` (default: now) if there is none;
* document timestamps are validated at ``at``.

Revocation data comes from the file's DSS plus the ``crls`` argument; the
default ``revocation_mode="hard-fail"`` rejects a chain whose revocation
status cannot be established. Once the CRLs in an archived file's DSS are past
their nextUpdate, the newest document timestamp needs current CRLs from the
caller (or a renewed archive timestamp).

"ok" means: at least one signature, every signature intact and
cryptographically valid, every signer chain trusted (key usage, validity,
revocation), every signature timestamped by a trusted TSA, and after each
signature nothing but the prepared form filling (a later signature in an
existing field) and LTV updates (DSS, document timestamps).
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import (
    EmbeddedPdfSignature,
    SignatureCoverageLevel,
    async_validate_pdf_signature,
    async_validate_pdf_timestamp,
)
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError, SignatureValidationError
from pyhanko.sign.validation.status import (
    DocumentTimestampStatus,
    PdfSignatureStatus,
    TimestampSignatureStatus,
)
from pyhanko_certvalidator import CertificateValidator, ValidationContext

from ._convert import asn1_certs, asn1_crls, jsonable
from .errors import NotAPdfError
from .pades import signature_timestamp_time

__all__ = [
    "CertificateInfo",
    "Reason",
    "ReasonCode",
    "Role",
    "SignatureReport",
    "SubjectInfo",
    "VerificationReport",
    "extract_signed_revision",
    "verify_pdf",
]

logger = logging.getLogger(__name__)


class ReasonCode(StrEnum):
    """Stable machine codes for why a document or signature is not ok."""

    NO_SIGNATURES = "no_signatures"
    SIGNATURE_UNREADABLE = "signature_unreadable"
    NOT_INTACT = "signature_not_intact"
    SIGNATURE_INVALID = "signature_invalid"
    CERT_UNTRUSTED = "certificate_untrusted"
    CERT_REVOKED = "certificate_revoked"
    CERT_EXPIRED = "certificate_expired"
    KEY_USAGE = "key_usage_not_permitted"
    REVOCATION_UNKNOWN = "revocation_status_unknown"
    NOT_TIMESTAMPED = "not_timestamped"
    TIMESTAMP_INVALID = "timestamp_invalid"
    COVERAGE = "incomplete_coverage"
    MODIFIED = "modified_after_signing"


_MESSAGES: dict[ReasonCode, tuple[str, str]] = {
    ReasonCode.NO_SIGNATURES: ("文件中没有电子签名。", "The document contains no signatures."),
    ReasonCode.SIGNATURE_UNREADABLE: ("签名数据无法解析。", "The signature data cannot be parsed."),
    ReasonCode.NOT_INTACT: (
        "签名后文件内容被改动（摘要不符）。",
        "The signed bytes were altered after signing (digest mismatch).",
    ),
    ReasonCode.SIGNATURE_INVALID: ("签名值无效。", "The cryptographic signature value is invalid."),
    ReasonCode.CERT_UNTRUSTED: (
        "签名证书不是由受信任的机构签发。",
        "The signing certificate does not chain to a trusted root.",
    ),
    ReasonCode.CERT_REVOKED: ("签名时证书已被吊销。", "The certificate was revoked at signing time."),
    ReasonCode.CERT_EXPIRED: (
        "签名时证书（或其上级证书）不在有效期内。",
        "The certificate or an issuer was outside its validity period at signing time.",
    ),
    ReasonCode.KEY_USAGE: (
        "签名证书未授权用于不可否认的电子签名。",
        "The signing certificate lacks the non-repudiation key usage.",
    ),
    ReasonCode.REVOCATION_UNKNOWN: (
        "无法确认证书的吊销状态。",
        "The revocation status of the certificate could not be established.",
    ),
    ReasonCode.NOT_TIMESTAMPED: ("签名没有可信时间戳。", "The signature carries no trusted timestamp."),
    ReasonCode.TIMESTAMP_INVALID: (
        "时间戳无效或不受信任。",
        "The timestamp token is invalid or its authority is not trusted.",
    ),
    ReasonCode.COVERAGE: (
        "签名未覆盖其所在的完整文件版本。",
        "The signature does not cover its whole revision of the file.",
    ),
    ReasonCode.MODIFIED: (
        "签名后文件被修改（超出允许的填写签名和长期验证更新）。",
        "The document was modified after signing beyond the permitted signing and LTV updates.",
    ),
}


class Role(StrEnum):
    """What a signature is, derived from the PDF structure (not from field names)."""

    EMPLOYER_SEAL = "employer_seal"
    """The certifying signature (DocMDP); in our flow the employer's seal."""
    WORKER_SIGNATURE = "worker_signature"
    """An approval signature; in our flow the worker's."""
    DOCUMENT_TIMESTAMP = "document_timestamp"
    """An RFC 3161 document timestamp (B-LTA archive step)."""


@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    message_zh: str
    message_en: str
    field_name: str | None = None
    detail: str | None = None

    @classmethod
    def of(cls, code: ReasonCode, field_name: str | None = None, detail: str | None = None) -> Reason:
        zh, en = _MESSAGES[code]
        return cls(code, zh, en, field_name, detail)


@dataclass(frozen=True)
class SubjectInfo:
    common_name: str | None
    organisation: str | None
    organisation_identifier: str | None
    serial_number: str | None
    rfc4514: str


@dataclass(frozen=True)
class CertificateInfo:
    subject: SubjectInfo
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime
    sha256: str


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    role: Role
    signer: SubjectInfo | None
    chain: tuple[CertificateInfo, ...]
    """Leaf first, up to the trust anchor when a path was found; else the embedded certificates."""
    intact: bool
    valid: bool
    trusted: bool
    trust_problem: str | None
    revoked: bool
    revocation_time: datetime | None
    key_usage_ok: bool
    signing_time: datetime | None
    """Time claimed by the signer (/M); informational only."""
    timestamp_time: datetime | None
    """genTime of the signature's RFC 3161 token (for a document timestamp: its own time)."""
    timestamp_trusted: bool
    tsa_name: str | None
    validated_at: datetime | None
    """The moment the signer chain was validated at (the timestamp time when there is one)."""
    coverage: str | None
    modification_level: str | None
    docmdp_ok: bool | None
    docmdp_permission: str | None
    signed_revision_end: int
    """Byte offset where the signed revision ends (end of the ByteRange)."""
    ok: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class VerificationReport:
    ok: bool
    reasons: tuple[Reason, ...]
    signatures: tuple[SignatureReport, ...]
    modified_after_signing: bool
    """True if anything beyond permitted signing/DSS/document-timestamp updates followed any signature."""
    bytes_after_last_signature: int
    """Bytes appended after the last signed revision (DSS updates show up here; content changes too)."""
    file_size: int
    verified_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict (datetimes as ISO 8601, enums as their values)."""
        return jsonable(asdict(self))


# -- helpers ------------------------------------------------------------------------------

_REVOKED_INDICS = {"REVOKED_NO_POE", "REVOKED_CA_NO_POE"}
_EXPIRED_INDICS = {"OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED", "EXPIRED", "NOT_YET_VALID"}
_REVINFO_INDICS = {"TRY_LATER", "REVOCATION_OUT_OF_BOUNDS_NO_POE"}


def subject_info(name: asn1_x509.Name) -> SubjectInfo:
    """The report view of a certificate subject (also used by ``signing.cms``)."""
    native = name.native
    return SubjectInfo(
        common_name=native.get("common_name"),
        organisation=native.get("organization_name"),
        organisation_identifier=native.get("organization_identifier"),
        serial_number=native.get("serial_number"),
        rfc4514=name.human_friendly,
    )


def _cert_info(cert: asn1_x509.Certificate) -> CertificateInfo:
    validity = cert["tbs_certificate"]["validity"]
    return CertificateInfo(
        subject=subject_info(cert.subject),
        issuer=cert.issuer.human_friendly,
        serial=format(cert.serial_number, "x"),
        not_before=validity["not_before"].native,
        not_after=validity["not_after"].native,
        sha256=cert.sha256.hex(),
    )


def _key_usage_ok(cert: asn1_x509.Certificate) -> bool:
    ku = cert.key_usage_value
    return ku is not None and "non_repudiation" in ku.native


def _out_of_validity(certs: Iterable[asn1_x509.Certificate], moment: datetime) -> bool:
    for c in certs:
        v = c["tbs_certificate"]["validity"]
        if not (v["not_before"].native <= moment <= v["not_after"].native):
            return True
    return False


def _chain(status: Any, sig: EmbeddedPdfSignature) -> tuple[CertificateInfo, ...]:
    path = getattr(status, "validation_path", None)
    if path is not None:
        certs = list(path)  # root first
        certs.reverse()
        return tuple(_cert_info(c) for c in certs if isinstance(c, asn1_x509.Certificate))
    try:
        return tuple(_cert_info(c) for c in [sig.signer_cert, *sig.other_embedded_certs])
    except Exception:  # best effort for a malformed CMS; validation reports it
        return ()


def _end_of(sig: EmbeddedPdfSignature) -> int:
    br = [int(x) for x in sig.byte_range]
    return br[-2] + br[-1]


def _dss_material(reader: PdfFileReader) -> tuple[list, list, list]:
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return [], [], []
    certs = list(dss.load_certs())
    crls = [asn1_crl.CertificateList.load(c.get_object().data) for c in dss.crls]
    ocsps = [asn1_ocsp.OCSPResponse.load(o.get_object().data) for o in dss.ocsps]
    return certs, crls, ocsps


def _open(data: bytes) -> PdfFileReader:
    head = bytes(data[:1024])
    if b"%PDF-" not in head:
        raise NotAPdfError("input does not start with a PDF header")
    try:
        reader = PdfFileReader(io.BytesIO(data))
        reader.root  # noqa: B018 -- force the trailer/catalog to load
    except (PdfError, ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise NotAPdfError(f"cannot parse PDF: {exc}") from exc
    return reader


# -- public API ---------------------------------------------------------------------------


def extract_signed_revision(data: bytes, field_name: str) -> bytes:
    """The exact bytes a signature covers: the file prefix up to the end of its ByteRange.

    This is what to show an arbitrator as "what was signed", independent of
    anything appended later.
    """
    reader = _open(data)
    for sig in reader.embedded_signatures:
        if sig.field_name == field_name:
            br = [int(x) for x in sig.byte_range]
            if len(br) != 4 or br[0] != 0:
                raise NotAPdfError(f"signature {field_name} has a non-standard ByteRange {br}")
            return bytes(data[: br[2] + br[3]])
    raise KeyError(field_name)


def verify_pdf(
    data: bytes,
    *,
    trust_roots: Sequence[x509.Certificate | bytes],
    crls: Sequence[x509.CertificateRevocationList | bytes] = (),
    other_certs: Sequence[x509.Certificate | bytes] = (),
    revocation_mode: str = "hard-fail",
    at: datetime | None = None,
) -> VerificationReport:
    """Verify every signature and document timestamp in ``data``.

    :param trust_roots: root CA certificates (``cryptography`` objects, PEM or DER).
    :param crls: current CRLs (in addition to whatever the file's DSS holds).
    :param other_certs: extra intermediate certificates, if any are not embedded.
    :param revocation_mode: ``"hard-fail"`` (default), ``"soft-fail"`` or ``"require"``.
    :param at: validation time for the newest items (default: now).
    :raises NotAPdfError: the input cannot be parsed as a PDF at all.
    """
    now = at or datetime.now(UTC)
    reader = _open(data)
    try:
        sigs = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise NotAPdfError(f"cannot enumerate signatures: {exc}") from exc

    dss_certs, dss_crls, dss_ocsps = _dss_material(reader)
    trust = asn1_certs(trust_roots)
    others = [*asn1_certs(other_certs), *dss_certs]
    all_crls = [*asn1_crls(crls), *dss_crls]

    contexts = _Contexts(trust, others, all_crls, dss_ocsps, revocation_mode, now)

    doc_ts_times: list[tuple[int, datetime]] = []
    for sig in sigs:
        if sig.sig_object_type == "/DocTimeStamp":
            t = _doc_ts_time(sig)
            if t is not None:
                doc_ts_times.append((sig.signed_revision, t))

    async def run() -> list[SignatureReport]:
        reports = []
        for idx, sig in enumerate(sigs):
            later_sig = any(s.sig_object_type == "/Sig" for s in sigs[idx + 1 :])
            reports.append(await _verify_one(sig, contexts, doc_ts_times, later_sig, now))
        return reports

    reports = asyncio.run(contexts.closing(run()))

    doc_reasons: list[Reason] = []
    if not reports:
        doc_reasons.append(Reason.of(ReasonCode.NO_SIGNATURES))
    for r in reports:
        doc_reasons.extend(r.reasons)
    modified = any(any(x.code == ReasonCode.MODIFIED for x in r.reasons) for r in reports)
    last_end = max((r.signed_revision_end for r in reports), default=0)
    return VerificationReport(
        ok=bool(reports) and all(r.ok for r in reports),
        reasons=tuple(doc_reasons),
        signatures=tuple(reports),
        modified_after_signing=modified,
        bytes_after_last_signature=max(0, len(data) - last_end) if reports else len(data),
        file_size=len(data),
        verified_at=now,
    )


class _Contexts:
    """Validation contexts of one verification run, one per validation moment.

    A context caches revocation and path results, which are only reusable at
    the same validation time; signatures sharing a moment share a context.
    """

    def __init__(
        self,
        trust: list[asn1_x509.Certificate],
        others: list[asn1_x509.Certificate],
        crls: list[asn1_crl.CertificateList],
        ocsps: list[asn1_ocsp.OCSPResponse],
        revocation_mode: str,
        now: datetime,
    ) -> None:
        self._trust, self._others, self._crls, self._ocsps = trust, others, crls, ocsps
        self._mode, self._now = revocation_mode, now
        self._by_moment: dict[datetime | None, ValidationContext] = {}

    def at(self, moment: datetime | None) -> ValidationContext:
        """Context validating at ``moment`` (past: revocation data issued later is accepted) or now."""
        vc = self._by_moment.get(moment)
        if vc is None:
            vc = self._by_moment[moment] = ValidationContext(
                trust_roots=self._trust,
                other_certs=self._others,
                crls=self._crls,
                ocsps=self._ocsps,
                allow_fetching=False,
                revocation_mode=self._mode,
                moment=moment or self._now,
                retroactive_revinfo=moment is not None,
            )
        return vc

    def without_revocation(self, moment: datetime) -> ValidationContext:
        return ValidationContext(
            trust_roots=self._trust,
            other_certs=self._others,
            allow_fetching=False,
            revocation_mode="soft-fail",
            moment=moment,
        )

    async def closing(self, coro: Any) -> Any:
        try:
            return await coro
        finally:
            for vc in self._by_moment.values():
                await vc.aclose()


async def _trusted_without_revocation(
    sig: EmbeddedPdfSignature, contexts: _Contexts, moment: datetime, is_doc_ts: bool
) -> bool:
    """Failure path only: would the chain be trusted if revocation were not checked?

    certvalidator reports missing revocation data as a generic chain failure;
    re-running without revocation checking tells "unknown revocation status"
    apart from "no path to a trusted root".
    """
    soft = contexts.without_revocation(moment)
    try:
        validator = CertificateValidator(
            sig.signer_cert, intermediate_certs=sig.other_embedded_certs, validation_context=soft
        )
        if is_doc_ts:
            await validator.async_validate_usage(set(), {"time_stamping"})
        else:
            await validator.async_validate_usage({"non_repudiation"})
        return True
    except Exception:  # any certvalidator failure means "not only revocation"
        return False
    finally:
        await soft.aclose()


def _doc_ts_time(sig: EmbeddedPdfSignature) -> datetime | None:
    try:
        return sig.signed_data["encap_content_info"]["content"].parsed["gen_time"].native
    except Exception:  # best effort for a malformed CMS; validation reports it
        return None


async def _verify_one(
    sig: EmbeddedPdfSignature,
    contexts: _Contexts,
    doc_ts_times: list[tuple[int, datetime]],
    later_sig: bool,
    now: datetime,
) -> SignatureReport:
    # A plain str: pyHanko's TextStringObject drags the whole PDF into deepcopy()/asdict().
    name = str(sig.field_name)
    end = _end_of(sig)
    is_doc_ts = sig.sig_object_type == "/DocTimeStamp"
    if is_doc_ts:
        role = Role.DOCUMENT_TIMESTAMP
    elif sig.docmdp_level is not None:
        role = Role.EMPLOYER_SEAL
    else:
        role = Role.WORKER_SIGNATURE

    # First document timestamp applied after this signature, if any.
    later_doc_ts = next((t for rev, t in doc_ts_times if rev > sig.signed_revision), None)
    reasons: list[Reason] = []
    status: PdfSignatureStatus | DocumentTimestampStatus
    try:
        if is_doc_ts:
            own_time = _doc_ts_time(sig)
            moment = later_doc_ts  # None -> validate at "now"
            status = await async_validate_pdf_timestamp(sig, contexts.at(moment))
            ts_time, validated_at = own_time, moment or now
        else:
            ts_time = signature_timestamp_time(sig)
            status = await async_validate_pdf_signature(
                sig,
                signer_validation_context=contexts.at(ts_time),
                ts_validation_context=contexts.at(later_doc_ts),
            )
            validated_at = ts_time or now
    except (SignatureValidationError, ValueError, KeyError, TypeError, PdfError) as exc:
        logger.warning("signature %s could not be validated: %s", name, exc)
        return SignatureReport(
            field_name=name,
            role=role,
            signer=None,
            chain=(),
            intact=False,
            valid=False,
            trusted=False,
            trust_problem=None,
            revoked=False,
            revocation_time=None,
            key_usage_ok=False,
            signing_time=None,
            timestamp_time=None,
            timestamp_trusted=False,
            tsa_name=None,
            validated_at=None,
            coverage=None,
            modification_level=None,
            docmdp_ok=None,
            docmdp_permission=None,
            signed_revision_end=end,
            ok=False,
            reasons=(Reason.of(ReasonCode.SIGNATURE_UNREADABLE, name, str(exc)),),
        )

    signer_cert: asn1_x509.Certificate = status.signing_cert
    indic = status.trust_problem_indic.name if status.trust_problem_indic is not None else None
    ku_ok = True if is_doc_ts else _key_usage_ok(signer_cert)

    # integrity first: a broken digest makes every other verdict meaningless
    if not status.intact:
        reasons.append(Reason.of(ReasonCode.NOT_INTACT, name))
    elif not status.valid:
        reasons.append(Reason.of(ReasonCode.SIGNATURE_INVALID, name))
    elif not status.trusted:
        embedded = [signer_cert, *sig.other_embedded_certs]
        if not ku_ok:
            reasons.append(Reason.of(ReasonCode.KEY_USAGE, name))
        elif status.revoked or indic in _REVOKED_INDICS:
            reasons.append(Reason.of(ReasonCode.CERT_REVOKED, name))
        elif indic in _EXPIRED_INDICS or _out_of_validity(embedded, validated_at):
            reasons.append(Reason.of(ReasonCode.CERT_EXPIRED, name, indic))
        elif indic in _REVINFO_INDICS or await _trusted_without_revocation(sig, contexts, validated_at, is_doc_ts):
            reasons.append(Reason.of(ReasonCode.REVOCATION_UNKNOWN, name, indic))
        else:
            reasons.append(Reason.of(ReasonCode.CERT_UNTRUSTED, name, indic))

    tst: TimestampSignatureStatus | None
    if is_doc_ts:
        tst = status  # type: ignore[assignment]
    else:
        tst = status.timestamp_validity  # type: ignore[union-attr]
        if tst is None:
            reasons.append(Reason.of(ReasonCode.NOT_TIMESTAMPED, name))
        elif not (tst.intact and tst.valid and tst.trusted):
            ts_indic = tst.trust_problem_indic.name if tst.trust_problem_indic is not None else None
            reasons.append(Reason.of(ReasonCode.TIMESTAMP_INVALID, name, ts_indic))
    ts_trusted = bool(tst is not None and tst.intact and tst.valid and tst.trusted)

    coverage = status.coverage
    mod_level = status.modification_level
    if coverage not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION):
        reasons.append(Reason.of(ReasonCode.COVERAGE, name, coverage.name if coverage else None))
    # Our policy is stricter than DocMDP: after the last approval signature only
    # LTV updates may follow; form filling is allowed only for a later signature.
    allowed = ModificationLevel.FORM_FILLING if (later_sig and not is_doc_ts) else ModificationLevel.LTA_UPDATES
    if mod_level is None or mod_level.value > allowed.value or status.docmdp_ok is False:
        reasons.append(Reason.of(ReasonCode.MODIFIED, name, mod_level.name if mod_level is not None else "unknown"))

    docmdp = sig.docmdp_level
    return SignatureReport(
        field_name=name,
        role=role,
        signer=subject_info(signer_cert.subject),
        chain=_chain(status, sig),
        intact=status.intact,
        valid=status.valid,
        trusted=status.trusted,
        trust_problem=indic,
        revoked=status.revoked,
        revocation_time=status.revocation_details.revocation_date if status.revocation_details else None,
        key_usage_ok=ku_ok,
        signing_time=None if is_doc_ts else status.signer_reported_dt,  # type: ignore[union-attr]
        timestamp_time=tst.timestamp if tst is not None else None,
        timestamp_trusted=ts_trusted,
        tsa_name=tst.signing_cert.subject.human_friendly if tst is not None else None,
        validated_at=validated_at,
        coverage=coverage.name if coverage is not None else None,
        modification_level=mod_level.name if mod_level is not None else None,
        docmdp_ok=status.docmdp_ok,
        docmdp_permission=docmdp.name if docmdp is not None else None,
        signed_revision_end=end,
        ok=not reasons,
        reasons=tuple(reasons),
    )
