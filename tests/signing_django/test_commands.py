"""Management commands: pki_init, verify_pdf (exit codes 0 / 1 / 2, human text and JSON)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from contracts_platform.archive.store import archive_get
from signing.django_app.models import PlatformAuthority, PublishedCrl
from tests.signing_django.conftest import ROOT

pytestmark = pytest.mark.django_db


def _verify(path, *args: str) -> str:
    out = StringIO()
    call_command("verify_pdf", str(path), *args, stdout=out)
    return out.getvalue()


class TestPkiInit:
    def test_creates_once_and_prints_fingerprints(self):
        first = StringIO()
        call_command("pki_init", stdout=first)
        rows = list(PlatformAuthority.objects.values_list("kind", "fingerprint_sha256"))
        assert sorted(k for k, _ in rows) == ["issuing", "root", "tsa"]
        for _kind, fp in rows:
            assert fp in first.getvalue()
        assert first.getvalue().count("新建") == 3
        second = StringIO()
        call_command("pki_init", stdout=second)
        assert list(PlatformAuthority.objects.values_list("kind", "fingerprint_sha256")) == rows
        assert second.getvalue().count("已存在") == 3
        assert PublishedCrl.objects.count() == 2  # root + issuing, not re-issued by the second run


class TestVerifyPdfCommand:
    def test_valid_contract_exits_zero(self, archived, tmp_path):
        path = tmp_path / "contract.pdf"
        path.write_bytes(archive_get(archived.pdf_id))
        text = _verify(path)
        assert "验证通过" in text and text.count("[有效]") == 3
        report = json.loads(_verify(path, "--json"))
        assert report["ok"] is True and len(report["signatures"]) == 3
        assert "李晓明" in text  # an operator tool: names in full

    def test_tampered_contract_exits_one(self, archived, tmp_path):
        data = bytearray(archive_get(archived.pdf_id))
        data[len(data) // 3] ^= 0x01
        path = tmp_path / "tampered.pdf"
        path.write_bytes(bytes(data))
        out = StringIO()
        with pytest.raises(CommandError) as exc:
            call_command("verify_pdf", str(path), stdout=out)
        assert exc.value.returncode == 1
        assert "签名后文件内容被改动" in out.getvalue()
        english = StringIO()
        with pytest.raises(CommandError):
            call_command("verify_pdf", str(path), "--lang", "en", stdout=english)
        assert "altered after signing" in english.getvalue()

    def test_sealed_only_contract_is_valid_so_far(self, sealed, tmp_path):
        path = tmp_path / "sealed.pdf"
        path.write_bytes(archive_get(sealed.pdf_id))
        assert "验证通过" in _verify(path)

    @pytest.mark.parametrize("content", [b"just some text\n", b""])
    def test_not_a_pdf_exits_two_without_traceback(self, tmp_path, content):
        path = tmp_path / "notes.txt"
        path.write_bytes(content)
        # A real manage.py process: exit status and stderr as an operator sees them.
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}
        out = subprocess.run([sys.executable, "manage.py", "verify_pdf", str(path)], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=False)
        assert out.returncode == 2, out.stderr
        assert "不是可读取的 PDF 文件" in out.stderr
        assert "Traceback" not in out.stderr

    def test_missing_file_exits_two(self, tmp_path):
        with pytest.raises(CommandError) as exc:
            call_command("verify_pdf", str(tmp_path / "nope.pdf"))
        assert exc.value.returncode == 2
