"""The worker's decision through the real flow: sign (to effective and downloadable), decline, double submit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _
from freezegun import freeze_time

from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.archive.selectors import chain_verify
from contracts_platform.archive.store import archive_get
from contracts_platform.contracts.models import ContractStatus
from contracts_platform.identity.models import IdentityCheck, OtpChallenge
from contracts_platform.portal.forms import INTENT_REQUIRED
from contracts_platform.portal.signing_views import INTENT_AGAIN
from signing.django_app.models import SignedDocument
from tests.portal.conftest import PHONE_UA, code_for, confirm_intent, pass_identity, read_all, signature_data_url
from workflows import services as flow
from workflows.models import ContractProcess

pytestmark = pytest.mark.django_db(transaction=True)


def payload(event_type):
    (event,) = EvidenceEvent.objects.filter(event_type=event_type)
    return json.loads(event.payload)


def ready_to_sign(client, s) -> int:
    assert client.get(f"/s/{s.token}/").status_code == 200
    pass_identity(client, s)
    pages = read_all(client, s)
    confirm_intent(client, s)
    return pages


class TestSign:
    def test_happy_path_to_effective_and_a_free_download_in_the_portal(self, phone_client, sent):
        pages = ready_to_sign(phone_client, sent)
        response = phone_client.get(f"/s/{sent.token}/sign/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "/static/vendor/signature_pad/signature_pad.umd.min.js" in body and "签署" in body

        response = phone_client.post(f"/s/{sent.token}/sign/", {"signature": signature_data_url()})
        assert response.status_code == 302 and response.url == "/s/done/"
        sent.contract.refresh_from_db()
        assert sent.contract.status == ContractStatus.EFFECTIVE
        body = phone_client.get("/s/done/").content.decode()
        assert "签署完成" in body and "现已生效" in body

        # The evidence: identity, both codes, every page, the intent, and the signature that names them.
        intent = payload("signing.intent_confirmed")
        assert intent["method"] == "sms_otp" and intent["statement"] == "我已完整阅读并自愿签署本合同"
        assert intent["identity_check_id"] == IdentityCheck.objects.get(ok=True).pk
        signed = payload("signing.worker_signed")["intent"]
        assert signed["method"] == "sms_otp" and signed["pages"] == pages
        assert signed["pages_viewed"] == list(range(1, pages + 1))
        assert signed["identity_check_id"] == intent["identity_check_id"] and signed["identity_method"]
        assert signed["identity_otp_at"] and signed["intent_otp_at"] and signed["read_to_end_at"]
        assert signed["ip"] == "10.1.2.3" and signed["user_agent"] == PHONE_UA
        assert signed["sealed_pdf_sha256"] == SignedDocument.objects.get(stage="sealed").pdf_id
        assert {c.purpose for c in OtpChallenge.objects.filter(consumed_at__isnull=False)} == {"identity", "signing"}
        types = list(EvidenceEvent.objects.filter(subject_type="contract", subject_id=str(sent.contract.pk))
                     .order_by("seq").values_list("event_type", flat=True))
        order = ["invitation.opened", "identity.checked", "signing.page_viewed", "signing.read_to_end",
                 "signing.intent_confirmed", "signing.worker_signed", "signature.worker_signed", "contract.effective"]
        relevant = [t for t in types if t in order]
        assert [t for i, t in enumerate(relevant) if i == 0 or relevant[i - 1] != t] == order
        assert chain_verify().ok

        # Straight on to "我的合同" from the done page, without another SMS.
        response = phone_client.post("/s/done/portal/")
        assert response.status_code == 302 and response.url == "/w/"
        body = phone_client.get("/w/").content.decode()
        assert "已生效" in body and sent.contract.number in body
        response = phone_client.get(f"/w/contracts/{sent.contract.pk}/pdf/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        archived = SignedDocument.objects.get(stage="archived")
        assert response.content == archive_get(archived.pdf_id)
        assert response["Content-Disposition"] == f'attachment; filename="{sent.contract.number}.pdf"'
        assert payload("worker.pdf_downloaded")["stage"] == "archived"
        # The hand-off works once.
        phone_client.post("/w/logout/")
        assert phone_client.post("/s/done/portal/").url == "/w/login/"

    def test_two_quick_submissions_give_one_signature_and_a_clear_message(self, phone_client, sent):
        ready_to_sign(phone_client, sent)
        first = phone_client.post(f"/s/{sent.token}/sign/", {"signature": signature_data_url()})
        second = phone_client.post(f"/s/{sent.token}/sign/", {"signature": signature_data_url()})
        assert first.status_code == 302
        assert second.status_code == 409
        assert _(flow.ALREADY_DECIDED) in second.content.decode()
        assert SignedDocument.objects.filter(stage="signed").count() == 1
        assert EvidenceEvent.objects.filter(event_type="signing.worker_signed").count() == 1
        # The back button to the spent link lands on the result, not on an error.
        assert phone_client.get(f"/s/{sent.token}/").url == "/s/done/"

    def test_a_blank_or_forged_signature_is_refused_with_a_message(self, phone_client, sent):
        import base64
        import io

        from PIL import Image

        ready_to_sign(phone_client, sent)
        blank = io.BytesIO()
        Image.new("RGBA", (400, 160), (255, 255, 255, 0)).save(blank, format="PNG")
        for value in ("", "data:image/png;base64,not base64!", "data:image/svg+xml;base64,PHN2Zz4=",
                      "data:image/png;base64," + base64.b64encode(blank.getvalue()).decode(),
                      "data:image/png;base64," + "A" * 500_000):
            response = phone_client.post(f"/s/{sent.token}/sign/", {"signature": value})
            assert response.status_code == 400, value[:40]
            assert _(flow.BAD_SIGNATURE) in response.content.decode()
        sent.contract.refresh_from_db()
        assert sent.contract.status == ContractStatus.SIGNING

    def test_intent_needs_the_tick_and_the_right_code_and_goes_stale(self, phone_client, sent):
        s = sent
        phone_client.get(f"/s/{s.token}/")
        pass_identity(phone_client, s)
        read_all(phone_client, s)
        response = phone_client.post(f"/s/{s.token}/intent/", {"action": "send"})
        assert response.status_code == 200 and _(INTENT_REQUIRED) in response.content.decode()
        assert not OtpChallenge.objects.filter(purpose="signing").exists()
        phone_client.post(f"/s/{s.token}/intent/", {"confirm": "on", "action": "send"})
        right = code_for(s.worker.phone, "signing")
        response = phone_client.post(f"/s/{s.token}/intent/",
                                     {"confirm": "on", "action": "verify", "code": "000000" if right != "000000"
                                      else "111111"})
        assert "验证码不正确" in response.content.decode()
        assert not EvidenceEvent.objects.filter(event_type="signing.intent_confirmed").exists()
        assert phone_client.get(f"/s/{s.token}/sign/").url == f"/s/{s.token}/intent/"
        response = phone_client.post(f"/s/{s.token}/intent/", {"confirm": "on", "action": "verify", "code": right})
        assert response.url == f"/s/{s.token}/sign/"
        with freeze_time(timezone.now() + dt.timedelta(minutes=16)):
            response = phone_client.post(f"/s/{s.token}/sign/", {"signature": signature_data_url()}, follow=True)
        assert response.redirect_chain[-1][0] == f"/s/{s.token}/intent/"
        assert _(INTENT_AGAIN) in response.content.decode()
        assert not SignedDocument.objects.filter(stage="signed").exists()


class TestDecline:
    def test_decline_with_a_reason_after_identity(self, phone_client, sent):
        s = sent
        phone_client.get(f"/s/{s.token}/")
        pass_identity(phone_client, s)
        response = phone_client.post(f"/s/{s.token}/decline/", {"reason": "   "})
        assert response.status_code == 200 and _(flow.REASON_REQUIRED) in response.content.decode()
        response = phone_client.post(f"/s/{s.token}/decline/", {"reason": "工作地点与面谈时说的不一致"})
        assert response.status_code == 302 and response.url == "/s/done/"
        s.contract.refresh_from_db()
        assert s.contract.status == ContractStatus.DECLINED
        process = ContractProcess.objects.get()
        assert process.decline_reason == "工作地点与面谈时说的不一致"
        declined = payload("signing.worker_declined")
        assert declined["intent"]["identity_check_id"] and declined["intent"]["ip"] == "10.1.2.3"
        body = phone_client.get("/s/done/").content.decode()
        assert "您已拒签" in body and 'action="/s/done/portal/"' not in body
        assert phone_client.post(f"/s/{s.token}/sign/", {"signature": signature_data_url()}).status_code == 409
