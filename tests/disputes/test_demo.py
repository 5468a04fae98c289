"""``run_dispute_demo``: the dispute step of the headless demo, on a contract signed through the real process."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from contracts_platform.disputes.demo import run_dispute_demo
from contracts_platform.disputes.models import CaseStatus, DisputeCase
from contracts_platform.disputes.selectors import evidence_packages_available

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(not evidence_packages_available(),
                                 reason="contracts_platform.evidence (evidence_package_build) is not installed yet")]


def test_run_dispute_demo(signed_contract):
    result = run_dispute_demo(signed_contract)
    assert set(result) == {"case_number", "route", "package_sha256", "package_bytes"}
    assert result["route"] == "fast_track"
    assert hashlib.sha256(result["package_bytes"]).hexdigest() == result["package_sha256"]
    with zipfile.ZipFile(io.BytesIO(result["package_bytes"])) as archive:
        assert archive.testzip() is None and archive.namelist()
    case = DisputeCase.objects.get(number=result["case_number"])
    assert case.status == CaseStatus.ARBITRATION and case.arbitrator.username == "arbitrator"
