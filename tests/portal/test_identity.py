"""Identity (name + ID number) then the SMS code; nothing later is reachable before both."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _
from freezegun import freeze_time

from contracts_platform.identity.errors import OTP_NO_CHALLENGE
from contracts_platform.identity.models import IdentityCheck, OtpChallenge
from contracts_platform.identity.verification import IDENTITY_FAILED
from contracts_platform.parties.identifiers import make_id_number
from contracts_platform.portal.forms import ID_CHECK_DIGIT, ID_FORMAT
from contracts_platform.portal.signing_views import IDENTITY_AGAIN
from tests.portal.conftest import code_for, pass_identity

pytestmark = pytest.mark.django_db

OTHER_ID = make_id_number("370102", dt.date(1992, 5, 17), 102)  # valid check digit, not Li's


def post_identity(client, s, name=None, id_number=None):
    return client.post(f"/s/{s.token}/identity/", {"name": s.worker.name if name is None else name,
                                                  "id_number": s.worker.id_number if id_number is None else id_number})


class TestIdentity:
    def test_right_name_and_id_send_a_code_to_the_phone_on_file(self, client, invited):
        response = post_identity(client, invited)
        assert response.status_code == 302 and response.url == f"/s/{invited.token}/code/"
        challenge = OtpChallenge.objects.get(purpose="identity")
        assert challenge.phone == invited.worker.phone and challenge.subject_id == str(invited.contract.pk)
        page = client.get(response.url).content.decode()
        assert "138****5678" in page and invited.worker.phone not in page
        assert IdentityCheck.objects.get().ok

    def test_lowercase_x_and_full_width_digits_are_accepted(self, client, invited, li):
        response = post_identity(client, invited, id_number="".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c
                                                                    for c in li.id_number.lower()))
        assert response.status_code == 302

    @pytest.mark.parametrize("name, id_number", [("李小明", None), (None, OTHER_ID)])
    def test_wrong_name_or_id_is_refused_without_saying_which(self, client, invited, name, id_number):
        response = post_identity(client, invited, name=name, id_number=id_number)
        assert response.status_code == 200
        body = response.content.decode()
        assert _(IDENTITY_FAILED) in body and "还可以再试 4 次" in body
        assert not OtpChallenge.objects.exists()
        assert client.get(f"/s/{invited.token}/code/").url == f"/s/{invited.token}/identity/"

    @pytest.mark.parametrize("id_number, message", [("37010219920517", ID_FORMAT),
                                                    (OTHER_ID[:-1] + ("0" if OTHER_ID[-1] != "0" else "1"),
                                                     ID_CHECK_DIGIT)])
    def test_typos_are_caught_before_they_count_as_an_attempt(self, client, invited, id_number, message):
        response = post_identity(client, invited, id_number=id_number)
        assert response.status_code == 200 and _(message) in response.content.decode()
        assert not IdentityCheck.objects.exists()

    def test_five_failures_lock_the_link_for_an_hour_with_minutes_shown(self, client, invited):
        for _i in range(5):
            response = post_identity(client, invited, name="王五")
        assert response.status_code == 429
        body = response.content.decode()
        assert "分钟后再试" in body and 'name="id_number"' not in body
        # Even the right answer is refused while locked.
        assert post_identity(client, invited).status_code == 429
        assert IdentityCheck.objects.filter(ok=True).count() == 0
        with freeze_time(timezone.now() + dt.timedelta(minutes=61)):
            assert post_identity(client, invited).status_code == 302

    def test_identity_expires_after_an_hour(self, client, sealed_invited):
        pass_identity(client, sealed_invited)
        assert client.get(f"/s/{sealed_invited.token}/read/1/").status_code == 200
        with freeze_time(timezone.now() + dt.timedelta(minutes=61)):
            response = client.get(f"/s/{sealed_invited.token}/read/1/", follow=True)
        assert response.redirect_chain[-1][0] == f"/s/{sealed_invited.token}/identity/"
        assert _(IDENTITY_AGAIN) in response.content.decode()

    def test_identity_is_per_session(self, client, django_user_model, invited):
        from django.test import Client

        post_identity(client, invited)
        other = Client()
        assert other.get(f"/s/{invited.token}/code/").url == f"/s/{invited.token}/identity/"


class TestCode:
    def test_wrong_code_says_how_many_tries_are_left(self, client, invited):
        post_identity(client, invited)
        right = code_for(invited.worker.phone, "identity")
        wrong = "000000" if right != "000000" else "111111"
        response = client.post(f"/s/{invited.token}/code/", {"action": "verify", "code": wrong})
        assert response.status_code == 200 and "验证码不正确，还可以再试 4 次" in response.content.decode()
        response = client.post(f"/s/{invited.token}/code/", {"action": "verify", "code": "12ab"})
        assert "6位数字验证码" in response.content.decode()
        response = client.post(f"/s/{invited.token}/code/", {"action": "verify", "code": right})
        assert response.status_code == 302 and "/read/1/" in response.url

    def test_five_wrong_codes_lock_and_say_for_how_long(self, client, invited):
        post_identity(client, invited)
        right = code_for(invited.worker.phone, "identity")
        wrong = "000000" if right != "000000" else "111111"
        for _i in range(5):
            response = client.post(f"/s/{invited.token}/code/", {"action": "verify", "code": wrong})
        assert response.status_code == 429 and "15 分钟后重新获取" in response.content.decode()

    def test_resend_is_throttled_with_a_message(self, client, invited):
        post_identity(client, invited)
        response = client.post(f"/s/{invited.token}/code/", {"action": "resend"}, follow=True)
        assert "秒后再试" in response.content.decode()
        assert OtpChallenge.objects.filter(purpose="identity").count() == 1

    def test_a_used_code_cannot_be_used_in_another_session(self, client, invited):
        from django.test import Client

        post_identity(client, invited)
        code = code_for(invited.worker.phone, "identity")
        assert client.post(f"/s/{invited.token}/code/", {"action": "verify", "code": code}).status_code == 302
        other = Client()
        post_identity(other, invited)  # throttled resend: no new code, the old one is consumed
        response = other.post(f"/s/{invited.token}/code/", {"action": "verify", "code": code})
        assert _(OTP_NO_CHALLENGE) in response.content.decode()


class TestGates:
    def test_nothing_after_identity_is_reachable_before_it(self, client, sealed_invited):
        t = sealed_invited.token
        for path in ("code/", "read/1/", "intent/", "sign/", "decline/"):
            response = client.get(f"/s/{t}/{path}")
            assert response.status_code == 302 and response.url == f"/s/{t}/identity/", path
        assert client.get(f"/s/{t}/read/1.png").status_code == 404

    def test_nothing_after_the_code_is_reachable_before_it(self, client, sealed_invited):
        t = sealed_invited.token
        post_identity(client, sealed_invited)
        for path in ("read/1/", "intent/", "sign/", "decline/"):
            response = client.get(f"/s/{t}/{path}")
            assert response.status_code == 302 and response.url == f"/s/{t}/code/", path
        assert client.get(f"/s/{t}/read/1.png").status_code == 404
