"""Identity checks: the default provider, the record and evidence they leave, the failure lockout."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.translation import gettext as _
from freezegun import freeze_time

from contracts_platform.identity.errors import IDENTITY_LOCKED, IdentityError, InvitationError
from contracts_platform.identity.models import IdentityCheck
from contracts_platform.identity.providers import (
    ChecksumAndRecordProvider,
    IdentityResult,
    normalise_name,
)
from contracts_platform.identity.services import identity_verify, invitation_consume, invitation_create
from contracts_platform.parties.identifiers import make_id_number
from contracts_platform.parties.services import worker_create
from tests.notifications.helpers import all_evidence_text, evidence, payloads

pytestmark = pytest.mark.django_db

LI_ID = make_id_number("370102", dt.date(1992, 5, 17), 101)
OTHER_ID = make_id_number("370102", dt.date(1992, 5, 17), 102)  # well-formed, someone else's
BAD_CHECK = LI_ID[:17] + ("0" if LI_ID[17] != "0" else "1")
META = {"REMOTE_ADDR": "198.51.100.23", "HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) HeQianTest"}
T0 = "2027-01-05 20:00:00+08:00"


def verify(invitation, name: str = "李晓明", id_number: str = LI_ID) -> IdentityResult:
    return identity_verify(invitation=invitation, claimed_name=name, claimed_id_number=id_number, request_meta=META)


class TestDefaultProvider:
    def test_right_name_and_id_pass(self, invitation):
        result = verify(invitation)
        assert result == IdentityResult(ok=True, method="checksum+record", reasons=())

    def test_wrong_check_digit(self, invitation):
        result = verify(invitation, id_number=BAD_CHECK)
        assert not result.ok and result.reasons == ("id_check_digit",)

    def test_well_formed_id_of_another_person(self, invitation):
        result = verify(invitation, id_number=OTHER_ID)
        assert not result.ok and result.reasons == ("id_mismatch",)

    def test_malformed_id(self, invitation):
        assert verify(invitation, id_number="37010219920517").reasons == ("id_format",)

    def test_name_mismatch(self, invitation):
        result = verify(invitation, name="李小明")
        assert not result.ok and result.reasons == ("name_mismatch",)
        assert verify(invitation, name="").reasons == ("name_mismatch",)

    def test_full_width_characters_and_spaces_are_normalised(self, invitation):
        full_width_id = " ".join("".join(chr(ord(c) + 0xFEE0) for c in LI_ID[i:i + 6]) for i in (0, 6, 12))
        assert verify(invitation, name="　李　晓明 ", id_number=full_width_id).ok

    def test_lowercase_x_check_character(self, acme, hr):
        number = next(n for n in (make_id_number("370102", dt.date(1988, 8, 8), s) for s in range(1, 999))
                      if n.endswith("X"))
        worker = worker_create(employer=acme, created_by=hr, name="阿卜杜·热合曼", id_number=number,
                               phone="13700000001", address="济南")
        result = ChecksumAndRecordProvider().check(worker=worker, claimed_name="阿卜杜•热合曼",
                                                   claimed_id_number=number.lower())
        assert result.ok

    def test_name_normalisation(self):
        assert normalise_name("  王　芳 ") == "王芳"
        assert normalise_name("阿卜杜・热合曼") == normalise_name("阿卜杜·热合曼") == normalise_name("阿卜杜.热合曼")


class TestRecords:
    def test_each_check_is_recorded_with_evidence(self, invitation, contract):
        verify(invitation, id_number=OTHER_ID)
        verify(invitation)
        checks = list(IdentityCheck.objects.order_by("created_at", "id"))
        assert [c.ok for c in checks] == [False, True]
        assert checks[0].ip == "198.51.100.23" and "HeQianTest" in checks[0].user_agent
        events = evidence("identity.checked")
        assert [c.evidence_seq for c in checks] == [e.seq for e in events]
        assert all((e.subject_type, e.subject_id) == ("contract", str(contract.pk)) for e in events)
        failed, passed = payloads("identity.checked")
        assert failed["result"] == "failed" and failed["reasons"] == ["id_mismatch"]
        assert failed["id_number"] == OTHER_ID[:3] + "*" * 11 + OTHER_ID[-4:]
        assert passed["result"] == "passed" and passed["method"] == "checksum+record"
        assert passed["ip"] == "198.51.100.23" and passed["user_agent"] == META["HTTP_USER_AGENT"]
        assert LI_ID not in all_evidence_text() and OTHER_ID not in all_evidence_text()

    def test_provider_is_pluggable(self, invitation, settings):
        settings.HEQIAN_IDENTITY_PROVIDER = "tests.identity.test_identity_verify.AlwaysFaceProvider"
        assert verify(invitation, name="nobody", id_number="x") == IdentityResult(ok=True, method="face", reasons=())
        assert payloads("identity.checked")[0]["method"] == "face"


class AlwaysFaceProvider:
    method = "face"

    def check(self, *, worker, claimed_name, claimed_id_number) -> IdentityResult:
        return IdentityResult(ok=True, method=self.method)


class TestLockout:
    def test_five_failures_in_an_hour_lock_the_invitation(self, contract, li, hr):
        with freeze_time(T0) as clock:
            invitation, _token = invitation_create(version=contract.current_version, worker=li, actor=hr)
            for _n in range(5):
                assert not verify(invitation, id_number=OTHER_ID).ok
                clock.tick(dt.timedelta(minutes=1))
            with pytest.raises(IdentityError) as exc:
                verify(invitation)  # even the right data is refused now
            assert exc.value.code == "locked" and exc.value.message == _(IDENTITY_LOCKED).format(minutes=55)
            assert IdentityCheck.objects.count() == 5
            clock.tick(dt.timedelta(minutes=55))
            assert verify(invitation).ok

    def test_successes_do_not_count(self, invitation):
        for _n in range(4):
            verify(invitation, id_number=OTHER_ID)
        for _n in range(3):
            assert verify(invitation).ok
        assert not verify(invitation, id_number=OTHER_ID).ok
        with pytest.raises(IdentityError):
            verify(invitation)

    def test_a_used_invitation_cannot_be_checked(self, invitation):
        invitation_consume(invitation=invitation)
        with pytest.raises(InvitationError) as exc:
            verify(invitation)
        assert exc.value.code == "used"
