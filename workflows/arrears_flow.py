"""欠薪投诉 — a wage-arrears complaint, as its BPMN diagram reads.

Lanes: reporter (public page, phone OTP, no account) → platform (route to the
district) → bureau officer of the district (accept within 5 working days; contact
both sides; decide within 60 working days) → outcome: paid, transferred to a dispute
case (which starts its own DisputeFlow), or rejected with reasons → supervisor
(missed deadlines). The reporter is texted at each step (``arrears_update``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import act, flow, lock

from contracts_platform.disputes import services
from contracts_platform.disputes.models import DeadlineKind
from contracts_platform.disputes.selectors import is_platform_admin
from contracts_platform.disputes.views import ComplaintTaskRedirectView
from workflows.dispute_models import ArrearsProcess


class ArrearsFlow(flow.Flow):
    """Reported → routed to the district → accepted (5 working days) → checked → paid / transferred / rejected."""

    process_class = ArrearsProcess
    process_title = _("欠薪投诉处理")
    lock_impl = lock.select_for_update_lock

    # reporter
    start = flow.StartHandle(this.start_complaint).Annotation(title=_("提交欠薪投诉")).Next(this.route_district)

    # platform
    route_district = flow.Function(this.route).Annotation(title=_("分派至属地人社部门")).Next(this.accept)

    # bureau officer of the district
    accept = (
        flow.View(ComplaintTaskRedirectView.as_view())
        .Permission(auto_create=True)
        .Annotation(title=_("受理审查（5个工作日内）"))
        .OnTimeout(services.arrears_accept_due_at, this.escalate_acceptance, interrupting=False,
                   title=_("受理期限届满"))
        .Next(this.acceptance_decision)
    )
    acceptance_decision = flow.If(act.process.accepted).Then(this.investigate).Else(this.rejected)
    investigate = (
        flow.View(ComplaintTaskRedirectView.as_view())
        .Permission(auto_create=True)
        .Annotation(title=_("联系双方核查（60个工作日内）"))
        .OnTimeout(services.arrears_investigation_due_at, this.escalate_investigation, interrupting=False,
                   title=_("办结期限届满"))
        .Next(this.outcome)
    )
    outcome = (
        flow.Switch()
        .Annotation(title=_("处理结果"))
        .Case(this.paid, act.process.is_paid)
        .Case(this.transfer, act.process.is_transferred)
        .Default(this.rejected)
    )
    paid = flow.Function(this.complaint_paid).Annotation(title=_("已支付")).Next(this.end)
    transfer = flow.Function(this.complaint_transferred).Annotation(title=_("转劳动争议仲裁")).Next(this.end)
    rejected = flow.Function(this.complaint_rejected).Annotation(title=_("不予受理/驳回")).Next(this.end)
    end = flow.End()

    # missed deadlines: record, tell the reporter, then a task for the supervisor
    escalate_acceptance = flow.Function(this.acceptance_missed).Annotation(title=_("受理超期")).Next(this.supervise)
    escalate_investigation = (
        flow.Function(this.investigation_missed).Annotation(title=_("办结超期")).Next(this.supervise)
    )
    supervise = (
        flow.View(ComplaintTaskRedirectView.as_view())
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
    def start_complaint(self, activation, complaint):
        return services.on_complaint_started(process=activation.process, complaint=complaint)

    def route(self, activation) -> None:
        services.on_complaint_routed(activation=activation)

    def complaint_paid(self, activation) -> None:
        services.on_complaint_paid(process=activation.process)

    def complaint_transferred(self, activation) -> None:
        services.on_complaint_transferred(process=activation.process)

    def complaint_rejected(self, activation) -> None:
        services.on_complaint_rejected(process=activation.process)

    def acceptance_missed(self, activation) -> None:
        services.on_complaint_deadline(activation=activation, kind=DeadlineKind.ARREARS_ACCEPTANCE)

    def investigation_missed(self, activation) -> None:
        services.on_complaint_deadline(activation=activation, kind=DeadlineKind.ARREARS_INVESTIGATION)
