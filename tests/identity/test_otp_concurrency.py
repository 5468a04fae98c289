"""Two verifies of the same right code at the same moment: exactly one passes (PostgreSQL row locks)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from contracts_platform.identity.errors import OtpError
from contracts_platform.identity.models import OtpPurpose
from contracts_platform.identity.services import otp_send, otp_verify
from tests.notifications.helpers import otp_code, payloads

PHONE = "13812345678"
THREADS = 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_verifies_of_one_code_pass_exactly_once(settings) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT ... FOR UPDATE)")
    # Real commits deliver the SMS at once; demo mode keeps the code readable in the outbox.
    settings.HEQIAN_DEMO_OUTBOX = True
    code = otp_code(otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING))
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            barrier.wait()
            otp_verify(phone=PHONE, purpose=OtpPurpose.SIGNING, code=code)
            outcomes.append("passed")
        except OtpError as exc:
            outcomes.append(exc.code)
        except BaseException as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sorted(outcomes) == ["no_challenge", "passed"]
    assert len(payloads("otp.passed")) == 1
