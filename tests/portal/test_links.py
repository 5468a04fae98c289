"""The SMS link: every kind of bad link gets a friendly page with the right status; a good one explains first."""

from __future__ import annotations

import datetime as dt
import json
import secrets

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.contracts.models import ModelText
from contracts_platform.contracts.services import contract_create
from contracts_platform.identity.errors import (
    INVITATION_EXPIRED,
    INVITATION_REVOKED,
    INVITATION_UNKNOWN,
    INVITATION_USED,
)
from contracts_platform.identity.invitations import invitation_consume, invitation_create
from contracts_platform.identity.models import SigningInvitation
from contracts_platform.parties.identifiers import make_credit_code, make_id_number
from contracts_platform.parties.models import EmployerRole
from contracts_platform.parties.services import employer_create, membership_add, worker_create
from tests.conftest import make_user
from tests.contracts.factories import valid_fields

pytestmark = pytest.mark.django_db


class TestBadLinks:
    @pytest.mark.parametrize("token", [secrets.token_urlsafe(32), "abc", "x" * 43, "%3Cscript%3E"])
    def test_unknown_link_is_a_404_page_not_an_error(self, client, token):
        response = client.get(f"/s/{token}/")
        assert response.status_code == 404
        assert _(INVITATION_UNKNOWN) in response.content.decode()
        assert "签署链接无法使用" in response.content.decode()

    def test_expired_link_is_410_and_says_ask_the_employer(self, client, invited):
        SigningInvitation.objects.filter(pk=invited.invitation.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1))
        response = client.get(f"/s/{invited.token}/")
        assert response.status_code == 410
        assert _(INVITATION_EXPIRED) in response.content.decode()

    def test_used_link_is_410_and_points_to_my_contracts(self, client, invited):
        invitation_consume(invitation=invited.invitation)
        response = client.get(f"/s/{invited.token}/")
        assert response.status_code == 410
        body = response.content.decode()
        assert _(INVITATION_USED) in body and 'href="/w/login/"' in body

    def test_link_replaced_by_a_newer_sms_is_410_revoked(self, client, invited):
        invitation_create(version=invited.contract.current_version, worker=invited.worker, actor=None)
        response = client.get(f"/s/{invited.token}/")
        assert response.status_code == 410
        assert _(INVITATION_REVOKED) in response.content.decode()

    def test_every_step_of_a_bad_link_gets_the_same_page(self, client, invited):
        invitation_consume(invitation=invited.invitation)
        for path in ("identity/", "code/", "read/1/", "read/1.png", "intent/", "sign/", "decline/"):
            response = client.get(f"/s/{invited.token}/{path}")
            assert response.status_code == 410, path
        response = client.post(f"/s/{invited.token}/sign/", {"signature": "data:image/png;base64,AAAA"})
        assert response.status_code == 410


class TestLanding:
    def test_explains_who_what_free_and_how_then_records_the_opening(self, client, invited):
        response = client.get(f"/s/{invited.token}/", HTTP_USER_AGENT="Mozilla/5.0 MicroMessenger",
                              REMOTE_ADDR="10.9.8.7")
        assert response.status_code == 200
        body = response.content.decode()
        for text in ("济南阿克米物流有限公司", invited.contract.number, "固定期限", "仓储管理员",
                     "不收取您任何费用", "核验身份", "阅读全文", "手写签名", "我的合同", "138****5678"):
            assert text in body, text
        assert '<html lang="zh-CN">' in body
        assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
        (event,) = EvidenceEvent.objects.filter(event_type="invitation.opened")
        payload = json.loads(event.payload)
        assert payload["ip"] == "10.9.8.7" and "MicroMessenger" in payload["user_agent"]
        # Opening again is not a second "first opening".
        client.get(f"/s/{invited.token}/")
        assert EvidenceEvent.objects.filter(event_type="invitation.opened").count() == 1

    def test_no_outside_hosts_and_small_pages(self, client, invited):
        body = client.get(f"/s/{invited.token}/").content
        assert b"http://" not in body.replace(b"http://testserver", b"") and b"https://" not in body
        assert len(body) < 12_000

    def test_language_switch_is_offered(self, client, invited):
        body = client.get(f"/s/{invited.token}/").content.decode()
        assert 'action="/i18n/setlang/"' in body and 'value="en"' in body


class TestEscaping:
    def test_employer_entered_text_is_escaped(self, client, hr):
        evil = employer_create(name='<script>alert("x")</script>公司',
                               credit_code=make_credit_code("91370102MA3EC0003"), legal_representative="某某",
                               address="济南", region="370102")
        user = make_user("evilhr")
        membership_add(employer=evil, user=user, role=EmployerRole.HR)
        worker = worker_create(employer=evil, created_by=user, name="张三",
                               id_number=make_id_number("370102", dt.date(1990, 3, 3), 303), phone="13700001111",
                               address="济南")
        contract = contract_create(
            employer=evil, worker=worker, model_text=ModelText.objects.get(contract_type="fixed_term", is_current=True),
            fields=valid_fields(job_title='<img src=x onerror="alert(1)">'), user=user, mark_ready=True,
            acknowledge_warnings=True)
        _invitation, token = invitation_create(version=contract.current_version, worker=worker, actor=None)
        body = client.get(f"/s/{token}/").content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;公司" in body
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body
