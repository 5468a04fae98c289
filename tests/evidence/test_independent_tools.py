"""The package checks out with tools that know nothing about HeQian: openssl, sha256sum, pyHanko's CLI."""

from __future__ import annotations

import json
import subprocess

import pytest

from contracts_platform.evidence import package_format as fmt
from tests.signing.conftest import pyhanko_cli

# The session fixture builds through the database: this mark makes pytest-django create the test
# database even when only these tests are selected.
pytestmark = pytest.mark.django_db


@pytest.fixture
def unpacked(built, tmp_path):
    for path, body in built.files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    return tmp_path


def run(args: list[str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False, timeout=180)


class TestIndependentTools:
    def test_openssl_accepts_the_manifest_signature(self, unpacked):
        out = run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "manifest.json.p7s",
                   "-content", "manifest.json", "-CAfile", "pki/root.pem", "-purpose", "any", "-out", "/dev/null"],
                  unpacked)
        assert out.returncode == 0, out.stderr
        assert "Verification successful" in out.stderr

    def test_openssl_rejects_a_changed_manifest(self, unpacked):
        manifest = unpacked / "manifest.json"
        manifest.write_bytes(manifest.read_bytes().replace(b'"case_ref":"', b'"case_ref":"X'))
        out = run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "manifest.json.p7s",
                   "-content", "manifest.json", "-CAfile", "pki/root.pem", "-purpose", "any", "-out", "/dev/null"],
                  unpacked)
        assert out.returncode != 0

    def test_sha256sum_checks_every_file(self, unpacked, built):
        out = run(["sha256sum", "-c", "SHA256SUMS"], unpacked)
        assert out.returncode == 0, out.stdout + out.stderr
        assert out.stdout.count(": OK") == len(built.files) - 3  # all but the manifest, its signature, SHA256SUMS

    def test_openssl_verifies_the_daily_root_token(self, unpacked, built):
        roots = [p for p in built.files if p.startswith("roots/") and p.endswith(".json")]
        assert roots
        for path in roots:
            root = json.loads(built.files[path])
            out = run(["openssl", "ts", "-verify", "-digest", root["root"], "-in", root["timestamp_token"],
                       "-CAfile", "pki/root.pem", "-untrusted", "pki/issuing.pem"], unpacked)
            assert out.returncode == 0 and "Verification: OK" in out.stdout, out.stderr

    def test_pyhanko_adesverify_accepts_the_contract(self, unpacked):
        cli = pyhanko_cli()
        if cli is None:
            pytest.skip("pyhanko CLI not installed (package pyhanko-cli==0.6.0)")
        out = run([cli, "sign", "adesverify", "--trust", "pki/root.pem", "--trust-replace", "--pretty-print",
                   fmt.SIGNED_PDF_PATH], unpacked)
        assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
        assert out.stdout.count("The signature is judged VALID.") == 2
        assert "INVALID" not in out.stdout

    def test_pyhanko_validate_accepts_the_contract_offline(self, unpacked):
        """``sign validate`` fetches CRLs online by default; offline it needs --soft-revocation-check."""
        cli = pyhanko_cli()
        if cli is None:
            pytest.skip("pyhanko CLI not installed (package pyhanko-cli==0.6.0)")
        out = run([cli, "sign", "validate", "--trust", "pki/root.pem", "--trust-replace", "--soft-revocation-check",
                   fmt.SIGNED_PDF_PATH], unpacked)
        assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
        lines = [line for line in out.stdout.splitlines() if line.strip()]
        assert len(lines) == 2 and all(":INTACT:TRUSTED,TIMESTAMP_TOKEN<INTACT:TRUSTED>" in line for line in lines)

    def test_openssl_reads_every_extracted_timestamp(self, unpacked, built):
        for path in (p for p in built.files if p.startswith("pki/timestamps/")):
            out = run(["openssl", "ts", "-reply", "-in", path, "-text"], unpacked)
            assert out.returncode == 0 and "Status: Granted." in out.stdout, (path, out.stderr)

    def test_standalone_verifier_without_django(self, unpacked, built, tmp_path):
        """``python -m contracts_platform.evidence.offline`` runs with no Django settings at all."""
        import sys
        from pathlib import Path

        root = Path(__file__).resolve().parents[2]
        path = tmp_path / "evidence.zip"
        path.write_bytes(built.zip_bytes)
        code = ("import sys; import contracts_platform.evidence.offline as o; "
                f"rc = o.main([{str(path)!r}, '--json']); "
                "bad = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
                "assert not bad, bad; sys.exit(rc)")
        out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False,
                             env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)}, timeout=120)
        assert out.returncode == 0, out.stderr[-3000:]
        assert json.loads(out.stdout)["ok"] is True
