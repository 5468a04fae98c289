"""Fixtures for the signing process: a ready contract, the signatory, the worker's SMS link."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image, ImageDraw

from contracts_platform.contracts.models import ModelText
from contracts_platform.contracts.services import contract_create
from contracts_platform.parties.models import EmployerRole
from contracts_platform.parties.services import membership_add
from tests.conftest import make_user
from tests.contracts.factories import valid_fields


@pytest.fixture
def signatory(acme):
    user = make_user("zhaojianguo", display_name="赵建国")
    membership_add(employer=acme, user=user, role=EmployerRole.SIGNATORY)
    return user


@pytest.fixture
def ready_contract(acme, li, hr):
    model_text = ModelText.objects.get(contract_type="fixed_term", is_current=True)
    return contract_create(employer=acme, worker=li, model_text=model_text, fields=valid_fields(), user=hr,
                           mark_ready=True, acknowledge_warnings=True)


@pytest.fixture
def demo_outbox(settings):
    settings.HEQIAN_DEMO_OUTBOX = True
    return settings


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
