"""劳动合同签署流程 — the contract signing process, as its BPMN diagram reads.

Lanes: employer HR → employer signatory → platform (background) → worker →
platform (background) → notify → file. A return by the signatory, a failed
statutory re-check or a worker's refusal loops back to HR's revision. Reminders
are non-interrupting timers on the worker's task; the signing deadline is an
interrupting one. Background failures land on a staff task that retries.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import act, flow, lock

from workflows import services, tasks
from workflows.jobs import CeleryJob
from workflows.models import ContractProcess
from workflows.views import TaskInEmployerPortalView


class ContractSigningFlow(flow.Flow):
    """Draft → statutory check → signatory approval → seal → worker signs → archive → notify → file."""

    process_class = ContractProcess
    process_title = _("劳动合同签署")
    lock_impl = lock.select_for_update_lock

    # employer HR
    start = (
        flow.StartHandle(this.start_signing)
        .Annotation(title=_("人事发起签署"))
        .Next(this.statutory_check)
    )
    statutory_check = (
        flow.If(this.recheck_statutory_rules)
        .Annotation(title=_("法定条款复核"))
        .Then(this.approve)
        .Else(this.revise)
    )

    # employer signatory
    approve = (
        flow.View(TaskInEmployerPortalView.as_view())
        .Permission(auto_create=True)
        .Annotation(title=_("签字人审批"))
        .Next(this.approval_decision)
    )
    approval_decision = flow.If(act.process.approved).Then(this.seal).Else(this.revise)

    # platform, in the background: render the PDF and apply the employer's certifying seal
    seal = (
        CeleryJob(tasks.seal_contract)
        .Annotation(title=_("生成PDF并加盖单位电子印章"))
        .OnError(this.seal_failed)
        .Next(this.invite)
    )
    invite = flow.Function(this.invite_worker).Annotation(title=_("短信邀请劳动者")).Next(this.worker_decision)

    # worker (on the mobile signing pages, which hand the decision back to this task)
    worker_decision = (
        flow.Handle(this.record_worker_decision)
        .Annotation(title=_("劳动者核身、阅读并签署"))
        .OnTimeout(services.first_reminder_at, this.remind, interrupting=False, title=_("第1天提醒"))
        .OnTimeout(services.second_reminder_at, this.remind, interrupting=False, title=_("第3天提醒"))
        .OnTimeout(services.invitation_deadline_at, this.expire, title=_("签署期限届满"))
        .Next(this.worker_signed)
    )
    worker_signed = flow.If(act.process.worker_signed).Then(this.countersign).Else(this.revise)

    # platform, in the background: worker's signature, long-term validation data, archive
    countersign = (
        CeleryJob(tasks.countersign_contract)
        .Annotation(title=_("劳动者签名、时间戳并归档"))
        .OnError(this.countersign_failed)
        .Next(this.notify)
    )
    notify = flow.Function(this.notify_parties).Annotation(title=_("通知双方")).Next(this.file)
    file = flow.Function(this.file_with_bureau).Annotation(title=_("劳动用工备案")).Next(this.end)
    end = flow.End()

    # employer HR revises after a return, a failed re-check or a refusal, then resubmits
    revise = (
        flow.View(TaskInEmployerPortalView.as_view())
        .Permission(auto_create=True)
        .Annotation(title=_("人事修改合同"))
        .Next(this.statutory_check)
    )

    # timers
    remind = flow.Function(this.send_reminder).Annotation(title=_("短信提醒")).Next(this.reminded)
    reminded = flow.End()
    expire = flow.Function(this.mark_expired).Annotation(title=_("标记过期")).Next(this.expired)
    expired = flow.End()

    # failures of the background steps: platform staff look and retry
    seal_failed = (
        flow.View(TaskInEmployerPortalView.as_view())
        .Permission(auto_create=True)
        .Annotation(title=_("签章失败，待重试"))
        .Next(this.seal)
    )
    countersign_failed = (
        flow.View(TaskInEmployerPortalView.as_view())
        .Permission(auto_create=True)
        .Annotation(title=_("归档失败，待重试"))
        .Next(this.countersign)
    )

    # viewflow's own screens (mounted at /workflow/) list every employer's processes and
    # check no object-level access, so only platform staff may use them.
    def has_view_permission(self, user, obj=None) -> bool:
        return services.is_platform_staff(user)

    def has_manage_permission(self, user, obj=None) -> bool:
        return services.is_platform_staff(user)

    # --- node callbacks: one line each, the work lives in workflows.services ---
    def start_signing(self, activation, contract, user):
        return services.on_signing_started(process=activation.process, contract=contract, user=user)

    def recheck_statutory_rules(self, activation) -> bool:
        return services.statutory_recheck(process=activation.process)

    def invite_worker(self, activation) -> None:
        services.on_invite(process=activation.process)

    def record_worker_decision(self, activation, **decision) -> None:
        services.on_worker_decision(process=activation.process, **decision)

    def send_reminder(self, activation) -> None:
        services.on_reminder(process=activation.process)

    def mark_expired(self, activation) -> None:
        services.on_expired(process=activation.process)

    def notify_parties(self, activation) -> None:
        services.on_completed(process=activation.process)

    def file_with_bureau(self, activation) -> None:
        services.on_filing(process=activation.process)
