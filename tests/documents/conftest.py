"""Rendered contracts shared by the documents tests (a render costs about a third of a second)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from contracts_platform.contracts.model_texts import get_model_text
from contracts_platform.core.canonical import canonical_sha256
from contracts_platform.documents.rendering import ContractDocument, RenderedPdf, render_contract_pdf
from tests.documents.personas import RARE_NAME, terms_for

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"


def make_document(contract_type: str = "fixed_term", *, terms: dict | None = None,
                  number: str = "HQ-2025-000123", issued_at: dt.datetime | None = None) -> ContractDocument:
    terms = terms if terms is not None else terms_for(contract_type)
    sha = canonical_sha256(terms)
    return ContractDocument(spec=get_model_text(contract_type), terms=terms, contract_number=number,
                            version_no=1, terms_sha256=sha, verify_url=f"https://heqian.example.cn/verify/{sha}/",
                            issued_at=issued_at)


def pdftotext(pdf: bytes, *, page: int | None = None) -> str:
    args = ["pdftotext", "-layout", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode("utf-8")


@pytest.fixture(scope="module")
def rare_doc() -> ContractDocument:
    terms = terms_for("fixed_term")
    terms["worker"]["name"] = RARE_NAME
    beijing = dt.timezone(dt.timedelta(hours=8))
    return make_document(terms=terms, issued_at=dt.datetime(2025, 1, 2, 9, 30, tzinfo=beijing))


@pytest.fixture(scope="module")
def rare_pdf(rare_doc) -> RenderedPdf:
    return render_contract_pdf(rare_doc)
