"""/outbox/: who sees it, what they see, newest first, paginated."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from contracts_platform.notifications.services import sms_send

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.notifications.urls")]

OTP_CONTEXT = {"code": "731904", "purpose": "签署劳动合同", "minutes": 5}
DONE = {"employer": "济南阿克米物流有限公司", "contract_number": "HQ2027000001", "url": "http://x.test/w/1/"}


@pytest.fixture
def outbox_url() -> str:
    return reverse("notifications:outbox")


@pytest.fixture
def otp_message(li):
    return sms_send(phone=li.phone, template="otp", context=OTP_CONTEXT, purpose="otp:signing")


class TestAccess:
    def test_platform_admin_sees_full_numbers(self, client, platform_admin, otp_message, outbox_url):
        client.force_login(platform_admin)
        page = client.get(outbox_url).content.decode()
        assert "13812345678" in page
        # Outside demo mode even an admin does not read a live OTP: they could sign in the worker's place.
        assert "731904" not in page and "不予显示" in page

    def test_employer_hr_gets_404_outside_demo_mode(self, client, hr, otp_message, outbox_url):
        client.force_login(hr)
        assert client.get(outbox_url).status_code == 404

    def test_anonymous_is_sent_to_login_outside_demo_mode(self, client, otp_message, outbox_url):
        response = client.get(outbox_url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]

    def test_demo_mode_shows_everything_to_everyone(self, client, settings, otp_message, outbox_url):
        settings.HEQIAN_DEMO_OUTBOX = True
        page = client.get(outbox_url).content.decode()
        assert "13812345678" in page and "731904" in page and "【和签】" in page

    def test_debug_shows_the_outbox_with_masked_numbers(self, client, settings, hr, otp_message, outbox_url):
        settings.DEBUG = True
        client.force_login(hr)
        page = client.get(outbox_url).content.decode()
        assert "138****5678" in page and "13812345678" not in page
        assert "731904" in page  # development: the outbox is the phone
        # A masked viewer cannot probe numbers through the filter either: it is ignored.
        filtered = client.get(outbox_url, {"to": "13900000000"})
        assert [m.pk for m in filtered.context["messages_page"]] == [otp_message.pk]

    def test_links_in_bodies_are_clickable(self, client, settings, li, outbox_url):
        settings.HEQIAN_DEMO_OUTBOX = True
        sms_send(phone=li.phone, template="contract_completed", context=DONE, purpose="t")
        assert 'href="http://x.test/w/1/"' in client.get(outbox_url).content.decode()


class TestListing:
    def test_newest_first_paginated_and_filtered(self, client, settings, li, rival_worker, outbox_url):
        settings.HEQIAN_DEMO_OUTBOX = True
        first = sms_send(phone=rival_worker.phone, template="contract_completed", context=DONE, purpose="t")
        for _ in range(50):
            last = sms_send(phone=li.phone, template="contract_completed", context=DONE, purpose="t")
        page1 = client.get(outbox_url)
        ids = [m.pk for m in page1.context["messages_page"]]
        assert len(ids) == 50 and ids[0] == last.pk and first.pk not in ids
        assert page1.context["is_paginated"]
        page2 = client.get(outbox_url, {"page": 2})
        assert [m.pk for m in page2.context["messages_page"]] == [first.pk]
        only_rival = client.get(outbox_url, {"to": rival_worker.phone})
        assert [m.pk for m in only_rival.context["messages_page"]] == [first.pk]

    def test_english_page(self, client, settings, otp_message, outbox_url):
        settings.HEQIAN_DEMO_OUTBOX = True
        client.cookies["django_language"] = "en"
        # The middleware activates English for this thread; override() puts the previous language back.
        with translation.override(settings.LANGUAGE_CODE):
            response = client.get(outbox_url)
        assert response.status_code == 200 and 'lang="en"' in response.content.decode()
