"""QR codes that point at the public verification page for a contract version."""

from __future__ import annotations

import base64
import io
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M


@lru_cache(maxsize=256)
def qr_png(data: str) -> bytes:
    """A 1-pixel-per-module RGB PNG (sRGB, matching the PDF/A output intent) with the standard 4-module quiet zone.

    The image is tiny (a few hundred bytes); the template scales it up with
    ``image-rendering: pixelated`` so each module stays a sharp square in print.
    Cached per URL because every page and every re-render of a version uses the same code.
    """
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=4)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    out = io.BytesIO()
    # No timestamps or text chunks: identical input gives identical bytes.
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def qr_data_uri(data: str) -> str:
    """For the browser preview, which cannot use the PDF renderer's asset fetcher."""
    return "data:image/png;base64," + base64.b64encode(qr_png(data)).decode("ascii")
