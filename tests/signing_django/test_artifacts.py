"""Artifacts for people: the signature page as PNG, and service timings (test-artifacts/signing_django/)."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from contracts_platform.archive.store import archive_get
from contracts_platform.documents.models import RenderedVersion
from contracts_platform.documents.services import contract_version_render
from signing.django_app.services import employer_seal_apply, worker_signature_apply
from tests.signing_django.conftest import INTENT

pytestmark = pytest.mark.django_db


def test_signature_page_png_and_timings(version, signature_png, artifacts):
    contract_version_render(version=version)  # rendering is the documents app's cost, not ours
    start = time.perf_counter()
    sealed = employer_seal_apply(version=version)
    seal_s = time.perf_counter() - start
    start = time.perf_counter()
    archived = worker_signature_apply(version=version, signature_png=signature_png, intent=INTENT)
    worker_s = time.perf_counter() - start
    (artifacts / "timings.json").write_text(json.dumps(
        {"seal_s": round(seal_s, 3), "worker_sign_and_archive_s": round(worker_s, 3),
         "note": "first seal of an employer includes issuing its certificate and drawing its seal"}))
    assert sealed.pk and archived.pk

    boxes = RenderedVersion.objects.get(version=version).signature_boxes
    page = boxes["worker"]["page"] + 1  # pdftoppm counts from 1
    pdf = artifacts / "contract-archived.pdf"
    pdf.write_bytes(archive_get(archived.pdf_id))
    prefix = artifacts / "signature-page"
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(prefix)], check=True, capture_output=True)
    png = prefix.with_suffix(".png")
    assert png.stat().st_size > 10_000
