"""The dispute process, route by route, through the real services, flows and timers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from freezegun import freeze_time
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.timers import fire_due_timers

from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.archive.selectors import chain_verify
from contracts_platform.disputes import services
from contracts_platform.disputes.models import (
    Award,
    CaseAgreement,
    CaseContract,
    CaseStatus,
    DeadlineKind,
    DocumentKind,
    Escalation,
    Route,
)
from contracts_platform.disputes.selectors import case_access, case_timeline
from tests.disputes.conftest import META, file_case, termination_claims
from workflows.dispute_flow import DisputeFlow, MediationFlow

pytestmark = [pytest.mark.django_db(transaction=True)]


def open_nodes(process):
    return {t.flow_task.name for t in process.task_set.filter(status__in=(STATUS.NEW, STATUS.ASSIGNED))}


def viewer(user, case):
    return case_access(user=user, case_id=case.pk)


def case_events(case):
    return list(EvidenceEvent.objects.filter(subject_type="dispute_case", subject_id=str(case.pk))
                .order_by("seq").values_list("event_type", flat=True))


class TestFastTrack:
    def test_wage_arrears_fast_track_to_award_and_close(self, signed_contract, li_user, clerk, arbitrator):
        case = file_case(li_user, signed_contract)
        assert case.status == CaseStatus.FILED and case.number.startswith("HQZC")
        assert case.acceptance_due == case.filed_at + dt.timedelta(days=5)
        assert CaseContract.objects.filter(case=case, contract=signed_contract, method="filing").exists()
        process = services.dispute_process_for(case=case)
        assert open_nodes(process) == {"accept"}

        case = services.case_accept(case=case, user=clerk)
        assert case.route == Route.FAST_TRACK and "欠薪" in case.route_reason
        assert case.award_due == case.accepted_at + dt.timedelta(days=45)
        assert case.tribunal_due == case.accepted_at + dt.timedelta(days=5)
        assert open_nodes(process) == {"assign_arbitrator"}

        case = services.case_assign_arbitrator(viewer=viewer(clerk, case), arbitrator=arbitrator)
        assert case.status == CaseStatus.ARBITRATION and open_nodes(process) == {"award"}

        award = services.award_issue(viewer=viewer(arbitrator, case), text="被申请人支付拖欠工资。",
                                     amount="8600.00")
        assert award.final  # 8600 ≤ 12 × 2100 and unpaid wages: final for the employer (Art 47)
        assert award.document.kind == DocumentKind.AWARD
        assert award.document.stored.content_type == "application/pdf"
        case = services.case_close(viewer=viewer(arbitrator, case))
        assert case.status == CaseStatus.CLOSED and case.outcome == "award"
        process.refresh_from_db()
        assert process.status == PROCESS.DONE
        types = case_events(case)
        for expected in ("dispute.filed", "dispute.linked", "dispute.accepted", "dispute.assigned",
                         "dispute.award_issued", "dispute.closed"):
            assert expected in types, expected
        # The link is also in the contract's own evidence slice (and so in its evidence package).
        assert EvidenceEvent.objects.filter(subject_type="contract", subject_id=str(signed_contract.pk),
                                            event_type="dispute.linked").exists()
        assert chain_verify().ok

    def test_small_claims_are_fast_tracked_too(self, signed_contract, li_user, clerk):
        case = file_case(li_user, signed_contract, claims=[services.ClaimInput("severance", "25200.00")])
        case = services.case_accept(case=case, user=clerk)
        assert case.route == Route.FAST_TRACK and "25200.00" in case.route_reason

    def test_only_the_region_clerk_accepts(self, signed_contract, li_user, arbitrator, mediator, clerk):
        case = file_case(li_user, signed_contract)
        for user in (arbitrator, mediator, li_user):
            with pytest.raises(PermissionDenied):
                services.case_accept(case=case, user=user)
        services.case_accept(case=case, user=clerk)
        with pytest.raises(ValidationError):  # a second click finds nothing to accept
            services.case_accept(case=case, user=clerk)


class TestOrdinaryAndMediation:
    def accepted(self, contract, worker_user, clerk, mediator):
        case = file_case(worker_user, contract, claims=termination_claims())
        case = services.case_accept(case=case, user=clerk)
        assert case.route == Route.ORDINARY
        assert case.mediation_due == case.accepted_at + dt.timedelta(days=15)
        case = services.case_assign_mediator(viewer=viewer(clerk, case), mediator=mediator)
        assert case.status == CaseStatus.MEDIATION
        return case

    def test_ordinary_mediation_fails_then_award(self, signed_contract, li_user, clerk, mediator, arbitrator):
        case = self.accepted(signed_contract, li_user, clerk, mediator)
        mediation = services.mediation_process_for(case=case)
        assert open_nodes(mediation) == {"mediate"}
        assert mediation.parent_task.flow_task == DisputeFlow.mediation
        services.mediation_session_record(viewer=viewer(mediator, case), held_on=timezone.localdate(),
                                          notes="双方到场，分歧较大。")
        case = services.mediation_fail(viewer=viewer(mediator, case), notes="被申请人不同意赔偿。")
        assert case.status == CaseStatus.ARBITRATION and case.mediation_ended_at
        mediation.refresh_from_db()
        assert mediation.status == PROCESS.DONE
        process = services.dispute_process_for(case=case)
        assert process.mediation_outcome == "failed" and open_nodes(process) == {"assign_arbitrator"}
        case = services.case_assign_arbitrator(viewer=viewer(clerk, case), arbitrator=arbitrator)
        award = services.award_issue(viewer=viewer(arbitrator, case), text="驳回部分请求。", amount="60000.00")
        assert not award.final  # 120,000 claimed for termination: above 12 × minimum wage
        services.case_close(viewer=viewer(arbitrator, case))
        process.refresh_from_db()
        assert process.status == PROCESS.DONE

    def test_mediation_agreement_accepted_by_both_closes_the_case(self, signed_contract, li_user, hr, clerk,
                                                                  mediator):
        case = self.accepted(signed_contract, li_user, clerk, mediator)
        agreement = services.agreement_draft(viewer=viewer(mediator, case), terms="被申请人于2026年7月1日前支付。",
                                             amount="50000.00")
        assert agreement.document.kind == DocumentKind.AGREEMENT
        mediation = services.mediation_process_for(case=case)
        assert open_nodes(mediation) == {"sign_agreement"}
        services.agreement_decide(viewer=viewer(li_user, case), accept=True, request_meta=META)
        with pytest.raises(ValidationError):
            services.agreement_decide(viewer=viewer(li_user, case), accept=True, request_meta=META)
        case.refresh_from_db()
        assert case.status == CaseStatus.MEDIATION
        services.agreement_decide(viewer=viewer(hr, case), accept=True, request_meta=META)
        case.refresh_from_db()
        assert case.status == CaseStatus.CLOSED and case.outcome == "agreement"
        agreement = CaseAgreement.objects.get(case=case)
        assert agreement.accepted_by_both
        for process in (services.dispute_process_for(case=case), mediation):
            process.refresh_from_db()
            assert process.status == PROCESS.DONE
        accepted = [e for e in EvidenceEvent.objects.filter(subject_id=str(case.pk), subject_type="dispute_case",
                                                             event_type="dispute.agreement_accepted")]
        assert len(accepted) == 2 and all(agreement.document.stored_id in e.payload for e in accepted)

    def test_a_declined_agreement_goes_to_arbitration(self, signed_contract, li_user, hr, clerk, mediator):
        case = self.accepted(signed_contract, li_user, clerk, mediator)
        services.agreement_draft(viewer=viewer(mediator, case), terms="支付一万元。", amount="10000")
        services.agreement_decide(viewer=viewer(hr, case), accept=False, request_meta=META)
        process = services.dispute_process_for(case=case)
        assert open_nodes(process) == {"assign_arbitrator"}
        assert process.mediation_outcome == "failed"

    def test_fifteen_days_without_agreement_moves_to_arbitration(self, signed_contract, li_user, clerk, mediator):
        case = self.accepted(signed_contract, li_user, clerk, mediator)
        with freeze_time(timezone.now() + dt.timedelta(days=14)):
            fire_due_timers()
        assert not services.dispute_process_for(case=case).mediation_outcome
        with freeze_time(timezone.now() + dt.timedelta(days=15, minutes=1)):
            assert fire_due_timers() >= 1
        case.refresh_from_db()
        assert case.status == CaseStatus.ARBITRATION and case.tribunal_due is not None
        process = services.dispute_process_for(case=case)
        assert process.mediation_outcome == "timed_out"
        assert open_nodes(process) == {"assign_arbitrator"}
        mediation = services.mediation_process_for(case=case)
        assert mediation.status == PROCESS.DONE
        assert mediation.task_set.get(flow_task=MediationFlow.mediate).status == STATUS.CANCELED
        with pytest.raises(ValidationError):  # the mediator's task is gone
            services.mediation_fail(viewer=viewer(mediator, case))


class TestRejection:
    def test_rejection_needs_reasons_and_ends_the_process(self, signed_contract, li_user, clerk):
        case = file_case(li_user, signed_contract)
        with pytest.raises(ValidationError):
            services.case_reject(case=case, user=clerk, reason="  ")
        case = services.case_reject(case=case, user=clerk, reason="申请已超过仲裁时效（一年）。")
        assert case.status == CaseStatus.REJECTED and case.closed_at and case.outcome == "rejected"
        process = services.dispute_process_for(case=case)
        assert process.status == PROCESS.DONE
        assert case_timeline(case=case)[0].state == "done"
        assert "dispute.rejected" in case_events(case)


class TestDeadlines:
    def test_missed_acceptance_escalates_to_the_supervisor(self, signed_contract, li_user, clerk, supervisor):
        case = file_case(li_user, signed_contract)
        with freeze_time(timezone.now() + dt.timedelta(days=4)):
            assert fire_due_timers() == 0
        with freeze_time(timezone.now() + dt.timedelta(days=5, hours=1)):
            assert fire_due_timers() == 1
        escalation = Escalation.objects.get(case=case)
        assert escalation.kind == DeadlineKind.ACCEPTANCE and list(escalation.supervisors.all()) == [supervisor]
        process = services.dispute_process_for(case=case)
        assert open_nodes(process) == {"accept", "supervise"}  # the clerk's task stays; a supervisor task is added
        assert "deadline.escalated" in case_events(case)

        with freeze_time(timezone.now() + dt.timedelta(days=6)):
            case = services.case_accept(case=case, user=clerk)
        assert case_timeline(case=case)[0].state == "late"
        services.escalation_acknowledge(escalation=escalation, user=supervisor)
        escalation.refresh_from_db()
        assert escalation.acknowledged_by == supervisor
        assert open_nodes(process) == {"assign_arbitrator"}

    def test_no_flagged_supervisor_means_platform_admins(self, signed_contract, li_user, platform_admin):
        case = file_case(li_user, signed_contract)
        with freeze_time(timezone.now() + dt.timedelta(days=6)):
            fire_due_timers()
        assert list(Escalation.objects.get(case=case).supervisors.all()) == [platform_admin]

    def test_award_deadline_45_days_or_60_after_extension(self, signed_contract, li_user, clerk, arbitrator,
                                                          supervisor):
        case = file_case(li_user, signed_contract)
        case = services.case_accept(case=case, user=clerk)
        case = services.case_assign_arbitrator(viewer=viewer(clerk, case), arbitrator=arbitrator)
        with pytest.raises(PermissionDenied):
            services.award_extend(viewer=viewer(arbitrator, case), reason="案情复杂")
        case = services.award_extend(viewer=viewer(supervisor, case), reason="案情复杂，需要鉴定。")
        assert case.award_due == case.accepted_at + dt.timedelta(days=60)
        with pytest.raises(ValidationError):
            services.award_extend(viewer=viewer(supervisor, case), reason="再延")
        with freeze_time(case.accepted_at + dt.timedelta(days=46)):
            fire_due_timers()
        assert not Escalation.objects.filter(case=case).exists()  # extended: day 45 is not missed
        with freeze_time(case.accepted_at + dt.timedelta(days=61)):
            fire_due_timers()
        assert Escalation.objects.get(case=case).kind == DeadlineKind.AWARD_EXTENDED

    def test_award_deadline_missed_without_extension(self, signed_contract, li_user, clerk, arbitrator,
                                                     supervisor):
        case = services.case_accept(case=file_case(li_user, signed_contract), user=clerk)
        case = services.case_assign_arbitrator(viewer=viewer(clerk, case), arbitrator=arbitrator)
        with freeze_time(case.accepted_at + dt.timedelta(days=45, hours=1)):
            fire_due_timers()
        assert Escalation.objects.get(case=case).kind == DeadlineKind.AWARD
        # The arbitrator can still decide; the award records that it was late.
        award = services.award_issue(viewer=viewer(arbitrator, case), text="支付工资。", amount="8600")
        assert Award.objects.filter(pk=award.pk).exists()

    def test_tribunal_deadline_escalates(self, signed_contract, li_user, clerk, supervisor):
        case = services.case_accept(case=file_case(li_user, signed_contract), user=clerk)
        with freeze_time(case.accepted_at + dt.timedelta(days=5, hours=1)):
            fire_due_timers()
        assert Escalation.objects.get(case=case).kind == DeadlineKind.TRIBUNAL
