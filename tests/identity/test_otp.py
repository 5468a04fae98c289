"""OTP: single use, 5 wrong tries lock, 5-minute expiry, resend throttle, hashed at rest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.translation import gettext as _
from freezegun import freeze_time

from contracts_platform.identity.errors import (
    OTP_EXPIRED,
    OTP_LOCKED,
    OTP_NO_CHALLENGE,
    OTP_THROTTLED,
    OTP_WRONG,
    OtpError,
)
from contracts_platform.identity.models import OtpChallenge, OtpPurpose
from contracts_platform.identity.services import otp_send, otp_verify
from contracts_platform.notifications.models import OutboundMessage
from tests.notifications.helpers import all_evidence_text, evidence, otp_code, payloads, row_text

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
T0 = "2027-03-01 09:00:00+08:00"


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def refused(code: str, *, purpose: str = OtpPurpose.SIGNING, phone: str = PHONE) -> OtpError:
    with pytest.raises(OtpError) as exc:
        otp_verify(phone=phone, purpose=purpose, code=code)
    return exc.value


class TestVerify:
    def test_right_code_passes_once(self, contract):
        challenge = otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING, subject=contract)
        code = otp_code(challenge)
        assert otp_verify(phone=PHONE, purpose=OtpPurpose.SIGNING, code=code) is None
        challenge.refresh_from_db()
        assert challenge.consumed_at is not None
        error = refused(code)
        assert error.code == "no_challenge" and error.message == _(OTP_NO_CHALLENGE)

    def test_evidence_sent_and_passed_filed_under_the_subject(self, contract):
        challenge = otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING, subject=contract)
        otp_verify(phone=PHONE, purpose=OtpPurpose.SIGNING, code=otp_code(challenge))
        (sent,) = evidence("otp.sent")
        (passed,) = evidence("otp.passed")
        for event in (sent, passed):
            assert (event.subject_type, event.subject_id) == ("contract", str(contract.pk))
        assert payloads("otp.sent")[0]["phone"] == "138****5678"
        assert payloads("otp.passed")[0]["attempts"] == 1
        # The SMS is filed under the same subject, so the contract's export shows the notice too.
        (queued,) = evidence("notification.queued")
        assert (queued.subject_type, queued.subject_id) == ("contract", str(contract.pk))

    def test_full_width_digits_and_spaces_are_accepted(self):
        code = otp_code(otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING))
        full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
        otp_verify(phone=PHONE, purpose=OtpPurpose.SIGNING, code=f" {full_width} ")

    def test_codes_do_not_cross_purposes_or_phones(self):
        code = otp_code(otp_send(phone=PHONE, purpose=OtpPurpose.LOGIN))
        assert refused(code, purpose=OtpPurpose.SIGNING).code == "no_challenge"
        assert refused(code, purpose=OtpPurpose.LOGIN, phone="13900000000").code == "no_challenge"
        otp_verify(phone=PHONE, purpose=OtpPurpose.LOGIN, code=code)

    def test_a_new_code_replaces_the_old_one(self):
        with freeze_time(T0) as clock:
            old = otp_code(otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING))
            clock.tick(dt.timedelta(seconds=61))
            new = otp_code(otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING))
            if old != new:
                assert refused(old).code == "wrong"
            otp_verify(phone=PHONE, purpose=OtpPurpose.SIGNING, code=new)


class TestWrongTries:
    def test_five_wrong_codes_lock_and_the_right_one_is_refused_after(self):
        challenge = otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING)
        code = otp_code(challenge)
        for remaining in (4, 3, 2, 1):
            error = refused(wrong(code))
            assert error.code == "wrong" and error.message == _(OTP_WRONG).format(remaining=remaining)
        error = refused(wrong(code))
        assert error.code == "locked" and error.message == _(OTP_LOCKED).format(minutes=15)
        sixth = refused(code)
        assert sixth.code == "locked"
        challenge.refresh_from_db()
        assert challenge.attempts == 5 and challenge.locked_at and challenge.consumed_at is None
        failed = payloads("otp.failed")
        assert [p["attempts"] for p in failed] == [1, 2, 3, 4, 5, 5]
        assert [p["reason"] for p in failed] == ["wrong"] * 4 + ["locked", "locked"]

    def test_no_new_code_for_15_minutes_after_a_lock(self):
        with freeze_time(T0) as clock:
            code = otp_code(otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING))
            for _try in range(5):
                refused(wrong(code))
            clock.tick(dt.timedelta(minutes=14, seconds=59))
            with pytest.raises(OtpError) as exc:
                otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING)
            assert exc.value.code == "locked" and exc.value.message == _(OTP_LOCKED).format(minutes=1)
            clock.tick(dt.timedelta(seconds=1))
            fresh = otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING)
            otp_verify(phone=PHONE, purpose=OtpPurpose.SIGNING, code=otp_code(fresh))

    def test_wrong_tries_are_counted_even_though_the_caller_gets_an_exception(self):
        code = otp_code(otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING))
        refused(wrong(code))
        assert OtpChallenge.objects.get().attempts == 1


class TestExpiry:
    def test_code_expires_after_five_minutes(self):
        with freeze_time(T0) as clock:
            first = otp_code(otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING))
            clock.tick(dt.timedelta(minutes=5))
            error = refused(first)
            assert error.code == "expired" and error.message == _(OTP_EXPIRED)
            assert payloads("otp.failed")[-1]["reason"] == "expired"

    def test_code_still_works_just_before(self):
        with freeze_time(T0) as clock:
            code = otp_code(otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING))
            clock.tick(dt.timedelta(minutes=4, seconds=59))
            otp_verify(phone=PHONE, purpose=OtpPurpose.SIGNING, code=code)


class TestResendThrottle:
    def test_sixty_seconds_between_sends(self):
        with freeze_time(T0) as clock:
            otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING)
            clock.tick(dt.timedelta(seconds=20))
            with pytest.raises(OtpError) as exc:
                otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING)
            assert exc.value.code == "throttled" and exc.value.message == _(OTP_THROTTLED).format(seconds=40)
            # Another purpose has its own budget.
            otp_send(phone=PHONE, purpose=OtpPurpose.LOGIN)
            clock.tick(dt.timedelta(seconds=40))
            otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING)
        assert OutboundMessage.objects.filter(template="otp").count() == 3

    def test_at_most_five_per_hour(self):
        with freeze_time(T0) as clock:
            for _n in range(5):
                otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING)
                clock.tick(dt.timedelta(seconds=61))
            with pytest.raises(OtpError) as exc:
                otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING)
            assert exc.value.code == "throttled"
            # The window slides: an hour after the first send, one more is allowed.
            clock.move_to("2027-03-01 10:00:00+08:00")
            otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING)
        assert OtpChallenge.objects.count() == 6


class TestHashedAtRest:
    def test_the_code_is_only_in_the_sms_body(self, contract, django_capture_on_commit_callbacks, settings):
        settings.HEQIAN_DEMO_OUTBOX = True  # keep the delivered body readable, as the demo does
        with django_capture_on_commit_callbacks(execute=True):
            challenge = otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING, subject=contract)
        code = otp_code(challenge)
        refused(wrong(code))
        otp_verify(phone=PHONE, purpose=OtpPurpose.SIGNING, code=code)
        challenge.refresh_from_db()
        assert code not in row_text(challenge)
        assert len(challenge.code_hash) == 64 and challenge.salt
        assert code not in all_evidence_text()
        message = OutboundMessage.objects.get(pk=challenge.message_id)
        assert code in message.body
        assert code not in str(message.context) and code not in message.body_sha256
        assert [e.event_type for e in evidence("notification.delivered")] == ["notification.delivered"]

    def test_same_code_hashes_differently_per_challenge(self):
        from contracts_platform.identity.otp import _code_hash

        one = _code_hash(salt="a" * 32, phone=PHONE, purpose="signing", code="123456")
        two = _code_hash(salt="b" * 32, phone=PHONE, purpose="signing", code="123456")
        assert one != two and len(one) == 64


def test_invalid_phone_is_a_validation_error():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        otp_send(phone="0531-1234567", purpose=OtpPurpose.SIGNING)


class TestLanguages:
    def test_the_sms_is_chinese_and_errors_follow_the_users_language(self):
        from django.utils import translation

        with translation.override("en"):
            challenge = otp_send(phone=PHONE, purpose=OtpPurpose.SIGNING)
            error = refused(wrong(otp_code(challenge)))
            assert error.message == _(OTP_WRONG).format(remaining=4)
            assert error.message != OTP_WRONG.format(remaining=4)  # really translated, not the Chinese source
        assert OutboundMessage.objects.get().body.startswith("【和签】签署劳动合同验证码")
        assert error.extra == {"remaining": 4}
