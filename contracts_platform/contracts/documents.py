"""From a stored contract version to the document the renderer prints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from contracts_platform.contracts.models import ContractVersion

if TYPE_CHECKING:
    from contracts_platform.documents.rendering import ContractDocument


def verify_url_for(version: ContractVersion) -> str:
    """What the QR code on every page points to: the public check of this exact version."""
    try:
        path = reverse("verify:document", kwargs={"sha256": version.terms_sha256})
    except NoReverseMatch:  # the public verification page arrives with the signing issue
        path = f"/verify/{version.terms_sha256}/"
    return f"{settings.SITE_URL}{path}"


def document_for_version(version: ContractVersion) -> ContractDocument:
    from contracts_platform.contracts.model_texts import spec_from_content
    from contracts_platform.documents.rendering import ContractDocument

    contract = version.contract
    return ContractDocument(
        spec=spec_from_content(contract.model_text.content), terms=version.full_terms(),
        contract_number=contract.number, version_no=version.number, terms_sha256=version.terms_sha256,
        verify_url=verify_url_for(version), issued_at=version.created_at)


def contract_version_html(version: ContractVersion) -> str:
    from contracts_platform.documents.rendering import render_contract_html

    return render_contract_html(document_for_version(version))
