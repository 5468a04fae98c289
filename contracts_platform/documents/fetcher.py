"""The only URL fetcher contract rendering may use: in-memory assets, nothing else.

WeasyPrint's default fetcher follows http(s), ftp, file and data URLs, and embeds
``<link rel=attachment>`` targets in the PDF, so a URL that slipped into a template
could reach internal services (SSRF) or copy local files such as /etc/passwd into a
contract (docs/pdf_signing.md §6). This fetcher answers only for the platform's own
assets, registered by exact URL under the ``heqian-asset:`` scheme, and stops the
render with FatalURLFetchingError for anything else, so a bad URL fails loudly
instead of being fetched, or silently dropped and hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

ASSET_SCHEME = "heqian-asset:"


class BlockedURLError(FatalURLFetchingError):
    """A render tried to fetch a URL that is not an allow-listed asset."""


@dataclass(frozen=True)
class Asset:
    body: bytes
    content_type: str


def asset_url(name: str) -> str:
    return f"{ASSET_SCHEME}{name}"


class LockedURLFetcher(URLFetcher):
    """Serves exactly the given assets from memory; refuses every other URL.

    ``assets`` maps full URLs (``asset_url("qr.png")``) to their bytes. No scheme is
    opened by urllib at all: not http, https, ftp, file, data, nor redirects, because
    ``fetch`` never calls the parent implementation.
    """

    def __init__(self, assets: Mapping[str, Asset] | None = None) -> None:
        # fail_on_errors: a non-fatal error inside WeasyPrint must also stop the render.
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=True)
        self._assets = dict(assets or {})
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        asset = self._assets.get(url)
        if asset is None:
            self.refused.append(url)
            raise BlockedURLError(f"blocked URL in contract rendering: {url[:80]!r}")
        return URLFetcherResponse(url, asset.body, {"Content-Type": asset.content_type})

    def open(self, url: object, data: object = None, timeout: object = None) -> URLFetcherResponse:
        # urllib entry point (used for redirects and by some callers): same rules, never the network.
        full_url = getattr(url, "full_url", url)
        return self.fetch(str(full_url))
