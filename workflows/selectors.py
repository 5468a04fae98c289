"""What the contract page shows about the signing process, and which buttons a member gets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from viewflow.workflow.status import PROCESS, STATUS

from contracts_platform.contracts.models import Contract, ContractStatus
from contracts_platform.parties.models import EmployerMembership, EmployerRole
from workflows import services


@dataclass
class SigningState:
    process: Any = None
    waiting_for: str = ""
    approval_comment: str = ""
    decline_reason: str = ""
    can_start: bool = False
    can_decide: bool = False
    can_resubmit: bool = False
    can_withdraw: bool = False
    can_remind: bool = False
    can_retry: bool = False
    steps: list[dict[str, Any]] = field(default_factory=list)


def _has(membership: EmployerMembership, role: EmployerRole) -> bool:
    return membership.role in (role, EmployerRole.ADMIN)


def signing_state(*, contract: Contract, membership: EmployerMembership) -> SigningState:
    from workflows.contract_flow import ContractSigningFlow as F

    process = services.signing_process_for(contract=contract)
    state = SigningState(process=process)
    active = process is not None and process.status == PROCESS.NEW
    state.can_start = (not active and contract.status == ContractStatus.READY and _has(membership, EmployerRole.HR))
    if process is None:
        return state
    state.approval_comment = process.approval_comment
    state.decline_reason = process.decline_reason
    open_tasks = {t.flow_task: t for t in process.task_set.filter(
        status__in=(STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED, STATUS.SCHEDULED, STATUS.ERROR))}
    titles = {F.approve: "approve", F.revise: "revise", F.seal: "seal", F.worker_decision: "worker",
              F.countersign: "countersign", F.seal_failed: "failed", F.countersign_failed: "failed"}
    for node, key in titles.items():
        if node in open_tasks:
            state.waiting_for = key
            break
    if active:
        state.can_decide = F.approve in open_tasks and _has(membership, EmployerRole.SIGNATORY)
        state.can_resubmit = (F.revise in open_tasks and _has(membership, EmployerRole.HR)
                              and contract.status == ContractStatus.READY)
        state.can_withdraw = _has(membership, EmployerRole.HR) and process.worker_outcome != "signed"
        state.can_remind = F.worker_decision in open_tasks and _has(membership, EmployerRole.HR)
        state.can_retry = state.waiting_for == "failed" and membership.role == EmployerRole.ADMIN
    state.steps = [
        {"title": str(t.flow_task.task_title or t.flow_task.name), "status": t.status,
         "finished": t.finished, "owner": t.owner}
        for t in process.task_set.select_related("owner").order_by("created", "pk")
        if t.flow_task.task_type not in ("EVENT",)
    ]
    return state
