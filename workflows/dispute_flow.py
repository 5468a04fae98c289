"""劳动争议仲裁案件 — the dispute case and its pre-arbitration mediation, as their BPMN diagrams read.

Lanes: applicant (worker on their phone, or a transferred arrears complaint) →
commission clerk (acceptance within 5 days, routing, naming the arbitrator) →
mediator (ordinary route: 15 days) → parties (accept the agreement PDF) →
arbitrator (award within 45 + 15 days, close) → supervisor (missed deadlines).

Wage arrears, or claims within 12 × the local monthly minimum wage, take the fast
track straight to an arbitrator; other cases are mediated first. viewflow's OSS
edition has no Subprocess, so mediation is its own ``MediationFlow``, started from
code by the ``mediation`` step; the dispute waits in ``mediation_outcome`` (a Handle)
until the mediation process reports back how it ended. Every statutory deadline is a
non-interrupting timer: the task stays with its owner and a supervisor gets an
escalation task; only the mediation period is interrupting (15 days without an
agreement moves the case on to arbitration, LDMAL Art 14).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import act, flow, lock

from contracts_platform.disputes import services
from contracts_platform.disputes.models import DeadlineKind
from contracts_platform.disputes.selectors import is_platform_admin
from contracts_platform.disputes.views import CaseTaskRedirectView
from workflows.dispute_models import DisputeProcess, MediationOutcome, MediationProcess


class DisputeFlow(flow.Flow):
    """Filed → accepted or rejected (5 days) → fast track or mediation → arbitrator → award (45+15 days) → closed."""

    process_class = DisputeProcess
    process_title = _("劳动争议仲裁案件")
    lock_impl = lock.select_for_update_lock

    # applicant
    start = flow.StartHandle(this.start_case).Annotation(title=_("提出仲裁申请")).Next(this.accept)

    # commission clerk
    accept = (
        flow.View(CaseTaskRedirectView.as_view())
        .Permission(auto_create=True)
        .Annotation(title=_("立案审查（5日内）"))
        .OnTimeout(services.acceptance_due_at, this.escalate_acceptance, interrupting=False,
                   title=_("受理期限届满"))
        .Next(this.acceptance_decision)
    )
    acceptance_decision = flow.If(act.process.accepted).Then(this.route).Else(this.rejected)
    route = (
        flow.If(act.process.fast_track)
        .Annotation(title=_("欠薪或小额：速裁"))
        .Then(this.assign_arbitrator)
        .Else(this.assign_mediator)
    )
    assign_mediator = (
        flow.View(CaseTaskRedirectView.as_view())
        .Permission(auto_create=True)
        .Annotation(title=_("指派调解员"))
        .Next(this.mediation)
    )

    # mediator and parties: the separate MediationFlow below; this process waits for its outcome
    mediation = flow.Function(this.start_mediation).Annotation(title=_("先行调解（15日）")).Next(this.mediation_outcome)
    mediation_outcome = (
        flow.Handle(this.record_mediation_outcome)
        .Annotation(title=_("等待调解结果"))
        .Next(this.mediation_decision)
    )
    mediation_decision = flow.If(act.process.agreed).Then(this.close_by_agreement).Else(this.assign_arbitrator)
    close_by_agreement = flow.Function(this.closed_by_agreement).Annotation(title=_("调解结案")).Next(this.end)

    # commission clerk names the tribunal
    assign_arbitrator = (
        flow.View(CaseTaskRedirectView.as_view())
        .Permission(auto_create=True)
        .Annotation(title=_("组成仲裁庭（5日内）"))
        .OnTimeout(services.tribunal_due_at, this.escalate_tribunal, interrupting=False, title=_("组庭期限届满"))
        .Next(this.award)
    )

    # arbitrator
    award = (
        flow.View(CaseTaskRedirectView.as_view())
        .Permission(auto_create=True)
        .Annotation(title=_("审理并作出裁决（45日内）"))
        .OnTimeout(services.award_due_at, this.award_extension_check, interrupting=False, title=_("第45日"))
        .OnTimeout(services.award_extended_due_at, this.escalate_award_extended, interrupting=False,
                   title=_("第60日"))
        .Next(this.close)
    )
    close = (
        flow.View(CaseTaskRedirectView.as_view())
        .Permission(auto_create=True)
        .Annotation(title=_("送达并结案"))
        .Next(this.end)
    )
    end = flow.End()

    rejected = flow.Function(this.case_rejected).Annotation(title=_("不予受理")).Next(this.rejected_end)
    rejected_end = flow.End()

    # missed deadlines: record, then a task for the supervisor (督办)
    award_extension_check = (
        flow.If(services.award_not_extended)
        .Annotation(title=_("是否已批准延期"))
        .Then(this.escalate_award)
        .Else(this.escalated)
    )
    escalate_acceptance = flow.Function(this.acceptance_missed).Annotation(title=_("受理超期")).Next(this.supervise)
    escalate_tribunal = flow.Function(this.tribunal_missed).Annotation(title=_("组庭超期")).Next(this.supervise)
    escalate_award = flow.Function(this.award_missed).Annotation(title=_("裁决超期")).Next(this.supervise)
    escalate_award_extended = (
        flow.Function(this.award_extended_missed).Annotation(title=_("延长期限届满")).Next(this.supervise)
    )
    supervise = (
        flow.View(CaseTaskRedirectView.as_view())
        .Permission(auto_create=True)
        .Annotation(title=_("主管督办"))
        .Next(this.escalated)
    )
    escalated = flow.End()

    # viewflow's own screens check no object-level access: platform admins only (the pages
    # people use go through contracts_platform.disputes.selectors).
    def has_view_permission(self, user, obj=None) -> bool:
        return is_platform_admin(user)

    def has_manage_permission(self, user, obj=None) -> bool:
        return is_platform_admin(user)

    # --- node callbacks: one line each, the work lives in contracts_platform.disputes.services ---
    def start_case(self, activation, case):
        return services.on_case_started(process=activation.process, case=case)

    def start_mediation(self, activation) -> None:
        MediationFlow.start.run(case=activation.process.case, _parent_task=activation.task)

    def record_mediation_outcome(self, activation, outcome: str) -> None:
        services.on_mediation_outcome(process=activation.process, outcome=outcome)

    def closed_by_agreement(self, activation) -> None:
        services.on_closed_by_agreement(process=activation.process)

    def case_rejected(self, activation) -> None:
        services.on_case_rejected(process=activation.process)

    def acceptance_missed(self, activation) -> None:
        services.on_case_deadline(activation=activation, kind=DeadlineKind.ACCEPTANCE)

    def tribunal_missed(self, activation) -> None:
        services.on_case_deadline(activation=activation, kind=DeadlineKind.TRIBUNAL)

    def award_missed(self, activation) -> None:
        services.on_case_deadline(activation=activation, kind=DeadlineKind.AWARD)

    def award_extended_missed(self, activation) -> None:
        services.on_case_deadline(activation=activation, kind=DeadlineKind.AWARD_EXTENDED)


class MediationFlow(flow.Flow):
    """仲裁前调解: the mediator mediates; an agreement PDF is accepted by both parties, or 15 days run out."""

    process_class = MediationProcess
    process_title = _("仲裁前调解")
    lock_impl = lock.select_for_update_lock

    # started from DisputeFlow.mediation
    start = flow.StartHandle(this.start_mediation).Annotation(title=_("开始调解")).Next(this.mediate)

    # mediator
    mediate = (
        flow.View(CaseTaskRedirectView.as_view())
        .Permission(auto_create=True)
        .Annotation(title=_("调解（记录调解、起草协议或调解不成）"))
        .OnTimeout(services.mediation_due_at, this.timed_out, title=_("调解期限届满"))
        .Next(this.proposed)
    )
    proposed = flow.If(act.process.agreement_proposed).Then(this.sign_agreement).Else(this.failed)

    # both parties accept the agreement PDF (worker or legal-aid lawyer; employer staff)
    sign_agreement = (
        flow.Handle(this.record_agreement_decision)
        .Annotation(title=_("双方确认调解协议"))
        .OnTimeout(services.mediation_due_at, this.timed_out, title=_("调解期限届满"))
        .Next(this.signed)
    )
    signed = flow.If(act.process.agreement_signed).Then(this.agreed).Else(this.failed)

    # report back to the waiting dispute process
    agreed = flow.Function(this.report_agreed).Annotation(title=_("达成协议")).Next(this.end)
    failed = flow.Function(this.report_failed).Annotation(title=_("调解不成")).Next(this.end)
    timed_out = flow.Function(this.report_timed_out).Annotation(title=_("15日未达成协议")).Next(this.end)
    end = flow.End()

    # viewflow's own screens check no object-level access: platform admins only (the pages
    # people use go through contracts_platform.disputes.selectors).
    def has_view_permission(self, user, obj=None) -> bool:
        return is_platform_admin(user)

    def has_manage_permission(self, user, obj=None) -> bool:
        return is_platform_admin(user)

    # --- node callbacks ---
    def start_mediation(self, activation, case):
        return services.on_mediation_started(process=activation.process, case=case)

    def record_agreement_decision(self, activation, signed: bool) -> None:
        services.on_agreement_decided(process=activation.process, signed=signed)

    def report_agreed(self, activation) -> None:
        services.on_mediation_ended(process=activation.process, outcome=MediationOutcome.AGREED)

    def report_failed(self, activation) -> None:
        services.on_mediation_ended(process=activation.process, outcome=MediationOutcome.FAILED)

    def report_timed_out(self, activation) -> None:
        services.on_mediation_ended(process=activation.process, outcome=MediationOutcome.TIMED_OUT)
