"""Two simultaneous sign submissions for one contract: exactly one signature (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from contracts_platform.identity.invitations import invitation_resolve
from signing.django_app.models import SignedDocument
from tests.workflows.conftest import INTENT, handwritten_png, latest_signing_token
from workflows import services

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_signatures_produce_exactly_one(ready_contract, hr, signatory, demo_outbox):
    if connection.vendor != "postgresql":
        pytest.skip("row-level locking is what is tested; SQLite serialises whole transactions")
    services.contract_signing_start(contract=ready_contract, user=hr)
    services.approval_decide(contract=ready_contract, user=signatory, approved=True)
    token = latest_signing_token(ready_contract.worker.phone)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit():
        try:
            invitation = invitation_resolve(token=token)
            barrier.wait(timeout=10)
            services.worker_sign(invitation=invitation, signature_png=handwritten_png(), intent=INTENT)
            outcomes.append("signed")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        except Exception as exc:
            outcomes.append(f"unexpected: {exc!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(outcomes)[0] == "signed" and outcomes.count("signed") == 1, outcomes
    assert any("已经签署" in o or "已使用" in o or "used" in o for o in outcomes if o != "signed"), outcomes
    assert SignedDocument.objects.filter(version=ready_contract.current_version, stage="signed").count() == 1
