"""`manage.py demo --out DIR`: the spine headless, checked by our verifiers and by poppler's pdfsig."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_writes_a_contract_that_verifiers_accept(tmp_path):
    out = tmp_path / "out"
    call_command("demo", "--out", str(out))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "effective" and summary["process_status"] == "DONE"
    assert summary["route"] == "fast_track" and summary["event_count"] > 15
    call_command("verify_pdf", str(out / "contract.pdf"))  # raises CommandError unless exit 0
    call_command("verify_evidence", str(out / "evidence.zip"))

    from signing.django_app.models import PlatformAuthority

    root = PlatformAuthority.objects.get(kind="root", retired_at__isnull=True)
    nss = tmp_path / "nss"
    nss.mkdir()
    (tmp_path / "root.pem").write_text(root.certificate_pem)
    certutil, pdfsig = shutil.which("certutil"), shutil.which("pdfsig")
    assert certutil and pdfsig, "poppler-utils and libnss3-tools are installed by make"
    subprocess.run([certutil, "-N", "--empty-password", "-d", f"sql:{nss}"], check=True)
    subprocess.run([certutil, "-A", "-n", "heqian-root", "-t", "CT,C,C", "-i", str(tmp_path / "root.pem"),
                    "-d", f"sql:{nss}"], check=True)
    report = subprocess.run([pdfsig, "-nssdir", f"sql:{nss}", str(out / "contract.pdf")], capture_output=True,
                            text=True, check=False).stdout
    assert report.count("Signature is Valid.") == 2, report
    assert report.count("Certificate is Trusted.") == 2, report
