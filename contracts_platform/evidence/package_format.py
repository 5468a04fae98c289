"""The evidence package's file format, shared by the builder and the offline verifier. Pure: no Django.

A package is a ZIP whose entries are listed, with size and SHA-256, in
``manifest.json`` (canonical JSON: sorted keys, no white space, UTF-8), which
the platform signs as a detached CMS in ``manifest.json.p7s``. Only those two
entries are outside the manifest; anything else in the ZIP that the manifest
does not list is an added file.

The ZIP itself is written deterministically (:func:`deterministic_zip`): entries
in sorted order, a fixed 1980-01-01 time, fixed permissions and compression, no
comment, so the same files always give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from asn1crypto import cms, core, tsp

FORMAT_NAME = "heqian-evidence-package"
FORMAT_VERSION = 1

MANIFEST_PATH = "manifest.json"
SIGNATURE_PATH = "manifest.json.p7s"
UNLISTED_PATHS = frozenset({MANIFEST_PATH, SIGNATURE_PATH})

SIGNED_PDF_PATH = "contract/signed.pdf"
REVISIONS_DIR = "contract/revisions/"
REPORT_JSON_PATH = "verification/report.json"
REPORT_PDF_PATH = "verification/report.pdf"
EVENTS_PATH = "events/events.jsonl"
CHAIN_PROOF_PATH = "events/chain_proof.json"
ROOTS_DIR = "roots/"
PKI_ROOT_PATH = "pki/root.pem"
PKI_ISSUING_PATH = "pki/issuing.pem"
PKI_TSA_PATH = "pki/tsa.pem"
PKI_EVIDENCE_PATH = "pki/evidence.pem"
PKI_CRL_DIR = "pki/crl/"
PKI_TIMESTAMPS_DIR = "pki/timestamps/"
PKI_SIGNERS_DIR = "pki/signers/"
SUMS_PATH = "SHA256SUMS"
README_PATH = "README.txt"

# 1980-01-01 00:00:00 is the earliest time a ZIP entry can carry; any fixed value would do.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Already compressed formats are stored: deflating them again costs time and saves almost nothing.
_STORED_SUFFIXES = (".pdf", ".der", ".tsr", ".crl", ".p7s")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")


def safe_name(name: str) -> str:
    """A PDF field name (chosen by whoever made the PDF) as a harmless file name component."""
    cleaned = _SAFE_NAME.sub("_", name).strip("._") or "field"
    return cleaned[:80]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(data: Any) -> bytes:
    """Same canonical form as ``contracts_platform.core.canonical`` (kept here so this module stands alone)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def pretty_json(data: Any) -> bytes:
    """Readable JSON for files people open (sorted keys, so still deterministic)."""
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass(frozen=True)
class ManifestEntry:
    path: str
    size: int
    sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


def manifest_entries(files: Mapping[str, bytes]) -> list[ManifestEntry]:
    return [ManifestEntry(path, len(body), sha256_hex(body)) for path, body in sorted(files.items())
            if path not in UNLISTED_PATHS]


def manifest_bytes(files: Mapping[str, bytes], meta: Mapping[str, Any]) -> bytes:
    """The canonical manifest over ``files`` (every path but the manifest and its signature)."""
    document = {**meta, "format": FORMAT_NAME, "format_version": FORMAT_VERSION,
                "files": [e.as_dict() for e in manifest_entries(files)]}
    return canonical_json(document)


def sha256sums(files: Mapping[str, bytes]) -> bytes:
    """``sha256sum -c`` input for every listed file (binary mode marker, sorted)."""
    lines = [f"{e.sha256} *{e.path}\n" for e in manifest_entries(files) if e.path != SUMS_PATH]
    return "".join(lines).encode("utf-8")


def deterministic_zip(files: Mapping[str, bytes]) -> bytes:
    """ZIP of ``files`` whose bytes depend only on the paths and contents."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", allowZip64=True) as zf:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=_ZIP_TIME)
            info.create_system = 3  # Unix, so the permission bits below are honoured on extraction
            info.external_attr = 0o100644 << 16
            if path.endswith(_STORED_SUFFIXES):
                info.compress_type = zipfile.ZIP_STORED
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[path], compresslevel=6)
    return out.getvalue()


# -- RFC 3161 helpers -------------------------------------------------------------------------

def timestamp_response(token_der: bytes) -> bytes:
    """Wrap a TimeStampToken (CMS ContentInfo) as a granted ``TimeStampResp`` (.tsr).

    The token's bytes are unchanged inside; the wrapper is what ``openssl ts
    -reply`` / ``-verify -in`` read without ``-token_in``.
    """
    token = cms.ContentInfo.load(token_der)
    return _TimeStampResp({"status": {"status": "granted"}, "time_stamp_token": token}).dump()


def token_from_response(tsr_der: bytes) -> bytes:
    """The TimeStampToken inside a ``TimeStampResp``; raises ``ValueError`` when there is none."""
    resp = _TimeStampResp.load(tsr_der)
    token = resp["time_stamp_token"]
    if resp["status"]["status"].native not in ("granted", "granted_with_mods") or not token.contents:
        raise ValueError("timestamp response carries no granted token")
    return token.dump()


class _TimeStampResp(core.Sequence):
    """asn1crypto's ``tsp.TimeStampResp`` makes the token mandatory; RFC 3161 §2.4.2 says OPTIONAL.

    A local definition (as in ``signing.tsa``) also reads rejections, and keeps
    this module free of ``signing`` imports.
    """

    _fields = [
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]
