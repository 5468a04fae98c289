"""Background rendering. Thin: ids in, service call, retries here."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError


@shared_task(name="documents.render_version", bind=True, acks_late=True,
             autoretry_for=(OperationalError, OSError), retry_backoff=2, max_retries=3,
             soft_time_limit=90, time_limit=120)
def render_version(self: object, version_id: int) -> str:
    """Render and archive one contract version; returns the PDF's SHA-256. Safe to redeliver."""
    from contracts_platform.contracts.models import ContractVersion
    from contracts_platform.documents.services import contract_version_render

    version = ContractVersion.objects.select_related("contract__model_text").get(pk=version_id)
    return contract_version_render(version=version).pdf_id
