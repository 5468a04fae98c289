"""Assemble an evidence package's files and ZIP from :class:`selectors.PackageSources`.

No database writes here (``services`` stores the result). The layout is
described in ``package_format`` and ``templates/evidence/README.txt``; the
offline verifier (``offline``) checks exactly what is written here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from asn1crypto import cms as asn1_cms
from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from django.template.loader import get_template
from django.utils import translation

from contracts_platform.archive.chain import format_occurred_at
from contracts_platform.archive.store import archive_get
from contracts_platform.core import pii
from contracts_platform.evidence import package_format as fmt
from contracts_platform.evidence.offline import pdf_signature_parts, revision_path, timestamp_path
from contracts_platform.evidence.report import REPORT_LANGUAGE, ReportFacts, render_report_pdf
from contracts_platform.evidence.selectors import (
    PackageSources,
    actor_names,
    event_payload,
    event_record,
    identity_records,
    notification_receipts,
)
from contracts_platform.evidence.signer import _platform_signer
from signing import VerificationReport, load_certificates, sign_detached, verify_pdf
from signing.django_app.models import AuthorityKind, PlatformAuthority
from signing.django_app.pki import crl_current, platform_pki, signing_timestamper

README_TEMPLATE = "evidence/README.txt"


@dataclass(frozen=True)
class BuiltPackage:
    zip_bytes: bytes
    manifest_sha256: str
    files: dict[str, bytes]


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def _bundle(certs: list[x509.Certificate]) -> bytes:
    unique = {_fingerprint(c): c for c in certs}
    return b"".join(_pem(unique[fp]) for fp in sorted(unique))


def _token_certs(token_der: bytes) -> list[x509.Certificate]:
    """Certificates a timestamp token carries (its TSA certificate, usually with the issuing CA)."""
    content = asn1_cms.ContentInfo.load(token_der)["content"]
    return [x509.load_der_x509_certificate(c.chosen.dump()) for c in content["certificates"] or []]


def _is_tsa(cert: x509.Certificate) -> bool:
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return x509.ExtendedKeyUsageOID.TIME_STAMPING in eku


def _gen_time(token_der: bytes) -> dt.datetime | None:
    content = asn1_cms.ContentInfo.load(token_der)["content"]
    tst_info = content["encap_content_info"]["content"].parsed
    return tst_info["gen_time"].native if isinstance(tst_info, tsp.TSTInfo) else None


class _PkiMaterial:
    """Roots, intermediates and fresh CRLs of the platform, read once per build."""

    def __init__(self) -> None:
        rows = list(PlatformAuthority.objects.filter(kind__in=[AuthorityKind.ROOT, AuthorityKind.ISSUING])
                    .order_by("pk"))
        self.roots = [load_certificates(r.certificate_pem.encode("ascii"))[0] for r in rows
                      if r.kind == AuthorityKind.ROOT]
        self.issuing = [load_certificates(r.certificate_pem.encode("ascii"))[0] for r in rows
                        if r.kind == AuthorityKind.ISSUING]
        # One CRL per CA, retired issuers included: their certificates still circulate in signed PDFs.
        self.crls: list[tuple[str, bytes]] = []
        for row in rows:
            alone = sum(r.kind == row.kind for r in rows) == 1
            name = f"{row.kind}.crl" if alone else f"{row.kind}-{row.serial[:16]}.crl"
            self.crls.append((name, bytes(crl_current(row).der)))


def assemble(sources: PackageSources, *, built_at: dt.datetime) -> BuiltPackage:
    """Build every file of the package, sign the manifest and write the deterministic ZIP."""
    platform_pki()  # creates the platform PKI on first use, like every signing path does
    material = _PkiMaterial()
    pdf = archive_get(sources.document.pdf_id)
    crl_ders = [der for _name, der in material.crls]
    verification = verify_pdf(pdf, trust_roots=material.roots, crls=crl_ders)
    report_dict = _plain_report(verification)

    files: dict[str, bytes] = {fmt.SIGNED_PDF_PATH: pdf, fmt.REPORT_JSON_PATH: fmt.pretty_json(report_dict)}
    parts = pdf_signature_parts(pdf)
    fields = [p.field_name for p in parts]
    tsa_certs: list[x509.Certificate] = [platform_pki().tsa.certificate]
    for part in parts:
        files[revision_path(part.field_name)] = pdf[:part.revision_end]
        token = part.timestamp_token()
        if token is not None:
            files[timestamp_path(part.field_name)] = fmt.timestamp_response(token)
            tsa_certs.extend(c for c in _token_certs(token) if _is_tsa(c))
        files[f"{fmt.PKI_SIGNERS_DIR}{fmt.safe_name(part.field_name)}.pem"] = b"".join(
            _pem(x509.load_der_x509_certificate(der)) for der in part.certificates())

    secrets = sources.secrets
    events = sources.events
    files[fmt.EVENTS_PATH] = b"".join(fmt.canonical_json(event_record(e, secrets)) + b"\n" for e in events)
    in_package = {e.seq for e in events}
    files[fmt.CHAIN_PROOF_PATH] = fmt.pretty_json({
        "algorithm": {
            "entry_hash": "SHA-256(bytes.fromhex(prev_hash) || canonical_json({v:1, seq, event_type, actor, "
                          "subject_type, subject_id, occurred_at, payload_sha256}))",
            "merkle": "RFC 6962 SHA-256 over one local day's entry hashes (leaf data = entry_hash bytes)",
        },
        "subject": {"type": "contract", "id": str(sources.contract.pk)},
        "head": {"seq": sources.head[0], "entry_hash": sources.head[1]},
        "events": [{
            "seq": e.seq, "prev_hash": e.prev_hash, "entry_hash": e.entry_hash,
            "previous_in_package": (e.seq - 1) in in_package,
            "merkle": vars(sources.proofs[e.seq]) if e.seq in sources.proofs else None,
        } for e in events],
    })

    roots_context = []
    for root in sources.roots:
        day = root.day.isoformat()
        token = bytes(root.timestamp_token) if root.timestamp_token else None
        gen_time = _gen_time(token) if token else None
        json_path, tsr_path = f"{fmt.ROOTS_DIR}{day}.json", f"{fmt.ROOTS_DIR}{day}.tsr"
        files[json_path] = fmt.pretty_json({
            "day": day, "root": root.root, "first_seq": root.first_seq, "last_seq": root.last_seq,
            "leaf_count": root.leaf_count, "timestamp_token": tsr_path if token else None,
            "timestamp_gen_time": gen_time.isoformat() if gen_time else None,
        })
        if token:
            files[tsr_path] = fmt.timestamp_response(token)
            tsa_certs.extend(c for c in _token_certs(token) if _is_tsa(c))
        roots_context.append({"day": day, "root": root.root, "timestamped": bool(token), "gen_time": gen_time,
                              "json_path": json_path, "tsr_path": tsr_path})

    identity = identity_records(contract=sources.contract, events=events, secrets=secrets)
    for key in ("identity_checks", "invitations", "otp_challenges", "intent"):
        files[f"identity/{key}.json"] = fmt.pretty_json(identity[key])
    files["notifications/receipts.json"] = fmt.pretty_json(
        notification_receipts(contract=sources.contract, secrets=secrets))

    identity_signer, signer_row = _platform_signer()
    files[fmt.PKI_ROOT_PATH] = _bundle(material.roots)
    files[fmt.PKI_ISSUING_PATH] = _bundle(material.issuing)
    files[fmt.PKI_TSA_PATH] = _bundle(tsa_certs)
    files[fmt.PKI_EVIDENCE_PATH] = signer_row.certificate_pem.encode("ascii")
    for name, der in material.crls:
        files[f"{fmt.PKI_CRL_DIR}{name}"] = der

    contract = sources.contract
    worker, employer = contract.worker, contract.employer
    facts = ReportFacts(
        contract_number=contract.number or "", version_no=sources.version.number,
        terms_sha256=sources.version.terms_sha256, pdf_sha256=sources.document.pdf_id, case_ref=sources.case_ref,
        built_at=built_at,
        employer={"name": employer.name, "credit_code": employer.credit_code,
                  "legal_representative": employer.legal_representative},
        worker={"name": worker.name, "id_number_masked": worker.id_number_masked,
                "phone_masked": pii.mask_phone(worker.phone)},
        verification=report_dict,
        events=[{"seq": e.seq, "occurred_at": e.occurred_at, "event_type": e.event_type,
                 "actor_label": e.actor_label, "payload": event_payload(e, secrets),
                 "anchored": e.seq in sources.proofs} for e in events],
        roots=roots_context,
        actor_names=actor_names(events),
    )
    files[fmt.REPORT_PDF_PATH] = render_report_pdf(facts)
    files[fmt.README_PATH] = _readme(sources, material, roots_context, fields)
    files[fmt.SUMS_PATH] = fmt.sha256sums(files)

    head_seq, head_hash = sources.head
    manifest = fmt.manifest_bytes(files, {
        "contract": {"number": contract.number, "version_no": sources.version.number,
                     "terms_sha256": sources.version.terms_sha256, "pdf_sha256": sources.document.pdf_id,
                     "stage": sources.document.stage},
        "case_ref": sources.case_ref,
        "event_head": {"seq": head_seq, "entry_hash": head_hash,
                       "occurred_at": format_occurred_at(events[-1].occurred_at) if events else None},
        "inputs_sha256": sources.inputs_sha256,
    })
    files[fmt.MANIFEST_PATH] = manifest
    files[fmt.SIGNATURE_PATH] = sign_detached(manifest, identity_signer, timestamper=signing_timestamper())
    return BuiltPackage(zip_bytes=fmt.deterministic_zip(files), manifest_sha256=fmt.sha256_hex(manifest),
                        files=files)


def _plain_report(report: VerificationReport) -> dict[str, Any]:
    """``report.to_dict()``, without the deep copy of the whole PDF that it makes today.

    ``SignatureReport.field_name`` (and ``Reason.field_name``) arrive as pyHanko
    ``TextStringObject`` values that reference the parsed PDF, so ``asdict``
    deep-copies the document: 0.6 s per package. Plain ``str`` copies give the
    identical dict. (Reported to the signing core; drop this when it stores ``str``.)
    """
    def reason(r: Any) -> Any:
        return replace(r, field_name=str(r.field_name) if r.field_name is not None else None)

    plain = replace(report, reasons=tuple(reason(r) for r in report.reasons), signatures=tuple(
        replace(s, field_name=str(s.field_name), reasons=tuple(reason(r) for r in s.reasons))
        for s in report.signatures))
    return plain.to_dict()


def _readme(sources: PackageSources, material: _PkiMaterial, roots: list[dict[str, Any]],
            fields: list[str]) -> bytes:
    context = {
        "contract_number": sources.contract.number or "", "version_no": sources.version.number,
        "case_ref": sources.case_ref, "pdf_sha256": sources.document.pdf_id,
        "root_fingerprints": [_fingerprint(c) for c in material.roots],
        "revisions": [{"path": revision_path(f), "field": f} for f in fields],
        "roots": roots,
    }
    with translation.override(REPORT_LANGUAGE):
        text = get_template(README_TEMPLATE).render(context)
    return text.encode("utf-8")
