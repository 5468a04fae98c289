"""Wage-arrears complaints from the public page: every outcome, the SMS at each step, the deadlines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from freezegun import freeze_time
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.timers import fire_due_timers

from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.disputes import services
from contracts_platform.disputes.models import (
    ArrearsComplaint,
    CaseStatus,
    ComplaintStatus,
    DeadlineKind,
    DisputeCase,
    Escalation,
    FiledBy,
    Route,
)
from contracts_platform.identity.errors import OtpError
from contracts_platform.notifications.models import OutboundMessage
from tests.conftest import make_user
from tests.disputes.conftest import META, REGION, latest_code

pytestmark = [pytest.mark.django_db(transaction=True)]

REPORTER = "13912340000"


def report(district: str = REGION, **overrides) -> services.ArrearsInput:
    data = {"project_name": "历下区经十路安置房二期", "employer_name": "济南阿克米物流有限公司", "district": district,
            "amount": Decimal("64000.00"), "months_owed": 3, "workers_affected": 8, "reporter_name": "张师傅",
            "description": "春节前应发的工资至今未发。"}
    data.update(overrides)
    return services.ArrearsInput(**data)


def submit(district: str = REGION, **overrides) -> ArrearsComplaint:
    services.arrears_code_send(phone=REPORTER)
    return services.arrears_report(phone=REPORTER, code=latest_code(REPORTER), report=report(district, **overrides),
                                   request_meta=META)


def updates() -> list[str]:
    return list(OutboundMessage.objects.filter(recipient=REPORTER, template="arrears_update").order_by("pk")
                .values_list("body", flat=True))


def open_nodes(complaint):
    process = services.arrears_process_for(complaint=complaint)
    return {t.flow_task.name for t in process.task_set.filter(status__in=(STATUS.NEW, STATUS.ASSIGNED))}


def contact_both(complaint, officer):
    services.arrears_contact_record(complaint=complaint, user=officer, party="employer", method="visit",
                                    notes="约谈项目负责人，承认拖欠。")
    services.arrears_contact_record(complaint=complaint, user=officer, party="reporter", method="phone",
                                    notes="投诉人确认已收到工资。")


class TestReport:
    def test_report_is_routed_to_the_district_and_texted(self, officer, outbox):
        complaint = submit()
        assert complaint.number.startswith("HQQX") and complaint.status == ComplaintStatus.SUBMITTED
        assert complaint.accept_due.weekday() < 5
        assert open_nodes(complaint) == {"accept"}
        assert len(updates()) == 1 and complaint.number in updates()[0] and "370102" in updates()[0]
        event = EvidenceEvent.objects.get(subject_type="arrears_complaint", event_type="arrears.reported")
        assert event.actor_label == "reporter:139****0000" and REPORTER not in event.payload

    def test_a_wrong_code_saves_nothing(self, officer, outbox):
        services.arrears_code_send(phone=REPORTER)
        with pytest.raises(OtpError):
            services.arrears_report(phone=REPORTER, code="000000", report=report(), request_meta=META)
        assert not ArrearsComplaint.objects.exists()

    def test_only_the_district_officer_acts(self, officer, outbox, clerk):
        complaint = submit()
        elsewhere = make_user("qd_officer", "bureau_officer", region="370202")
        for user in (elsewhere, clerk):
            with pytest.raises(PermissionDenied):
                services.arrears_accept(complaint=complaint, user=user)


class TestOutcomes:
    def test_accepted_checked_and_paid(self, officer, outbox):
        complaint = submit()
        complaint = services.arrears_accept(complaint=complaint, user=officer)
        assert complaint.status == ComplaintStatus.ACCEPTED and complaint.officer == officer
        assert open_nodes(complaint) == {"investigate"}
        with pytest.raises(ValidationError):  # paid needs contact with both sides first
            services.arrears_resolve(complaint=complaint, user=officer, outcome="paid")
        contact_both(complaint, officer)
        complaint = services.arrears_resolve(complaint=complaint, user=officer, outcome="paid",
                                             reason="用人单位已于现场补发全部工资。")
        assert complaint.status == ComplaintStatus.PAID and complaint.resolved_at
        process = services.arrears_process_for(complaint=complaint)
        assert process.status == PROCESS.DONE
        texts = updates()
        # received, accepted, two contacts, paid: the reporter hears of every step
        assert len(texts) == 5 and "已受理" in texts[1] and "已支付" in texts[-1]
        assert all(complaint.public_token in text for text in texts)

    def test_transferred_to_a_fast_track_dispute_case(self, officer, outbox, clerk, acme):
        complaint = services.arrears_accept(complaint=submit(), user=officer)
        services.arrears_contact_record(complaint=complaint, user=officer, party="employer", method="summons",
                                        notes="单位对金额有异议。")
        complaint = services.arrears_resolve(complaint=complaint, user=officer, outcome="transferred",
                                             reason="金额争议较大，转仲裁。")
        assert complaint.status == ComplaintStatus.TRANSFERRED
        case = complaint.dispute_case
        assert case.filed_by == FiledBy.ARREARS and case.worker_phone == REPORTER
        assert case.employer == acme and case.region == acme.region  # the named employer is on the platform
        assert case.total_claimed == Decimal("64000.00") and case.status == CaseStatus.FILED
        assert services.dispute_process_for(case=case) is not None
        case = services.case_accept(case=case, user=clerk)
        assert case.route == Route.FAST_TRACK
        assert case.number in updates()[-1]

    def test_rejected_at_intake_with_reasons(self, officer, outbox):
        complaint = submit()
        with pytest.raises(ValidationError):
            services.arrears_resolve(complaint=complaint, user=officer, outcome="rejected", reason="")
        with pytest.raises(ValidationError):  # only refusal is possible before acceptance
            services.arrears_resolve(complaint=complaint, user=officer, outcome="paid")
        complaint = services.arrears_resolve(complaint=complaint, user=officer, outcome="rejected",
                                             reason="项目位于市中区，请向市中区人社局投诉。")
        assert complaint.status == ComplaintStatus.REJECTED and complaint.accepted_at is None
        assert services.arrears_process_for(complaint=complaint).status == PROCESS.DONE
        assert "不予受理" in updates()[-1]

    def test_rejected_after_checking(self, officer, outbox):
        complaint = services.arrears_accept(complaint=submit(), user=officer)
        contact_both(complaint, officer)
        complaint = services.arrears_resolve(complaint=complaint, user=officer, outcome="rejected",
                                             reason="经核查，工资已按约定支付，不存在拖欠。")
        assert complaint.status == ComplaintStatus.REJECTED and complaint.accepted_at is not None
        assert not DisputeCase.objects.exists()


class TestDeadlines:
    @freeze_time("2026-06-05 10:00:00+08:00")  # a Friday
    def test_five_working_days_skip_the_weekend_then_escalate(self, officer, supervisor, outbox):
        complaint = submit()
        assert timezone.localtime(complaint.accept_due).date() == dt.date(2026, 6, 12)
        with freeze_time("2026-06-11 10:00:00+08:00"):
            assert fire_due_timers() == 0
        with freeze_time("2026-06-12 10:01:00+08:00"):
            assert fire_due_timers() == 1
        escalation = Escalation.objects.get(complaint=complaint)
        assert escalation.kind == DeadlineKind.ARREARS_ACCEPTANCE and supervisor in escalation.supervisors.all()
        assert open_nodes(complaint) == {"accept", "supervise"}
        assert "督办" in updates()[-1]
        services.escalation_acknowledge(escalation=escalation, user=supervisor)
        assert open_nodes(complaint) == {"accept"}

    def test_investigation_deadline_escalates(self, officer, platform_admin, outbox):
        complaint = services.arrears_accept(complaint=submit(), user=officer)
        with freeze_time(complaint.investigation_due + dt.timedelta(minutes=1)):
            fire_due_timers()
        assert Escalation.objects.get(complaint=complaint).kind == DeadlineKind.ARREARS_INVESTIGATION

    def test_a_district_without_officers_goes_to_the_supervisors_at_once(self, platform_admin, outbox):
        complaint = submit(district="370199")
        escalation = Escalation.objects.get(complaint=complaint)
        assert escalation.kind == DeadlineKind.NO_OFFICER and platform_admin in escalation.supervisors.all()
        services.escalation_acknowledge(escalation=escalation, user=platform_admin)
