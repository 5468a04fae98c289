"""Offline verification of an evidence package. Pure: no Django imports.

Everything is checked from the ZIP alone (no network, no database)::

    python -m contracts_platform.evidence.offline evidence.zip [--json] [--trust root.pem]
    python manage.py verify_evidence evidence.zip [--json]          (same function)

Checks, in the order problems are reported:

1. the ZIP is readable (else exit code 2);
2. ``manifest.json`` and ``manifest.json.p7s`` exist, and the detached CMS
   signature over the manifest is intact, valid, timestamped and chains to the
   trusted root (by default ``pki/root.pem`` from the package: compare its
   fingerprint, printed in the result, with the one the platform publishes);
3. every file the manifest lists is present with its size and SHA-256, and the
   ZIP holds nothing else;
4. the contract PDF's signatures (``signing.verify_pdf`` with the package's
   root, intermediate certificates and CRLs, validated at the manifest's
   timestamp time, the moment the package and its CRLs provably existed);
   each ``contract/revisions/<field>.pdf`` is exactly what that signature
   covers, and each ``pki/timestamps/<field>.tsr`` is the token in the PDF;
5. the event slice: every entry hash recomputes (``archive.chain``), each event
   links to its predecessor where that one is in the package, the chain proof
   agrees, every Merkle inclusion proof verifies against its daily root and
   every root's RFC 3161 token covers the root and chains to the trusted root.

Exit codes: 0 all good, 1 a problem (the first one is named), 2 unreadable ZIP.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import sys
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from asn1crypto import cms as asn1_cms
from asn1crypto import core
from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko.sign.validation.status import TimestampSignatureStatus
from pyhanko_certvalidator import ValidationContext

from contracts_platform.archive.chain import ENTRY_FORMAT_VERSION, compute_entry_hash
from contracts_platform.archive.merkle import merkle_verify_inclusion
from contracts_platform.evidence import package_format as fmt
from signing import NotAPdfError, verify_detached, verify_pdf

__all__ = ["Finding", "FindingCode", "OfflineReport", "SignaturePart", "main", "pdf_signature_parts", "verify_package"]

# A package is a few MB; refuse to inflate anything near this (zip bombs).
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_ENTRIES = 10_000

EXIT_OK, EXIT_PROBLEM, EXIT_UNREADABLE = 0, 1, 2


class FindingCode(StrEnum):
    """Stable machine codes of what can be wrong with a package."""

    ZIP_UNREADABLE = "zip_unreadable"
    MANIFEST_MISSING = "manifest_missing"
    MANIFEST_INVALID = "manifest_invalid"
    MANIFEST_CHANGED = "manifest_changed"
    SIGNATURE_MISSING = "signature_missing"
    SIGNATURE_BROKEN = "signature_broken"
    TRUST_MISSING = "trust_missing"
    FILE_MISSING = "file_missing"
    FILE_CHANGED = "file_changed"
    FILE_ADDED = "file_added"
    FILE_DUPLICATE = "file_duplicate"
    FILE_UNREADABLE = "file_unreadable"
    SUMS_MISMATCH = "sums_mismatch"
    PDF_MISMATCH = "pdf_mismatch"
    PDF_INVALID = "pdf_invalid"
    REVISION_MISMATCH = "revision_mismatch"
    REVISION_MISSING = "revision_missing"
    TIMESTAMP_MISMATCH = "timestamp_mismatch"
    EVENTS_INVALID = "events_invalid"
    EVENT_HASH_MISMATCH = "event_hash_mismatch"
    EVENT_LINK_MISMATCH = "event_link_mismatch"
    CHAIN_PROOF_MISMATCH = "chain_proof_mismatch"
    MERKLE_PROOF_INVALID = "merkle_proof_invalid"
    ROOT_INVALID = "root_invalid"
    ROOT_TOKEN_INVALID = "root_token_invalid"  # noqa: S105 (a finding code, not a password)


_MESSAGES: dict[FindingCode, tuple[str, str]] = {
    FindingCode.ZIP_UNREADABLE: (
        "无法读取 ZIP 文件。",
        "The ZIP file cannot be read."),
    FindingCode.MANIFEST_MISSING: (
        "缺少清单文件。",
        "The manifest is missing."),
    FindingCode.MANIFEST_INVALID: (
        "清单文件格式错误。",
        "The manifest is malformed."),
    FindingCode.MANIFEST_CHANGED: (
        "清单文件在平台签名后被改动。",
        "The manifest was changed after the platform signed it."),
    FindingCode.SIGNATURE_MISSING: (
        "缺少平台对清单的签名。",
        "The platform's signature over the manifest is missing."),
    FindingCode.SIGNATURE_BROKEN: (
        "平台对清单的签名无效、无时间戳或不受信任。",
        "The platform's manifest signature is invalid, untimestamped or untrusted."),
    FindingCode.TRUST_MISSING: (
        "缺少用于核验的根证书。",
        "The root certificate needed for verification is missing."),
    FindingCode.FILE_MISSING: (
        "清单列出的文件缺失（被删除）。",
        "A file listed in the manifest is missing (removed)."),
    FindingCode.FILE_CHANGED: (
        "文件内容与清单记录的哈希不符（被改动）。",
        "A file does not match its hash in the manifest (changed)."),
    FindingCode.FILE_ADDED: (
        "包中有清单未列出的文件（被添加）。",
        "The package holds a file the manifest does not list (added)."),
    FindingCode.FILE_DUPLICATE: (
        "包中有重名文件。",
        "The package holds two entries with the same name."),
    FindingCode.FILE_UNREADABLE: (
        "文件无法读取（ZIP 校验错误）。",
        "A file cannot be read (ZIP checksum error)."),
    FindingCode.SUMS_MISMATCH: (
        "SHA256SUMS 与清单不一致。",
        "SHA256SUMS disagrees with the manifest."),
    FindingCode.PDF_MISMATCH: (
        "合同 PDF 与清单记录的归档文件不符。",
        "The contract PDF is not the archived file the manifest names."),
    FindingCode.PDF_INVALID: (
        "合同 PDF 的电子签名核验未通过。",
        "The contract PDF's signatures do not verify."),
    FindingCode.REVISION_MISMATCH: (
        "签名版本文件与该签名实际覆盖的内容不符。",
        "A revision file is not what its signature covers."),
    FindingCode.REVISION_MISSING: (
        "缺少某个签名所覆盖的版本文件。",
        "The revision file of a signature is missing."),
    FindingCode.TIMESTAMP_MISMATCH: (
        "时间戳文件与 PDF 中的时间戳不符。",
        "A timestamp file differs from the token in the PDF."),
    FindingCode.EVENTS_INVALID: (
        "存证事件文件格式错误。",
        "The evidence event file is malformed."),
    FindingCode.EVENT_HASH_MISMATCH: (
        "存证事件的哈希无法复算（事件被改动）。",
        "An evidence event's hash does not recompute (the event was changed)."),
    FindingCode.EVENT_LINK_MISMATCH: (
        "存证事件与前一条事件的哈希链接断开。",
        "An evidence event does not link to its predecessor."),
    FindingCode.CHAIN_PROOF_MISMATCH: (
        "链证明与事件文件不一致。",
        "The chain proof disagrees with the event file."),
    FindingCode.MERKLE_PROOF_INVALID: (
        "Merkle 包含证明未通过。",
        "A Merkle inclusion proof does not verify."),
    FindingCode.ROOT_INVALID: (
        "每日 Merkle 根文件格式错误或缺失。",
        "A daily Merkle root file is malformed or missing."),
    FindingCode.ROOT_TOKEN_INVALID: (
        "每日 Merkle 根的时间戳无效或不受信任。",
        "A daily Merkle root's timestamp is invalid or untrusted."),
}


@dataclass(frozen=True)
class Finding:
    """One problem. ``str()`` is a stable, untranslated line for logs, e.g. ``BAD README.txt: file_changed``."""

    code: FindingCode
    path: str | None = None
    detail: str = ""

    @property
    def message_zh(self) -> str:
        return _MESSAGES[self.code][0]

    @property
    def message_en(self) -> str:
        return _MESSAGES[self.code][1]

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh

    def __str__(self) -> str:
        line = f"BAD {self.path or 'package'}: {self.code.value}"
        return f"{line} ({self.detail})" if self.detail else line

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code.value, "path": self.path, "detail": self.detail, "message_zh": self.message_zh,
                "message_en": self.message_en, "line": str(self)}


@dataclass
class OfflineReport:
    """Outcome of :func:`verify_package`; ``problems[0]`` is the first thing wrong."""

    problems: list[Finding] = field(default_factory=list)
    unreadable: bool = False
    contract_number: str | None = None
    case_ref: str | None = None
    files_checked: int = 0
    trust_source: str = "package"
    root_fingerprints: list[str] = field(default_factory=list)
    manifest_signer: str | None = None
    manifest_timestamp: datetime | None = None
    validated_at: datetime | None = None
    pdf_ok: bool | None = None
    signatures: list[dict[str, Any]] = field(default_factory=list)
    events_checked: int = 0
    merkle_proofs_checked: int = 0
    roots_checked: int = 0
    events_unanchored: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unreadable

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return EXIT_UNREADABLE
        return EXIT_OK if self.ok else EXIT_PROBLEM

    @property
    def first_problem(self) -> Finding | None:
        return self.problems[0] if self.problems else None

    def add(self, code: FindingCode, path: str | None = None, detail: str = "") -> None:
        self.problems.append(Finding(code, path, detail))

    def as_dict(self) -> dict[str, Any]:
        first = self.first_problem
        return {
            "ok": self.ok, "exit_code": self.exit_code,
            "first_problem": first.as_dict() if first else None,
            "problems": [p.as_dict() for p in self.problems],
            "contract_number": self.contract_number, "case_ref": self.case_ref,
            "files_checked": self.files_checked, "trust_source": self.trust_source,
            "root_fingerprints_sha256": self.root_fingerprints, "manifest_signer": self.manifest_signer,
            "manifest_timestamp": _iso(self.manifest_timestamp), "validated_at": _iso(self.validated_at),
            "pdf_ok": self.pdf_ok, "signatures": self.signatures, "events_checked": self.events_checked,
            "merkle_proofs_checked": self.merkle_proofs_checked, "roots_checked": self.roots_checked,
            "events_unanchored": self.events_unanchored,
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


# -- helpers shared with the builder ------------------------------------------------------------

@dataclass(frozen=True)
class SignaturePart:
    """One signature of a PDF as the package needs it, read in a single parse of the file."""

    field_name: str
    kind: str
    """``/Sig`` (an approval or certifying signature) or ``/DocTimeStamp``."""
    revision_end: int
    """End of the ByteRange: the signed revision is ``pdf[:revision_end]``."""
    contents: bytes
    """The raw CMS from ``/Contents`` (may carry trailing zero padding)."""

    def timestamp_token(self) -> bytes | None:
        """The RFC 3161 TimeStampToken (DER): the signature-timestamp attribute, or the whole CMS
        of a document timestamp.

        Re-parsed from the raw bytes: dumping pyHanko's already-navigated
        asn1crypto objects re-encodes them, which took seconds.
        """
        info = asn1_cms.ContentInfo.load(self.contents, strict=False)
        if self.kind == "/DocTimeStamp":
            return info.dump()
        unsigned = info["content"]["signer_infos"][0]["unsigned_attrs"]
        if isinstance(unsigned, core.Void):
            return None
        for attr in unsigned:
            if attr["type"].native == "signature_time_stamp_token":
                return attr["values"][0].dump()
        return None

    def certificates(self) -> list[bytes]:
        """DER certificates embedded in the signature, the signer's first."""
        signed_data = asn1_cms.ContentInfo.load(self.contents, strict=False)["content"]
        sid = signed_data["signer_infos"][0]["sid"]
        certs = [c.chosen for c in signed_data["certificates"] if c.name == "certificate"]
        signer = [c for c in certs if _matches_sid(c, sid)]
        return [c.dump() for c in signer + [c for c in certs if c not in signer]]


def pdf_signature_parts(pdf: bytes) -> list[SignaturePart]:
    """Every signature of ``pdf`` in file order.

    ``pdf[:part.revision_end]`` is exactly what ``signing.extract_signed_revision``
    returns (same ByteRange rule; a test pins them together), but one parse
    serves all signatures: pyHanko reads each /Contents hex string token by
    token, about 50 ms per parse of a signed contract.
    """
    reader = PdfFileReader(io.BytesIO(pdf))
    parts = []
    for sig in reader.embedded_signatures:
        byte_range = [int(x) for x in sig.byte_range]
        if len(byte_range) != 4 or byte_range[0] != 0:
            raise NotAPdfError(f"signature {sig.field_name} has a non-standard ByteRange {byte_range}")
        parts.append(SignaturePart(field_name=str(sig.field_name), kind=str(sig.sig_object_type),
                                   revision_end=byte_range[2] + byte_range[3], contents=bytes(sig.pkcs7_content)))
    return parts


def _matches_sid(cert: asn1_x509.Certificate, sid: Any) -> bool:
    if sid.name == "issuer_and_serial_number":
        return (cert.serial_number == sid.chosen["serial_number"].native
                and cert.issuer == sid.chosen["issuer"])
    return cert.key_identifier == sid.chosen.native


def revision_path(field_name: str) -> str:
    return f"{fmt.REVISIONS_DIR}{fmt.safe_name(field_name)}.pdf"


def timestamp_path(field_name: str) -> str:
    return f"{fmt.PKI_TIMESTAMPS_DIR}{fmt.safe_name(field_name)}.tsr"


def entry_hash_withheld(*, prev_hash: str, seq: int, event_type: str, actor_label: str, subject_type: str,
                        subject_id: str, occurred_at: str, payload_sha256: str) -> str:
    """The ``archive.chain`` entry hash computed from the payload's hash (payload withheld for privacy).

    Same formula as ``archive.chain.compute_entry_hash``, whose canonical entry
    carries only ``payload_sha256``; a test pins the two together.
    """
    body = fmt.canonical_json({"v": ENTRY_FORMAT_VERSION, "seq": seq, "event_type": event_type,
                               "actor": actor_label, "subject_type": subject_type, "subject_id": subject_id,
                               "occurred_at": occurred_at, "payload_sha256": payload_sha256})
    return hashlib.sha256(bytes.fromhex(prev_hash) + body).hexdigest()


# -- reading the ZIP ----------------------------------------------------------------------------

def _read_zip(data: bytes, report: OfflineReport) -> dict[str, bytes] | None:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        report.unreadable = True
        report.add(FindingCode.ZIP_UNREADABLE, None, str(exc)[:200])
        return None
    if len(infos) > MAX_ENTRIES or sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        report.unreadable = True
        report.add(FindingCode.ZIP_UNREADABLE, None, "too many or too large entries")
        return None
    files: dict[str, bytes] = {}
    seen: set[str] = set()
    with zf:
        for info in infos:
            if info.filename in seen:
                report.add(FindingCode.FILE_DUPLICATE, info.filename)
                continue
            seen.add(info.filename)
            try:
                files[info.filename] = zf.read(info)
            except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError) as exc:
                # A CRC failure means the stored bytes were altered: a changed file, named.
                report.add(FindingCode.FILE_UNREADABLE, info.filename, str(exc)[:200])
    return files


def _load_certs(blob: bytes | None) -> list[x509.Certificate]:
    if not blob:
        return []
    try:
        return list(x509.load_pem_x509_certificates(blob))
    except ValueError:
        return []


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


# -- the checks ---------------------------------------------------------------------------------

@dataclass
class _Context:
    files: dict[str, bytes]
    manifest: dict[str, Any]
    roots: list[x509.Certificate]
    others: list[x509.Certificate]
    crls: list[bytes]
    at: datetime | None


def _check_manifest_signature(files: dict[str, bytes], roots: list[x509.Certificate], crls: list[bytes],
                              report: OfflineReport) -> None:
    signature = files.get(fmt.SIGNATURE_PATH)
    if signature is None:
        report.add(FindingCode.SIGNATURE_MISSING, fmt.SIGNATURE_PATH)
        return
    if not roots:
        report.add(FindingCode.TRUST_MISSING, fmt.PKI_ROOT_PATH)
        return
    result = verify_detached(files[fmt.MANIFEST_PATH], signature, trust_roots=roots, crls=crls,
                             require_timestamp=True)
    report.manifest_signer = result.signer.rfc4514 if result.signer else None
    report.manifest_timestamp = result.timestamp_time if result.timestamp_trusted else None
    if result.ok:
        return
    codes = ",".join(r.code.value for r in result.reasons)
    if any(r.code == "signature_not_intact" for r in result.reasons):
        # Digest mismatch: the manifest bytes are not the ones the platform signed.
        report.add(FindingCode.MANIFEST_CHANGED, fmt.MANIFEST_PATH, codes)
    else:
        report.add(FindingCode.SIGNATURE_BROKEN, fmt.SIGNATURE_PATH, codes)


def _check_files(ctx: _Context, report: OfflineReport) -> None:
    listed: dict[str, dict[str, Any]] = {}
    for entry in ctx.manifest["files"]:
        listed[entry["path"]] = entry
    for path, entry in listed.items():
        body = ctx.files.get(path)
        if body is None:
            report.add(FindingCode.FILE_MISSING, path)
            continue
        report.files_checked += 1
        actual = fmt.sha256_hex(body)
        if actual != entry["sha256"] or len(body) != entry["size"]:
            report.add(FindingCode.FILE_CHANGED, path, f"sha256 {actual[:16]}… != {str(entry['sha256'])[:16]}…")
    for path in sorted(ctx.files):
        if path not in listed and path not in fmt.UNLISTED_PATHS:
            report.add(FindingCode.FILE_ADDED, path)
    sums = ctx.files.get(fmt.SUMS_PATH)
    if sums is not None and fmt.SUMS_PATH in listed:
        expected = "".join(f"{e['sha256']} *{p}\n" for p, e in sorted(listed.items()) if p != fmt.SUMS_PATH)
        if sums.decode("utf-8", "replace") != expected:
            report.add(FindingCode.SUMS_MISMATCH, fmt.SUMS_PATH)


def _check_pdf(ctx: _Context, report: OfflineReport) -> None:
    pdf = ctx.files.get(fmt.SIGNED_PDF_PATH)
    if pdf is None:
        return  # reported as a missing file
    expected = (ctx.manifest.get("contract") or {}).get("pdf_sha256")
    if expected != fmt.sha256_hex(pdf):
        report.add(FindingCode.PDF_MISMATCH, fmt.SIGNED_PDF_PATH)
    try:
        result = verify_pdf(pdf, trust_roots=ctx.roots, crls=ctx.crls, other_certs=ctx.others, at=ctx.at)
    except NotAPdfError as exc:
        report.pdf_ok = False
        report.add(FindingCode.PDF_INVALID, fmt.SIGNED_PDF_PATH, str(exc)[:200])
        return
    report.pdf_ok = result.ok
    report.validated_at = result.verified_at
    report.signatures = [{"field_name": s.field_name, "role": s.role.value, "ok": s.ok,
                          "signer": s.signer.common_name if s.signer else None,
                          "timestamp_time": _iso(s.timestamp_time), "tsa": s.tsa_name} for s in result.signatures]
    if not result.ok:
        report.add(FindingCode.PDF_INVALID, fmt.SIGNED_PDF_PATH,
                   ",".join(f"{r.field_name}:{r.code.value}" for r in result.reasons))

    try:
        parts = pdf_signature_parts(pdf)
    except Exception as exc:  # pyHanko raises many types on a damaged PDF; verify_pdf already said why
        report.add(FindingCode.REVISION_MISSING, fmt.SIGNED_PDF_PATH, str(exc)[:200])
        return
    for part in parts:
        path = revision_path(part.field_name)
        body = ctx.files.get(path)
        if body is None:
            report.add(FindingCode.REVISION_MISSING, path)
        elif body != pdf[:part.revision_end]:
            report.add(FindingCode.REVISION_MISMATCH, path)
        token = part.timestamp_token()
        if token is None:
            continue  # verify_pdf already reported the missing timestamp
        path = timestamp_path(part.field_name)
        body = ctx.files.get(path)
        try:
            same = body is not None and fmt.token_from_response(body) == token
        except ValueError:
            same = False
        if not same:
            report.add(FindingCode.TIMESTAMP_MISMATCH, path)


def _parse_events(ctx: _Context, report: OfflineReport) -> list[dict[str, Any]] | None:
    raw = ctx.files.get(fmt.EVENTS_PATH)
    if raw is None:
        return None
    events = []
    try:
        for n, line in enumerate(raw.decode("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            event = json.loads(line)
            if not isinstance(event, dict) or not isinstance(event.get("seq"), int):
                raise ValueError(f"line {n}: not an event object")
            events.append(event)
    except (UnicodeDecodeError, ValueError) as exc:
        report.add(FindingCode.EVENTS_INVALID, fmt.EVENTS_PATH, str(exc)[:200])
        return None
    return events


def _recompute(event: dict[str, Any]) -> str:
    common = {"prev_hash": event["prev_hash"], "seq": event["seq"], "event_type": event["event_type"],
              "actor_label": event["actor_label"], "subject_type": event["subject_type"],
              "subject_id": event["subject_id"], "occurred_at": event["occurred_at"]}
    if isinstance(event.get("payload"), str):
        if "payload_sha256" in event and event["payload_sha256"] != fmt.sha256_hex(event["payload"].encode()):
            return ""
        return compute_entry_hash(**common, payload=event["payload"])
    return entry_hash_withheld(**common, payload_sha256=event["payload_sha256"])


def _check_events(ctx: _Context, report: OfflineReport) -> None:
    events = _parse_events(ctx, report)
    if events is None:
        return
    by_seq: dict[int, dict[str, Any]] = {}
    for event in events:
        seq = event["seq"]
        where = f"{fmt.EVENTS_PATH}#seq={seq}"
        try:
            ok = _recompute(event) == event["entry_hash"]
        except (KeyError, TypeError, ValueError) as exc:
            report.add(FindingCode.EVENTS_INVALID, where, str(exc)[:200])
            continue
        report.events_checked += 1
        if not ok:
            report.add(FindingCode.EVENT_HASH_MISMATCH, where)
        previous = by_seq.get(seq - 1)
        if previous is not None and previous["entry_hash"] != event["prev_hash"]:
            report.add(FindingCode.EVENT_LINK_MISMATCH, where)
        by_seq[seq] = event
    _check_chain_proof(ctx, by_seq, report)


def _load_roots(ctx: _Context, report: OfflineReport) -> dict[str, dict[str, Any]]:
    roots: dict[str, dict[str, Any]] = {}
    for path in sorted(ctx.files):
        if not (path.startswith(fmt.ROOTS_DIR) and path.endswith(".json")):
            continue
        try:
            root = json.loads(ctx.files[path])
            bytes.fromhex(root["root"])
            roots[str(root["day"])] = root
        except (ValueError, KeyError, TypeError) as exc:
            report.add(FindingCode.ROOT_INVALID, path, str(exc)[:200])
    return roots


def _check_chain_proof(ctx: _Context, by_seq: dict[int, dict[str, Any]], report: OfflineReport) -> None:
    raw = ctx.files.get(fmt.CHAIN_PROOF_PATH)
    if raw is None:
        return
    try:
        proof = json.loads(raw)
        entries = proof["events"]
    except (ValueError, KeyError, TypeError) as exc:
        report.add(FindingCode.CHAIN_PROOF_MISMATCH, fmt.CHAIN_PROOF_PATH, str(exc)[:200])
        return
    roots = _load_roots(ctx, report)
    if sorted(e.get("seq") for e in entries if isinstance(e, dict)) != sorted(by_seq):
        report.add(FindingCode.CHAIN_PROOF_MISMATCH, fmt.CHAIN_PROOF_PATH, "event list differs")
    for entry in entries:
        seq = entry.get("seq") if isinstance(entry, dict) else None
        event = by_seq.get(seq)  # type: ignore[arg-type]
        where = f"{fmt.CHAIN_PROOF_PATH}#seq={seq}"
        if event is None:
            continue
        if entry.get("entry_hash") != event["entry_hash"] or entry.get("prev_hash") != event["prev_hash"]:
            report.add(FindingCode.CHAIN_PROOF_MISMATCH, where)
            continue
        merkle = entry.get("merkle")
        if not merkle:
            report.events_unanchored += 1
            continue
        root = roots.get(str(merkle.get("day")))
        try:
            good = (root is not None and merkle["root"] == root["root"]
                    and merkle["index"] == seq - int(root["first_seq"]) and merkle["tree_size"] == root["leaf_count"]
                    and merkle_verify_inclusion(leaf=bytes.fromhex(event["entry_hash"]), index=merkle["index"],
                                                tree_size=merkle["tree_size"],
                                                proof=[bytes.fromhex(p) for p in merkle["proof"]],
                                                root=bytes.fromhex(root["root"])))
        except (KeyError, TypeError, ValueError):
            good = False
        report.merkle_proofs_checked += 1
        if not good:
            report.add(FindingCode.MERKLE_PROOF_INVALID, where)
    for day, root in sorted(roots.items()):
        _check_root_token(ctx, day, root, report)


def _check_root_token(ctx: _Context, day: str, root: dict[str, Any], report: OfflineReport) -> None:
    token_path = root.get("timestamp_token")
    if not token_path:
        return
    body = ctx.files.get(str(token_path))
    if body is None:
        report.add(FindingCode.ROOT_TOKEN_INVALID, str(token_path), "missing")
        return
    report.roots_checked += 1
    try:
        token = asn1_cms.ContentInfo.load(fmt.token_from_response(body))
        signed_data = token["content"]
        expected = bytes.fromhex(root["root"])
        status = TimestampSignatureStatus(**_run(_validate_token(signed_data, ctx, lambda _algo: expected)))
    except Exception as exc:  # asn1crypto / pyHanko raise many types on garbage
        report.add(FindingCode.ROOT_TOKEN_INVALID, str(token_path), f"{type(exc).__name__}: {str(exc)[:150]}")
        return
    if not (status.intact and status.valid and status.trusted):
        indic = status.trust_problem_indic.name if status.trust_problem_indic is not None else None
        report.add(FindingCode.ROOT_TOKEN_INVALID, str(token_path),
                   f"intact={status.intact} valid={status.valid} trust_problem={indic}")


async def _validate_token(signed_data: Any, ctx: _Context, imprint: Callable[[str], bytes]) -> dict[str, Any]:
    vc = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(_der(c)) for c in ctx.roots],
        other_certs=[asn1_x509.Certificate.load(_der(c)) for c in ctx.others],
        crls=[asn1_crl.CertificateList.load(c) for c in ctx.crls],
        allow_fetching=False, revocation_mode="soft-fail", moment=ctx.at or datetime.now(UTC),
        retroactive_revinfo=True)
    try:
        return await validate_tst_signed_data(signed_data, vc, imprint)
    finally:
        await vc.aclose()


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


def _crl_der(blob: bytes) -> bytes | None:
    try:
        if blob.lstrip().startswith(b"-----"):
            return x509.load_pem_x509_crl(blob).public_bytes(serialization.Encoding.DER)
        x509.load_der_x509_crl(blob)
        return blob
    except ValueError:
        return None


# -- entry point --------------------------------------------------------------------------------

def verify_package(source: bytes | str | Path, *, trust_roots: Sequence[bytes] | None = None,
                   at: datetime | None = None) -> OfflineReport:
    """Verify a package (its bytes or a path) completely offline; never raises on bad input.

    :param trust_roots: PEM/DER root certificates obtained independently of the
        package (recommended for a real dispute); default: ``pki/root.pem`` inside it.
    :param at: validation time for the PDF and root tokens; default: the manifest's
        trusted timestamp time (when the package, its CRLs included, provably existed).
    """
    report = OfflineReport()
    if isinstance(source, str | Path):
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            report.unreadable = True
            report.add(FindingCode.ZIP_UNREADABLE, str(source), str(exc)[:200])
            return report
    else:
        data = source
    files = _read_zip(data, report)
    if files is None:
        return report

    manifest_raw = files.get(fmt.MANIFEST_PATH)
    if manifest_raw is None:
        report.add(FindingCode.MANIFEST_MISSING, fmt.MANIFEST_PATH)
        return report
    try:
        manifest = json.loads(manifest_raw)
        if manifest.get("format") != fmt.FORMAT_NAME or not isinstance(manifest.get("files"), list):
            raise ValueError("not an evidence package manifest")
        for entry in manifest["files"]:
            if not (isinstance(entry.get("path"), str) and isinstance(entry.get("size"), int)
                    and isinstance(entry.get("sha256"), str)):
                raise ValueError("bad file entry")
    except (ValueError, AttributeError, TypeError) as exc:
        report.add(FindingCode.MANIFEST_INVALID, fmt.MANIFEST_PATH, str(exc)[:200])
        return report
    report.contract_number = (manifest.get("contract") or {}).get("number")
    report.case_ref = manifest.get("case_ref")

    if trust_roots is not None:
        roots = [c for blob in trust_roots for c in (_load_certs(blob) if b"-----BEGIN" in blob
                                                      else [x509.load_der_x509_certificate(blob)])]
        report.trust_source = "given"
    else:
        roots = _load_certs(files.get(fmt.PKI_ROOT_PATH))
    report.root_fingerprints = [c.fingerprint(hashes.SHA256()).hex() for c in roots]
    others = _load_certs(files.get(fmt.PKI_ISSUING_PATH)) + _load_certs(files.get(fmt.PKI_TSA_PATH))
    crls = [d for p, b in sorted(files.items()) if p.startswith(fmt.PKI_CRL_DIR) and (d := _crl_der(b))]

    _check_manifest_signature(files, roots, crls, report)
    ctx = _Context(files=files, manifest=manifest, roots=roots, others=others, crls=crls,
                   at=at or report.manifest_timestamp)
    _check_files(ctx, report)
    if roots:
        _check_pdf(ctx, report)
    _check_events(ctx, report)
    return report


def format_text(report: OfflineReport, lang: str = "zh") -> str:
    """Human-readable result (Chinese by default)."""
    en = lang.startswith("en")
    lines = []
    if report.ok:
        lines.append("OK: all checks passed." if en else "通过：证据包完整，所有核验均通过。")
    else:
        first = report.first_problem
        assert first is not None
        lines.append(str(first))
        lines.append(first.message(lang))
        for extra in report.problems[1:10]:
            lines.append(f"  {extra}")
        if len(report.problems) > 10:
            lines.append(f"  … {len(report.problems) - 10} more")
    label = {"contract": "Contract" if en else "合同编号", "roots": "Root SHA-256" if en else "根证书指纹（SHA-256）",
             "ts": "Manifest timestamp" if en else "清单时间戳", "events": "Events" if en else "存证事件",
             "proofs": "Merkle proofs" if en else "Merkle 证明"}
    if report.contract_number:
        lines.append(f"{label['contract']}: {report.contract_number}")
    for fp in report.root_fingerprints:
        lines.append(f"{label['roots']}: {fp}")
    if report.manifest_timestamp:
        lines.append(f"{label['ts']}: {report.manifest_timestamp.isoformat()}")
    lines.append(f"{label['events']}: {report.events_checked}; {label['proofs']}: {report.merkle_proofs_checked}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="verify_evidence", description="Verify a HeQian evidence package offline.")
    parser.add_argument("zip")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--trust", action="append", default=None, help="root certificate (PEM/DER) to trust")
    parser.add_argument("--lang", default="zh")
    args = parser.parse_args(argv)
    trust = [Path(p).read_bytes() for p in args.trust] if args.trust else None
    report = verify_package(args.zip, trust_roots=trust)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_text(report, args.lang))
    return report.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
