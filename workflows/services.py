"""The contract signing process: services the flow nodes and the views call.

Entry points (``contract_signing_start``, ``approval_decide``, ``revision_resubmit``,
``contract_signing_withdraw``, ``worker_sign``, ``worker_decline``) check who may act
on which object — viewflow's transitions deliberately do not (viewflow #497) — and
then drive the flow. The ``on_*`` hooks run inside flow nodes.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.status import PROCESS, STATUS

from contracts_platform.accounts.models import User
from contracts_platform.accounts.selectors import is_platform_admin as is_platform_staff
from contracts_platform.archive.store import archive_get, archive_put
from contracts_platform.contracts.models import Contract, ContractStatus, ContractVersion
from contracts_platform.contracts.rules import Level
from contracts_platform.contracts.services import terms_check
from contracts_platform.parties.models import EmployerMembership, EmployerRole
from workflows import events
from workflows.models import ContractProcess, WorkerOutcome

NOT_READY = "只有已标记为“可发起签署”的合同才能发起签署。"
ALREADY_RUNNING = "该合同已在签署流程中。"
NOT_YOUR_TASK = "您没有处理此任务的权限。"
NO_PENDING_TASK = "该合同当前没有等待您处理的任务。"
ALREADY_DECIDED = "该合同已经签署或已处理，请勿重复提交。"
CANNOT_WITHDRAW = "劳动者已签署或流程已结束，不能撤回。"
BAD_SIGNATURE = "签名图片无效，请重新手写签名。"
REASON_REQUIRED = "请填写拒签原因。"
SIGNATURE_MAX_BYTES = 300 * 1024

ACTIVE_TASK_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED, STATUS.ERROR)


def _flow():
    from workflows.contract_flow import ContractSigningFlow

    return ContractSigningFlow


# --- lookups -------------------------------------------------------------------------------------------

def signing_process_for(*, contract: Contract) -> ContractProcess | None:
    """The contract's current (latest) signing process, finished or not."""
    return (ContractProcess.objects.filter(flow_class=_flow(), data__contract_id=contract.pk)
            .order_by("-created", "-pk").first())


def _active_process(contract: Contract) -> ContractProcess | None:
    process = signing_process_for(contract=contract)
    return process if process and process.status == PROCESS.NEW else None


def pending_task(*, process: ContractProcess, node: Any) -> Any | None:
    return process.task_set.filter(flow_task=node, status__in=(STATUS.NEW, STATUS.ASSIGNED)).first()


def _require_role(*, user: User, contract: Contract, roles: tuple[EmployerRole, ...]) -> EmployerMembership:
    membership = EmployerMembership.objects.filter(user=user, employer=contract.employer).first()
    if membership is None or (membership.role not in roles and membership.role != EmployerRole.ADMIN):
        raise PermissionDenied(_(NOT_YOUR_TASK))
    return membership


def _set_status(contract: Contract, status: ContractStatus) -> None:
    Contract.objects.filter(pk=contract.pk).update(status=status, updated_at=timezone.now())
    contract.status = status


# --- employer entry points ---------------------------------------------------------------------------

def contract_signing_start(*, contract: Contract, user: User) -> ContractProcess:
    """HR starts the signing process for a ready contract."""
    _require_role(user=user, contract=contract, roles=(EmployerRole.HR,))
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if _active_process(locked):
            raise ValidationError(_(ALREADY_RUNNING), code="already_running")
        if locked.status != ContractStatus.READY or not locked.current_version.is_ready:
            raise ValidationError(_(NOT_READY), code="not_ready")
        return _flow().start.run(contract=locked, user=user)


def approval_decide(*, contract: Contract, user: User, approved: bool, comment: str = "") -> ContractProcess:
    """The signatory approves (seal and send) or returns the contract to HR with a comment."""
    _require_role(user=user, contract=contract, roles=(EmployerRole.SIGNATORY,))
    process = _active_process(contract)
    task = pending_task(process=process, node=_flow().approve) if process else None
    if task is None:
        raise ValidationError(_(NO_PENDING_TASK), code="no_task")
    if not approved and not comment.strip():
        raise ValidationError({"comment": _("退回时请填写修改意见。")}, code="comment_required")
    with task.activation() as activation:
        if activation.task.status != STATUS.NEW and activation.task.status != STATUS.ASSIGNED:
            raise ValidationError(_(NO_PENDING_TASK), code="no_task")
        if activation.task.status == STATUS.NEW:
            activation.assign(user)
        activation.start(None)
        activation.process.approved = approved
        activation.process.approval_comment = comment.strip()[:500]
        activation.process.save()
        events.approval_decided_event(process=activation.process, user=user, approved=approved, comment=comment)
        # Returned to HR: the contract is editable again until it is resubmitted.
        _set_status(contract, ContractStatus.SIGNING if approved else ContractStatus.DRAFT)
        activation.execute()
    return activation.process


def revision_resubmit(*, contract: Contract, user: User) -> ContractProcess:
    """HR has saved a new ready version; the process picks it up and re-checks it."""
    _require_role(user=user, contract=contract, roles=(EmployerRole.HR,))
    process = _active_process(contract)
    task = pending_task(process=process, node=_flow().revise) if process else None
    if task is None:
        raise ValidationError(_(NO_PENDING_TASK), code="no_task")
    contract.refresh_from_db()
    if contract.status != ContractStatus.READY:
        raise ValidationError(_(NOT_READY), code="not_ready")
    with task.activation() as activation:
        if activation.task.status == STATUS.NEW:
            activation.assign(user)
        activation.start(None)
        activation.process.version = contract.current_version
        activation.process.approved = False
        activation.process.worker_outcome = ""
        activation.process.save()
        _set_status(contract, ContractStatus.IN_APPROVAL)
        activation.execute()
    return activation.process


def contract_signing_withdraw(*, contract: Contract, user: User, reason: str = "") -> ContractProcess:
    """HR withdraws before the worker has signed: every open task is cancelled, links revoked."""
    _require_role(user=user, contract=contract, roles=(EmployerRole.HR,))
    process = _active_process(contract)
    if process is None or process.worker_outcome == WorkerOutcome.SIGNED:
        raise ValidationError(_(CANNOT_WITHDRAW), code="cannot_withdraw")
    with _flow().lock(process.pk):
        process.refresh_from_db()
        if process.worker_outcome == WorkerOutcome.SIGNED:
            raise ValidationError(_(CANNOT_WITHDRAW), code="cannot_withdraw")
        for task in process.task_set.filter(status__in=ACTIVE_TASK_STATUSES):
            activation = task.flow_task.activation_class(task)
            cancel = getattr(activation, "cancel", None)
            if cancel is not None and cancel.can_proceed():
                cancel()
            else:  # jobs and handles without a cancel transition
                task.status, task.finished = STATUS.CANCELED, timezone.now()
                task.save(update_fields=["status", "finished"])
        process.status, process.finished = PROCESS.CANCELED, timezone.now()
        process.save()
        _revoke_invitations(contract, actor=user)
        _set_status(contract, ContractStatus.WITHDRAWN)
        events.signing_withdrawn_event(process=process, user=user, reason=reason)
    return process


def contract_signing_remind(*, contract: Contract, user: User) -> None:
    """HR texts the worker a fresh link now (the timers also do this on days 1 and 3)."""
    _require_role(user=user, contract=contract, roles=(EmployerRole.HR,))
    process = _active_process(contract)
    if process is None or pending_task(process=process, node=_flow().worker_decision) is None:
        raise ValidationError(_(NO_PENDING_TASK), code="no_task")
    _send_invitation(process, template="signing_reminder", actor=user)


def retry_failed_step(*, contract: Contract, user: User) -> ContractProcess:
    """Platform staff (or the employer admin) retry a failed seal or archive step."""
    if not is_platform_staff(user):
        _require_role(user=user, contract=contract, roles=(EmployerRole.ADMIN,))
    process = _active_process(contract)
    flow_class = _flow()
    task = None
    if process:
        task = (pending_task(process=process, node=flow_class.seal_failed)
                or pending_task(process=process, node=flow_class.countersign_failed))
    if task is None:
        raise ValidationError(_(NO_PENDING_TASK), code="no_task")
    with task.activation() as activation:
        if activation.task.status == STATUS.NEW:
            activation.assign(user)
        activation.start(None)
        activation.execute()
    return process


# --- worker entry points ------------------------------------------------------------------------------

def _valid_signature_png(data: bytes) -> bytes:
    from PIL import Image, UnidentifiedImageError

    if not data or len(data) > SIGNATURE_MAX_BYTES or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError(_(BAD_SIGNATURE), code="bad_signature")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            # An empty pad is all transparent/white: refuse a signature without strokes.
            extrema = image.convert("LA").getextrema()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValidationError(_(BAD_SIGNATURE), code="bad_signature") from exc
    if not (40 <= width <= 4000 and 20 <= height <= 2000) or extrema[1][1] == 0:
        raise ValidationError(_(BAD_SIGNATURE), code="bad_signature")
    return data


def _worker_decision_run(invitation: Any, **decision: Any) -> ContractProcess:
    from contracts_platform.identity.errors import InvitationError
    from contracts_platform.identity.invitations import invitation_consume

    process = _active_process(invitation.contract)
    task = pending_task(process=process, node=_flow().worker_decision) if process else None
    if task is None or process.version_id != invitation.contract_version_id:
        raise ValidationError(_(ALREADY_DECIDED), code="already_decided")
    try:
        with transaction.atomic():
            invitation_consume(invitation=invitation)
            _flow().worker_decision.run(task, **decision)
    except (TransitionNotAllowed, InvitationError) as exc:
        # The loser of two simultaneous submissions lands here: the link is single-use.
        raise ValidationError(_(ALREADY_DECIDED), code="already_decided") from exc
    process.refresh_from_db()
    return process


def worker_sign(*, invitation: Any, signature_png: bytes, intent: dict[str, Any]) -> ContractProcess:
    """The worker's signature: stored, then handed to the flow (which signs in the background).

    The caller (the mobile pages) has checked identity, the read-to-the-end and the
    intent confirmation; ``intent`` records how (method, times, IP, device).
    """
    png = _valid_signature_png(signature_png)
    stored = archive_put(png, content_type="image/png")
    return _worker_decision_run(invitation, outcome=WorkerOutcome.SIGNED, signature_sha256=stored.sha256,
                                intent=intent)


def worker_decline(*, invitation: Any, reason: str, request_meta: dict[str, Any] | None = None) -> ContractProcess:
    reason = " ".join((reason or "").split())[:500]
    if not reason:
        raise ValidationError({"reason": _(REASON_REQUIRED)}, code="reason_required")
    return _worker_decision_run(invitation, outcome=WorkerOutcome.DECLINED, reason=reason,
                                intent=request_meta or {})


def worker_signature_for(*, process: ContractProcess) -> tuple[bytes, dt.datetime, dict[str, Any]]:
    """What the background countersign step needs: the pad image, the moment of signing, the intent."""
    task = process.task_set.filter(flow_task=_flow().worker_decision, status=STATUS.DONE).order_by("-pk").first()
    signed_at = task.finished if task and task.finished else timezone.now()
    intent = (task.data or {}).get("intent", {}) if task else {}
    return archive_get(process.signature_sha256), signed_at, intent


# --- flow hooks ------------------------------------------------------------------------------------------

def on_signing_started(*, process: ContractProcess, contract: Contract, user: User) -> ContractProcess:
    process.contract = contract
    process.version = contract.current_version
    _set_status(contract, ContractStatus.IN_APPROVAL)
    events.signing_started_event(process=process, contract=contract, user=user)
    return process


def statutory_recheck(*, process: ContractProcess) -> bool:
    """Errors found today (a minimum wage may have risen since drafting) send it back to HR."""
    version: ContractVersion = process.version
    findings = terms_check(terms=version.full_terms(), worker=version.contract.worker, contract=version.contract)
    errors = [f.rule for f in findings if f.level == Level.ERROR]
    lawful = version.is_ready and not errors
    process.lawful = lawful
    process.save()
    events.statutory_rechecked_event(process=process, errors=errors)
    if not lawful:
        _set_status(process.contract, ContractStatus.DRAFT)
    return lawful


def _send_invitation(process: ContractProcess, *, template: str, actor: User | None) -> None:
    from contracts_platform.identity.invitations import invitation_send

    version = process.version
    invitation_send(version=version, worker=version.contract.worker, actor=actor, template=template)


def on_invite(*, process: ContractProcess) -> None:
    _set_status(process.contract, ContractStatus.SIGNING)
    _send_invitation(process, template="signing_invitation", actor=None)


def on_worker_decision(*, process: ContractProcess, outcome: str, signature_sha256: str = "", reason: str = "",
                       intent: dict[str, Any] | None = None) -> None:
    process.worker_outcome = outcome
    process.signature_sha256 = signature_sha256
    process.decline_reason = reason
    process.save()
    task = process.task_set.filter(flow_task=_flow().worker_decision, status=STATUS.STARTED).first()
    if task is not None:
        task.data = {**(task.data or {}), "intent": intent or {}}
        task.save(update_fields=["data"])
    if outcome == WorkerOutcome.DECLINED:
        _set_status(process.contract, ContractStatus.DECLINED)
    events.worker_decided_event(process=process, outcome=outcome, reason=reason, intent=intent or {})


def on_reminder(*, process: ContractProcess) -> None:
    _send_invitation(process, template="signing_reminder", actor=None)


def _revoke_invitations(contract: Contract, *, actor: User | None) -> None:
    from contracts_platform.identity.invitations import invitation_revoke
    from contracts_platform.identity.models import InvitationState, SigningInvitation

    for invitation in SigningInvitation.objects.filter(contract=contract, state=InvitationState.ACTIVE):
        invitation_revoke(invitation=invitation, actor=actor)


def on_expired(*, process: ContractProcess) -> None:
    _revoke_invitations(process.contract, actor=None)
    _set_status(process.contract, ContractStatus.EXPIRED)
    events.signing_expired_event(process=process)


def on_completed(*, process: ContractProcess) -> None:
    """Effective at the worker's signature; both parties are told, the worker gets a permanent link."""
    from contracts_platform.notifications.services import sms_send

    contract = process.contract
    _set_status(contract, ContractStatus.EFFECTIVE)
    sms_send(phone=contract.worker.phone, template="contract_completed", purpose="contract_completed",
             subject=contract, context={"employer": contract.employer.name, "contract_number": contract.number,
                                        "url": f"{settings.SITE_URL}/w/"})
    for membership in contract.employer.memberships.select_related("user").filter(role=EmployerRole.HR):
        if membership.user.phone:
            sms_send(phone=membership.user.phone, template="contract_completed", purpose="contract_completed",
                     subject=contract, context={"employer": contract.employer.name,
                                                "contract_number": contract.number,
                                                "url": f"{settings.SITE_URL}/employer/contracts/{contract.pk}/"})
    events.contract_effective_event(process=process)


def on_filing(*, process: ContractProcess) -> None:
    from contracts_platform.contracts.filing import filing_submit

    filing_submit(contract=process.contract)


# --- timers ------------------------------------------------------------------------------------------------

def first_reminder_at(activation: Any) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=getattr(settings, "HEQIAN_REMINDER_1_HOURS", 24))


def second_reminder_at(activation: Any) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=getattr(settings, "HEQIAN_REMINDER_2_HOURS", 72))


def invitation_deadline_at(activation: Any) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=getattr(settings, "HEQIAN_INVITATION_TTL_DAYS", 7))
