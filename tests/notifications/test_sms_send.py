"""sms_send / email_send: the stored row, the evidence, delivery after commit, idempotent delivery."""

from __future__ import annotations

import hashlib
import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from freezegun import freeze_time

from contracts_platform.notifications.message_templates import SECRET_MASK, UnknownTemplate
from contracts_platform.notifications.models import Channel, MessageStatus, OutboundMessage
from contracts_platform.notifications.services import (
    EMAIL_INVALID,
    PHONE_INVALID,
    email_send,
    message_deliver,
    outbox_flush,
    sms_send,
)
from contracts_platform.notifications.tasks import deliver
from tests.notifications import backends
from tests.notifications.helpers import all_evidence_text, evidence, payloads, row_text

pytestmark = pytest.mark.django_db

COMPLETED = {"employer": "济南阿克米物流有限公司", "contract_number": "HQ2027000001",
             "url": "http://127.0.0.1:8000/w/contracts/1/"}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class TestSmsSend:
    def test_renders_chinese_text_and_queues_with_evidence(self, li, hr, contract):
        message = sms_send(phone=li.phone, template="contract_completed", context=COMPLETED,
                           purpose="contract_completed", subject=contract, actor=hr)
        assert message.channel == Channel.SMS and message.status == MessageStatus.QUEUED
        assert message.body.startswith("【和签】") and "HQ2027000001" in message.body and "免费" in message.body
        assert message.body_sha256 == sha256(message.body) and not message.is_secret
        (queued,) = payloads("notification.queued")
        assert queued == {"message_id": message.pk, "channel": "sms", "recipient": "138****5678",
                          "template": "contract_completed", "purpose": "contract_completed",
                          "body_sha256": message.body_sha256, "secret_masked": False}
        (event,) = evidence("notification.queued")
        assert (event.subject_type, event.subject_id) == ("contract", str(contract.pk))
        assert event.actor == hr

    def test_is_rendered_in_chinese_whatever_the_senders_language(self, li):
        with translation.override("en"):
            message = sms_send(phone=li.phone, template="contract_completed", context=COMPLETED, purpose="t")
        assert message.language == "zh-hans" and message.body.startswith("【和签】")

    def test_delivery_happens_after_commit_and_is_logged(self, li, django_capture_on_commit_callbacks, caplog):
        caplog.set_level(logging.INFO, logger="heqian.outbox")
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            message = sms_send(phone=li.phone, template="contract_completed", context=COMPLETED, purpose="t")
            assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.QUEUED
        assert len(callbacks) == 1
        message.refresh_from_db()
        assert message.status == MessageStatus.DELIVERED
        assert message.provider_id == f"outbox-{message.pk}" and message.sent_at and message.delivered_at
        assert message.backend.endswith("OutboxBackend")
        (record,) = [r for r in caplog.records if r.name == "heqian.outbox"]
        assert "138****5678" in record.getMessage() and "HQ2027000001" in record.getMessage()
        (delivered,) = payloads("notification.delivered")
        assert delivered["message_id"] == message.pk and delivered["provider_id"] == message.provider_id

    def test_nothing_is_sent_when_the_callers_transaction_rolls_back(self, li, django_capture_on_commit_callbacks):
        def failing_signing() -> None:
            with transaction.atomic():
                sms_send(phone=li.phone, template="contract_completed", context=COMPLETED, purpose="t")
                raise RuntimeError("signing failed")

        with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
            failing_signing()
        assert callbacks == [] and not OutboundMessage.objects.exists()
        assert payloads("notification.queued") == []

    def test_invalid_phone_is_refused(self):
        with pytest.raises(ValidationError) as exc:
            sms_send(phone="12345", template="contract_completed", context=COMPLETED, purpose="t")
        assert exc.value.messages == [_(PHONE_INVALID)]

    def test_unknown_template_and_missing_placeholder_are_programming_errors(self, li):
        with pytest.raises(UnknownTemplate):
            sms_send(phone=li.phone, template="nope", context={}, purpose="t")
        with pytest.raises(ValueError, match="contract_number"):
            sms_send(phone=li.phone, template="contract_completed", context={"employer": "x", "url": "y"},
                     purpose="t")
        assert not OutboundMessage.objects.exists()


class TestSecrets:
    CODE = "468213"

    def send_otp(self, phone: str) -> OutboundMessage:
        return sms_send(phone=phone, template="otp", context={"code": self.CODE, "purpose": "登录", "minutes": 5},
                        purpose="otp:login")

    def test_the_code_is_only_in_the_body(self, li):
        message = self.send_otp(li.phone)
        assert self.CODE in message.body and message.is_secret
        assert message.context["code"] == SECRET_MASK
        # The evidence hash is over the masked text: a hash of the real text would give the
        # code away to anyone trying all 10^6 codes.
        assert message.body_sha256 == sha256(message.body.replace(self.CODE, SECRET_MASK))
        assert self.CODE not in all_evidence_text()
        assert self.CODE not in row_text(message).replace(message.body, "")

    def test_delivered_secret_is_masked_at_rest_in_production(self, li, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            message = self.send_otp(li.phone)
        message.refresh_from_db()
        assert message.status == MessageStatus.DELIVERED and message.body_redacted
        assert self.CODE not in row_text(message) and SECRET_MASK in message.body
        assert sha256(message.body) == message.body_sha256

    def test_demo_outbox_keeps_the_code_readable(self, li, settings, django_capture_on_commit_callbacks):
        settings.HEQIAN_DEMO_OUTBOX = True
        with django_capture_on_commit_callbacks(execute=True):
            message = self.send_otp(li.phone)
        message.refresh_from_db()
        assert message.status == MessageStatus.DELIVERED and self.CODE in message.body
        assert not message.body_redacted


class TestDeliver:
    @pytest.fixture
    def counting(self, settings):
        settings.HEQIAN_SMS_BACKEND = "tests.notifications.backends.CountingBackend"

    def test_task_is_idempotent(self, li, counting, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            message = sms_send(phone=li.phone, template="contract_completed", context=COMPLETED, purpose="t")
        assert backends.sent_ids == [message.pk]
        # A redelivered task (acks_late, a worker lost) or a double enqueue must not text twice.
        assert deliver.delay(message.pk).get() == MessageStatus.DELIVERED
        assert deliver(message.pk) == MessageStatus.DELIVERED
        assert backends.sent_ids == [message.pk]
        assert len(payloads("notification.delivered")) == 1

    def test_unknown_id_is_ignored(self, counting):
        assert deliver(987654) is None and backends.sent_ids == []

    def test_gateway_refusal_marks_failed_with_evidence(self, li, settings):
        settings.HEQIAN_SMS_BACKEND = "tests.notifications.backends.FailingBackend"
        message = sms_send(phone=li.phone, template="contract_completed", context=COMPLETED, purpose="t")
        message = message_deliver(message_id=message.pk)
        assert message.status == MessageStatus.FAILED and "unreachable" in message.error
        assert message.sent_at is None
        (failed,) = payloads("notification.failed")
        assert failed["message_id"] == message.pk and "unreachable" in failed["error"]
        # Failed stays failed: delivering again does not retry behind the operator's back.
        assert message_deliver(message_id=message.pk).status == MessageStatus.FAILED

    def test_accepted_but_unconfirmed_is_sent(self, li, settings):
        settings.HEQIAN_SMS_BACKEND = "tests.notifications.backends.AcceptingBackend"
        message = sms_send(phone=li.phone, template="contract_completed", context=COMPLETED, purpose="t")
        message = message_deliver(message_id=message.pk)
        assert message.status == MessageStatus.SENT and message.delivered_at is None
        assert len(payloads("notification.sent")) == 1 and payloads("notification.delivered") == []

    def test_flush_hands_over_stale_queued_messages(self, li, counting):
        with freeze_time("2027-01-01 09:00:00"):
            stale = sms_send(phone=li.phone, template="contract_completed", context=COMPLETED, purpose="t")
        with freeze_time("2027-01-01 09:10:00"):
            fresh = sms_send(phone=li.phone, template="contract_completed", context=COMPLETED, purpose="t")
            assert outbox_flush() == [stale.pk]
        assert backends.sent_ids == [stale.pk]
        fresh.refresh_from_db()
        assert fresh.status == MessageStatus.QUEUED


class TestEmail:
    def test_email_uses_the_subject_line_and_its_own_backend(self, settings, django_capture_on_commit_callbacks):
        settings.HEQIAN_EMAIL_BACKEND = "tests.notifications.backends.CountingBackend"
        with django_capture_on_commit_callbacks(execute=True):
            message = email_send(email="li.xiaoming@example.com", template="contract_completed", context=COMPLETED,
                                 purpose="contract_completed")
        message.refresh_from_db()
        assert message.channel == Channel.EMAIL and message.subject_line == "您的劳动合同已生效"
        assert not message.body.startswith("【和签】")
        assert backends.sent_ids == [message.pk] and message.status == MessageStatus.DELIVERED
        assert payloads("notification.queued")[0]["recipient"] == "l***@example.com"

    def test_invalid_address_is_refused(self):
        with pytest.raises(ValidationError) as exc:
            email_send(email="not-an-address", template="contract_completed", context=COMPLETED, purpose="t")
        assert exc.value.messages == [_(EMAIL_INVALID)]


class TestProductionChecks:
    def test_demo_outbox_in_production_is_an_error(self, settings):
        from contracts_platform.notifications.checks import check_outbox_in_production

        settings.PRODUCTION = True
        settings.HEQIAN_DEMO_OUTBOX = True
        ids = {m.id for m in check_outbox_in_production()}
        assert ids == {"notifications.W001", "notifications.E001"}
        settings.HEQIAN_DEMO_OUTBOX = False
        settings.HEQIAN_SMS_BACKEND = settings.HEQIAN_EMAIL_BACKEND = "tests.notifications.backends.CountingBackend"
        assert check_outbox_in_production() == []
