"""Reads and access guards of disputes and arrears complaints.

Object-level access goes through ``case_access`` / ``case_contract_access`` /
``complaint_access`` only; anything a user may not see is "not found" (404), so a
case number that is not yours is never confirmed. Who may see what:

* a case: its parties (the worker — matched by account or by the keyed ID hash — and
  the respondent employer's staff), the assigned mediator and arbitrator and an
  assigned legal-aid lawyer while the case is open, the commission's clerks and
  supervisors of the case's region (intake and, after closing, the read-only archive),
  and platform admins;
* a linked contract's PDF, verification and evidence package: the same minus the
  commission's clerks and supervisors (they route cases; they do not read evidence);
* a complaint: the bureau officers and supervisors of its district, and platform admins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts_platform.accounts.models import Role, User
from contracts_platform.accounts.selectors import is_platform_admin
from contracts_platform.archive.models import EvidenceEvent
from contracts_platform.contracts.models import Contract, ContractStatus
from contracts_platform.disputes import events
from contracts_platform.disputes.models import (
    OPEN_CASE_STATUSES,
    OPEN_COMPLAINT_STATUSES,
    ArrearsComplaint,
    CaseContract,
    CaseDocument,
    CommissionMember,
    DisputeCase,
    Escalation,
    LegalAidAssignment,
)
from contracts_platform.parties.models import EmployerMembership, Worker

# --- who is who --------------------------------------------------------------------------------------


def commission_member(user: User) -> CommissionMember | None:
    if not user.is_authenticated:
        return None
    try:
        return user.commission_member
    except CommissionMember.DoesNotExist:
        return None


def is_clerk_for(user: User, region: str) -> bool:
    """Clerk: an arbitrator/mediator flagged ``is_clerk`` for the region, or a platform admin."""
    if is_platform_admin(user):
        return True
    member = commission_member(user)
    return bool(member and member.is_clerk and member.region == region
                and user.role in (Role.ARBITRATOR, Role.MEDIATOR))


def is_supervisor_for(user: User, region: str) -> bool:
    if is_platform_admin(user):
        return True
    member = commission_member(user)
    return bool(member and member.is_supervisor and member.region == region)


def can_register(user: User) -> bool:
    """Who may register an application on someone's behalf: a flagged clerk, or a platform admin."""
    if is_platform_admin(user):
        return True
    member = commission_member(user)
    return bool(member and member.is_clerk and user.role in (Role.ARBITRATOR, Role.MEDIATOR))


def supervisors_for(region: str) -> list[User]:
    """Who gets a missed deadline: the region's flagged supervisors, else every platform admin."""
    flagged = list(User.objects.filter(commission_member__region=region, commission_member__is_supervisor=True,
                                       is_active=True))
    if flagged:
        return flagged
    return list(User.objects.filter(Q(role=Role.PLATFORM_ADMIN) | Q(is_superuser=True), is_active=True))


def worker_records_for(*, user: User) -> QuerySet[Worker]:
    """The employer records of this person, as the worker portal defines them (when it is installed).

    The portal widens the phone-linked records to same-ID-number records only after an
    identity check; without the portal only the phone-linked records count.
    """
    if not user.is_authenticated or user.role != Role.WORKER:
        return Worker.objects.none()
    try:
        from contracts_platform.portal.selectors import worker_records_for as portal_records
    except ImportError:  # pragma: no cover - the portal is installed alongside
        return Worker.objects.filter(user=user)
    return portal_records(user=user)


def worker_id_hashes(*, user: User) -> QuerySet[Any]:
    return worker_records_for(user=user).values("id_number_hash")


def worker_dispute_contracts(*, user: User) -> QuerySet[Contract]:
    """The signed contracts a worker may file a dispute about: their own, matched by the keyed ID hash."""
    return (Contract.objects.filter(worker__id_number_hash__in=worker_id_hashes(user=user),
                                    status=ContractStatus.EFFECTIVE)
            .select_related("employer", "worker", "model_text").order_by("-updated_at", "-pk"))


def arbitrators_for(region: str) -> QuerySet[User]:
    return User.objects.filter(role=Role.ARBITRATOR, region=region, is_active=True).order_by("display_name", "pk")


def mediators_for(region: str) -> QuerySet[User]:
    return User.objects.filter(role__in=(Role.MEDIATOR, Role.ARBITRATOR), region=region,
                               is_active=True).order_by("role", "display_name", "pk")


# --- cases ------------------------------------------------------------------------------------------------

class Capacity:
    ADMIN = "admin"
    WORKER = "worker"
    EMPLOYER = "employer"
    LEGAL_AID = "legal_aid"
    MEDIATOR = "mediator"
    ARBITRATOR = "arbitrator"
    CLERK = "clerk"
    SUPERVISOR = "supervisor"


# Capacities that may read the linked contracts' PDFs, verification and evidence packages.
EVIDENCE_CAPACITIES = frozenset({Capacity.ADMIN, Capacity.WORKER, Capacity.EMPLOYER, Capacity.LEGAL_AID,
                                 Capacity.MEDIATOR, Capacity.ARBITRATOR})
PARTY_CAPACITIES = frozenset({Capacity.WORKER, Capacity.EMPLOYER, Capacity.LEGAL_AID})


def _case_filter(user: User) -> Q | None:
    """The visibility rule as one Q (None: sees nothing). Mirrors ``_capacities``."""
    if not user.is_authenticated or not user.is_active:
        return None
    if is_platform_admin(user):
        return Q()
    rule = Q(pk__in=[])
    if user.role == Role.WORKER:
        rule |= Q(worker_user=user) | (Q(worker_id_hash__in=worker_id_hashes(user=user)) & ~Q(worker_id_hash=""))
    rule |= Q(employer__in=EmployerMembership.objects.filter(user=user).values("employer"))
    is_open = Q(status__in=OPEN_CASE_STATUSES)
    rule |= is_open & (Q(mediator=user) | Q(arbitrator=user))
    rule |= is_open & Q(pk__in=LegalAidAssignment.objects.filter(lawyer=user, ended_at__isnull=True).values("case"))
    member = commission_member(user)
    if member and (member.is_supervisor or (member.is_clerk and user.role in (Role.ARBITRATOR, Role.MEDIATOR))):
        rule |= Q(region=member.region)
    return rule


def visible_cases(*, user: User) -> QuerySet[DisputeCase]:
    rule = _case_filter(user)
    if rule is None:
        return DisputeCase.objects.none()
    return DisputeCase.objects.filter(rule).select_related("employer", "mediator", "arbitrator").distinct()


def _capacities(user: User, case: DisputeCase) -> frozenset[str]:
    found: set[str] = set()
    if is_platform_admin(user):
        found.add(Capacity.ADMIN)
    if user.role == Role.WORKER and (case.worker_user_id == user.pk or (
            case.worker_id_hash and worker_id_hashes(user=user).filter(id_number_hash=case.worker_id_hash).exists())):
        found.add(Capacity.WORKER)
    if case.employer_id and EmployerMembership.objects.filter(user=user, employer_id=case.employer_id).exists():
        found.add(Capacity.EMPLOYER)
    if case.is_open:
        if case.mediator_id == user.pk:
            found.add(Capacity.MEDIATOR)
        if case.arbitrator_id == user.pk:
            found.add(Capacity.ARBITRATOR)
        if LegalAidAssignment.objects.filter(case=case, lawyer=user, ended_at__isnull=True).exists():
            found.add(Capacity.LEGAL_AID)
    if is_clerk_for(user, case.region) and not is_platform_admin(user):
        found.add(Capacity.CLERK)
    if is_supervisor_for(user, case.region) and not is_platform_admin(user):
        found.add(Capacity.SUPERVISOR)
    return frozenset(found)


@dataclass(frozen=True)
class CaseViewer:
    """A case and in which capacities the current user sees it."""

    case: DisputeCase
    user: User
    capacities: frozenset[str]

    def has(self, *capacities: str) -> bool:
        return bool(self.capacities & set(capacities))

    @property
    def is_admin(self) -> bool:
        return Capacity.ADMIN in self.capacities

    @property
    def can_see_evidence(self) -> bool:
        return bool(self.capacities & EVIDENCE_CAPACITIES)

    @property
    def is_party(self) -> bool:
        return bool(self.capacities & PARTY_CAPACITIES) or self.is_admin

    @property
    def can_clerk(self) -> bool:
        return self.case.is_open and self.has(Capacity.CLERK, Capacity.ADMIN)

    @property
    def can_supervise(self) -> bool:
        return self.case.is_open and self.has(Capacity.SUPERVISOR, Capacity.ADMIN)

    @property
    def capacity_labels(self) -> list[str]:
        return [str(CAPACITY_LABELS.get(c, c)) for c in sorted(self.capacities)]

    @property
    def label(self) -> str:
        """The capacity named in the access evidence (the most specific one)."""
        for capacity in (Capacity.ARBITRATOR, Capacity.MEDIATOR, Capacity.LEGAL_AID, Capacity.WORKER,
                         Capacity.EMPLOYER, Capacity.CLERK, Capacity.SUPERVISOR, Capacity.ADMIN):
            if capacity in self.capacities:
                return capacity
        return ""


def case_access(*, user: User, case_id: Any, lock: bool = False) -> CaseViewer:
    """The case with the user's capacities, or ``Http404`` (also for cases that exist but are not theirs)."""
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise Http404 from None
    qs = DisputeCase.objects.filter(pk=case_id)
    if lock:
        qs = qs.select_for_update()
    case = qs.select_related("employer", "worker", "mediator", "arbitrator", "clerk").first()
    if case is None or not user.is_authenticated:
        raise Http404
    capacities = _capacities(user, case)
    if not capacities:
        raise Http404
    return CaseViewer(case=case, user=user, capacities=capacities)


def case_contract_access(*, viewer: CaseViewer, contract_id: Any) -> Contract:
    """A contract linked to the viewer's case, for a capacity allowed to read evidence; else ``Http404``."""
    if not viewer.can_see_evidence:
        raise Http404
    try:
        contract_id = int(contract_id)
    except (TypeError, ValueError):
        raise Http404 from None
    link = (CaseContract.objects.filter(case=viewer.case, contract_id=contract_id)
            .select_related("contract__employer", "contract__worker", "contract__current_version").first())
    if link is None:
        raise Http404
    return link.contract


def case_document_access(*, viewer: CaseViewer, document_id: Any) -> CaseDocument:
    """Documents (uploads, agreement, award) are evidence: same rule as the contracts."""
    if not viewer.can_see_evidence:
        raise Http404
    try:
        document_id = int(document_id)
    except (TypeError, ValueError):
        raise Http404 from None
    document = CaseDocument.objects.filter(case=viewer.case, pk=document_id).first()
    if document is None:
        raise Http404
    return document


def case_contracts(*, case: DisputeCase) -> list[CaseContract]:
    return list(case.contract_links.select_related("contract__employer", "contract__worker"))


def archived_pdf_for(*, contract: Contract) -> Any | None:
    """The archived (B-LTA) signed PDF row of the contract's current version, if it was signed."""
    from signing.django_app.models import SignedDocument, SignedStage

    return (SignedDocument.objects.filter(version__contract=contract, stage=SignedStage.ARCHIVED)
            .select_related("version").order_by("-created").first())


def access_log(*, case: DisputeCase) -> QuerySet[EvidenceEvent]:
    return (EvidenceEvent.objects.filter(subject_type=events.CASE_SUBJECT, subject_id=str(case.pk),
                                         event_type__in=events.ACCESS_EVENTS)
            .select_related("actor").order_by("-seq"))


def case_record(*, case: DisputeCase) -> QuerySet[EvidenceEvent]:
    """What was done on the case (every event except views)."""
    return (EvidenceEvent.objects.filter(subject_type=events.CASE_SUBJECT, subject_id=str(case.pk))
            .exclude(event_type__in=events.ACCESS_EVENTS).select_related("actor").order_by("seq"))


# --- deadlines ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Milestone:
    title: str
    basis: str
    due: dt.datetime | None
    done: dt.datetime | None
    applies: bool = True

    @property
    def state(self) -> str:
        now = timezone.now()
        if self.done is not None:
            return "late" if self.due is not None and self.done > self.due else "done"
        if self.due is None:
            return "pending"
        if now > self.due:
            return "overdue"
        return "soon" if self.due - now <= dt.timedelta(days=2) else "open"


def case_timeline(*, case: DisputeCase) -> list[Milestone]:
    """The statutory clock of a case: what was due when, and whether it was met."""
    rows = [
        Milestone(_("受理或不予受理"), _("劳动争议调解仲裁法第二十九条：5日内"), case.acceptance_due,
                  case.accepted_at or (case.closed_at if case.status == "rejected" else None)),
    ]
    if case.status in ("rejected", "filed"):
        return rows  # the later periods start with acceptance
    if case.route == "ordinary" or case.mediation_started_at:
        rows.append(Milestone(_("调解"), _("劳动争议调解仲裁法第十四条：15日内未达成协议可申请仲裁"),
                              case.mediation_due, case.mediation_ended_at))
    if case.outcome != "agreement":
        rows.append(Milestone(_("组成仲裁庭"), _("劳动争议调解仲裁法第三十二条：5日内"), case.tribunal_due,
                              case.arbitrator_assigned_at))
        rows.append(Milestone(_("作出裁决"),
                              _("劳动争议调解仲裁法第四十三条：受理之日起45日内，经批准可延长不超过15日")
                              if not case.award_extended else _("劳动争议调解仲裁法第四十三条：已批准延长15日"),
                              case.award_due, case.awarded_at))
    rows.append(Milestone(_("结案"), "", None, case.closed_at))
    return rows


def next_deadline(case: DisputeCase) -> dt.datetime | None:
    pending = [m.due for m in case_timeline(case=case) if m.done is None and m.due is not None]
    return min(pending) if pending else None


def overdue(case_or_complaint: Any) -> bool:
    due = (next_deadline(case_or_complaint) if isinstance(case_or_complaint, DisputeCase)
           else complaint_next_deadline(case_or_complaint))
    return bool(due and timezone.now() > due)


# --- complaints ----------------------------------------------------------------------------------------

def _complaint_filter(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if is_platform_admin(user):
        return Q()
    rule = Q(pk__in=[])
    if user.role == Role.BUREAU_OFFICER and user.region:
        rule |= Q(district=user.region)
    member = commission_member(user)
    if member and member.is_supervisor:
        rule |= Q(district=member.region)
    return rule


def visible_complaints(*, user: User) -> QuerySet[ArrearsComplaint]:
    rule = _complaint_filter(user)
    if rule is None:
        return ArrearsComplaint.objects.none()
    return ArrearsComplaint.objects.filter(rule).select_related("officer", "dispute_case")


def complaint_access(*, user: User, complaint_id: Any) -> ArrearsComplaint:
    try:
        complaint_id = int(complaint_id)
    except (TypeError, ValueError):
        raise Http404 from None
    complaint = visible_complaints(user=user).filter(pk=complaint_id).first()
    if complaint is None:
        raise Http404
    return complaint


def can_handle_complaint(user: User, complaint: ArrearsComplaint) -> bool:
    """Acting (not only reading): the district's bureau officers and platform admins."""
    return is_platform_admin(user) or (user.role == Role.BUREAU_OFFICER and user.region == complaint.district)


def complaint_by_token(*, token: str) -> ArrearsComplaint:
    if not token or len(token) > 64:
        raise Http404
    complaint = ArrearsComplaint.objects.filter(public_token=token).select_related("dispute_case").first()
    if complaint is None:
        raise Http404
    return complaint


def complaint_next_deadline(complaint: ArrearsComplaint) -> dt.datetime | None:
    if complaint.status == "submitted":
        return complaint.accept_due
    if complaint.status == "accepted":
        return complaint.investigation_due
    return None


# --- the bureau's district view --------------------------------------------------------------------------

@dataclass
class DistrictBoard:
    region: str
    complaints: list[tuple[ArrearsComplaint, dt.datetime | None, bool]] = field(default_factory=list)
    cases: list[tuple[DisputeCase, dt.datetime | None, bool]] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        return sum(1 for row in self.complaints + self.cases if row[2])


def district_regions(user: User) -> list[str]:
    if is_platform_admin(user):
        regions = set(ArrearsComplaint.objects.filter(status__in=OPEN_COMPLAINT_STATUSES)
                      .values_list("district", flat=True))
        regions |= set(DisputeCase.objects.filter(status__in=OPEN_CASE_STATUSES).values_list("region", flat=True))
        return sorted(regions)
    regions = set()
    if user.role == Role.BUREAU_OFFICER and user.region:
        regions.add(user.region)
    member = commission_member(user)
    if member and member.is_supervisor:
        regions.add(member.region)
    return sorted(regions)


def district_board(*, region: str) -> DistrictBoard:
    """Open complaints and cases of a district with their next deadline and an overdue flag.

    Case rows carry only number, status and deadlines: the bureau oversees the clock,
    it does not read the case file.
    """
    now = timezone.now()
    board = DistrictBoard(region=region)
    for complaint in ArrearsComplaint.objects.filter(district=region, status__in=OPEN_COMPLAINT_STATUSES):
        due = complaint_next_deadline(complaint)
        board.complaints.append((complaint, due, bool(due and now > due)))
    for case in DisputeCase.objects.filter(region=region, status__in=OPEN_CASE_STATUSES):
        due = next_deadline(case)
        board.cases.append((case, due, bool(due and now > due)))
    board.complaints.sort(key=lambda row: (not row[2], row[1] or now))
    board.cases.sort(key=lambda row: (not row[2], row[1] or now))
    board.escalations = list(Escalation.objects.filter(region=region, acknowledged_at__isnull=True)
                             .select_related("case", "complaint"))
    return board


def escalations_for(*, user: User) -> QuerySet[Escalation]:
    if is_platform_admin(user):
        return Escalation.objects.select_related("case", "complaint")
    return Escalation.objects.filter(supervisors=user).select_related("case", "complaint")


def claims_total(amounts: list[Decimal]) -> Decimal:
    return sum(amounts, Decimal("0"))


# --- what the pages show -----------------------------------------------------------------------------------

def _open_nodes(process: Any) -> set[Any]:
    from viewflow.workflow.status import STATUS

    if process is None:
        return set()
    return {t.flow_task for t in process.task_set.filter(status__in=(STATUS.NEW, STATUS.ASSIGNED))}


def available_actions(viewer: CaseViewer) -> frozenset[str]:
    """The buttons the viewer gets: their capacity on the case and the step the flows are at."""
    from contracts_platform.disputes.services import dispute_process_for, mediation_process_for
    from workflows.dispute_flow import DisputeFlow, MediationFlow

    case = viewer.case
    if not case.is_open:
        return frozenset()
    open_nodes = _open_nodes(dispute_process_for(case=case)) | _open_nodes(mediation_process_for(case=case))
    actions: set[str] = set()
    if viewer.can_clerk:
        if DisputeFlow.accept in open_nodes:
            actions |= {"accept", "reject"}
        if DisputeFlow.assign_mediator in open_nodes:
            actions.add("assign_mediator")
        if DisputeFlow.assign_arbitrator in open_nodes:
            actions.add("assign_arbitrator")
        actions |= {"link", "legal_aid_assign"}
    if viewer.has(Capacity.ARBITRATOR):
        actions.add("link")
        if DisputeFlow.award in open_nodes:
            actions.add("award")
        if DisputeFlow.close in open_nodes:
            actions.add("close")
    if viewer.has(Capacity.MEDIATOR) and MediationFlow.mediate in open_nodes:
        actions |= {"session", "mediation_fail", "agreement_draft"}
    if MediationFlow.sign_agreement in open_nodes:
        agreement = getattr(case, "agreement", None) if _has_agreement(case) else None
        side = ("worker_accepted_at" if viewer.has(Capacity.WORKER, Capacity.LEGAL_AID)
                else "employer_accepted_at" if viewer.has(Capacity.EMPLOYER) else None)
        if agreement is not None and side and getattr(agreement, side) is None and agreement.declined_at is None:
            actions |= {"agreement_accept", "agreement_decline"}
    if viewer.has(Capacity.WORKER) and case.legal_aid_requested_at is None:
        actions.add("legal_aid_request")
    if viewer.has(Capacity.WORKER, Capacity.EMPLOYER, Capacity.LEGAL_AID, Capacity.ARBITRATOR, Capacity.MEDIATOR,
                  Capacity.ADMIN):
        actions.add("upload")
    if viewer.can_supervise and case.award_due and not case.award_extended and case.awarded_at is None \
            and case.status == "arbitration":
        actions.add("extend")
    return frozenset(actions)


def _has_agreement(case: DisputeCase) -> bool:
    from contracts_platform.disputes.models import CaseAgreement

    return CaseAgreement.objects.filter(case=case).exists()


def evidence_packages_available() -> bool:
    try:
        import contracts_platform.evidence.services  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class ContractRow:
    contract: Contract
    archived: Any
    verification: dict[str, Any] | None


def contract_verification_summary(*, sha256: str) -> dict[str, Any]:
    """The verdict of ``signing.django_app.services.contract_verification`` on the archived PDF.

    Cached for five minutes per PDF: validation (chains, CRLs, timestamps) takes a
    few hundred milliseconds and the case page is opened often; the contract page
    always verifies afresh.
    """
    from django.core.cache import cache

    from contracts_platform.archive.store import archive_get
    from signing.django_app.services import contract_verification

    key = f"disputes:verification:{sha256}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    report = contract_verification(archive_get(sha256))
    summary = {
        "ok": report.ok, "verified_at": report.verified_at,
        "modified_after_signing": report.modified_after_signing,
        "reasons": [{"code": str(r.code), "message": r.message_zh, "message_en": r.message_en, "field": r.field_name}
                    for r in report.reasons],
        "signatures": [{"field": s.field_name, "role": str(s.role), "ok": s.ok,
                        "signer": (s.signer.organisation or s.signer.common_name) if s.signer else "",
                        "timestamp": s.timestamp_time, "tsa": s.tsa_name} for s in report.signatures],
    }
    cache.set(key, summary, 300)
    return summary


def contract_row(*, contract: Contract, fresh: bool = False) -> ContractRow:
    """The contract with its archived PDF and verification verdict (``fresh``: not from the cache)."""
    archived = archived_pdf_for(contract=contract)
    verification = None
    if archived is not None:
        if fresh:
            from django.core.cache import cache

            cache.delete(f"disputes:verification:{archived.pdf_id}")
        verification = contract_verification_summary(sha256=archived.pdf_id)
    return ContractRow(contract=contract, archived=archived, verification=verification)


def case_contract_rows(*, viewer: CaseViewer) -> list[ContractRow]:
    links = case_contracts(case=viewer.case)
    if not viewer.can_see_evidence:
        return [ContractRow(contract=link.contract, archived=None, verification=None) for link in links]
    return [contract_row(contract=link.contract) for link in links]


STEP_STATUS = {"NEW": _("待办理"), "ASSIGNED": _("办理中"), "STARTED": _("办理中"), "DONE": _("已完成"),
               "CANCELED": _("已取消"), "ERROR": _("出错"), "SCHEDULED": _("等待中")}
_STEP_TYPES = ("START", "HUMAN", "FUNCTION")


def case_steps(*, case: DisputeCase) -> list[dict[str, Any]]:
    """The flow steps so far (both processes), oldest first: starts, human tasks and titled automatic steps."""
    from contracts_platform.disputes.services import dispute_process_for, mediation_process_for

    steps = []
    for process in (dispute_process_for(case=case), mediation_process_for(case=case)):
        if process is None:
            continue
        for task in process.task_set.select_related("owner").order_by("created", "pk"):
            node = task.flow_task
            if node is None or node.task_type not in _STEP_TYPES or not node.task_title:
                continue
            steps.append({"title": str(node.task_title), "status": task.status,
                          "status_label": STEP_STATUS.get(task.status, task.status), "created": task.created,
                          "finished": task.finished, "owner": task.owner})
    steps.sort(key=lambda s: s["created"])
    return steps


def complaint_actions(user: User, complaint: ArrearsComplaint) -> frozenset[str]:
    from contracts_platform.disputes.services import arrears_process_for
    from workflows.arrears_flow import ArrearsFlow

    if not complaint.is_open or not can_handle_complaint(user, complaint):
        return frozenset()
    open_nodes = _open_nodes(arrears_process_for(complaint=complaint))
    if ArrearsFlow.accept in open_nodes:
        return frozenset({"accept", "reject"})
    if ArrearsFlow.investigate in open_nodes:
        return frozenset({"contact", "resolve"})
    return frozenset()


def complaint_record(*, complaint: ArrearsComplaint) -> QuerySet[EvidenceEvent]:
    return (EvidenceEvent.objects.filter(subject_type=events.COMPLAINT_SUBJECT, subject_id=str(complaint.pk))
            .select_related("actor").order_by("seq"))


ACCESS_WHAT = {"case": _("查看案件"), "contract": _("查看合同及核验结果"), "contract_pdf": _("下载合同 PDF"),
               "document": _("下载案件材料"), "package": _("下载证据包")}
CAPACITY_LABELS = {Capacity.ADMIN: _("平台管理员"), Capacity.WORKER: _("申请人（劳动者）"),
                   Capacity.EMPLOYER: _("被申请人（用人单位）"), Capacity.LEGAL_AID: _("法律援助律师"),
                   Capacity.MEDIATOR: _("调解员"), Capacity.ARBITRATOR: _("仲裁员"), Capacity.CLERK: _("立案审查"),
                   Capacity.SUPERVISOR: _("主管")}


def access_log_rows(*, case: DisputeCase, limit: int = 100) -> list[dict[str, Any]]:
    """The access log as the parties read it: when, who (and in which capacity), what. No IP addresses."""
    import json

    rows = []
    for event in access_log(case=case)[:limit]:
        payload = json.loads(event.payload)
        rows.append({"at": event.occurred_at, "who": str(event.actor) if event.actor else event.actor_label,
                     "capacity": CAPACITY_LABELS.get(payload.get("capacity", ""), payload.get("capacity", "")),
                     "what": ACCESS_WHAT.get(payload.get("what", ""), payload.get("what", ""))})
    return rows


EVENT_LABELS = {
    events.CASE_FILED: _("提出申请"), events.CASE_LINKED: _("关联合同"), events.CASE_ACCEPTED: _("受理"),
    events.CASE_REJECTED: _("不予受理"), events.CASE_ASSIGNED: _("指派"), events.DOCUMENT_ADDED: _("提交材料"),
    events.MEDIATION_RECORDED: _("调解记录"), events.MEDIATION_ENDED: _("调解结束"),
    events.AGREEMENT_DRAFTED: _("起草调解协议"), events.AGREEMENT_ACCEPTED: _("确认调解协议"),
    events.AGREEMENT_DECLINED: _("拒绝调解协议"), events.AWARD_ISSUED: _("作出裁决"),
    events.AWARD_EXTENDED: _("延长审理期限"), events.CASE_CLOSED: _("结案"),
    events.LEGAL_AID_REQUESTED: _("申请法律援助"), events.LEGAL_AID_ASSIGNED: _("指派法律援助律师"),
    events.LEGAL_AID_ENDED: _("法律援助结束"), events.DEADLINE_ESCALATED: _("超期督办"),
    events.ARREARS_REPORTED: _("投诉"), events.ARREARS_ACCEPTED: _("受理"), events.ARREARS_CONTACT: _("联系核查"),
    events.ARREARS_RESOLVED: _("办结"), "notification.queued": _("短信待发"),
    "notification.delivered": _("短信已送达"), "notification.failed": _("短信发送失败"),
}


def event_label(event_type: str) -> str:
    return str(EVENT_LABELS.get(event_type, event_type))
