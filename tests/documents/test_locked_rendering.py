"""SSRF and local-file reads: user text never becomes a URL, and the fetcher refuses every URL anyway.

docs/pdf_signing.md §6: with WeasyPrint's default fetcher, loopback HTTP URLs were
requested and /etc/passwd was embedded as a PDF attachment. These tests run a real
HTTP listener and put hostile markup into every string of the terms.
"""

from __future__ import annotations

import http.server
import io
import threading

import pikepdf
import pytest
from django.utils.html import escape
from weasyprint import CSS, HTML
from weasyprint.urls import FatalURLFetchingError

from contracts_platform.documents import fetcher as fetcher_module
from contracts_platform.documents.fetcher import Asset, BlockedURLError, LockedURLFetcher, asset_url
from contracts_platform.documents.rendering import ATTACHMENT_NAME, QR_URL, render_contract_html, render_contract_pdf
from tests.documents.conftest import make_document, pdftotext
from tests.documents.personas import terms_for


class _Listener(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        self.hits: list[str] = []
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener.hits.append(self.path)
                body = b"root:x:0:0:root:/root:/bin/bash\n"
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def listener():
    server = _Listener()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _payloads(port: int) -> list[str]:
    base = f"http://127.0.0.1:{port}"
    return [
        f'<img src="{base}/img.png">',
        '<link rel=attachment href="file:///etc/passwd">',
        f"<style>@import url({base}/import.css);</style>",
        f'<a rel=attachment href="{base}/attach.bin">附件</a>',
        '<img src="file:///etc/hostname">',
        f'"><link rel="stylesheet" href="{base}/break-out.css"><p x="',
        f'<svg><image href="{base}/svg.png"/></svg>',
        f'<object data="{base}/object"></object><iframe src="{base}/iframe"></iframe>',
        f'<div style="background: url({base}/bg.png)">x</div>',
    ]


def _poison(value: object, payload: str) -> object:
    """Every string in the terms (names, addresses, dates, money, clauses, ...) carries the payload."""
    if isinstance(value, dict):
        return {k: _poison(v, payload) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, payload) for v in value] + [payload]
    if isinstance(value, str):
        return f"{value}{payload}"
    return value


class TestHostileTerms:
    @pytest.mark.parametrize("contract_type", ["fixed_term", "dispatch"])
    def test_markup_in_every_field_fetches_nothing(self, listener, monkeypatch, contract_type):
        port = listener.server_address[1]
        payload = "".join(_payloads(port))
        terms = _poison(terms_for(contract_type), payload)
        requested: list[str] = []
        original = fetcher_module.LockedURLFetcher.fetch

        def spy(self, url, headers=None):
            requested.append(url)
            return original(self, url, headers)

        monkeypatch.setattr(fetcher_module.LockedURLFetcher, "fetch", spy)
        doc = make_document(contract_type, terms=terms, number="HQ-2025-000666" + payload)

        html = render_contract_html(doc)
        pdf_html = render_contract_html(doc, for_pdf=True)
        rendered = render_contract_pdf(doc)

        assert listener.hits == []
        assert requested == [QR_URL]  # the renderer only ever asked for its own QR code
        for markup in _payloads(port):
            assert markup not in html and markup not in pdf_html
            assert escape(markup) in html
        pdf = pikepdf.open(io.BytesIO(rendered.pdf))
        assert list(pdf.attachments) == [ATTACHMENT_NAME]
        assert b"root:x:0:0" not in pdf.attachments[ATTACHMENT_NAME].get_file().read_bytes()
        # The markup is printed as literal text, where a reader can see it.
        assert '<link rel=attachment href="file:///etc/passwd">' in pdftotext(rendered.pdf).replace("\n", "")


class TestLockedFetcher:
    @pytest.mark.parametrize("url", [
        "http://127.0.0.1:9/x", "https://example.com/x.png", "file:///etc/passwd", "ftp://example.com/x",
        "data:image/png;base64,iVBORw0KGgo=", "data:text/css,body{}", "heqian-asset:other.png",
        "HEQIAN-ASSET:qr.png", "/etc/passwd", "qr.png", "gopher://127.0.0.1:70/", "javascript:alert(1)"])
    def test_refuses_every_url_that_is_not_an_asset(self, url):
        fetcher = LockedURLFetcher({asset_url("qr.png"): Asset(b"png", "image/png")})
        with pytest.raises(BlockedURLError):
            fetcher.fetch(url)
        with pytest.raises(FatalURLFetchingError):
            fetcher(url)
        assert fetcher.refused == [url, url]

    def test_serves_registered_assets_from_memory(self):
        fetcher = LockedURLFetcher({asset_url("qr.png"): Asset(b"\x89PNG", "image/png")})
        response = fetcher.fetch(asset_url("qr.png"))
        assert response.read() == b"\x89PNG" and response.content_type == "image/png"

    def test_urllib_entry_point_is_locked_too(self):
        import urllib.request
        with pytest.raises(BlockedURLError):
            LockedURLFetcher().open(urllib.request.Request("http://127.0.0.1:9/redirected"))

    @pytest.mark.parametrize("markup", [
        '<img src="http://127.0.0.1:{port}/img">',
        '<link rel="attachment" href="file:///etc/passwd">',
        '<a rel="attachment" href="http://127.0.0.1:{port}/a">a</a>',
        "<style>@import url(http://127.0.0.1:{port}/import.css);</style>",
        '<link rel="stylesheet" href="http://127.0.0.1:{port}/s.css">',
        '<img src="file:///etc/hostname">',
        '<div style="background-image: url(http://127.0.0.1:{port}/bg)">x</div>',
    ])
    def test_raw_markup_fails_the_render_loudly(self, listener, markup):
        """Defence in depth: if markup ever reached WeasyPrint, the render stops instead of fetching."""
        html = f"<html><body>{markup.format(port=listener.server_address[1])}</body></html>"
        with pytest.raises(BlockedURLError):
            HTML(string=html, url_fetcher=LockedURLFetcher()).write_pdf()
        assert listener.hits == []

    def test_stylesheet_urls_fail_loudly(self, listener):
        with pytest.raises(BlockedURLError):
            CSS(string=f"@import url(http://127.0.0.1:{listener.server_address[1]}/x.css);",
                url_fetcher=LockedURLFetcher())
        assert listener.hits == []
