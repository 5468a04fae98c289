"""Contract PDFs: Chinese text and fonts, PDF/A-3b, determinism, signature boxes, every model text."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from pytest_django.asserts import assertInHTML

from contracts_platform.contracts.model_texts import get_model_text, load_model_texts
from contracts_platform.core.canonical import canonical_json
from contracts_platform.documents.fetcher import ASSET_SCHEME
from contracts_platform.documents.qr import qr_png
from contracts_platform.documents.rendering import (
    ATTACHMENT_NAME,
    QR_URL,
    render_contract_html,
    render_contract_pdf,
)
from tests.documents.conftest import ARTIFACTS, make_document, pdftotext
from tests.documents.personas import RARE_NAME, terms_for

MM_TO_PT = 72 / 25.4
ROOT = Path(__file__).resolve().parents[2]


def squash(text: str) -> str:
    """Without white space: pdftotext puts spaces into letter-spaced or justified CJK lines."""
    return re.sub(r"\s+", "", text)


def _page_count(pdf: bytes) -> int:
    return len(pikepdf.open(io.BytesIO(pdf)).pages)


class TestChineseText:
    def test_text_is_extractable(self, rare_pdf):
        text = squash(pdftotext(rare_pdf.pdf))
        for phrase in ("劳动合同", "（固定期限）", "甲方（用人单位）", "济南阿克米物流有限公司", "一、劳动合同期限",
                       "九、其他", "第一条", "2025年1月1日", "5,000.00元", "甲方（盖章）", "乙方（签字）"):
            assert phrase in text, phrase

    def test_rare_name_characters_survive(self, rare_pdf):
        assert RARE_NAME in squash(pdftotext(rare_pdf.pdf))

    def test_fonts_are_embedded_and_subset(self, rare_pdf, tmp_path):
        path = tmp_path / "c.pdf"
        path.write_bytes(rare_pdf.pdf)
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        fonts = [line.split() for line in rows.splitlines()[2:] if line.strip()]
        assert fonts
        names = sorted(f[0].partition("+")[2] for f in fonts)
        # Exactly the two named faces: body serif, heading sans bold (a third face costs ~40 ms).
        assert names == ["Noto-Sans-CJK-SC-Bold", "Noto-Serif-CJK-SC"]
        for row in fonts:
            # columns: name type... encoding emb sub uni object ID
            emb, sub = row[-5], row[-4]
            assert (emb, sub) == ("yes", "yes"), row
            assert re.match(r"^[A-Z]{6}\+", row[0]), row

    def test_every_page_carries_number_hash_and_page_of_pages(self, rare_doc, rare_pdf):
        assert rare_pdf.page_count == _page_count(rare_pdf.pdf) >= 3
        for page in range(1, rare_pdf.page_count + 1):
            text = squash(pdftotext(rare_pdf.pdf, page=page))
            assert rare_doc.contract_number in text
            assert rare_doc.terms_sha256[:12] in text
            assert f"第{page}页共{rare_pdf.page_count}页" in text

    def test_qr_code_is_drawn_on_every_page(self, rare_doc, rare_pdf):
        pdf = pikepdf.open(io.BytesIO(rare_pdf.pdf))
        for page in pdf.pages:
            ops = [op for _operands, op in pikepdf.parse_content_stream(page)]
            assert pikepdf.Operator("Do") in ops
        images = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"]
        assert len(images) == 1
        # The one image is the QR code for this version's verify URL, module for module.
        from PIL import Image
        expected = Image.open(io.BytesIO(qr_png(rare_doc.verify_url))).convert("L")
        actual = pikepdf.PdfImage(images[0]).as_pil_image().convert("L")
        assert actual.size == expected.size and actual.tobytes() == expected.tobytes()


class TestPdfA:
    def test_xmp_declares_pdfa_3b(self, rare_pdf):
        pdf = pikepdf.open(io.BytesIO(rare_pdf.pdf))
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "3B"
        assert str(pdf.Root.OutputIntents[0].S) == "/GTS_PDFA1"

    def test_terms_json_is_attached_as_data(self, rare_doc, rare_pdf):
        pdf = pikepdf.open(io.BytesIO(rare_pdf.pdf))
        assert list(pdf.attachments) == [ATTACHMENT_NAME]
        spec = pdf.attachments[ATTACHMENT_NAME]
        assert spec.get_file().read_bytes() == canonical_json(rare_doc.terms)
        assert str(spec.obj.AFRelationship) == "/Data"
        assert str(spec.get_file().mime_type) == "application/json"
        af = pdf.Root.AF
        assert len(af) == 1 and af[0].objgen == spec.obj.objgen

    def test_document_language_is_chinese(self, rare_pdf):
        assert str(pikepdf.open(io.BytesIO(rare_pdf.pdf)).Root.Lang) == "zh-CN"


class TestDeterminism:
    def test_same_document_gives_identical_bytes(self, rare_doc, rare_pdf):
        again = render_contract_pdf(rare_doc)
        assert again.pdf == rare_pdf.pdf and again.sha256 == rare_pdf.sha256

    def test_identifiers_and_dates_are_derived_not_random(self, rare_doc, rare_pdf):
        pdf = pikepdf.open(io.BytesIO(rare_pdf.pdf))
        xmp = str(pdf.open_metadata())
        assert "xmpMM:DocumentID>uuid:" in xmp
        assert pdf.docinfo["/CreationDate"] == "D:20250102013000Z"
        assert "2025-01-02T01:30:00Z" in xmp
        other = render_contract_pdf(make_document(terms=terms_for("fixed_term", job_title="叉车司机")))
        other_pdf = pikepdf.open(io.BytesIO(other.pdf))
        assert bytes(other_pdf.trailer.ID[0]) != bytes(pdf.trailer.ID[0])

    def test_identical_in_a_fresh_process_with_another_hash_seed(self, rare_doc, rare_pdf):
        """The archive re-derives a PDF's hash later, in another worker: no per-process state may leak in."""
        code = ("import datetime as dt, django; django.setup(); "
                "from contracts_platform.documents.rendering import render_contract_pdf; "
                "from tests.documents.conftest import make_document; "
                "from tests.documents.personas import RARE_NAME, terms_for; "
                "t = terms_for('fixed_term'); t['worker']['name'] = RARE_NAME; "
                "tz = dt.timezone(dt.timedelta(hours=8)); "
                "print(render_contract_pdf(make_document(terms=t, issued_at=dt.datetime(2025, 1, 2, 9, 30, tzinfo=tz)))"
                ".sha256)")
        env = {**os.environ, "PYTHONHASHSEED": "12345", "DJANGO_SETTINGS_MODULE": "contracts_platform.settings"}
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                             check=True)
        assert out.stdout.strip() == rare_pdf.sha256

    def test_without_issued_at_output_is_still_reproducible(self):
        doc = make_document("part_time")
        assert render_contract_pdf(doc).pdf == render_contract_pdf(dataclasses.replace(doc)).pdf


class TestSignatureBoxes:
    def test_boxes_are_on_the_signature_page_inside_the_page(self, rare_pdf):
        pdf = pikepdf.open(io.BytesIO(rare_pdf.pdf))
        for who, label in (("employer", "甲方（盖章）"), ("worker", "乙方（签字）")):
            page_index, (x1, y1, x2, y2) = rare_pdf.signature_boxes[who]
            assert label in squash(pdftotext(rare_pdf.pdf, page=page_index + 1))
            left, bottom, right, top = (float(v) for v in pdf.pages[page_index].MediaBox)
            assert left <= x1 < x2 <= right and bottom <= y1 < y2 <= top
            # 60 x 32 mm, as the template promises the signing step.
            assert x2 - x1 == pytest.approx(60 * MM_TO_PT, abs=1)
            assert y2 - y1 == pytest.approx(32 * MM_TO_PT, abs=1)
        # The last article shares the page, so the signature page cannot be swapped on its own.
        signature_page = squash(pdftotext(rare_pdf.pdf, page=rare_pdf.signature_boxes["worker"][0] + 1))
        assert "同意共同遵守" in signature_page and "（以下无正文）" in signature_page
        employer, worker = rare_pdf.signature_boxes["employer"][1], rare_pdf.signature_boxes["worker"][1]
        assert employer[2] < worker[0]  # side by side, not overlapping


class TestModelTexts:
    @pytest.mark.parametrize(("contract_type", "version"), [(s.contract_type, s.version) for s in load_model_texts()])
    def test_every_model_text_renders(self, contract_type, version):
        doc = dataclasses.replace(make_document(contract_type), spec=get_model_text(contract_type, version))
        rendered = render_contract_pdf(doc)
        text = squash(pdftotext(rendered.pdf))
        assert doc.spec.title["zh"].partition("（")[2].rstrip("）") in text
        assert "九、其他" in text and "____" not in text
        assert set(rendered.signature_boxes) == {"employer", "worker"}
        if contract_type == "dispatch":
            assert "甲方（劳务派遣单位）" in text and "济南重工机械有限公司" in text

    def test_conditional_clauses_follow_the_terms(self):
        plain = squash(pdftotext(render_contract_pdf(make_document()).pdf))
        terms = terms_for("fixed_term", non_compete_months=6, probation_months=0)
        agreed = squash(pdftotext(render_contract_pdf(make_document(terms=terms)).pdf))
        assert "竞业限制" not in plain and "竞业限制" in agreed
        assert "试用期为2个月" in plain and "本合同不约定试用期" in agreed and "试用期为" not in agreed


class TestHtml:
    def test_preview_is_self_contained_and_marked_chinese(self, rare_doc):
        html = render_contract_html(rare_doc)
        assert '<html lang="zh-CN">' in html
        assert '"Noto Serif CJK SC"' in html and '"Noto Sans CJK SC"' in html
        srcs = re.findall(r'(?:src|href)="([^"]*)"', html)
        assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)

    def test_pdf_html_only_references_allow_listed_assets(self, rare_doc):
        html = render_contract_html(rare_doc, for_pdf=True)
        assert re.findall(r'(?:src|href)="([^"]*)"', html) == [QR_URL]
        assert "<style>" not in html and html.count(ASSET_SCHEME) == 1

    def test_supplementary_script_is_escaped(self):
        terms = terms_for("fixed_term", supplementary_clauses=["<script>alert('x')</script>晚班补贴每日 30 元。"])
        doc = make_document(terms=terms)
        html = render_contract_html(doc)
        assert "<script>" not in html
        escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;晚班补贴每日 30 元。"
        assertInHTML(f'<span class="v user">{escaped}</span>', html)
        assert "<script>alert('x')</script>晚班补贴每日30元。" in squash(pdftotext(render_contract_pdf(doc).pdf))

    def test_values_are_marked_for_underlining(self, rare_doc):
        assertInHTML('<span class="v">2025年1月1日</span>', render_contract_html(rare_doc), count=2)


class TestArtifacts:
    def test_page_images_for_review(self, rare_pdf, tmp_path):
        """Page 1 and the signature page as PNGs in test-artifacts/ (gitignored) for a human look."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = tmp_path / "contract.pdf"
        path.write_bytes(rare_pdf.pdf)
        (ARTIFACTS / "contract.pdf").write_bytes(rare_pdf.pdf)
        signature_page = rare_pdf.signature_boxes["worker"][0] + 1
        for page, name in ((1, "page-1"), (signature_page, "signature-page")):
            subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(page), "-l", str(page), "-singlefile",
                            str(path), str(ARTIFACTS / name)], check=True)
            assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000
