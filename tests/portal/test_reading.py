"""Reading the sealed PDF page by page: evidence per page, read-to-end, and the server-side gate."""

from __future__ import annotations

import json

import pytest

from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.archive.store import archive_get
from contracts_platform.portal.models import ReadingDocument, ReadingPage
from signing.django_app.models import SignedDocument
from tests.portal.conftest import PHONE_UA, pass_identity

pytestmark = pytest.mark.django_db


def events(event_type):
    return [json.loads(e.payload) for e in EvidenceEvent.objects.filter(event_type=event_type).order_by("seq")]


class TestPreparing:
    def test_before_the_seal_the_worker_is_asked_to_wait(self, phone_client, invited):
        pass_identity(phone_client, invited)
        response = phone_client.get(f"/s/{invited.token}/read/1/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "正在准备合同，请稍候" in body and 'http-equiv="refresh"' in body
        assert phone_client.get(f"/s/{invited.token}/read/1.png").status_code == 404


class TestReading:
    def test_each_page_is_an_evidence_event_and_the_last_one_completes_the_reading(self, phone_client,
                                                                                    sealed_invited):
        s = sealed_invited
        pass_identity(phone_client, s)
        response = phone_client.get(f"/s/{s.token}/read/1/")
        assert response.status_code == 200
        document = ReadingDocument.objects.get()
        sealed = SignedDocument.objects.get(stage="sealed")
        assert document.source_id == sealed.pdf_id and document.pages >= 2
        body = response.content.decode()
        assert f"第 1 / {document.pages} 页" in body and 'loading="lazy"' in body and "我已读完" not in body
        # The page's text (from the same PDF) is there for screen readers and enlarging.
        assert "劳动合同" in body
        for page in range(2, document.pages + 1):
            body = phone_client.get(f"/s/{s.token}/read/{page}/").content.decode()
        assert "我已读完，下一步：确认签署" in body
        viewed = events("signing.page_viewed")
        assert [p["page"] for p in viewed] == list(range(1, document.pages + 1))
        first = viewed[0]
        assert first["pages"] == document.pages and first["version_id"] == s.contract.current_version_id
        assert first["ip"] == "10.1.2.3" and first["user_agent"] == PHONE_UA
        assert first["pdf_sha256"] == sealed.pdf_id
        assert first["image_sha256"] == ReadingPage.objects.get(page=1).image_id
        (done,) = events("signing.read_to_end")
        assert done["pages"] == document.pages
        # Looking again is recorded too, but the reading is complete only once.
        phone_client.get(f"/s/{s.token}/read/1/")
        assert len(events("signing.page_viewed")) == document.pages + 1
        assert len(events("signing.read_to_end")) == 1
        actor = EvidenceEvent.objects.filter(event_type="signing.page_viewed").first().actor_label
        assert actor == f"invitation:{s.invitation.pk}"

    def test_jumping_to_the_last_page_is_not_reading_to_the_end(self, phone_client, sealed_invited):
        s = sealed_invited
        pass_identity(phone_client, s)
        phone_client.get(f"/s/{s.token}/read/1/")
        pages = ReadingDocument.objects.get().pages
        body = phone_client.get(f"/s/{s.token}/read/{pages}/").content.decode()
        assert "还有以下几页没有看过" in body and "我已读完" not in body
        assert not events("signing.read_to_end")

    def test_signing_is_refused_server_side_before_every_page_was_shown(self, phone_client, sealed_invited):
        s = sealed_invited
        pass_identity(phone_client, s)
        phone_client.get(f"/s/{s.token}/read/1/")
        # Straight to the intent, the signature page, or a forged POST: all sent back to reading.
        for method, path, data in (("get", "intent/", None), ("post", "intent/", {"confirm": "on", "action": "send"}),
                                   ("get", "sign/", None),
                                   ("post", "sign/", {"signature": "data:image/png;base64,iVBORw0KGgo="})):
            response = getattr(phone_client, method)(f"/s/{s.token}/{path}", data or {})
            assert response.status_code == 302 and response.url == f"/s/{s.token}/read/2/", (method, path)
        assert not SignedDocument.objects.filter(stage="signed").exists()
        assert not EvidenceEvent.objects.filter(event_type="otp.sent", payload__contains='"signing"').exists()
        response = phone_client.get(f"/s/{s.token}/intent/", follow=True)
        assert "请先阅读完合同的每一页" in response.content.decode()

    def test_page_images_are_private_cached_and_rendered_once(self, phone_client, client, sealed_invited):
        s = sealed_invited
        pass_identity(phone_client, s)
        phone_client.get(f"/s/{s.token}/read/1/")
        response = phone_client.get(f"/s/{s.token}/read/1.png")
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response["Cache-Control"] == "private, max-age=3600"
        image = ReadingPage.objects.get(page=1)
        assert response.content == archive_get(image.image_id) and response.content.startswith(b"\x89PNG")
        # Small enough for a slow connection (a 16-colour palette).
        assert len(response.content) < 160_000
        assert phone_client.get(f"/s/{s.token}/read/1.png",
                                HTTP_IF_NONE_MATCH=f'"{image.image_id}"').status_code == 304
        phone_client.get(f"/s/{s.token}/read/1/")
        assert ReadingPage.objects.filter(page=1).count() == 1
        # Another browser with the same link but without the identity check gets nothing.
        assert client.get(f"/s/{s.token}/read/1.png").status_code == 404

    def test_pages_out_of_range_are_404(self, phone_client, sealed_invited):
        s = sealed_invited
        pass_identity(phone_client, s)
        phone_client.get(f"/s/{s.token}/read/1/")
        pages = ReadingDocument.objects.get().pages
        assert phone_client.get(f"/s/{s.token}/read/{pages + 1}/").status_code == 404
        assert phone_client.get(f"/s/{s.token}/read/0/").status_code == 404
        assert phone_client.get(f"/s/{s.token}/read/{pages + 1}.png").status_code == 404

    def test_reading_page_html_is_light(self, phone_client, sealed_invited):
        s = sealed_invited
        pass_identity(phone_client, s)
        response = phone_client.get(f"/s/{s.token}/read/1/")
        assert len(response.content) < 20_000
        assert b"https://" not in response.content
