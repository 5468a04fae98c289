"""Visible signature appearances: the employer's red round seal and the worker's signature block.

Design (measured on the 2-core bench machine, see ``bench/sign.py``):

* Images (seal, handwritten signature) are embedded once per signature as an
  image XObject. The seal's XObject streams are compressed once per distinct
  PNG and cached, so an employer signing many contracts pays the zlib cost once.
* Text (worker name, signing time) is real PDF text in a CJK font, not pixels:
  it stays sharp at any zoom, is extractable (ToUnicode CMap + ActualText) and
  searchable. pyHanko's ``GlyphAccumulator`` needs a single-face OpenType font
  and parses it with fontTools, which takes 0.3–0.7 s on a full Noto CJK face.
  We therefore cut a per-signature subset containing only the characters to
  draw with HarfBuzz's subsetter (~3 ms, ~5 KB), straight from the system .ttc,
  and hand that to pyHanko. No font cache on disk is needed.
* The default pyHanko stamp uses non-embedded Courier (李晓明 renders as
  garbage) and ``tzlocal`` for its time; neither is used here. Times are
  formatted by :func:`format_beijing_time` in UTC+8 regardless of ``TZ``.
"""

from __future__ import annotations

import hashlib
import io
import math
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb
from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.content import PdfContent, ResourceType
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import StaticStampStyle, TextStampStyle

__all__ = [
    "BEIJING",
    "CjkFont",
    "find_cjk_font",
    "format_beijing_time",
    "render_company_seal",
]

BEIJING = timezone(timedelta(hours=8), "CST")
"""China Standard Time. A fixed offset (no DST since 1991), so no tzdata lookup and no ``TZ`` dependency."""

SEAL_RED = (214, 36, 30)
_FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto", "/usr/share/fonts")
_MAX_SIGNATURE_PX = (720, 300)


def format_beijing_time(moment: datetime) -> str:
    """``2026-11-28 16:39:20`` in Beijing time; ``moment`` must be timezone-aware."""
    if moment.tzinfo is None:
        raise ValueError("signing time must be timezone-aware")
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")


# -- fonts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CjkFont:
    """One face inside an OTF/TTF/TTC file."""

    path: str
    index: int = 0


@lru_cache(maxsize=8)
def find_cjk_font(family: str = "Noto Sans CJK SC", style: str = "Regular") -> CjkFont:
    """Locate a face by family/style among the installed Noto CJK collections.

    Raises ``FileNotFoundError`` if no such face is installed (``fonts-noto-cjk``).
    """
    for directory in _FONT_DIRS:
        base = Path(directory)
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix.lower() not in (".ttc", ".otf", ".ttf", ".otc"):
                continue
            for index in range(16):
                try:
                    face = ImageFont.truetype(str(path), 12, index=index)
                except OSError:
                    break
                if face.getname() == (family, style):
                    return CjkFont(str(path), index)
    raise FileNotFoundError(f"CJK font {family} {style} not installed (apt-get install fonts-noto-cjk)")


_hb_faces: dict[CjkFont, hb.Face] = {}
_hb_lock = threading.Lock()


def _hb_face(font: CjkFont) -> hb.Face:
    with _hb_lock:
        face = _hb_faces.get(font)
        if face is None:
            face = hb.Face(hb.Blob(Path(font.path).read_bytes()), font.index)
            _hb_faces[font] = face
        return face


def _subset_font(font: CjkFont, text: str) -> bytes:
    """A tiny OTF holding only the glyphs of ``text`` (HarfBuzz subsetter, a few ms)."""
    inp = hb.SubsetInput()
    inp.unicode_set.update(ord(ch) for ch in set(text) if not ch.isspace() or ch == " ")
    inp.unicode_set.add(ord(" "))
    return bytes(hb.subset(_hb_face(font), inp).blob.data)


@dataclass(frozen=True)
class _SubsetFontFactory(FontEngineFactory):
    """pyHanko font-engine factory over an in-memory (already subset) OTF."""

    font_bytes: bytes
    font_size: int

    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: object = None) -> GlyphAccumulator:
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(self.font_bytes),
            font_size=self.font_size,
            bcp47_lang_code="zh-CN",
            obj_stream=obj_stream,
        )


# -- seal image ---------------------------------------------------------------------------


def _pil_font(font: CjkFont, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font.path, size, index=font.index)


def _star(cx: float, cy: float, r_out: float) -> list[tuple[float, float]]:
    r_in = r_out * 0.382  # regular five-pointed star
    pts = []
    for i in range(10):
        r = r_out if i % 2 == 0 else r_in
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return pts


def _glyph_tile(ch: str, font: ImageFont.FreeTypeFont, size: int, x_scale: float, colour: tuple) -> Image.Image:
    tile = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    ImageDraw.Draw(tile).text((size / 2, size / 2), ch, font=font, fill=colour, anchor="mm")
    if x_scale < 0.999:
        # Seals compress long names horizontally instead of shrinking them.
        tile = tile.resize((max(1, round(size * x_scale)), size), Image.Resampling.LANCZOS)
    return tile


def render_company_seal(
    company_name: str,
    *,
    bottom_text: str | None = "合同专用章",
    size_px: int = 480,
    colour: tuple[int, int, int] = SEAL_RED,
    font: CjkFont | None = None,
) -> bytes:
    """Draw a round red company seal (PNG with transparency).

    Ring, centred five-pointed star, the company name along the upper arc with
    each character upright towards the rim, and an optional horizontal line
    under the star ("合同专用章" by default). Drawn at 2x and downsampled so
    edges are anti-aliased. Render once per employer and persist the PNG.
    """
    name = "".join(company_name.split())
    if not name:
        raise ValueError("company name is empty")
    font = font or find_cjk_font("Noto Serif CJK SC", "Bold")
    ss = 2
    s = size_px * ss
    c = s / 2
    ink = (*colour, 255)
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)

    ring_w = s * 0.035
    r_outer = s / 2 - s * 0.015
    draw.ellipse((c - r_outer, c - r_outer, c + r_outer, c + r_outer), outline=ink, width=round(ring_w))
    draw.polygon(_star(c, c, s * 0.165), fill=ink)

    n = len(name)
    char_size = s * 0.128
    r_text = r_outer - ring_w - char_size * 0.66
    # Real seals run the name over roughly two thirds of the circle, leaving
    # the bottom for the horizontal line; short names get a narrower arc.
    span = min(math.radians(236), max(math.radians(110), n * math.radians(22)))
    step = span / (n - 1) if n > 1 else 0.0
    chord = 2 * r_text * math.sin(step / 2) if n > 1 else char_size
    glyph_px = round(char_size)
    x_scale = min(1.0, chord * 0.92 / char_size)
    pil_font = _pil_font(font, glyph_px)
    for i, ch in enumerate(name):
        theta = -span / 2 + i * step  # clockwise from 12 o'clock
        tile = _glyph_tile(ch, pil_font, glyph_px, x_scale, ink)
        tile = tile.rotate(-math.degrees(theta), resample=Image.Resampling.BICUBIC, expand=True)
        x = c + r_text * math.sin(theta)
        y = c - r_text * math.cos(theta)
        img.alpha_composite(tile, (round(x - tile.width / 2), round(y - tile.height / 2)))

    if bottom_text:
        bt = bottom_text.strip()
        bt_px = round(s * 0.085)
        bt_font = _pil_font(font, bt_px)
        width = draw.textlength(bt, font=bt_font)
        max_w = s * 0.4
        line = Image.new("RGBA", (math.ceil(width) + 4, round(bt_px * 1.4)), (0, 0, 0, 0))
        ImageDraw.Draw(line).text((line.width / 2, line.height / 2), bt, font=bt_font, fill=ink, anchor="mm")
        if width > max_w:
            line = line.resize((round(max_w), line.height), Image.Resampling.LANCZOS)
        img.alpha_composite(line, (round(c - line.width / 2), round(c + s * 0.235 - line.height / 2)))

    img = img.resize((size_px, size_px), Image.Resampling.LANCZOS)
    # Flat ink colour under the alpha channel: resampling mixed the transparent
    # black into the edge pixels, and a flat RGB plane also compresses to ~nothing.
    flat = Image.new("RGBA", img.size, ink)
    flat.putalpha(img.getchannel("A"))
    img = flat
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False)
    return out.getvalue()


# -- image XObjects with cached encoding ---------------------------------------------------


@dataclass(frozen=True)
class _EncodedImage:
    width: int
    height: int
    colour_space: str  # "/DeviceRGB" or "/DeviceGray"
    data: bytes  # zlib-compressed samples
    smask: bytes | None  # zlib-compressed alpha


def _encode_image(img: Image.Image) -> _EncodedImage:
    if img.mode not in ("RGB", "RGBA", "L", "LA"):
        img = img.convert("RGBA")
    alpha = None
    if img.mode in ("RGBA", "LA"):
        a = img.getchannel("A")
        if a.getextrema() != (255, 255):
            alpha = zlib.compress(a.tobytes(), 6)
        img = img.convert(img.mode[:-1])
    cs = "/DeviceGray" if img.mode == "L" else "/DeviceRGB"
    return _EncodedImage(img.width, img.height, cs, zlib.compress(img.tobytes(), 6), alpha)


_encoded_cache: dict[bytes, _EncodedImage] = {}
_encoded_lock = threading.Lock()


def _encoded_png(png: bytes, *, prepare: str) -> _EncodedImage:
    key = hashlib.sha256(prepare.encode() + b"\0" + png).digest()
    with _encoded_lock:
        hit = _encoded_cache.get(key)
    if hit is not None:
        return hit
    img = Image.open(io.BytesIO(png))
    img.load()
    if prepare == "signature":
        img = _prepare_signature(img)
    enc = _encode_image(img)
    with _encoded_lock:
        if len(_encoded_cache) > 64:
            _encoded_cache.clear()
        _encoded_cache[key] = enc
    return enc


def _prepare_signature(img: Image.Image) -> Image.Image:
    """Normalise a signature-pad PNG: ink on transparency, cropped to the strokes, bounded size."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        alpha = rgba.getchannel("A")
        if alpha.getextrema()[0] == 255:  # fully opaque despite the alpha channel
            rgba = None
    else:
        rgba = None
    if rgba is None:
        # Opaque scan/pad export: darkness becomes coverage, ink becomes near-black.
        grey = img.convert("L")
        alpha = grey.point(lambda v: 255 - v)
        rgba = Image.new("RGBA", img.size, (20, 20, 40, 0))
        rgba.putalpha(alpha)
    bbox = rgba.getchannel("A").point(lambda v: 255 if v > 24 else 0).getbbox()
    if bbox:
        pad = 6
        bbox = (
            max(0, bbox[0] - pad),
            max(0, bbox[1] - pad),
            min(rgba.width, bbox[2] + pad),
            min(rgba.height, bbox[3] + pad),
        )
        rgba = rgba.crop(bbox)
    rgba.thumbnail(_MAX_SIGNATURE_PX, Image.Resampling.LANCZOS)
    return rgba


class _CachedImage(PdfContent):
    """An image XObject whose compressed streams were computed ahead of time."""

    def __init__(self, enc: _EncodedImage) -> None:
        super().__init__(box=layout.BoxConstraints(enc.width, enc.height))
        self._enc = enc

    def render(self) -> bytes:
        enc = self._enc
        writer = self.writer
        assert writer is not None
        d = {
            pdf_name("/Type"): pdf_name("/XObject"),
            pdf_name("/Subtype"): pdf_name("/Image"),
            pdf_name("/Width"): generic.NumberObject(enc.width),
            pdf_name("/Height"): generic.NumberObject(enc.height),
            pdf_name("/ColorSpace"): pdf_name(enc.colour_space),
            pdf_name("/BitsPerComponent"): generic.NumberObject(8),
            pdf_name("/Filter"): pdf_name("/FlateDecode"),
        }
        if enc.smask is not None:
            smask = generic.StreamObject(
                {
                    pdf_name("/Type"): pdf_name("/XObject"),
                    pdf_name("/Subtype"): pdf_name("/Image"),
                    pdf_name("/Width"): generic.NumberObject(enc.width),
                    pdf_name("/Height"): generic.NumberObject(enc.height),
                    pdf_name("/ColorSpace"): pdf_name("/DeviceGray"),
                    pdf_name("/BitsPerComponent"): generic.NumberObject(8),
                    pdf_name("/Filter"): pdf_name("/FlateDecode"),
                },
                encoded_data=enc.smask,
            )
            d[pdf_name("/SMask")] = writer.add_object(smask)
        ref = writer.add_object(generic.StreamObject(d, encoded_data=enc.data))
        self.set_resource(ResourceType.XOBJECT, pdf_name("/Im0"), ref)
        return b"%g 0 0 %g 0 0 cm /Im0 Do" % (self.box.width, self.box.height)


# -- stamp styles --------------------------------------------------------------------------


def seal_stamp_style(seal_png: bytes) -> StaticStampStyle:
    """The employer's appearance: the seal image, centred, aspect ratio kept, no border."""
    return StaticStampStyle(
        background=_CachedImage(_encoded_png(seal_png, prepare="seal")),
        background_opacity=1.0,
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(1),
        ),
    )


def worker_stamp_style(
    signature_png: bytes,
    *,
    lines: Sequence[str],
    box_height: float,
    font: CjkFont | None = None,
) -> TextStampStyle:
    """The worker's appearance: handwritten signature on top, text lines (name, time) below it.

    The returned style carries its own font subset, so build one per signature.
    """
    font = font or find_cjk_font("Noto Sans CJK SC", "Regular")
    text = "\n".join(lines)
    # pyHanko's layout code works on integral sizes (it builds Fractions from them).
    font_size = max(5, min(9, round(box_height * 0.085)))
    leading = round(font_size * 1.3)
    text_h = leading * len(lines) + 3
    text_style = TextBoxStyle(
        font=_SubsetFontFactory(_subset_font(font, text), font_size),
        font_size=font_size,
        leading=leading,
        text_color=(0.1, 0.1, 0.1),
    )
    return TextStampStyle(
        stamp_text=text.replace("%", "%%"),
        text_box_style=text_style,
        background=_CachedImage(_encoded_png(signature_png, prepare="signature")),
        background_opacity=1.0,
        border_width=0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(left=6, right=6, top=5, bottom=round(text_h + 2)),
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins(left=2, right=2, bottom=2),
        ),
    )
