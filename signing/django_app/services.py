"""Signing services: the writes the contract process and the admin call.

Each signing service does its heavy work (rendering, signing, timestamping,
self-verification) outside any transaction it opens, then writes the archived
bytes, the ``SignedDocument`` row and the evidence event in one short
``transaction.atomic()``. The unique (version, stage) constraint makes each
stage happen once: a concurrent or redelivered duplicate loses on the insert
and returns the winner's row; a sequential repeat returns before signing.

Call these outside a long-running transaction: signing takes a few hundred
milliseconds, and the evidence chain lock is held from the event append to the
commit of the surrounding transaction.
"""

from __future__ import annotations

import asyncio
import io
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from contracts_platform.accounts.models import User
from contracts_platform.archive.models import MerkleRoot
from contracts_platform.archive.store import archive_get, archive_put
from contracts_platform.contracts.models import ContractVersion
from contracts_platform.documents.services import contract_version_render, rendered_pdf_bytes
from contracts_platform.parties.models import Employer
from signing import (
    EMPLOYER_FIELD,
    WORKER_FIELD,
    FieldBox,
    NotAPdfError,
    Role,
    SignatureReport,
    VerificationReport,
    archive_lta,
    seal_as_employer,
    sign_as_worker,
    verify_pdf,
)
from signing.django_app import events
from signing.django_app.certificates import (
    employer_certificate_current,
    employer_identity,
    worker_certificate_for,
    worker_identity,
)
from signing.django_app.errors import (
    NO_CURRENT_CERTIFICATE,
    SIGNATURE_IMAGE_INVALID,
    SIGNED_RESULT_INVALID,
    VERSION_NOT_SEALED,
    NoCurrentCertificateError,
    SelfCheckError,
    SignatureImageError,
    VersionNotSealedError,
)
from signing.django_app.models import EmployerCertificate, RevocationReason, SignedDocument, SignedStage
from signing.django_app.pki import (
    current_crls,
    revocation_record,
    serials_from_this_connection,
    signing_timestamper,
    trust_roots,
)

__all__ = [
    "contract_verification",
    "employer_certificate_revoke",
    "employer_seal_apply",
    "employer_seal_upload",
    "merkle_roots_timestamp",
    "worker_signature_apply",
]

MAX_SIGNATURE_PNG = 2 * 1024 * 1024
MAX_SEAL_PNG = 2 * 1024 * 1024
_MAX_IMAGE_SIDE = 4000


# -- verification -------------------------------------------------------------------------


def contract_verification(pdf: bytes) -> VerificationReport:
    """Verify ``pdf`` against the platform trust roots and current CRLs (plus the file's own DSS).

    Raises ``signing.NotAPdfError`` for input that is not a readable PDF.
    """
    if b"%PDF-" not in pdf[:1024]:
        # Same test the core starts with; here it spares garbage uploads the CRL/database work.
        raise NotAPdfError("input does not start with a PDF header")
    return verify_pdf(pdf, trust_roots=trust_roots(), crls=current_crls())


def _self_check(pdf: bytes, field_name: str) -> SignatureReport:
    """Verify what we just produced and return the report of ``field_name``; refuse to store a failure."""
    report = contract_verification(pdf)
    if not report.ok:
        reasons = "; ".join(f"{r.field_name}: {r.code}" for r in report.reasons)
        raise SelfCheckError(str(SIGNED_RESULT_INVALID).format(reasons=reasons))
    for sig in report.signatures:
        if sig.field_name == field_name:
            return sig
    raise SelfCheckError(str(SIGNED_RESULT_INVALID).format(reasons=f"{field_name}: missing"))


def _box(entry: dict[str, Any]) -> FieldBox:
    return FieldBox.of((entry["page"], entry["box"]))


def _leaf_serial(sig: SignatureReport) -> str:
    return sig.chain[0].serial if sig.chain else ""


# -- employer seal ------------------------------------------------------------------------


def employer_seal_apply(*, version: ContractVersion, actor: User | None = None) -> SignedDocument:
    """Seal ``version`` as its employer (PAdES B-T, certifying, both signature fields created).

    Renders the version if needed, issues or reuses the employer's organisation
    certificate, stamps the seal into the employer box and records the
    "signature.employer_sealed" event. Idempotent: an existing sealed document
    is returned and nothing is written.
    """
    existing = SignedDocument.objects.filter(version=version, stage=SignedStage.SEALED).first()
    if existing is not None:
        return existing
    version = ContractVersion.objects.select_related("contract__employer").get(pk=version.pk)
    rendering = contract_version_render(version=version)
    pdf = rendered_pdf_bytes(rendering=rendering)
    certificate = employer_certificate_current(employer=version.contract.employer, actor=actor)
    boxes = rendering.signature_boxes
    with serials_from_this_connection():
        sealed = seal_as_employer(pdf, employer_box=_box(boxes["employer"]), worker_box=_box(boxes["worker"]),
                                  signer=employer_identity(certificate), seal_png=archive_get(certificate.seal_id),
                                  timestamper=signing_timestamper())
    sig = _self_check(sealed, EMPLOYER_FIELD)
    try:
        with transaction.atomic():
            stored = archive_put(sealed, content_type="application/pdf")
            document = SignedDocument.objects.create(
                version=version, stage=SignedStage.SEALED, pdf=stored, signer_serial=certificate.serial,
                signed_at=sig.signing_time or timezone.now(), timestamp_time=sig.timestamp_time)
            events.employer_sealed_event(document=document, certificate=certificate,
                                         source_pdf_sha256=rendering.pdf_id, actor=actor)
    except IntegrityError:
        return SignedDocument.objects.get(version=version, stage=SignedStage.SEALED)
    return document


# -- worker signature + archive -----------------------------------------------------------


def _check_png(data: bytes, *, limit: int) -> None:
    if not data or len(data) > limit:
        raise SignatureImageError(str(SIGNATURE_IMAGE_INVALID))
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format != "PNG" or max(img.size) > _MAX_IMAGE_SIDE or min(img.size) < 8:
                raise SignatureImageError(str(SIGNATURE_IMAGE_INVALID))
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise SignatureImageError(str(SIGNATURE_IMAGE_INVALID)) from exc


def worker_signature_apply(*, version: ContractVersion, signature_png: bytes, signed_at: datetime | None = None,
                           intent: dict | None = None, actor: User | None = None) -> SignedDocument:
    """Sign the sealed ``version`` as its worker (B-T), then archive it (B-LTA); return the archived document.

    Precondition (the caller's): the worker's identity and signing intent have
    been verified; ``intent`` (a small JSON-able dict) goes into the evidence.
    Idempotent per version: with an archived document it returns that and
    signs nothing; with a signed but not yet archived one (an interrupted run)
    it only archives. Raises ``VersionNotSealedError`` before the employer has sealed.
    """
    docs = {d.stage: d for d in SignedDocument.objects.filter(version=version)}
    if SignedStage.ARCHIVED in docs:
        return docs[SignedStage.ARCHIVED]
    version = ContractVersion.objects.select_related("contract__worker", "contract__employer").get(pk=version.pk)
    signed = docs.get(SignedStage.SIGNED)
    if signed is None:
        sealed = docs.get(SignedStage.SEALED)
        if sealed is None:
            raise VersionNotSealedError(str(VERSION_NOT_SEALED))
        _check_png(signature_png, limit=MAX_SIGNATURE_PNG)
        signed = _worker_sign(version=version, sealed=sealed, signature_png=signature_png,
                              signed_at=signed_at or timezone.now(), intent=intent, actor=actor)
    return _archive(version=version, signed=signed, actor=actor)


def _worker_sign(*, version: ContractVersion, sealed: SignedDocument, signature_png: bytes, signed_at: datetime,
                 intent: dict | None, actor: User | None) -> SignedDocument:
    certificate = worker_certificate_for(version=version)
    with serials_from_this_connection():
        pdf = sign_as_worker(archive_get(sealed.pdf_id), signer=worker_identity(certificate),
                             signature_png=signature_png, name=version.contract.worker.name,
                             timestamper=signing_timestamper(), signed_at=signed_at)
    sig = _self_check(pdf, WORKER_FIELD)
    try:
        with transaction.atomic():
            stored = archive_put(pdf, content_type="application/pdf")
            document = SignedDocument.objects.create(
                version=version, stage=SignedStage.SIGNED, pdf=stored, signer_serial=certificate.serial,
                signed_at=signed_at, timestamp_time=sig.timestamp_time)
            events.worker_signed_event(document=document, certificate=certificate, sealed_pdf_sha256=sealed.pdf_id,
                                       intent=intent, actor=actor)
    except IntegrityError:
        return SignedDocument.objects.get(version=version, stage=SignedStage.SIGNED)
    return document


def _archive(*, version: ContractVersion, signed: SignedDocument, actor: User | None) -> SignedDocument:
    trust, crls, stamper = trust_roots(), current_crls(), signing_timestamper()
    with serials_from_this_connection():
        pdf = archive_lta(archive_get(signed.pdf_id), trust=trust, crls=crls, timestamper=stamper)
    report = contract_verification(pdf)
    if not report.ok:
        reasons = "; ".join(f"{r.field_name}: {r.code}" for r in report.reasons)
        raise SelfCheckError(str(SIGNED_RESULT_INVALID).format(reasons=reasons))
    doc_ts = [s for s in report.signatures if s.role == Role.DOCUMENT_TIMESTAMP][-1]
    try:
        with transaction.atomic():
            stored = archive_put(pdf, content_type="application/pdf")
            document = SignedDocument.objects.create(
                version=version, stage=SignedStage.ARCHIVED, pdf=stored, signer_serial=_leaf_serial(doc_ts),
                signed_at=doc_ts.timestamp_time or timezone.now(), timestamp_time=doc_ts.timestamp_time)
            events.archived_event(document=document, signed_pdf_sha256=signed.pdf_id, actor=actor)
    except IntegrityError:
        return SignedDocument.objects.get(version=version, stage=SignedStage.ARCHIVED)
    return document


# -- employer certificates ----------------------------------------------------------------


def employer_certificate_revoke(*, employer: Employer, reason: str = RevocationReason.UNSPECIFIED,
                                actor: User | None = None, certificate: EmployerCertificate | None = None
                                ) -> EmployerCertificate:
    """Revoke the employer's current certificate (or ``certificate``) and publish a new CRL.

    The next seal issues a fresh certificate. Documents sealed before the
    revocation time stay valid; anything signed with the key afterwards fails
    verification with ``certificate_revoked``.
    """
    if reason not in RevocationReason.values:
        raise ValueError(f"unknown revocation reason {reason!r}")
    with transaction.atomic():
        qs = EmployerCertificate.objects.select_for_update().select_related("issuer", "employer")
        if certificate is not None:
            cert = qs.get(pk=certificate.pk, employer=employer)
        else:
            cert = qs.filter(employer=employer, revoked_at__isnull=True, superseded_at__isnull=True).first()
            if cert is None:
                raise NoCurrentCertificateError(str(NO_CURRENT_CERTIFICATE))
        if cert.revoked_at is not None:
            return cert
        record = revocation_record(issuer=cert.issuer, serial=cert.serial, reason=reason)
        cert.revoked_at = record.revoked_at
        cert.revocation_reason = record.reason
        cert.save(update_fields=["revoked_at", "revocation_reason"])
        events.employer_certificate_revoked_event(certificate=cert, actor=actor)
    return cert


def employer_seal_upload(*, employer: Employer, png: bytes, actor: User | None = None) -> EmployerCertificate:
    """Replace the generated seal with the employer's own image (PNG, transparent background recommended).

    Stored in the archive; later certificates of the employer keep using it.
    """
    _check_png(png, limit=MAX_SEAL_PNG)
    certificate = employer_certificate_current(employer=employer, actor=actor)
    with transaction.atomic():
        certificate.seal = archive_put(png, content_type="image/png")
        certificate.seal_uploaded = True
        certificate.save(update_fields=["seal", "seal_uploaded"])
        events.employer_seal_uploaded_event(certificate=certificate, actor=actor)
    return certificate


# -- Merkle roots -------------------------------------------------------------------------


def merkle_roots_timestamp() -> list[MerkleRoot]:
    """Fill ``timestamp_token`` of every daily root that has none; returns the roots filled.

    The token is an RFC 3161 TimeStampToken (DER) whose message imprint is the
    root itself: the root already is a SHA-256 value, so
    ``openssl ts -verify -digest <root hex> -token_in -in token.der`` checks it.
    Each root is timestamped outside a transaction and then filled with a
    conditional UPDATE, so a concurrent run never overwrites a token (and the
    PostgreSQL trigger lets a token be set only once anyway).
    """
    stamper = signing_timestamper()
    filled = []
    for root in MerkleRoot.objects.filter(timestamp_token__isnull=True).order_by("day"):
        with serials_from_this_connection():
            token = asyncio.run(stamper.async_timestamp(bytes.fromhex(root.root), "sha256")).dump()
        if MerkleRoot.objects.filter(pk=root.pk, timestamp_token__isnull=True).update(timestamp_token=token):
            root.timestamp_token = token
            filled.append(root)
    return filled
