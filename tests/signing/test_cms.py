"""Detached CMS over evidence manifests: accepted by openssl, tamper-evident."""

from __future__ import annotations

import json
import subprocess

import pytest

from signing import sign_detached, verify_detached

MANIFEST = json.dumps(
    {"contract": "HT-2026-0001", "sha256": "ab" * 32, "签署人": "李晓明"}, ensure_ascii=False
).encode()


@pytest.fixture(scope="module")
def p7s(employer, timestamper) -> bytes:
    return sign_detached(MANIFEST, employer, timestamper)


def _openssl_verify(tmp_path, pki, content: bytes, sig: bytes) -> subprocess.CompletedProcess:
    (tmp_path / "manifest.json").write_bytes(content)
    (tmp_path / "manifest.p7s").write_bytes(sig)
    (tmp_path / "chain.pem").write_bytes(pki.issuing.certificate_pem() + pki.root.certificate_pem())
    return subprocess.run(
        [
            "openssl", "cms", "-verify", "-binary",
            "-content", str(tmp_path / "manifest.json"),
            "-inform", "DER", "-in", str(tmp_path / "manifest.p7s"),
            "-CAfile", str(tmp_path / "chain.pem"), "-purpose", "any", "-out", "/dev/null",
        ],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip


class TestDetachedCms:
    def test_openssl_accepts(self, tmp_path, pki, p7s):
        out = _openssl_verify(tmp_path, pki, MANIFEST, p7s)
        assert out.returncode == 0 and "Verification successful" in out.stderr, out.stderr

    def test_openssl_rejects_tampered_content(self, tmp_path, pki, p7s):
        out = _openssl_verify(tmp_path, pki, MANIFEST.replace(b"0001", b"0002"), p7s)
        assert out.returncode != 0

    def test_our_verifier(self, pki, p7s):
        report = verify_detached(MANIFEST, p7s, trust_roots=[pki.root.certificate], require_timestamp=True)
        assert report.ok and report.trusted and report.timestamp_trusted
        assert report.signer.organisation_identifier == "NTRCN-91370100MA3C4XYB5K"
        strict = verify_detached(
            MANIFEST, p7s, trust_roots=[pki.root.certificate], crls=pki.crls(), revocation_mode="hard-fail"
        )
        assert strict.ok
        assert json.dumps(report.to_dict(), ensure_ascii=False)

    def test_our_verifier_rejects_tampering_and_garbage(self, pki, p7s):
        tampered = verify_detached(MANIFEST + b" ", p7s, trust_roots=[pki.root.certificate])
        assert not tampered.ok and [r.code.value for r in tampered.reasons] == ["signature_not_intact"]
        garbage = verify_detached(MANIFEST, b"not a signature", trust_roots=[pki.root.certificate])
        assert not garbage.ok and [r.code.value for r in garbage.reasons] == ["signature_unreadable"]

    def test_untrusted_signer(self, pki, p7s):
        from signing import create_root_ca

        other = create_root_ca("Other Root")
        report = verify_detached(MANIFEST, p7s, trust_roots=[other.certificate])
        assert not report.ok and "certificate_untrusted" in {r.code.value for r in report.reasons}

    def test_without_timestamper(self, pki, employer):
        sig = sign_detached(MANIFEST, employer)
        assert verify_detached(MANIFEST, sig, trust_roots=[pki.root.certificate]).ok
        assert not verify_detached(MANIFEST, sig, trust_roots=[pki.root.certificate], require_timestamp=True).ok
