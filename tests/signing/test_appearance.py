"""Visible appearances: a red round seal, and a signature block whose CJK text survives."""

from __future__ import annotations

import io
import os
import subprocess
from datetime import UTC, datetime

import pikepdf
from PIL import Image

from signing import WORKER_FIELD, format_beijing_time, render_company_seal, sign_as_worker


def _appearance_texts(pdf: bytes, field: str) -> tuple[list[str], str]:
    """ActualText strings and the ToUnicode CMap text of a signature widget's appearance."""
    doc = pikepdf.open(io.BytesIO(pdf))
    widgets = [a for page in doc.pages for a in page.get("/Annots", []) if str(a.get("/T", "")) == field]
    assert len(widgets) == 1, f"expected one widget {field}"
    texts: list[str] = []
    cmaps = ""
    stack = [widgets[0].AP.N]
    while stack:
        xobj = stack.pop()
        for operands, op in pikepdf.parse_content_stream(xobj):
            is_span = op == pikepdf.Operator("BDC") and len(operands) == 2
            if is_span and isinstance(operands[1], pikepdf.Dictionary) and "/ActualText" in operands[1]:
                texts.append(str(operands[1].ActualText))
        res = xobj.get("/Resources", {})
        for font in res.get("/Font", {}).values():
            cmaps += font.ToUnicode.read_bytes().decode("latin-1")
        stack.extend(x for x in res.get("/XObject", {}).values() if x.get("/Subtype") == "/Form")
    return texts, cmaps


class TestSeal:
    def test_seal_is_a_red_ring_with_a_star_on_transparency(self):
        img = Image.open(io.BytesIO(render_company_seal("济南和签示范科技有限公司"))).convert("RGBA")
        w, h = img.size
        assert w == h
        assert img.getpixel((2, 2))[3] == 0  # corners transparent: it is round
        r, g, b, a = img.getpixel((w // 2, h // 2))  # star centre
        assert a > 200 and r > 180 and g < 80 and b < 80
        ring = [img.getpixel((w // 2, y)) for y in range(0, h // 10)]
        assert any(p[3] > 200 and p[0] > 180 for p in ring)  # the ring crosses the top edge

    def test_long_and_short_names_render(self):
        for name in ("和签", "山东省济南市历下区和签电子劳动合同示范服务有限责任公司"):
            assert Image.open(io.BytesIO(render_company_seal(name, bottom_text=None))).size == (480, 480)


class TestWorkerBlock:
    def test_name_and_rare_characters_are_real_text(self, sealed_pdf, worker, signature_png, timestamper):
        signed = sign_as_worker(
            sealed_pdf, signer=worker, signature_png=signature_png, name="张喆", timestamper=timestamper
        )
        texts, cmaps = _appearance_texts(signed, WORKER_FIELD)
        assert "签署人：张喆" in texts
        assert any(t.startswith("签署时间：") for t in texts)
        assert "5586" in cmaps.upper()  # 喆 U+5586 has a ToUnicode mapping: copy/paste and search work

    def test_default_flow_shows_li_xiaoming(self, signed_pdf):
        texts, _ = _appearance_texts(signed_pdf, WORKER_FIELD)
        assert "签署人：李晓明" in texts

    def test_time_is_beijing_time_whatever_tz_says(self):
        moment = datetime(2026, 1, 31, 17, 30, 5, tzinfo=UTC)
        old = os.environ.get("TZ")
        os.environ["TZ"] = "America/New_York"
        try:
            assert format_beijing_time(moment) == "2026-02-01 01:30:05"
        finally:
            if old is None:
                os.environ.pop("TZ", None)
            else:
                os.environ["TZ"] = old

    def test_signature_page_renders(self, archived_pdf, contract, artifacts, tmp_path):
        page = contract[1]["sig-worker"].page + 1
        pdf = tmp_path / "c.pdf"
        pdf.write_bytes(archived_pdf)
        prefix = artifacts / "signature-page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(prefix)],
            check=True,
            capture_output=True,
        )
        img = Image.open(f"{prefix}.png").convert("RGB")
        scale = 80 / 72
        x1, y1, x2, y2 = contract[1]["sig-employer"].rect
        seal = img.crop((int(x1 * scale), int(img.height - y2 * scale), int(x2 * scale), int(img.height - y1 * scale)))
        reds = sum(1 for r, g, b in seal.get_flattened_data() if r > 170 and g < 90 and b < 90)
        assert reds > 300, "the seal should be visibly red"
        x1, y1, x2, y2 = contract[1]["sig-worker"].rect
        block = img.crop((int(x1 * scale), int(img.height - y2 * scale), int(x2 * scale), int(img.height - y1 * scale)))
        dark = sum(1 for p in block.get_flattened_data() if max(p) < 90)
        assert dark > 300, "the handwritten strokes and text should be visible"
