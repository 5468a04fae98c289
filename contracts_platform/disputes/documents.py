"""Mediation agreements and arbitral awards as PDFs (WeasyPrint, through the locked URL fetcher).

The templates (``templates/disputes/documents/``) carry their CSS inline and load
nothing: the fetcher refuses every URL, so a URL slipping into typed-in text cannot
make the renderer reach the network or the disk. The PDF bytes go to the archive;
what the parties accept and what the arbitrator issues is identified by their SHA-256.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

_RENDER_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render ``template`` to PDF in Chinese (the legal text), whatever the user's UI language."""
    from weasyprint import HTML

    from contracts_platform.documents.fetcher import LockedURLFetcher

    with translation.override("zh-hans"):
        html = render_to_string(template, context)
    # WeasyPrint's font configuration is not thread-safe; renders are short.
    with _RENDER_LOCK:
        return HTML(string=html, url_fetcher=LockedURLFetcher()).write_pdf(font_config=_font_config())
