"""Render contract versions to PDF and archive them."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from contracts_platform.archive.events import EventType
from contracts_platform.archive.services import evidence_append
from contracts_platform.archive.store import archive_get, archive_put
from contracts_platform.contracts.documents import document_for_version
from contracts_platform.contracts.models import ContractVersion
from contracts_platform.documents.models import RenderedVersion
from contracts_platform.documents.rendering import render_contract_pdf


def contract_version_render(*, version: ContractVersion) -> RenderedVersion:
    """The archived PDF of ``version``, rendering and storing it the first time.

    Idempotent: a version already rendered returns its record and writes nothing.
    The render itself runs outside any transaction (it takes ~0.3 s), so a
    concurrent duplicate may render too; the unique version key lets one win.
    """
    existing = RenderedVersion.objects.filter(version=version).select_related("pdf").first()
    if existing:
        return existing
    rendered = render_contract_pdf(document_for_version(version))
    stored = archive_put(rendered.pdf, content_type="application/pdf", expected_sha256=rendered.sha256)
    boxes = {role: {"page": page, "box": list(box)} for role, (page, box) in rendered.signature_boxes.items()}
    try:
        with transaction.atomic():
            record = RenderedVersion.objects.create(version=version, pdf=stored, page_count=rendered.page_count,
                                                    signature_boxes=boxes)
            evidence_append(event_type=EventType.CONTRACT_VERSION_RENDERED, actor=None, subject_type="contract",
                            subject_id=str(version.contract_id),
                            payload={"contract_number": version.contract.number, "version_id": version.pk,
                                     "version_no": version.number, "terms_sha256": version.terms_sha256,
                                     "pdf_sha256": stored.sha256, "size": stored.size,
                                     "pages": rendered.page_count})
    except IntegrityError:
        return RenderedVersion.objects.get(version=version)
    return record


def rendered_pdf_bytes(*, rendering: RenderedVersion) -> bytes:
    """The archived bytes (hash re-checked on read)."""
    return archive_get(rendering.pdf_id)


def rendering_matches_archive(*, rendering: RenderedVersion) -> bool:
    """Re-render and compare: rendering is deterministic, so any difference is tampering or drift."""
    return render_contract_pdf(document_for_version(rendering.version)).pdf == rendered_pdf_bytes(
        rendering=rendering)
