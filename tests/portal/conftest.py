"""Fixtures for the worker's pages: invitations (with or without the whole flow) and a walking client."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pytest
from django.test import Client

from contracts_platform.contracts.models import Contract
from contracts_platform.identity.invitations import invitation_create
from contracts_platform.identity.models import OtpChallenge, SigningInvitation
from contracts_platform.parties.models import Worker
from contracts_platform.portal.models import ReadingDocument
from tests.notifications.helpers import otp_code

# The flow's fixtures, wherever they are defined (tests/workflows/conftest.py re-exports them).
from tests.workflows.conftest import demo_outbox, handwritten_png, latest_signing_token, ready_contract, signatory  # noqa: F401
from workflows import services as flow

# A phone's browser, so the evidence carries something like what a worker would send.
PHONE_UA = "Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 Mobile MicroMessenger/8.0"


@dataclass
class Sent:
    contract: Contract
    worker: Worker
    token: str
    invitation: SigningInvitation


@pytest.fixture
def invited(ready_contract) -> Sent:  # noqa: F811
    """An invitation without the flow (fast): enough for the link, identity and OTP pages."""
    invitation, token = invitation_create(version=ready_contract.current_version, worker=ready_contract.worker,
                                          actor=None)
    return Sent(contract=ready_contract, worker=ready_contract.worker, token=token, invitation=invitation)


@pytest.fixture
def sealed_invited(invited) -> Sent:
    """``invited`` plus the employer-sealed PDF (no flow): enough to read, not to sign."""
    from signing.django_app.services import employer_seal_apply

    employer_seal_apply(version=invited.contract.current_version)
    return invited


@pytest.fixture
def sent(ready_contract, hr, signatory, demo_outbox) -> Sent:  # noqa: F811
    """The real flow up to the worker's SMS (needs ``django_db(transaction=True)`` for the background steps)."""
    flow.contract_signing_start(contract=ready_contract, user=hr)
    flow.approval_decide(contract=ready_contract, user=signatory, approved=True)
    ready_contract.refresh_from_db()
    token = latest_signing_token(ready_contract.worker.phone)
    invitation = SigningInvitation.objects.get(contract=ready_contract, state="active")
    return Sent(contract=ready_contract, worker=ready_contract.worker, token=token, invitation=invitation)


@pytest.fixture
def phone_client() -> Client:
    return Client(HTTP_USER_AGENT=PHONE_UA, REMOTE_ADDR="10.1.2.3")


def code_for(phone: str, purpose: str) -> str:
    """The newest code texted to ``phone`` for ``purpose``, read from the outbox like the demo does."""
    return otp_code(OtpChallenge.objects.filter(phone=phone, purpose=purpose, sent=True).latest("created_at", "id"))


def pass_identity(client: Client, s: Sent) -> None:
    r = client.post(f"/s/{s.token}/identity/", {"name": s.worker.name, "id_number": s.worker.id_number})
    assert r.status_code == 302 and r.url.endswith("/code/"), r.content.decode()[:2000]
    r = client.post(f"/s/{s.token}/code/", {"action": "verify", "code": code_for(s.worker.phone, "identity")})
    assert r.status_code == 302 and "/read/" in r.url, r.content.decode()[:2000]


def read_all(client: Client, s: Sent) -> int:
    r = client.get(f"/s/{s.token}/read/1/")
    assert r.status_code == 200
    pages = ReadingDocument.objects.get().pages
    for page in range(2, pages + 1):
        assert client.get(f"/s/{s.token}/read/{page}/").status_code == 200
    return pages


def confirm_intent(client: Client, s: Sent) -> None:
    r = client.post(f"/s/{s.token}/intent/", {"confirm": "on", "action": "send"})
    assert r.status_code == 302, r.content.decode()[:2000]
    r = client.post(f"/s/{s.token}/intent/",
                    {"confirm": "on", "action": "verify", "code": code_for(s.worker.phone, "signing")})
    assert r.status_code == 302 and r.url.endswith("/sign/"), r.content.decode()[:2000]


def signature_data_url() -> str:
    return "data:image/png;base64," + base64.b64encode(handwritten_png()).decode("ascii")
