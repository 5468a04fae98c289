"""Evidence event types known to the archive.

The archive only appends; each domain owns its events and writes them through
``archive.services.evidence_append`` from its own ``events.py`` (one function
per event). The constants live here so that the log's vocabulary is listed in
one place. ``EvidenceEvent.event_type`` is deliberately not restricted to these
choices: a new domain event must not need an archive migration.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    # Suggested shape (the contracts domain decides): subject ("contract", <id>) so that a
    # contract's whole event slice is one indexed query, and the version in the payload.
    CONTRACT_VERSION_CREATED = "contract.version_created", _("合同版本已创建")
    """Payload: ``version_id``, ``version_no``, ``terms_sha256`` (canonical hash of the terms)."""
    CONTRACT_VERSION_RENDERED = "contract.version_rendered", _("合同版本已生成 PDF")
    """Payload: ``version_id``, ``pdf_sha256`` (the PDF's archive key), ``size``."""
    CONTRACT_PREVIEW_VIEWED = "contract.preview_viewed", _("合同预览已查看")
    """Payload: ``version_id``, ``pdf_sha256``, ``ip``, ``user_agent``."""
