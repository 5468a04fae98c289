"""Worker login by phone + OTP: no phone enumeration, account created once, records linked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from freezegun import freeze_time

from contracts_platform.accounts.models import Role, User
from contracts_platform.identity.errors import IdentityFlowError, OtpError
from contracts_platform.identity.login import LOGIN_ACCOUNT_CONFLICT
from contracts_platform.identity.models import OtpChallenge, OtpPurpose
from contracts_platform.identity.services import worker_login_finish, worker_login_start
from contracts_platform.notifications.models import OutboundMessage
from contracts_platform.parties.identifiers import make_id_number
from contracts_platform.parties.models import Worker
from contracts_platform.parties.services import worker_create
from tests.conftest import make_user
from tests.notifications.helpers import otp_code, payloads

pytestmark = pytest.mark.django_db

UNKNOWN = "13600000000"
T0 = "2027-02-01 08:00:00+08:00"


def login_code(phone: str) -> str:
    return otp_code(OtpChallenge.objects.filter(phone=phone, purpose=OtpPurpose.LOGIN).latest("created_at"))


@pytest.fixture
def li_at_rival(rival, rival_hr, li) -> Worker:
    """The same person (same ID number and phone) also works for the rival employer."""
    return worker_create(employer=rival, created_by=rival_hr, name="李晓明",
                         id_number=make_id_number("370102", dt.date(1992, 5, 17), 101), phone=li.phone,
                         address="青岛")


class TestStart:
    def test_known_phone_gets_a_code(self, li):
        assert worker_login_start(phone=li.phone) is None
        (message,) = OutboundMessage.objects.all()
        assert message.recipient == li.phone and message.purpose == "otp:login" and "登录" in message.body

    def test_unknown_phone_looks_the_same_but_nothing_is_sent(self, li):
        assert worker_login_start(phone=UNKNOWN) is None
        assert not OutboundMessage.objects.exists() and payloads("otp.sent") == []
        with pytest.raises(OtpError) as exc:
            worker_login_finish(phone=UNKNOWN, code="123456")
        assert exc.value.code == "wrong"

    def test_throttling_is_the_same_for_known_and_unknown_phones(self, li):
        with freeze_time(T0):
            for phone in (li.phone, UNKNOWN):
                worker_login_start(phone=phone)
                with pytest.raises(OtpError) as exc:
                    worker_login_start(phone=phone)
                assert exc.value.code == "throttled"

    def test_malformed_phone(self):
        with pytest.raises(ValidationError):
            worker_login_start(phone="123")


class TestFinish:
    def test_first_login_creates_a_worker_account_and_links_all_records(self, li, li_at_rival):
        worker_login_start(phone=li.phone)
        user = worker_login_finish(phone=li.phone, code=login_code(li.phone))
        assert user.username == "w13812345678" and user.role == Role.WORKER and user.phone == li.phone
        assert not user.has_usable_password() and user.display_name == "李晓明"
        assert set(user.worker_records.all()) == {li, li_at_rival}
        (event,) = payloads("worker.logged_in")
        assert event["worker_ids"] == sorted([li.pk, li_at_rival.pk]) and event["phone"] == "138****5678"

    def test_next_login_reuses_the_account_and_links_only_new_records(self, li, rival, rival_hr):
        with freeze_time(T0) as clock:
            worker_login_start(phone=li.phone)
            user = worker_login_finish(phone=li.phone, code=login_code(li.phone))
            later = worker_create(employer=rival, created_by=rival_hr, name="李晓明",
                                  id_number=make_id_number("370102", dt.date(1992, 5, 17), 101), phone=li.phone,
                                  address="青岛")
            clock.tick(dt.timedelta(minutes=2))
            worker_login_start(phone=li.phone)
            again = worker_login_finish(phone=li.phone, code=login_code(li.phone))
        assert again == user and User.objects.filter(role=Role.WORKER).count() == 1
        assert payloads("worker.logged_in")[1]["worker_ids"] == [later.pk]

    def test_records_linked_to_someone_else_stay_as_they_are(self, li, li_at_rival):
        other = make_user("someone", role=Role.WORKER)
        Worker.objects.filter(pk=li_at_rival.pk).update(user=other)
        worker_login_start(phone=li.phone)
        user = worker_login_finish(phone=li.phone, code=login_code(li.phone))
        li_at_rival.refresh_from_db()
        assert li_at_rival.user == other and list(user.worker_records.all()) == [li]

    def test_wrong_code_creates_nothing(self, li):
        worker_login_start(phone=li.phone)
        code = login_code(li.phone)
        with pytest.raises(OtpError) as exc:
            worker_login_finish(phone=li.phone, code=f"{(int(code) + 1) % 1_000_000:06d}")
        assert exc.value.code == "wrong" and not User.objects.filter(role=Role.WORKER).exists()

    def test_username_taken_by_a_non_worker_is_refused(self, li):
        make_user("w13812345678", role=Role.EMPLOYER_HR)
        worker_login_start(phone=li.phone)
        with pytest.raises(IdentityFlowError) as exc:
            worker_login_finish(phone=li.phone, code=login_code(li.phone))
        assert exc.value.code == "account_conflict" and exc.value.message == _(LOGIN_ACCOUNT_CONFLICT)
        li.refresh_from_db()
        assert li.user is None
