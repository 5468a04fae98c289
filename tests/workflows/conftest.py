"""Fixtures for the signing process: a ready contract, the signatory, the worker's SMS link."""

from __future__ import annotations

import io
import re

from PIL import Image, ImageDraw

# The fixtures live in tests/conftest.py so every test package sees them; re-exported for imports.
from tests.conftest import demo_outbox, ready_contract, signatory  # noqa: F401


def latest_signing_token(phone: str) -> str:
    """The token from the newest signing SMS to ``phone``, as the worker would tap it."""
    from contracts_platform.notifications.models import OutboundMessage

    message = (OutboundMessage.objects.filter(recipient=phone, template__in=["signing_invitation",
                                                                             "signing_reminder"])
               .order_by("-pk").first())
    assert message is not None, "no signing SMS in the outbox"
    match = re.search(r"/s/([A-Za-z0-9_-]+)/", message.body)
    assert match, message.body
    return match.group(1)


def handwritten_png() -> bytes:
    image = Image.new("RGBA", (400, 160), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(20, 120), (80, 30), (140, 110), (200, 40), (260, 120), (380, 60)], fill=(10, 10, 10, 255), width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


INTENT = {"method": "sms_otp", "identity_check": "checksum_and_record", "read_to_end": True,
          "ip": "127.0.0.1", "user_agent": "pytest"}
