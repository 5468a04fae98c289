"""Page images (and page text) of a PDF, for reading it page by page on a phone.

Why images of the sealed PDF and not an HTML rendering of the terms: the worker must read
what they sign (Guideline Art 1–4: content tamper-proof and traceable). An HTML page would
be a second rendering that could drift from the PDF (fonts, line breaks, a template fix);
an image of the PDF's own page cannot. The cost is weight, so each page is reduced to a
16-colour palette PNG (a dense page ~100 KB instead of ~420 KB; the red seal survives),
rendered once, and kept in the archive under its SHA-256. The page's text, extracted from
the same PDF, goes beside it for screen readers and for enlarging; it is not stored
(it holds personal data, and the PDF it comes from is already kept).

Rendering uses poppler's ``pdftoppm``/``pdftotext`` in a subprocess with a timeout: no new
dependency, and a malformed PDF can only cost one short-lived process.
"""

from __future__ import annotations

import io
import logging
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.db import IntegrityError, transaction
from PIL import Image

from contracts_platform.archive.models import StoredObject
from contracts_platform.archive.store import archive_get, archive_put
from contracts_platform.portal.models import ReadingDocument, ReadingPage

logger = logging.getLogger(__name__)

READING_DPI = 110
PALETTE_COLOURS = 16
SUBPROCESS_TIMEOUT = 20  # seconds; one page renders in well under one
MAX_PAGES = 200
_PAGES_RE = re.compile(rb"^Pages:\s+(\d+)\s*$", re.MULTILINE)
# Reflowing the extracted text: a line that starts an item never continues the previous one.
_ITEM_START = re.compile(r"^(第[一二三四五六七八九十百零〇\d]+条"  # 第三条
                         r"|[一二三四五六七八九十]+、"  # 二、
                         r"|[(（]?[\d一二三四五六七八九十]+[)）.、])")  # (1) 1. （二）
_SENTENCE_END = tuple("。；：！？）」】.;:!?)")
_WRAPPED_MIN_CHARS = 28  # a body line of the contract wraps at ~45 CJK characters; headings are short


class ReadingError(RuntimeError):
    """The PDF could not be prepared for reading (poppler failed or timed out)."""


def _run(args: list[str]) -> bytes:
    try:
        result = subprocess.run(args, capture_output=True, timeout=SUBPROCESS_TIMEOUT, check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ReadingError(f"{args[0]} failed: {exc}") from exc
    if result.returncode != 0:
        raise ReadingError(f"{args[0]} exited {result.returncode}: {result.stderr[:300]!r}")
    return result.stdout


def _with_pdf_file(source: StoredObject, work: Callable[[Path, Path], bytes]) -> bytes:
    # poppler reads files, not pipes; the temporary copy lives only for this call.
    with tempfile.TemporaryDirectory(prefix="heqian-read-") as tmp:
        path = Path(tmp) / "in.pdf"
        path.write_bytes(archive_get(source.sha256))
        return work(Path(tmp), path)


def reading_document_get(*, source: StoredObject) -> ReadingDocument:
    """The ``ReadingDocument`` of a stored PDF, counting its pages on first use."""
    existing = ReadingDocument.objects.filter(source=source).first()
    if existing is not None:
        return existing

    def count(_tmp: Path, pdf: Path) -> bytes:
        return _run(["pdfinfo", str(pdf)])

    match = _PAGES_RE.search(_with_pdf_file(source, count))
    if match is None or not 1 <= int(match.group(1)) <= MAX_PAGES:
        raise ReadingError(f"no usable page count for {source.sha256}")
    try:
        with transaction.atomic():
            return ReadingDocument.objects.create(source=source, pages=int(match.group(1)))
    except IntegrityError:  # a parallel request counted first
        return ReadingDocument.objects.get(source=source)


def _palette_png(png: bytes) -> tuple[bytes, int, int]:
    with Image.open(io.BytesIO(png)) as image:
        reduced = image.convert("RGB").quantize(colors=PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT,
                                                dither=Image.Dither.NONE)
        out = io.BytesIO()
        reduced.save(out, format="PNG", optimize=True)
        return out.getvalue(), reduced.width, reduced.height


def reading_page_get(*, document: ReadingDocument, page: int, dpi: int = READING_DPI) -> ReadingPage:
    """The image of ``page`` (1-based), rendered and archived on first use; idempotent."""
    if not 1 <= page <= document.pages:
        raise ValueError(f"page {page} outside 1..{document.pages}")
    existing = ReadingPage.objects.filter(document=document, page=page, dpi=dpi).select_related("image").first()
    if existing is not None:
        return existing

    def render(tmp: Path, pdf: Path) -> bytes:
        out = tmp / "page"
        _run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
              str(out)])
        return (tmp / "page.png").read_bytes()

    png, width, height = _palette_png(_with_pdf_file(document.source, render))
    stored = archive_put(png, content_type="image/png")
    try:
        with transaction.atomic():
            return ReadingPage.objects.create(document=document, page=page, dpi=dpi, image=stored, width=width,
                                              height=height)
    except IntegrityError:  # a parallel request rendered the same page
        return ReadingPage.objects.select_related("image").get(document=document, page=page, dpi=dpi)


def reflow(text: str) -> list[list[str]]:
    """Blocks of lines, with the PDF's line wrapping undone, so the text reflows on a small screen.

    ``pdftotext`` keeps the PDF's line breaks, which cut sentences mid-word at phone
    widths. A line is joined to the one before when that one is long (it wrapped),
    does not end a sentence, and the new line does not start an item (第三条, 二、, (1)).
    CJK needs no space at the join.
    """
    blocks = []
    for block in re.split(r"\n\s*\n", text):
        merged: list[str] = []
        for line in (part.strip() for part in block.splitlines()):
            if not line:
                continue
            previous = merged[-1] if merged else ""
            if (len(previous) >= _WRAPPED_MIN_CHARS and not previous.endswith(_SENTENCE_END)
                    and not _ITEM_START.match(line)):
                merged[-1] = previous + line
            else:
                merged.append(line)
        if merged:
            blocks.append(merged)
    return blocks


def reading_page_text(*, document: ReadingDocument, page: int) -> str:
    """The text of ``page`` as the PDF carries it; empty if it cannot be extracted."""
    if not 1 <= page <= document.pages:
        raise ValueError(f"page {page} outside 1..{document.pages}")

    def extract(_tmp: Path, pdf: Path) -> bytes:
        return _run(["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-"])

    try:
        text = _with_pdf_file(document.source, extract).decode("utf-8", errors="replace")
    except ReadingError:
        # The image is the reading copy; the text is a convenience beside it.
        logger.warning("no text for page %s of %s", page, document.source_id, exc_info=True)
        return ""
    return text.replace("\f", "").strip()
