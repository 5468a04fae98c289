"""A fully signed contract checked by independent tools and by ``manage.py verify_pdf``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from contracts_platform.archive.store import archive_get
from signing import EMPLOYER_FIELD, WORKER_FIELD
from tests.signing.conftest import pyhanko_cli
from tests.signing_django.conftest import root_pem_file, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived_file(archived, tmp_path, artifacts) -> Path:
    data = archive_get(archived.pdf_id)
    (artifacts / "contract-archived.pdf").write_bytes(data)
    path = tmp_path / "contract.pdf"
    path.write_bytes(data)
    return path


@pytest.mark.django_db(transaction=True)
def test_pyhanko_cli_validate_fetches_our_published_crls(live_server, settings, acme, li, hr, tmp_path):
    """``pyhanko sign validate`` checks revocation online: it must find our CRLs at the URLs in the certificates."""
    cli = pyhanko_cli()
    if cli is None:
        pytest.skip("pyhanko CLI not installed (pyhanko-cli)")
    from contracts_platform.contracts.models import ModelText
    from contracts_platform.contracts.services import contract_create
    from signing.django_app.services import employer_seal_apply, worker_signature_apply
    from tests.contracts.factories import valid_fields
    from tests.signing_django.conftest import INTENT, handwritten_png

    settings.SITE_URL = live_server.url  # certificates created below point their CRL URLs here
    version = contract_create(employer=acme, worker=li, model_text=ModelText.objects.get(
        contract_type="fixed_term", is_current=True), fields=valid_fields(), user=hr).current_version
    employer_seal_apply(version=version)
    archived = worker_signature_apply(version=version, signature_png=handwritten_png(), intent=INTENT)
    pdf = tmp_path / "contract.pdf"
    pdf.write_bytes(archive_get(archived.pdf_id))
    out = run([cli, "sign", "validate", "--trust", str(root_pem_file(tmp_path)), "--trust-replace",
               "--pretty-print", str(pdf)])
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert out.stdout.count("The signature is judged VALID.") == 2, out.stdout  # seal + worker
    assert "INVALID" not in out.stdout


class TestIndependentValidators:
    def test_pyhanko_cli_adesverify(self, archived_file, tmp_path):
        cli = pyhanko_cli()
        if cli is None:
            pytest.skip("pyhanko CLI not installed (pyhanko-cli)")
        # PAdES LTA validation from the file alone: revocation data comes from its DSS.
        out = run([cli, "sign", "adesverify", "--trust", str(root_pem_file(tmp_path)), "--trust-replace",
                   "--pretty-print", str(archived_file)])
        assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
        assert out.stdout.count("The signature is judged VALID.") == 2, out.stdout
        assert "INVALID" not in out.stdout

    def test_pdfsig(self, archived_file, tmp_path):
        nss = tmp_path / "nss"
        nss.mkdir()
        subprocess.run(["certutil", "-N", "--empty-password", "-d", f"sql:{nss}"], check=True, capture_output=True)
        subprocess.run(["certutil", "-A", "-n", "heqian", "-t", "CT,C,C", "-i", str(root_pem_file(tmp_path)),
                        "-d", f"sql:{nss}"], check=True, capture_output=True)
        out = run(["pdfsig", "-nssdir", f"sql:{nss}", str(archived_file)])
        assert out.stdout.count("Signature is Valid.") == 2, out.stdout
        assert out.stdout.count("Certificate is Trusted.") == 2, out.stdout
        assert EMPLOYER_FIELD in out.stdout and WORKER_FIELD in out.stdout
