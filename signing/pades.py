"""PAdES signing of labour contracts with pyHanko.

Flow (each step is one incremental update on the previous bytes)::

    rendered PDF
      └─ seal_as_employer  : creates BOTH signature fields, then the employer's
                             certifying signature (DocMDP P=2, FILL_FORMS) with
                             the seal, PAdES B-T
           └─ sign_as_worker : fills the worker field (approval signature with
                               the handwritten signature, name, time), B-T
                └─ archive_lta : DSS (certs + CRLs) for every signature, then a
                                 document timestamp (B-LTA)

Both fields are created in the employer's revision because adding a field
after a certifying signature is a forbidden modification (docs/pdf_signing.md,
pitfall 3); filling a prepared field is FORM_FILLING, which DocMDP P=2 allows.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import TimestampDSSContentSettings
from pyhanko.sign.timestamps import TimeStamper
from pyhanko.sign.validation import EmbeddedPdfSignature
from pyhanko.sign.validation.dss import DocumentSecurityStore, collect_validation_info
from pyhanko.sign.validation.generic_cms import extract_tst_data_iter
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError

from ._convert import asn1_certs, asn1_crls
from .appearance import format_beijing_time, seal_stamp_style, worker_stamp_style
from .errors import NotAPdfError, SignatureFieldError, SigningCoreError
from .identity import SigningIdentity

__all__ = [
    "EMPLOYER_FIELD",
    "WORKER_FIELD",
    "FieldBox",
    "archive_lta",
    "seal_as_employer",
    "sign_as_worker",
]

EMPLOYER_FIELD = "EmployerSeal"
WORKER_FIELD = "WorkerSignature"
ARCHIVE_FIELD_PREFIX = "ArchiveTimestamp"


@dataclass(frozen=True)
class FieldBox:
    """Where a signature field goes: page index and (x1, y1, x2, y2) in PDF points, origin bottom-left."""

    page: int
    rect: tuple[float, float, float, float]

    def __post_init__(self) -> None:
        x1, y1, x2, y2 = self.rect
        if self.page < 0 or x2 - x1 < 10 or y2 - y1 < 10:
            raise SignatureFieldError(f"unusable signature box {self!r}")

    @property
    def height(self) -> float:
        return self.rect[3] - self.rect[1]

    @classmethod
    def of(cls, value: FieldBox | tuple[int, Sequence[float]]) -> FieldBox:
        """Accept a :class:`FieldBox` or the renderer's ``(page, (x1, y1, x2, y2))`` tuple."""
        if isinstance(value, FieldBox):
            return value
        page, rect = value
        x1, y1, x2, y2 = rect
        return cls(int(page), (float(x1), float(y1), float(x2), float(y2)))


def _writer(pdf: bytes) -> IncrementalPdfFileWriter:
    try:
        return IncrementalPdfFileWriter(io.BytesIO(pdf))
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise NotAPdfError(f"cannot parse PDF: {exc}") from exc


def _spec(name: str, box: FieldBox) -> SigFieldSpec:
    # pyHanko types the box as ints; fractional points are harmless in the PDF
    # but rounding keeps the field dictionary tidy.
    x1, y1, x2, y2 = (round(v) for v in box.rect)
    return SigFieldSpec(sig_field_name=name, on_page=box.page, box=(x1, y1, x2, y2))


def _sign(
    writer: IncrementalPdfFileWriter,
    *,
    meta: signers.PdfSignatureMetadata,
    signer: SigningIdentity,
    timestamper: TimeStamper | None,
    style: object,
    text_params: dict[str, str] | None = None,
) -> bytes:
    pdf_signer = signers.PdfSigner(meta, signer.pyhanko_signer, timestamper=timestamper, stamp_style=style)  # type: ignore[arg-type]
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, existing_fields_only=True, appearance_text_params=text_params, output=out)
    except SigningError as exc:
        raise SignatureFieldError(str(exc)) from exc
    return out.getvalue()


def seal_as_employer(
    pdf: bytes,
    *,
    employer_box: FieldBox | tuple[int, Sequence[float]],
    worker_box: FieldBox | tuple[int, Sequence[float]],
    signer: SigningIdentity,
    seal_png: bytes,
    timestamper: TimeStamper,
    employer_field: str = EMPLOYER_FIELD,
    worker_field: str = WORKER_FIELD,
    reason: str = "用人单位盖章",
    location: str | None = None,
) -> bytes:
    """Create both signature fields and apply the employer's certifying seal (PAdES B-T).

    :param pdf: the rendered, unsigned contract.
    :param employer_box: / :param worker_box: field positions as recorded by the renderer.
    :param signer: the employer's organisation certificate identity.
    :param seal_png: seal image (from :func:`render_company_seal` or an upload).
    :param timestamper: :class:`InProcessTimeStamper` or an HTTP time-stamper.
    :return: the sealed PDF (input + one incremental update).
    """
    e_box, w_box = FieldBox.of(employer_box), FieldBox.of(worker_box)
    writer = _writer(pdf)
    for spec in (_spec(employer_field, e_box), _spec(worker_field, w_box)):
        try:
            fields.append_signature_field(writer, spec)
        except (PdfError, ValueError, IndexError) as exc:
            raise SignatureFieldError(f"cannot create field {spec.sig_field_name}: {exc}") from exc
    meta = signers.PdfSignatureMetadata(
        field_name=employer_field,
        md_algorithm=signer.digest_algorithm,
        subfilter=SigSeedSubFilter.PADES,
        certify=True,
        docmdp_permissions=MDPPerm.FILL_FORMS,
        reason=reason,
        location=location,
    )
    return _sign(writer, meta=meta, signer=signer, timestamper=timestamper, style=seal_stamp_style(seal_png))


def sign_as_worker(
    pdf: bytes,
    *,
    signer: SigningIdentity,
    signature_png: bytes,
    name: str,
    timestamper: TimeStamper,
    signed_at: datetime | None = None,
    field_name: str = WORKER_FIELD,
    reason: str = "劳动者签署",
    location: str | None = None,
) -> bytes:
    """Fill the prepared worker field with an approval signature (PAdES B-T).

    The appearance shows the handwritten signature with ``name`` and
    "签署时间：<Beijing time>" under it. ``signed_at`` defaults to now; the
    authoritative time is the RFC 3161 token, which is taken right after.
    """
    writer = _writer(pdf)
    when = format_beijing_time(signed_at or datetime.now(UTC))
    box_height = _field_height(writer, field_name)
    style = worker_stamp_style(
        signature_png,
        lines=[f"签署人：{name}", f"签署时间：{when}"],
        box_height=box_height,
    )
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm=signer.digest_algorithm,
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=name,
    )
    return _sign(writer, meta=meta, signer=signer, timestamper=timestamper, style=style)


def _field_height(writer: IncrementalPdfFileWriter, field_name: str) -> float:
    for name, _value, field_ref in fields.enumerate_sig_fields(writer.prev, filled_status=False):
        if name != field_name:
            continue
        field = field_ref.get_object()
        rect = field.get("/Rect")
        if rect is None:
            # The widget may be a kid of the field rather than merged into it.
            kids = field.get("/Kids") or []
            rect = kids[0].get_object().get("/Rect") if kids else None
        if rect is None:
            raise SignatureFieldError(f"field {field_name} has no widget rectangle")
        return abs(float(rect[3]) - float(rect[1]))
    raise SignatureFieldError(f"no empty signature field named {field_name}")


# -- B-LTA --------------------------------------------------------------------------------


def signature_timestamp_time(sig: EmbeddedPdfSignature) -> datetime | None:
    """genTime of the (first) signature timestamp token of ``sig``, unverified."""
    for tst in extract_tst_data_iter(sig.signer_info, signed=False):
        return tst["encap_content_info"]["content"].parsed["gen_time"].native
    return None


def archive_lta(
    pdf: bytes,
    *,
    trust: Sequence[x509.Certificate | bytes],
    crls: Sequence[x509.CertificateRevocationList | bytes],
    timestamper: TimeStamper,
    other_certs: Sequence[x509.Certificate | bytes] = (),
    field_name: str | None = None,
) -> bytes:
    """Add validation data for every signature to the DSS, then a document timestamp (B-LTA).

    One incremental update holds the DSS (chains + CRLs for each signer and for
    the TSA) followed by the document timestamp that covers it, so the file
    validates offline in hard-fail revocation mode from its own DSS.

    Each signer's chain is validated at its own signature-timestamp time (a
    30-day worker certificate may have expired by the time the contract is
    archived). Raises :class:`SigningCoreError` if a chain cannot be validated
    — archiving a contract with a revoked or untrusted signature would only
    preserve a failure.
    """
    trust_asn1 = asn1_certs(trust)
    crls_asn1 = asn1_crls(crls)
    others = asn1_certs(other_certs)
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        sigs = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise NotAPdfError(f"cannot parse PDF: {exc}") from exc
    if not sigs:
        raise SigningCoreError("no signatures to archive")

    def context(moment: datetime | None) -> ValidationContext:
        return ValidationContext(
            trust_roots=trust_asn1,
            other_certs=others,
            crls=crls_asn1,
            allow_fetching=False,
            revocation_mode="hard-fail",
            moment=moment,
            retroactive_revinfo=moment is not None,
        )

    now_ctx = context(None)

    async def collect() -> list[list]:
        out = []
        for sig in sigs:
            ts_time = signature_timestamp_time(sig) if sig.sig_object_type == "/Sig" else None
            out.append(await collect_validation_info(sig, context(ts_time), skip_timestamp=True))
            # Timestamp tokens are checked at "now" (the TSA certificate is long-lived).
            for tst in extract_tst_data_iter(sig.signer_info, signed=False):
                out.append(await _tst_paths(tst, now_ctx))
        return out

    try:
        collected = asyncio.run(collect())
    except (PathBuildingError, PathValidationError, ValidationError) as exc:
        raise SigningCoreError(f"cannot archive: a signature chain does not validate ({exc})") from exc

    writer = IncrementalPdfFileWriter.from_reader(reader)
    # Every context carries the same CRL list, so one DSS update with all paths
    # suffices; the DSS de-duplicates certificates and CRLs itself.
    DocumentSecurityStore.supply_dss_in_writer(
        writer, None, paths=[p for paths in collected for p in paths], validation_context=now_ctx
    )
    out = io.BytesIO()
    signers.PdfTimeStamper(timestamper, field_name=field_name or _archive_field_name(sigs)).timestamp_pdf(
        writer,
        "sha256",
        validation_context=now_ctx,
        output=out,
        dss_settings=TimestampDSSContentSettings(update_before_ts=True, include_vri=False),
    )
    return out.getvalue()


async def _tst_paths(tst_signed_data: object, ctx: ValidationContext) -> list:
    from pyhanko.sign.general import extract_certificate_info
    from pyhanko_certvalidator import CertificateValidator

    info = extract_certificate_info(tst_signed_data)  # type: ignore[arg-type]
    validator = CertificateValidator(info.signer_cert, intermediate_certs=info.other_certs, validation_context=ctx)
    return [await validator.async_validate_usage(set(), {"time_stamping"})]


def _archive_field_name(sigs: Sequence[EmbeddedPdfSignature]) -> str:
    taken = {s.field_name for s in sigs}
    n = 1
    while f"{ARCHIVE_FIELD_PREFIX}{n}" in taken:
        n += 1
    return f"{ARCHIVE_FIELD_PREFIX}{n}"
