"""Contract documents: the context, the HTML (preview and PDF) and the archived PDF/A-3b.

One template, ``documents/contract.html``, serves the employer's browser preview and
the PDF. The PDF is rendered with the locked URL fetcher (no network, no files), is
PDF/A-3b with the canonical terms JSON attached, and is byte-for-byte reproducible:
the same document always gives the same bytes, so its SHA-256 can be archived and
re-derived later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pydyf
from django.template.loader import get_template
from weasyprint import CSS, HTML, Attachment
from weasyprint.pdf.metadata import NS, DocumentMetadata
from weasyprint.text.fonts import FontConfiguration

from contracts_platform.contracts.model_texts import (
    FilledSection,
    ModelTextSpec,
    Segment,
    chinese_numeral,
    fill_sections,
)
from contracts_platform.core.canonical import canonical_json
from contracts_platform.documents.fetcher import Asset, LockedURLFetcher, asset_url
from contracts_platform.documents.qr import qr_data_uri, qr_png

TEMPLATE_NAME = "documents/contract.html"
CSS_PATH = Path(__file__).resolve().parent / "assets" / "contract.css"
PDF_VARIANT = "pdf/a-3b"
ATTACHMENT_NAME = "contract-terms.json"
SIGNATURE_ANCHORS = {"employer": "sig-employer", "worker": "sig-worker"}
QR_URL = asset_url("qr.png")
#: Used for the attachment's dates when the caller gives no ``issued_at``: a fixed
#: value, because "now" would make every render of the same version differ.
FALLBACK_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
SHORT_HASH_LEN = 12
PX_TO_PT = 0.75  # 72 PDF points per inch / 96 CSS pixels per inch

# WeasyPrint's font configuration and the parsed stylesheet are shared between renders
# (they are the expensive, cacheable part); a lock keeps a threaded worker from using
# them from two renders at once.
_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class ContractDocument:
    """Everything a contract document shows. The caller builds ``verify_url``.

    ``terms`` are the full terms (worker's ID number in clear, as signed);
    ``terms_sha256`` is the SHA-256 of their canonical JSON. ``issued_at``, when
    given (normally the version's creation time), becomes the PDF's creation and
    modification date; it must be the same on every re-render of a version.
    """

    spec: ModelTextSpec
    terms: dict[str, Any] = field(repr=False)
    contract_number: str
    version_no: int
    terms_sha256: str
    verify_url: str
    issued_at: dt.datetime | None = None

    @property
    def short_hash(self) -> str:
        return self.terms_sha256[:SHORT_HASH_LEN]


@dataclass(frozen=True)
class RenderedPdf:
    """A rendered contract. ``signature_boxes`` maps "employer"/"worker" to
    ``(page_index, (x1, y1, x2, y2))`` in PDF points, origin bottom-left, for the
    signature fields that signing creates."""

    pdf: bytes
    sha256: str
    page_count: int
    signature_boxes: dict[str, tuple[int, tuple[float, float, float, float]]]


class SignatureBoxMissingError(RuntimeError):
    """The template lost a signature box: signing would have nowhere to put the field."""


# ---- context --------------------------------------------------------------------------------------

def _segments(segments: tuple[Segment, ...], *, user: bool = False) -> list[dict[str, Any]]:
    return [{"text": s.text, "is_value": s.is_value, "is_blank": s.is_blank, "is_user": user and s.is_value}
            for s in segments]


def _section_context(section: FilledSection) -> dict[str, Any]:
    clauses = []
    for clause in section.clauses:
        user = clause.key.endswith(".supplementary") or clause.key == "agreed.supplementary"
        clauses.append({
            "key": clause.key, "label": clause.label, "segments": _segments(clause.segments),
            "items": [{"number": chinese_numeral(i), "segments": _segments(item.segments, user=user)}
                      for i, item in enumerate(clause.items, 1)],
        })
    return {"key": section.key, "heading": section.heading, "clauses": clauses}


def _party(terms: dict[str, Any], key: str, fields: tuple[str, ...]) -> dict[str, str]:
    party = terms.get(key) if isinstance(terms.get(key), dict) else {}
    # A missing party detail prints as a visible blank, like a missing clause value.
    return {f: str(party.get(f)) if party.get(f) not in (None, "") else "____" for f in fields}


def contract_context(doc: ContractDocument, *, for_pdf: bool = False) -> dict[str, Any]:
    """The template context. Plain values only; the template escapes all of them."""
    title = doc.spec.title["zh"]
    main, sep, sub = title.partition("（")
    labels = doc.spec.party_labels
    return {
        "title": title,
        "title_main": main,
        "title_sub": f"{sep}{sub}" if sep else "",
        "contract_number": doc.contract_number,
        "version_no": doc.version_no,
        "terms_sha256": doc.terms_sha256,
        "short_hash": doc.short_hash,
        "verify_url": doc.verify_url,
        "employer_label": labels["employer"],
        "worker_label": labels["worker"],
        "employer": _party(doc.terms, "employer", ("name", "credit_code", "legal_representative", "address")),
        "worker": _party(doc.terms, "worker", ("name", "id_number", "address", "phone")),
        "preamble": doc.spec.preamble,
        "sections": [_section_context(s) for s in fill_sections(doc.spec, doc.terms)],
        # The PDF gets the pre-parsed stylesheet and the QR through the locked fetcher;
        # the browser preview needs both inline.
        "inline_css": "" if for_pdf else _css_text(),
        "qr_src": QR_URL if for_pdf else qr_data_uri(doc.verify_url),
    }


@lru_cache(maxsize=1)
def _css_text() -> str:
    return CSS_PATH.read_text(encoding="utf-8")


def render_contract_html(doc: ContractDocument, *, for_pdf: bool = False) -> str:
    """The contract as HTML: a self-contained page for the preview, or the PDF's source."""
    return get_template(TEMPLATE_NAME).render(contract_context(doc, for_pdf=for_pdf))


# ---- PDF ------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    # An empty locked fetcher: a url() creeping into the stylesheet fails here, loudly.
    return CSS(string=_css_text(), font_config=_font_config(), url_fetcher=LockedURLFetcher())


def _derived_id(doc: ContractDocument, purpose: str) -> bytes:
    seed = f"heqian:{purpose}:{doc.terms_sha256}:{doc.contract_number}:{doc.version_no}"
    return hashlib.sha256(seed.encode("utf-8")).digest()[:16]


def _w3c(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


class _PinnedMetadata(DocumentMetadata):
    """WeasyPrint's metadata plus an XMP document and instance ID derived from the terms,
    so a PDF can be matched to its terms from the XMP alone and re-renders stay identical."""

    def __init__(self, base: DocumentMetadata, *, document_id: str, instance_id: str) -> None:
        super().__init__()
        self.__dict__.update(base.__dict__)
        self._document_id = document_id
        self._instance_id = instance_id

    def generate_rdf_metadata(self, variant: str, version: int, conformance: str) -> bytes:
        rdf = super().generate_rdf_metadata(variant, version, conformance)
        end = b"</rdf:RDF>"
        if not rdf.endswith(end):  # pragma: no cover - guards a WeasyPrint upgrade
            raise RuntimeError("unexpected XMP layout from WeasyPrint")
        # Appended as text rather than re-parsed: the IDs are hex UUIDs, nothing to escape.
        ids = (f'<rdf:Description rdf:about="" xmlns:xmpMM="{NS["xmpMM"]}">'
               f"<xmpMM:DocumentID>{self._document_id}</xmpMM:DocumentID>"
               f"<xmpMM:InstanceID>{self._instance_id}</xmpMM:InstanceID></rdf:Description>")
        return rdf[: -len(end)] + ids.encode("ascii") + end


class _FrozenStream(pydyf.Stream):
    """A stream whose serialised (compressed) bytes were computed once.

    pydyf builds a stream's bytes on every ``.data`` access, and with a file
    identifier (required by PDF/A) it serialises every object twice: once to write
    it, once to hash the file for ``/ID``. For the embedded CJK font subsets that
    doubled zlib level-9 work was the pipeline's largest overhead over bare WeasyPrint.
    """

    @property
    def data(self) -> bytes:
        return self._frozen_data


def _finish(_document: Any, pdf: pydyf.PDF) -> None:
    """Last touches to the PDF object tree, right before pydyf writes it."""
    # WeasyPrint 70 lists the attachment's file spec twice in the catalog's /AF
    # (docs/pdf_signing.md §1); a validator may flag it, so keep each one once.
    af = pdf.catalog.get("AF")
    if af:
        unique = list(dict.fromkeys(af))
        af.clear()
        af.extend(unique)
    # Nothing changes the objects after this point, so their bytes can be fixed now.
    for obj in pdf.objects:
        if type(obj) is pydyf.Stream:
            data = obj.data
            obj.__class__ = _FrozenStream
            obj._frozen_data = data


def _signature_boxes(document: Any) -> dict[str, tuple[int, tuple[float, float, float, float]]]:
    boxes: dict[str, tuple[int, tuple[float, float, float, float]]] = {}
    for index, page in enumerate(document.pages):
        height_pt = page.height * PX_TO_PT
        for who, anchor in SIGNATURE_ANCHORS.items():
            if anchor in page.anchors and who not in boxes:
                x1, y1, x2, y2 = page.anchors[anchor]  # CSS px, origin top-left
                boxes[who] = (index, (round(x1 * PX_TO_PT, 2), round(height_pt - y2 * PX_TO_PT, 2),
                                      round(x2 * PX_TO_PT, 2), round(height_pt - y1 * PX_TO_PT, 2)))
    missing = set(SIGNATURE_ANCHORS) - set(boxes)
    if missing:
        raise SignatureBoxMissingError(f"no signature box for {sorted(missing)} in {TEMPLATE_NAME}")
    return boxes


def render_contract_pdf(doc: ContractDocument) -> RenderedPdf:
    """Render the archived PDF/A-3b with the canonical terms JSON attached.

    Only allow-listed in-memory assets can be loaded; any other URL raises
    ``fetcher.BlockedURLError``. Deterministic: dates come from ``doc.issued_at``
    (or a fixed value) and the PDF and XMP identifiers from the terms hash.
    """
    html = render_contract_html(doc, for_pdf=True)
    fetcher = LockedURLFetcher({QR_URL: Asset(qr_png(doc.verify_url), "image/png")})
    moment = doc.issued_at or FALLBACK_DATE
    attachment_time = moment.astimezone(dt.UTC).replace(tzinfo=None) if moment.tzinfo else moment
    attachment = Attachment(
        string=canonical_json(doc.terms), name=ATTACHMENT_NAME, url_fetcher=fetcher, relationship="Data",
        description=f"合同条款（规范化 JSON），SHA-256 {doc.terms_sha256}",
        created=attachment_time, modified=attachment_time)
    with _RENDER_LOCK:
        document = HTML(string=html, url_fetcher=fetcher).render(
            font_config=_font_config(), stylesheets=[_stylesheet()], pdf_variant=PDF_VARIANT)
        boxes = _signature_boxes(document)
        metadata = _PinnedMetadata(
            document.metadata,
            document_id=f"uuid:{uuid.UUID(bytes=_derived_id(doc, 'document'))}",
            instance_id=f"uuid:{uuid.UUID(bytes=_derived_id(doc, 'instance'))}")
        if doc.issued_at is not None:
            metadata.created = metadata.modified = _w3c(doc.issued_at)
        metadata.authors = []
        document.metadata = metadata
        pdf = document.write_pdf(
            pdf_variant=PDF_VARIANT, attachments=[attachment], finisher=_finish,
            pdf_identifier=_derived_id(doc, "pdf").hex().encode("ascii"))
    return RenderedPdf(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), page_count=len(document.pages),
                       signature_boxes=boxes)
