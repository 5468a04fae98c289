"""Helpers shared by the notifications and identity tests: reading evidence and the outbox."""

from __future__ import annotations

import json
import re
from typing import Any

from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.identity.models import OtpChallenge
from contracts_platform.notifications.models import OutboundMessage

_CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def evidence(event_type: str) -> list[EvidenceEvent]:
    return list(EvidenceEvent.objects.filter(event_type=event_type).order_by("seq"))


def payloads(event_type: str) -> list[dict[str, Any]]:
    return [json.loads(e.payload) for e in evidence(event_type)]


def all_evidence_text() -> str:
    return "\n".join(EvidenceEvent.objects.values_list("payload", flat=True))


def otp_code(challenge: OtpChallenge) -> str:
    """Read the code the way the demo does: from the SMS body in the outbox."""
    body = OutboundMessage.objects.get(pk=challenge.message_id).body
    return _CODE.search(body).group(1)


def row_text(obj: Any) -> str:
    """Every stored column of a model row as one string, to search for leaked secrets."""
    return " ".join(str(getattr(obj, f.attname)) for f in obj._meta.concrete_fields)
