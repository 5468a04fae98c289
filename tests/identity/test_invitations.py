"""Signing invitations: tokens never stored, single use, expiry, revocation, newest link wins."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils.translation import gettext as _
from freezegun import freeze_time

from contracts_platform.identity.errors import (
    INVITATION_EXPIRED,
    INVITATION_REVOKED,
    INVITATION_UNKNOWN,
    INVITATION_USED,
    InvitationError,
)
from contracts_platform.identity.models import InvitationState, SigningInvitation
from contracts_platform.identity.services import (
    invitation_consume,
    invitation_create,
    invitation_mark_opened,
    invitation_resolve,
    invitation_revoke,
    invitation_send,
    invitation_url,
)
from contracts_platform.notifications.models import OutboundMessage
from tests.notifications.helpers import all_evidence_text, evidence, payloads, row_text

pytestmark = pytest.mark.django_db


def refused(token: str) -> InvitationError:
    with pytest.raises(InvitationError) as exc:
        invitation_resolve(token=token)
    return exc.value


class TestCreateAndResolve:
    def test_token_resolves_and_is_stored_only_as_its_hash(self, invitation_and_token, contract, li):
        invitation, token = invitation_and_token
        assert len(token) == 43
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        stored = SigningInvitation.objects.get(pk=invitation.pk)
        assert token not in row_text(stored)
        assert token not in all_evidence_text()
        resolved = invitation_resolve(token=token)
        assert resolved == invitation and resolved.contract_version == contract.current_version
        assert resolved.worker == li and resolved.state == InvitationState.ACTIVE

    def test_default_ttl_is_seven_days_and_configurable(self, contract, li, hr, settings):
        invitation, _token = invitation_create(version=contract.current_version, worker=li, actor=hr)
        assert invitation.expires_at - invitation.created_at == dt.timedelta(days=7)
        settings.HEQIAN_INVITATION_TTL_DAYS = 2
        invitation, _token = invitation_create(version=contract.current_version, worker=li, actor=hr)
        assert invitation.expires_at - invitation.created_at == dt.timedelta(days=2)

    def test_created_event_binds_the_terms(self, invitation, contract, hr):
        (event,) = evidence("invitation.created")
        assert (event.subject_type, event.subject_id, event.actor) == ("contract", str(contract.pk), hr)
        assert payloads("invitation.created")[0]["terms_sha256"] == contract.current_version.terms_sha256

    def test_only_the_contracts_worker_can_be_invited(self, contract, rival_worker, hr):
        with pytest.raises(ValueError, match="not the contract's worker"):
            invitation_create(version=contract.current_version, worker=rival_worker, actor=hr)

    def test_url(self, settings):
        settings.SITE_URL = "https://heqian.example.cn"
        assert invitation_url("abc") == "https://heqian.example.cn/s/abc/"


class TestRefusals:
    def test_unknown_and_malformed_tokens(self, invitation):
        import secrets

        for token in (secrets.token_urlsafe(32), "short", "", "x" * 43 + "/", "../../etc/passwd"):
            error = refused(token)
            assert error.code == "unknown" and error.message == _(INVITATION_UNKNOWN)

    def test_expired(self, invitation_and_token):
        invitation, token = invitation_and_token
        with freeze_time(invitation.expires_at - dt.timedelta(seconds=1)):
            invitation_resolve(token=token)
        with freeze_time(invitation.expires_at):
            error = refused(token)
            assert error.code == "expired" and error.message == _(INVITATION_EXPIRED)
            with pytest.raises(InvitationError) as exc:
                invitation_consume(invitation=invitation)
            assert exc.value.code == "expired"

    def test_single_use(self, invitation_and_token):
        invitation, token = invitation_and_token
        used = invitation_consume(invitation=invitation_resolve(token=token))
        assert used.state == InvitationState.USED and used.used_at is not None
        error = refused(token)
        assert error.code == "used" and error.message == _(INVITATION_USED)
        with pytest.raises(InvitationError) as exc:
            invitation_consume(invitation=invitation)
        assert exc.value.code == "used"
        assert len(payloads("invitation.used")) == 1
        with pytest.raises(InvitationError) as exc:
            invitation_revoke(invitation=invitation, actor=None)
        assert exc.value.code == "used"

    def test_revoked(self, invitation_and_token, hr):
        invitation, token = invitation_and_token
        invitation_revoke(invitation=invitation, actor=hr)
        invitation_revoke(invitation=invitation, actor=hr)  # twice is a no-op
        error = refused(token)
        assert error.code == "revoked" and error.message == _(INVITATION_REVOKED)
        assert [p["reason"] for p in payloads("invitation.revoked")] == ["manual"]

    def test_a_new_invitation_revokes_the_older_ones(self, contract, li, hr):
        first, first_token = invitation_create(version=contract.current_version, worker=li, actor=hr)
        second, second_token = invitation_create(version=contract.current_version, worker=li, actor=hr)
        assert refused(first_token).code == "revoked"
        assert invitation_resolve(token=second_token) == second
        first.refresh_from_db()
        assert first.state == InvitationState.REVOKED and first.revoked_at is not None
        assert [p["invitation_id"] for p in payloads("invitation.revoked")] == [first.pk]
        assert payloads("invitation.revoked")[0]["reason"] == "superseded"
        assert SigningInvitation.objects.filter(state=InvitationState.ACTIVE).count() == 1


class TestSendAndOpen:
    def test_send_texts_the_link_and_keeps_the_token_out_of_stored_context(self, contract, li, hr):
        invitation = invitation_send(version=contract.current_version, worker=li, actor=hr)
        message = OutboundMessage.objects.get(pk=invitation.message_id)
        assert message.recipient == li.phone and message.template == "signing_invitation"
        assert contract.number in message.body and "/s/" in message.body
        token = message.body.split("/s/")[1].split("/")[0]
        assert invitation_resolve(token=token) == invitation
        assert token not in str(message.context) and token not in all_evidence_text()
        assert "年" in message.body  # the expiry date is written the Chinese way

    def test_reminder_is_a_fresh_link(self, contract, li, hr):
        first = invitation_send(version=contract.current_version, worker=li, actor=hr)
        reminder = invitation_send(version=contract.current_version, worker=li, actor=hr, template="signing_reminder")
        first.refresh_from_db()
        assert first.state == InvitationState.REVOKED and reminder.state == InvitationState.ACTIVE
        assert OutboundMessage.objects.get(pk=reminder.message_id).body.startswith("【和签】提醒")
        with pytest.raises(ValueError):
            invitation_send(version=contract.current_version, worker=li, actor=hr, template="otp")

    def test_first_opening_is_recorded_once(self, invitation):
        meta = {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": "Mozilla/5.0 (iPhone)"}
        with freeze_time("2027-01-02 10:00:00+08:00"):
            invitation_mark_opened(invitation=invitation, request_meta=meta)
        invitation_mark_opened(invitation=invitation, request_meta={"REMOTE_ADDR": "not-an-ip"})
        assert invitation.opened_at == dt.datetime(2027, 1, 2, 2, 0, tzinfo=dt.UTC)
        (opened,) = payloads("invitation.opened")
        assert opened["ip"] == "203.0.113.7" and opened["user_agent"] == "Mozilla/5.0 (iPhone)"
