"""Writes of disputes and arrears complaints: the entry points the pages call and the hooks the flows call.

Entry points (``dispute_file``, ``case_accept``, ``agreement_decide``, ``award_issue``,
``arrears_report``, …) check who may act on which object themselves — viewflow's
transitions and screens do not (viewflow #497) — and then drive the flows in
``workflows/dispute_flow.py`` and ``workflows/arrears_flow.py``. The ``on_*`` hooks
run inside flow nodes. Heavy work (PDF rendering, archive writes) happens before the
flow lock is taken; evidence is appended inside the transaction of the act it records.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow.status import STATUS

from contracts_platform.accounts.models import Role, User
from contracts_platform.archive.store import archive_get, archive_put
from contracts_platform.contracts.models import Contract, ContractStatus
from contracts_platform.contracts.selectors import minimum_wage_table
from contracts_platform.core import pii
from contracts_platform.disputes import events
from contracts_platform.disputes.documents import render_pdf
from contracts_platform.disputes.models import (
    ArrearsComplaint,
    ArrearsContact,
    Award,
    CaseAgreement,
    CaseContract,
    CaseDocument,
    CaseOutcome,
    CaseStatus,
    Claim,
    ClaimType,
    ComplaintStatus,
    ContactParty,
    DeadlineKind,
    DisputeCase,
    DocumentKind,
    Escalation,
    FiledBy,
    LegalAidAssignment,
    LinkMethod,
    MediationSession,
    Route,
)
from contracts_platform.disputes.selectors import (
    Capacity,
    CaseViewer,
    arbitrators_for,
    can_handle_complaint,
    is_clerk_for,
    is_platform_admin,
    mediators_for,
    supervisors_for,
    worker_dispute_contracts,
)
from contracts_platform.disputes.uploads import Upload, check_uploads
from contracts_platform.parties.identifiers import check_id_number
from contracts_platform.parties.models import EmployerMembership, Worker

# --- messages (translated when raised; tests compare with gettext of the constant) ----------------------

NOT_ALLOWED = gettext_noop("您无权办理此案件的该项事务。")
NO_PENDING_TASK = gettext_noop("此案件当前不在该办理环节，请刷新页面。")
CASE_CLOSED = gettext_noop("案件已结案，只能查阅。")
CONTRACT_NOT_YOURS = gettext_noop("请从您本人已生效的劳动合同中选择。")
CLAIMS_REQUIRED = gettext_noop("请至少填写一项仲裁请求。")
CLAIM_TYPE_INVALID = gettext_noop("请选择请求类型。")
AMOUNT_INVALID = gettext_noop("请输入有效的金额（元），例如 3500.00。")
AMOUNT_NEGATIVE = gettext_noop("金额不能为负数。")
AMOUNT_TOO_LARGE = gettext_noop("金额过大：单项不能超过 99,999,999.99 元。")
AMOUNT_PRECISION = gettext_noop("金额最多保留两位小数（精确到分）。")
FACTS_REQUIRED = gettext_noop("请简要写明事实与理由。")
REASON_REQUIRED = gettext_noop("请填写理由。")
TEXT_REQUIRED = gettext_noop("请填写内容。")
NOT_A_MEDIATOR = gettext_noop("请选择本仲裁委的调解员。")
NOT_AN_ARBITRATOR = gettext_noop("请选择本仲裁委的仲裁员。")
CONTRACT_NOT_FOUND = gettext_noop("没有找到可关联的已生效合同。")
CONTRACT_OTHER_PARTIES = gettext_noop("该合同的当事人与本案不一致，不能关联。")
ID_NUMBER_INVALID = gettext_noop("身份证号码格式或校验位不正确。")
LINK_INPUT_REQUIRED = gettext_noop("请填写合同编号或劳动者身份证号码。")
AGREEMENT_NOT_OPEN = gettext_noop("调解协议不在待确认状态。")
ALREADY_DECIDED = gettext_noop("您已对该调解协议作出确认。")
ALREADY_EXTENDED = gettext_noop("审理期限已经延长过一次（最长15日）。")
ALREADY_REQUESTED = gettext_noop("已申请过法律援助，请等待指派。")
LAWYER_CONFLICT = gettext_noop("该用户与本案有利害关系（对方单位人员或本案办案人员），不能指派。")
CONTACTS_REQUIRED = gettext_noop("请先记录与用人单位和投诉人双方的联系核实情况。")
OUTCOME_INVALID = gettext_noop("请选择处理结果。")
ESCALATION_DONE = gettext_noop("该督办事项已处理。")
EMPLOYER_NOT_FOUND = gettext_noop("平台上没有这个统一社会信用代码的单位；不在平台上的单位请只填写名称。")
PACKAGE_UNAVAILABLE = gettext_noop("该合同没有已归档的签署文件，无法生成证据包。")

# SMS statuses for the reporter (``arrears_update``'s ``status``).
SMS_RECEIVED = gettext_noop("已收到，已转交{district}人社部门，将在5个工作日内决定是否受理")
SMS_ACCEPTED = gettext_noop("已受理，承办人正在核查")
SMS_CONTACTED = gettext_noop("承办人已联系{party}核实情况")
SMS_PAID = gettext_noop("已处理完毕：用人单位已支付拖欠工资")
SMS_TRANSFERRED = gettext_noop("已转劳动争议仲裁，案号{case_number}")
SMS_REJECTED = gettext_noop("不予受理或已驳回，理由请查看详情")
SMS_OVERDUE = gettext_noop("办理已超过法定期限，已报上级督办")

MAX_CLAIM_AMOUNT = Decimal("99999999.99")
ACCEPTANCE_DAYS = 5      # LDMAL Art 29
TRIBUNAL_DAYS = 5        # LDMAL Art 32
MEDIATION_DAYS = 15      # LDMAL Art 14
AWARD_DAYS = 45          # LDMAL Art 43
AWARD_EXTENSION_DAYS = 15
FAST_TRACK_MULTIPLE = 12  # LDMAL Art 47: 12 × the local monthly minimum wage
ARREARS_ACCEPT_WORKING_DAYS = 5          # 劳动保障监察若干规定 Art 18
ARREARS_INVESTIGATION_WORKING_DAYS = 60


def _flows() -> Any:
    from workflows import arrears_flow, dispute_flow

    return dispute_flow.DisputeFlow, dispute_flow.MediationFlow, arrears_flow.ArrearsFlow


def _now() -> dt.datetime:
    return timezone.now()


def _clean(text: str | None, limit: int) -> str:
    return (text or "").strip()[:limit]


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """``start`` plus ``days`` working days (Monday–Friday, local time).

    Public holidays and the State Council's make-up working weekends are not modelled:
    the deadline shown is the statutory count on a plain week calendar.
    """
    local = timezone.localtime(start)
    added = 0
    while added < days:
        local += dt.timedelta(days=1)
        if local.weekday() < 5:
            added += 1
    return local


# --- claims ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClaimInput:
    claim_type: str
    amount: Any
    note: str = ""


def parse_amount(value: Any) -> Decimal:
    """A money amount in yuan: finite, not negative, at most two decimals, below the ceiling."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError(_(AMOUNT_INVALID), code="amount_invalid") from None
    if not amount.is_finite():
        raise ValidationError(_(AMOUNT_INVALID), code="amount_invalid")
    if amount < 0:
        raise ValidationError(_(AMOUNT_NEGATIVE), code="amount_negative")
    if amount > MAX_CLAIM_AMOUNT:
        raise ValidationError(_(AMOUNT_TOO_LARGE), code="amount_too_large")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_(AMOUNT_PRECISION), code="amount_precision")
    return amount.quantize(Decimal("0.01"))


def _checked_claims(claims: Iterable[ClaimInput]) -> list[Claim]:
    checked = []
    for claim in claims:
        if claim.claim_type not in ClaimType.values:
            raise ValidationError(_(CLAIM_TYPE_INVALID), code="claim_type")
        checked.append(Claim(claim_type=claim.claim_type, amount=parse_amount(claim.amount),
                             note=_clean(claim.note, 200)))
    if not checked:
        raise ValidationError(_(CLAIMS_REQUIRED), code="claims_required")
    return checked


def route_for(case: DisputeCase) -> tuple[str, str]:
    """Fast track for wage arrears, or when the claims total at most 12 × the local monthly minimum wage."""
    claims = list(case.claims.all())
    if any(c.claim_type == ClaimType.UNPAID_WAGES for c in claims):
        return Route.FAST_TRACK, _("追索劳动报酬（欠薪）案件，适用速裁")
    rate = minimum_wage_table().lookup(case.region, timezone.localdate(case.filed_at))
    if rate is None:
        return Route.ORDINARY, _("最低工资表中没有本地区标准，按普通程序")
    limit = rate.monthly * FAST_TRACK_MULTIPLE
    if case.total_claimed <= limit:
        return Route.FAST_TRACK, _("请求金额 {total} 元不超过当地月最低工资标准 {monthly} 元的12倍（{limit} 元），"
                                   "适用速裁").format(total=case.total_claimed, monthly=rate.monthly, limit=limit)
    return Route.ORDINARY, _("请求金额 {total} 元超过当地月最低工资标准的12倍（{limit} 元），按普通程序").format(
        total=case.total_claimed, limit=limit)


def award_is_final(case: DisputeCase, amount: Decimal) -> bool:
    """LDMAL Art 47: every claim a pay/compensation or national-standard item, each ≤ 12 × minimum wage."""
    rate = minimum_wage_table().lookup(case.region, timezone.localdate(case.accepted_at or case.filed_at))
    if rate is None:
        return False
    limit = rate.monthly * FAST_TRACK_MULTIPLE
    claims = list(case.claims.all())
    return bool(claims) and amount <= limit * len(claims) and all(
        c.claim_type != ClaimType.OTHER and c.amount <= limit for c in claims)


# --- small helpers -----------------------------------------------------------------------------------

def _process_for(flow_class: Any, **data: Any) -> Any | None:
    lookups = {f"data__{key}": value for key, value in data.items()}
    return (flow_class.process_class.objects.filter(flow_class=flow_class, **lookups)
            .order_by("-created", "-pk").first())


def dispute_process_for(*, case: DisputeCase) -> Any | None:
    return _process_for(_flows()[0], case_id=case.pk)


def mediation_process_for(*, case: DisputeCase) -> Any | None:
    return _process_for(_flows()[1], case_id=case.pk)


def arrears_process_for(*, complaint: ArrearsComplaint) -> Any | None:
    return _process_for(_flows()[2], complaint_id=complaint.pk)


def pending_task(*, process: Any, node: Any) -> Any | None:
    if process is None:
        return None
    return process.task_set.filter(flow_task=node, status__in=(STATUS.NEW, STATUS.ASSIGNED)).first()


def _task_or_refuse(process: Any, node: Any) -> Any:
    task = pending_task(process=process, node=node)
    if task is None:
        raise ValidationError(_(NO_PENDING_TASK), code="no_task")
    return task


def _complete(task: Any, user: User | None, work: Callable[[Any], None]) -> Any:
    """Do ``work(activation)`` on a human task and move the flow on, under the process lock.

    A second click (or a timer that got there first) finds the task no longer open:
    a clear message, nothing written.
    """
    try:
        with transaction.atomic(), task.activation() as activation:
            if activation.task.status not in (STATUS.NEW, STATUS.ASSIGNED):
                raise ValidationError(_(NO_PENDING_TASK), code="no_task")
            if activation.task.status == STATUS.NEW and user is not None:
                activation.assign(user)
            activation.start(None)
            work(activation)
            activation.execute()
    except TransitionNotAllowed as exc:
        raise ValidationError(_(NO_PENDING_TASK), code="no_task") from exc
    return activation.process


def _refresh(case: DisputeCase) -> DisputeCase:
    case.refresh_from_db()
    return case


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied(_(NOT_ALLOWED))


def _require_open(case: DisputeCase) -> None:
    if not case.is_open:
        raise ValidationError(_(CASE_CLOSED), code="closed")


def _store_uploads(uploads: list[Upload]) -> list[tuple[Upload, Any]]:
    # Files first, outside the transaction: a rolled-back row leaves a harmless orphan
    # that the next put of the same bytes adopts (archive.store).
    return [(upload, archive_put(upload.data, content_type=upload.content_type)) for upload in uploads]


def _add_documents(case: DisputeCase, stored: list[tuple[Upload, Any]], user: User | None,
                   kind: str = DocumentKind.EVIDENCE) -> list[CaseDocument]:
    documents = []
    for upload, obj in stored:
        document = CaseDocument.objects.create(case=case, kind=kind, stored=obj, filename=upload.filename,
                                               content_type=upload.content_type, size=len(upload.data),
                                               uploaded_by=user)
        events.document_added_event(document=document, actor=user)
        documents.append(document)
    return documents


def _link(case: DisputeCase, contract: Contract, method: str, user: User | None) -> CaseContract | None:
    link, created = CaseContract.objects.get_or_create(case=case, contract=contract,
                                                       defaults={"method": method, "linked_by": user})
    if created:
        events.case_linked_event(case=case, contract=contract, method=method, actor=user)
        return link
    return None


def _end_legal_aid(case: DisputeCase, actor: User | None, reason: str) -> None:
    for assignment in LegalAidAssignment.objects.filter(case=case, ended_at__isnull=True):
        assignment.ended_at = _now()
        assignment.save(update_fields=["ended_at"])
        events.legal_aid_ended_event(assignment=assignment, actor=actor, reason=reason)


# --- filing ----------------------------------------------------------------------------------------------

def _case_create(*, filed_by: str, filer: User | None, worker_name: str, worker_phone: str, region: str,
                 facts: str, claims: list[Claim], stored: list[tuple[Upload, Any]],
                 request_meta: Mapping[str, Any] | None, worker_user: User | None = None,
                 worker: Worker | None = None, worker_id_hash: str = "", employer: Any = None,
                 employer_name: str = "", contract: Contract | None = None) -> DisputeCase:
    """Create the case with its claims, documents and filing link, and start its process. Call in a transaction."""
    now = _now()
    case = DisputeCase(filed_by=filed_by, filer=filer, worker_user=worker_user, worker=worker,
                       worker_name=worker_name[:50], worker_phone=worker_phone, worker_id_hash=worker_id_hash,
                       employer=employer, employer_name=(employer.name if employer else employer_name)[:100],
                       region=region, facts=facts, total_claimed=sum((c.amount for c in claims), Decimal("0")),
                       filed_at=now, acceptance_due=now + dt.timedelta(days=ACCEPTANCE_DAYS))
    case.full_clean(exclude=["number"])
    case.save()
    case.number = f"HQZC{timezone.localdate(now):%Y}{case.pk:06d}"
    case.save(update_fields=["number"])
    for claim in claims:
        claim.case = case
    Claim.objects.bulk_create(claims)
    events.case_filed_event(case=case, actor=filer, request_meta=request_meta)
    if contract is not None:
        _link(case, contract, LinkMethod.FILING, filer)
    _add_documents(case, stored, filer)
    _flows()[0].start.run(case=case)
    return case


def dispute_file(*, user: User, contract_id: Any, claims: Iterable[ClaimInput], facts: str, files: list[Any],
                 request_meta: Mapping[str, Any] | None = None) -> DisputeCase:
    """A worker files against the employer of one of their own signed contracts (their portal, on a phone)."""
    _require(user.is_authenticated and user.role == Role.WORKER)
    try:
        contract = worker_dispute_contracts(user=user).filter(pk=int(contract_id)).first()
    except (TypeError, ValueError):
        contract = None
    if contract is None:
        raise ValidationError({"contract": _(CONTRACT_NOT_YOURS)}, code="contract_not_yours")
    checked = _checked_claims(claims)
    facts = _clean(facts, 2000)
    if not facts:
        raise ValidationError({"facts": _(FACTS_REQUIRED)}, code="facts_required")
    uploads = check_uploads(files)   # every file checked before anything is stored
    stored = _store_uploads(uploads)
    worker = contract.worker
    with transaction.atomic():
        return _case_create(filed_by=FiledBy.WORKER, filer=user, worker_user=user, worker=worker,
                            worker_name=worker.name, worker_phone=user.phone or worker.phone,
                            worker_id_hash=worker.id_number_hash, employer=contract.employer,
                            region=contract.employer.region, facts=facts, claims=checked, stored=stored,
                            request_meta=request_meta, contract=contract)


def dispute_register(*, user: User, worker_name: str, worker_phone: str = "", worker_id_number: str = "",
                     employer_credit_code: str = "", employer_name: str = "", claims: Iterable[ClaimInput],
                     facts: str, files: list[Any], request_meta: Mapping[str, Any] | None = None) -> DisputeCase:
    """The clerk registers an application handed in at the commission (walk-in or on paper).

    The respondent is found by its credit code when it is on the platform (the case then
    belongs to its region), else named in free text in the clerk's region. A given ID
    number is kept only as the keyed hash: the worker then sees the case in their
    portal, and acceptance links their signed contracts with this employer.
    """
    from contracts_platform.parties.identifiers import check_mobile, normalise_credit_code, normalise_id_number
    from contracts_platform.parties.models import Employer

    member = _commission_region(user)
    worker_name = _clean(worker_name, 50)
    if not worker_name:
        raise ValidationError({"worker_name": _(TEXT_REQUIRED)}, code="worker_name_required")
    worker_phone = _clean(worker_phone, 11)
    if worker_phone and check_mobile(worker_phone) is not None:
        from contracts_platform.notifications.services import PHONE_INVALID

        raise ValidationError({"worker_phone": _(PHONE_INVALID)}, code="phone_invalid")
    id_hash = ""
    if worker_id_number.strip():
        id_number = normalise_id_number(worker_id_number)
        if check_id_number(id_number) is not None:
            raise ValidationError({"worker_id_number": _(ID_NUMBER_INVALID)}, code="id_number_invalid")
        id_hash = pii.lookup_hash(id_number)
    employer = None
    if employer_credit_code.strip():
        employer = Employer.objects.filter(credit_code=normalise_credit_code(employer_credit_code)).first()
        if employer is None:
            raise ValidationError({"employer_credit_code": _(EMPLOYER_NOT_FOUND)}, code="employer_not_found")
    elif not _clean(employer_name, 100):
        raise ValidationError({"employer_name": _(TEXT_REQUIRED)}, code="employer_required")
    region = employer.region if employer else member
    _require(is_clerk_for(user, region))
    checked = _checked_claims(claims)
    facts = _clean(facts, 2000)
    if not facts:
        raise ValidationError({"facts": _(FACTS_REQUIRED)}, code="facts_required")
    stored = _store_uploads(check_uploads(files))
    worker = (Worker.objects.filter(employer=employer, id_number_hash=id_hash).first()
              if employer is not None and id_hash else None)
    with transaction.atomic():
        return _case_create(filed_by=FiledBy.CLERK, filer=user, worker=worker, worker_name=worker_name,
                            worker_phone=worker_phone, worker_id_hash=id_hash, employer=employer,
                            employer_name=_clean(employer_name, 100), region=region, facts=facts, claims=checked,
                            stored=stored, request_meta=request_meta)


def _commission_region(user: User) -> str:
    """The clerk's own commission region (platform admins register in the respondent's region)."""
    from contracts_platform.disputes.selectors import commission_member

    member = commission_member(user)
    if member is not None and member.is_clerk:
        return member.region
    _require(is_platform_admin(user))
    return user.region or ""


# --- the commission's clerk ------------------------------------------------------------------------------

def case_accept(*, case: DisputeCase, user: User) -> DisputeCase:
    """Accept (立案) within the statutory window and route: fast track, or ordinary with mediation first."""
    _require(is_clerk_for(user, case.region))
    flow = _flows()[0]
    task = _task_or_refuse(dispute_process_for(case=case), flow.accept)

    def work(activation: Any) -> None:
        locked = DisputeCase.objects.select_for_update().get(pk=case.pk)
        now = _now()
        # Stored and put in evidence: in the platform's language, whatever the clerk's UI language.
        with translation.override(settings.LANGUAGE_CODE):
            locked.route, locked.route_reason = route_for(locked)
        locked.status, locked.accepted_at, locked.clerk = CaseStatus.ACCEPTED, now, user
        locked.award_due = now + dt.timedelta(days=AWARD_DAYS)
        if locked.route == Route.FAST_TRACK:
            locked.tribunal_due = now + dt.timedelta(days=TRIBUNAL_DAYS)
        else:
            locked.mediation_started_at, locked.mediation_due = now, now + dt.timedelta(days=MEDIATION_DAYS)
        locked.save()
        _link_by_hash(locked, user)
        events.case_accepted_event(case=locked, actor=user)
        activation.process.accepted = True
        activation.process.fast_track = locked.route == Route.FAST_TRACK
        activation.process.save()

    _complete(task, user, work)
    return _refresh(case)


def case_reject(*, case: DisputeCase, user: User, reason: str) -> DisputeCase:
    """Refuse (不予受理) with written reasons; the applicant may then sue (LDMAL Art 29)."""
    _require(is_clerk_for(user, case.region))
    reason = _clean(reason, 1000)
    if not reason:
        raise ValidationError({"reason": _(REASON_REQUIRED)}, code="reason_required")
    flow = _flows()[0]
    task = _task_or_refuse(dispute_process_for(case=case), flow.accept)

    def work(activation: Any) -> None:
        locked = DisputeCase.objects.select_for_update().get(pk=case.pk)
        locked.status, locked.outcome, locked.rejection_reason = CaseStatus.REJECTED, CaseOutcome.REJECTED, reason
        locked.closed_at, locked.clerk = _now(), user
        locked.save()
        events.case_rejected_event(case=locked, actor=user)
        activation.process.accepted = False
        activation.process.save()

    _complete(task, user, work)
    return _refresh(case)


def _link_by_hash(case: DisputeCase, user: User | None) -> list[Contract]:
    """Link every signed contract between the applicant (keyed ID hash) and the respondent."""
    if not case.worker_id_hash or not case.employer_id:
        return []
    found = list(Contract.objects.filter(worker__id_number_hash=case.worker_id_hash, employer_id=case.employer_id,
                                         status=ContractStatus.EFFECTIVE))
    return [c for c in found if _link(case, c, LinkMethod.ID_NUMBER, user)]


def case_link_contracts(*, viewer: CaseViewer, number: str = "", id_number: str = "") -> list[Contract]:
    """The clerk (or the assigned arbitrator) links signed contracts by contract number or the worker's ID.

    The ID number is only hashed (keyed) for the lookup, never stored. A contract of
    other parties is refused: linking is what opens a contract to the case's readers.
    """
    case = viewer.case
    _require(viewer.has(Capacity.CLERK, Capacity.ADMIN, Capacity.ARBITRATOR))
    _require_open(case)
    number, id_number = (number or "").strip().upper(), (id_number or "").strip().upper()
    if not number and not id_number:
        raise ValidationError(_(LINK_INPUT_REQUIRED), code="link_input")
    if id_number and check_id_number(id_number) is not None:
        raise ValidationError({"id_number": _(ID_NUMBER_INVALID)}, code="id_number_invalid")
    with transaction.atomic():
        locked = DisputeCase.objects.select_for_update().get(pk=case.pk)
        if number:
            candidates = list(Contract.objects.filter(number=number, status=ContractStatus.EFFECTIVE)
                              .select_related("worker", "employer"))
            method = LinkMethod.NUMBER
        else:
            digest = pii.lookup_hash(id_number)
            qs = Contract.objects.filter(worker__id_number_hash=digest, status=ContractStatus.EFFECTIVE)
            if locked.employer_id:
                qs = qs.filter(employer_id=locked.employer_id)
            candidates = list(qs.select_related("worker", "employer"))
            method = LinkMethod.ID_NUMBER
        if not candidates:
            raise ValidationError(_(CONTRACT_NOT_FOUND), code="not_found")
        for contract in candidates:
            if ((locked.employer_id and contract.employer_id != locked.employer_id)
                    or (locked.worker_id_hash and contract.worker.id_number_hash != locked.worker_id_hash)):
                raise ValidationError(_(CONTRACT_OTHER_PARTIES), code="other_parties")
        first = candidates[0]
        if not locked.employer_id:
            # A transferred complaint named the employer in free text; the contract settles who it is.
            locked.employer, locked.employer_name = first.employer, first.employer.name
        if not locked.worker_id_hash:
            locked.worker, locked.worker_id_hash = first.worker, first.worker.id_number_hash
        locked.save()
        return [c for c in candidates if _link(locked, c, method, viewer.user)]


def case_assign_mediator(*, viewer: CaseViewer, mediator: User) -> DisputeCase:
    case = viewer.case
    _require(viewer.can_clerk)
    if not mediators_for(case.region).filter(pk=mediator.pk).exists():
        raise ValidationError({"assignee": _(NOT_A_MEDIATOR)}, code="not_mediator")
    task = _task_or_refuse(dispute_process_for(case=case), _flows()[0].assign_mediator)

    def work(activation: Any) -> None:
        locked = DisputeCase.objects.select_for_update().get(pk=case.pk)
        locked.mediator, locked.status = mediator, CaseStatus.MEDIATION
        locked.save(update_fields=["mediator", "status", "updated_at"])
        events.case_assigned_event(case=locked, actor=viewer.user, role="mediator", assignee=mediator)

    _complete(task, viewer.user, work)
    return _refresh(case)


def case_assign_arbitrator(*, viewer: CaseViewer, arbitrator: User) -> DisputeCase:
    """Name the arbitrator (the tribunal, LDMAL Art 31–32)."""
    case = viewer.case
    _require(viewer.can_clerk)
    if not arbitrators_for(case.region).filter(pk=arbitrator.pk).exists():
        raise ValidationError({"assignee": _(NOT_AN_ARBITRATOR)}, code="not_arbitrator")
    task = _task_or_refuse(dispute_process_for(case=case), _flows()[0].assign_arbitrator)

    def work(activation: Any) -> None:
        locked = DisputeCase.objects.select_for_update().get(pk=case.pk)
        locked.arbitrator, locked.arbitrator_assigned_at = arbitrator, _now()
        locked.status = CaseStatus.ARBITRATION
        locked.save()
        events.case_assigned_event(case=locked, actor=viewer.user, role="arbitrator", assignee=arbitrator)

    _complete(task, viewer.user, work)
    return _refresh(case)


# --- legal aid ----------------------------------------------------------------------------------------------

def legal_aid_request(*, viewer: CaseViewer, note: str = "") -> DisputeCase:
    case = viewer.case
    _require(viewer.has(Capacity.WORKER))
    _require_open(case)
    with transaction.atomic():
        locked = DisputeCase.objects.select_for_update().get(pk=case.pk)
        if locked.legal_aid_requested_at is not None:
            raise ValidationError(_(ALREADY_REQUESTED), code="already_requested")
        locked.legal_aid_requested_at, locked.legal_aid_note = _now(), _clean(note, 300)
        locked.save(update_fields=["legal_aid_requested_at", "legal_aid_note", "updated_at"])
        events.legal_aid_requested_event(case=locked, actor=viewer.user, note=locked.legal_aid_note)
    return _refresh(case)


def legal_aid_assign(*, viewer: CaseViewer, lawyer: User, organisation: str) -> LegalAidAssignment:
    """Assign a legal-aid lawyer to act for the worker; a newer assignment replaces the active one."""
    case = viewer.case
    _require(viewer.can_clerk)
    organisation = _clean(organisation, 100)
    if not organisation:
        raise ValidationError({"organisation": _(TEXT_REQUIRED)}, code="organisation_required")
    conflicted = (lawyer.pk in (case.arbitrator_id, case.mediator_id) or not lawyer.is_active
                  or (case.employer_id and EmployerMembership.objects.filter(user=lawyer,
                                                                             employer_id=case.employer_id).exists()))
    if conflicted:
        raise ValidationError({"lawyer": _(LAWYER_CONFLICT)}, code="lawyer_conflict")
    with transaction.atomic():
        DisputeCase.objects.select_for_update().get(pk=case.pk)
        _end_legal_aid(case, viewer.user, reason="replaced")
        assignment = LegalAidAssignment.objects.create(case=case, lawyer=lawyer, organisation=organisation,
                                                       assigned_by=viewer.user)
        events.legal_aid_assigned_event(assignment=assignment, actor=viewer.user)
    return assignment


# --- evidence from the parties and the tribunal ----------------------------------------------------------

def evidence_add(*, viewer: CaseViewer, files: list[Any]) -> list[CaseDocument]:
    case = viewer.case
    _require(viewer.has(Capacity.WORKER, Capacity.EMPLOYER, Capacity.LEGAL_AID, Capacity.ARBITRATOR,
                        Capacity.MEDIATOR, Capacity.ADMIN))
    _require_open(case)
    uploads = check_uploads(files)
    if not uploads:
        raise ValidationError(_(TEXT_REQUIRED), code="no_files")
    stored = _store_uploads(uploads)
    with transaction.atomic():
        return _add_documents(case, stored, viewer.user)


def case_viewed(*, viewer: CaseViewer, what: str, request_meta: Mapping[str, Any] | None,
                object_id: Any = None, sha256: str | None = None) -> None:
    """Record one access (case page, contract, document, package): the parties see the log."""
    with transaction.atomic():
        events.case_accessed_event(case=viewer.case, actor=viewer.user, what=what, object_id=object_id,
                                   capacity=viewer.label, request_meta=request_meta, sha256=sha256)


class EvidencePackagesUnavailable(RuntimeError):
    """The evidence-package app (``contracts_platform.evidence``) is not installed yet."""


def evidence_package_fetch(*, viewer: CaseViewer, contract: Contract,
                           request_meta: Mapping[str, Any] | None) -> tuple[bytes, str]:
    """Build (or reuse) the contract's evidence package for this case, log the access, return the ZIP."""
    try:
        from contracts_platform.evidence.services import evidence_package_accessed, evidence_package_build
    except ImportError as exc:
        raise EvidencePackagesUnavailable(str(exc)) from exc
    from contracts_platform.evidence.selectors import ContractNotSignedError
    from contracts_platform.identity.invitations import request_client

    try:
        package = evidence_package_build(contract=contract, case_ref=viewer.case.number, actor=viewer.user)
    except ContractNotSignedError as exc:
        raise ValidationError(_(PACKAGE_UNAVAILABLE), code="not_signed") from exc
    sha256 = package.zip_id
    data = archive_get(sha256)
    ip, user_agent = request_client(request_meta)
    with transaction.atomic():
        # Logged before the bytes leave: an access that is not recorded must not happen.
        evidence_package_accessed(package=package, user=viewer.user,
                                  request_meta={"ip": ip or "", "user_agent": user_agent})
        events.case_accessed_event(case=viewer.case, actor=viewer.user, what="package", object_id=contract.pk,
                                   capacity=viewer.label, request_meta=request_meta, sha256=sha256)
    return data, sha256


# --- mediation ------------------------------------------------------------------------------------------------

def _require_mediator(viewer: CaseViewer) -> None:
    _require(viewer.has(Capacity.MEDIATOR))
    _require_open(viewer.case)


def mediation_session_record(*, viewer: CaseViewer, held_on: dt.date, notes: str) -> MediationSession:
    _require_mediator(viewer)
    notes = _clean(notes, 4000)
    if not notes:
        raise ValidationError({"notes": _(TEXT_REQUIRED)}, code="notes_required")
    _task_or_refuse(mediation_process_for(case=viewer.case), _flows()[1].mediate)
    with transaction.atomic():
        session = MediationSession.objects.create(case=viewer.case, mediator=viewer.user, held_on=held_on,
                                                  notes=notes)
        events.mediation_recorded_event(case=viewer.case, actor=viewer.user, held_on=held_on.isoformat())
    return session


def mediation_fail(*, viewer: CaseViewer, notes: str = "") -> DisputeCase:
    """No agreement: the case moves on to arbitration."""
    _require_mediator(viewer)
    task = _task_or_refuse(mediation_process_for(case=viewer.case), _flows()[1].mediate)

    def work(activation: Any) -> None:
        if notes.strip():
            MediationSession.objects.create(case=viewer.case, mediator=viewer.user, held_on=timezone.localdate(),
                                            notes=_clean(notes, 4000))
        activation.process.agreement_proposed = False
        activation.process.save()

    _complete(task, viewer.user, work)
    return _refresh(viewer.case)


def agreement_draft(*, viewer: CaseViewer, terms: str, amount: Any) -> CaseAgreement:
    """The mediator writes the agreement; its PDF goes to both parties for acceptance."""
    _require_mediator(viewer)
    case = viewer.case
    terms = _clean(terms, 4000)
    if not terms:
        raise ValidationError({"terms": _(TEXT_REQUIRED)}, code="terms_required")
    amount = parse_amount(amount)
    task = _task_or_refuse(mediation_process_for(case=case), _flows()[1].mediate)
    pdf = render_pdf("disputes/documents/agreement.html", {
        "case": case, "claims": list(case.claims.all()), "terms": terms, "amount": amount, "mediator": viewer.user,
        "drafted_at": _now()})
    stored = archive_put(pdf, content_type="application/pdf")
    upload = Upload(data=pdf, content_type="application/pdf", filename=f"{case.number}-调解协议书.pdf")

    def work(activation: Any) -> None:
        document = _add_documents(case, [(upload, stored)], viewer.user, kind=DocumentKind.AGREEMENT)[0]
        CaseAgreement.objects.create(case=case, terms=terms, amount=amount, document=document,
                                     drafted_by=viewer.user)
        events.agreement_drafted_event(case=case, actor=viewer.user, sha256=stored.sha256, amount=str(amount))
        activation.process.agreement_proposed = True
        activation.process.save()

    _complete(task, viewer.user, work)
    return CaseAgreement.objects.get(case=case)


def agreement_decide(*, viewer: CaseViewer, accept: bool, request_meta: Mapping[str, Any] | None = None
                     ) -> CaseAgreement:
    """A party accepts (or declines) exactly the agreement PDF it was shown.

    The worker's side may be taken by the worker or their legal-aid lawyer, the
    employer's by any of its staff. Both acceptances settle the case; one refusal
    sends it to arbitration.
    """
    case = viewer.case
    if viewer.has(Capacity.WORKER, Capacity.LEGAL_AID):
        side = "worker"
    elif viewer.has(Capacity.EMPLOYER):
        side = "employer"
    else:
        raise PermissionDenied(_(NOT_ALLOWED))
    _require_open(case)
    flow = _flows()[1]
    task = _task_or_refuse(mediation_process_for(case=case), flow.sign_agreement)
    with transaction.atomic():
        agreement = CaseAgreement.objects.select_for_update().filter(case=case).first()
        if agreement is None or agreement.declined_at is not None:
            raise ValidationError(_(AGREEMENT_NOT_OPEN), code="agreement_not_open")
        if getattr(agreement, f"{side}_accepted_at") is not None:
            raise ValidationError(_(ALREADY_DECIDED), code="already_decided")
        now = _now()
        if accept:
            setattr(agreement, f"{side}_accepted_at", now)
            setattr(agreement, f"{side}_accepted_by", viewer.user)
        else:
            agreement.declined_at, agreement.declined_by = now, viewer.user
        agreement.save()
        events.agreement_decided_event(case=case, actor=viewer.user, side=side, accepted=accept,
                                       sha256=agreement.document.stored_id, request_meta=request_meta)
        if not accept or agreement.accepted_by_both:
            try:
                flow.sign_agreement.run(task, signed=accept)
            except TransitionNotAllowed as exc:  # the mediation period ran out meanwhile
                raise ValidationError(_(AGREEMENT_NOT_OPEN), code="agreement_not_open") from exc
    return agreement


# --- arbitration -----------------------------------------------------------------------------------------------

def award_issue(*, viewer: CaseViewer, text: str, amount: Any) -> Award:
    """The arbitrator issues the award as a PDF (kept in the archive; see README for signing)."""
    case = viewer.case
    _require(viewer.has(Capacity.ARBITRATOR))
    _require_open(case)
    text = _clean(text, 8000)
    if not text:
        raise ValidationError({"text": _(TEXT_REQUIRED)}, code="text_required")
    amount = parse_amount(amount)
    task = _task_or_refuse(dispute_process_for(case=case), _flows()[0].award)
    final = award_is_final(case, amount)
    now = _now()
    pdf = render_pdf("disputes/documents/award.html", {
        "case": case, "claims": list(case.claims.all()), "text": text, "amount": amount, "final": final,
        "arbitrator": viewer.user, "issued_at": now})
    stored = archive_put(pdf, content_type="application/pdf")
    upload = Upload(data=pdf, content_type="application/pdf", filename=f"{case.number}-仲裁裁决书.pdf")

    def work(activation: Any) -> None:
        locked = DisputeCase.objects.select_for_update().get(pk=case.pk)
        document = _add_documents(locked, [(upload, stored)], viewer.user, kind=DocumentKind.AWARD)[0]
        Award.objects.create(case=locked, text=text, amount=amount, final=final, document=document,
                             arbitrator=viewer.user, issued_at=now)
        locked.status, locked.awarded_at = CaseStatus.AWARDED, now
        locked.save(update_fields=["status", "awarded_at", "updated_at"])
        events.award_issued_event(case=locked, actor=viewer.user, sha256=stored.sha256, amount=str(amount),
                                  final=final)

    _complete(task, viewer.user, work)
    return Award.objects.get(case=case)


def case_close(*, viewer: CaseViewer) -> DisputeCase:
    """The arbitrator closes the case; every personal assignment ends with it."""
    case = viewer.case
    _require(viewer.has(Capacity.ARBITRATOR))
    task = _task_or_refuse(dispute_process_for(case=case), _flows()[0].close)

    def work(activation: Any) -> None:
        locked = DisputeCase.objects.select_for_update().get(pk=case.pk)
        locked.status, locked.outcome, locked.closed_at = CaseStatus.CLOSED, CaseOutcome.AWARD, _now()
        locked.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
        _end_legal_aid(locked, viewer.user, reason="case_closed")
        events.case_closed_event(case=locked, actor=viewer.user)

    _complete(task, viewer.user, work)
    return _refresh(case)


def award_extend(*, viewer: CaseViewer, reason: str) -> DisputeCase:
    """The chair approves up to 15 more days for the award (LDMAL Art 43), once."""
    case = viewer.case
    _require(viewer.can_supervise)
    reason = _clean(reason, 500)
    if not reason:
        raise ValidationError({"reason": _(REASON_REQUIRED)}, code="reason_required")
    with transaction.atomic():
        locked = DisputeCase.objects.select_for_update().get(pk=case.pk)
        if locked.award_extended:
            raise ValidationError(_(ALREADY_EXTENDED), code="already_extended")
        if locked.award_due is None or locked.awarded_at is not None:
            raise ValidationError(_(NO_PENDING_TASK), code="no_task")
        locked.award_due += dt.timedelta(days=AWARD_EXTENSION_DAYS)
        locked.award_extended = True
        locked.save(update_fields=["award_due", "award_extended", "updated_at"])
        events.award_extended_event(case=locked, actor=viewer.user, reason=reason)
    return _refresh(case)


# --- escalations --------------------------------------------------------------------------------------------

def escalation_acknowledge(*, escalation: Escalation, user: User) -> Escalation:
    """The supervisor has seen a missed deadline: their escalation task is done."""
    _require(is_platform_admin(user) or escalation.supervisors.filter(pk=user.pk).exists())
    if escalation.acknowledged_at is not None:
        raise ValidationError(_(ESCALATION_DONE), code="done")
    dispute_flow, _mediation_flow, arrears_flow = _flows()
    flow = dispute_flow if escalation.case_id else arrears_flow
    from viewflow.workflow.models import Task

    task = Task.objects.filter(previous__pk=escalation.flow_task_id, flow_task=flow.supervise,
                               status__in=(STATUS.NEW, STATUS.ASSIGNED)).first()

    def work(activation: Any) -> None:
        escalation.acknowledged_at, escalation.acknowledged_by = _now(), user
        escalation.save(update_fields=["acknowledged_at", "acknowledged_by"])

    if task is None:  # the process ended in the meantime; the record still wants its reader
        with transaction.atomic():
            work(None)
    else:
        _complete(task, user, work)
    return escalation


def deadline_escalate(*, activation: Any, kind: str, case: DisputeCase | None = None,
                      complaint: ArrearsComplaint | None = None, due_at: dt.datetime | None = None) -> Escalation:
    """A statutory deadline passed: record it, give the supervisors a task, tell the reporter."""
    region = case.region if case is not None else complaint.district
    escalation = Escalation.objects.create(kind=kind, case=case, complaint=complaint, region=region, due_at=due_at,
                                           flow_task_id=activation.task.pk)
    escalation.supervisors.set(supervisors_for(region))
    events.deadline_escalated_event(escalation=escalation)
    if complaint is not None:
        _sms_reporter(complaint, SMS_OVERDUE)
    return escalation


# --- hooks of the dispute and mediation flows -------------------------------------------------------------

def on_case_started(*, process: Any, case: DisputeCase) -> Any:
    process.case = case
    return process


def on_mediation_started(*, process: Any, case: DisputeCase) -> Any:
    process.case = case
    return process


def on_agreement_decided(*, process: Any, signed: bool) -> None:
    process.agreement_signed = signed
    process.save()


def on_mediation_ended(*, process: Any, outcome: str) -> None:
    """Tell the waiting dispute process how mediation ended (the OSS stand-in for a Subprocess end)."""
    case = DisputeCase.objects.select_for_update().get(pk=process.case_id)
    case.mediation_ended_at = _now()
    case.save(update_fields=["mediation_ended_at", "updated_at"])
    events.mediation_ended_event(case=case, outcome=outcome)
    dispute_flow = _flows()[0]
    task = pending_task(process=dispute_process_for(case=case), node=dispute_flow.mediation_outcome)
    if task is not None:
        dispute_flow.mediation_outcome.run(task, outcome=outcome)


def on_mediation_outcome(*, process: Any, outcome: str) -> None:
    process.mediation_outcome = outcome
    process.save()
    if outcome != "agreed":
        case = DisputeCase.objects.select_for_update().get(pk=process.case_id)
        case.status, case.tribunal_due = CaseStatus.ARBITRATION, _now() + dt.timedelta(days=TRIBUNAL_DAYS)
        case.save(update_fields=["status", "tribunal_due", "updated_at"])


def on_closed_by_agreement(*, process: Any) -> None:
    case = DisputeCase.objects.select_for_update().get(pk=process.case_id)
    case.status, case.outcome, case.closed_at = CaseStatus.CLOSED, CaseOutcome.AGREEMENT, _now()
    case.save(update_fields=["status", "outcome", "closed_at", "updated_at"])
    _end_legal_aid(case, None, reason="case_closed")
    events.case_closed_event(case=case, actor=None)


def on_case_rejected(*, process: Any) -> None:
    case = process.case
    for complaint in case.source_complaints.all():
        _sms_reporter(complaint, SMS_REJECTED)


def on_case_deadline(*, activation: Any, kind: str) -> None:
    case = DisputeCase.objects.get(pk=activation.process.case_id)
    if kind == DeadlineKind.AWARD_EXTENDED and not case.award_extended:
        kind = DeadlineKind.AWARD  # day 60 without an extension: the 45-day award is still overdue
    due = {DeadlineKind.ACCEPTANCE: case.acceptance_due, DeadlineKind.TRIBUNAL: case.tribunal_due,
           DeadlineKind.AWARD: case.award_due, DeadlineKind.AWARD_EXTENDED: case.award_due}.get(kind)
    deadline_escalate(activation=activation, kind=kind, case=case, due_at=due)


def acceptance_due_at(activation: Any) -> dt.datetime:
    return activation.process.case.acceptance_due


def tribunal_due_at(activation: Any) -> dt.datetime:
    return activation.process.case.tribunal_due or _now() + dt.timedelta(days=TRIBUNAL_DAYS)


def award_due_at(activation: Any) -> dt.datetime:
    case = activation.process.case
    return (case.accepted_at or _now()) + dt.timedelta(days=AWARD_DAYS)


def award_extended_due_at(activation: Any) -> dt.datetime:
    case = activation.process.case
    return (case.accepted_at or _now()) + dt.timedelta(days=AWARD_DAYS + AWARD_EXTENSION_DAYS)


def award_not_extended(activation: Any) -> bool:
    """At day 45: escalate unless the chair already extended the period."""
    return not DisputeCase.objects.filter(pk=activation.process.case_id, award_extended=True).exists()


def mediation_due_at(activation: Any) -> dt.datetime:
    return activation.process.case.mediation_due or _now() + dt.timedelta(days=MEDIATION_DAYS)


# --- wage-arrears complaints --------------------------------------------------------------------------------

def _complaint_url(complaint: ArrearsComplaint) -> str:
    return f"{settings.SITE_URL}/arrears/t/{complaint.public_token}/"


def _sms_reporter(complaint: ArrearsComplaint, status: str, **params: Any) -> None:
    """Text the reporter ``status`` (a msgid), translated in the SMS language, not the officer's UI language."""
    from contracts_platform.notifications.services import sms_send

    with translation.override(settings.LANGUAGE_CODE):
        status = _(status).format(**params)

    sms_send(phone=complaint.reporter_phone, template="arrears_update", purpose="arrears_update",
             subject=("arrears_complaint", complaint.pk),
             context={"case_number": complaint.number, "status": status, "url": _complaint_url(complaint)})


@dataclass(frozen=True)
class ArrearsInput:
    project_name: str
    employer_name: str
    district: str
    amount: Decimal
    months_owed: int
    workers_affected: int
    reporter_name: str = ""
    description: str = ""


def arrears_code_send(*, phone: str) -> None:
    """Text a code proving the reporter holds the phone (OtpError when throttled)."""
    from contracts_platform.identity.models import OtpPurpose
    from contracts_platform.identity.services import otp_send

    # Identity has no "complaint" purpose; the identity-check purpose says what the code is for.
    otp_send(phone=phone, purpose=OtpPurpose.IDENTITY)


def arrears_report(*, phone: str, code: str, report: ArrearsInput,
                   request_meta: Mapping[str, Any] | None = None) -> ArrearsComplaint:
    """A public wage-arrears report: the OTP first (its own durable transaction), then the complaint."""
    from contracts_platform.identity.models import OtpPurpose
    from contracts_platform.identity.otp import normalise_phone
    from contracts_platform.identity.services import otp_verify

    phone = normalise_phone(phone)
    amount = parse_amount(report.amount)
    if amount <= 0:
        raise ValidationError({"amount": _(AMOUNT_INVALID)}, code="amount_invalid")
    otp_verify(phone=phone, purpose=OtpPurpose.IDENTITY, code=code)
    now = _now()
    with transaction.atomic():
        complaint = ArrearsComplaint(
            public_token=secrets.token_urlsafe(24), project_name=_clean(report.project_name, 100),
            employer_name=_clean(report.employer_name, 100), district=report.district.strip(), amount=amount,
            months_owed=report.months_owed, workers_affected=report.workers_affected, reporter_phone=phone,
            reporter_name=_clean(report.reporter_name, 50), description=_clean(report.description, 2000),
            submitted_at=now, accept_due=add_working_days(now, ARREARS_ACCEPT_WORKING_DAYS))
        complaint.full_clean(exclude=["number"])
        complaint.save()
        complaint.number = f"HQQX{timezone.localdate(now):%Y}{complaint.pk:06d}"
        complaint.save(update_fields=["number"])
        events.arrears_reported_event(complaint=complaint, request_meta=request_meta)
        _flows()[2].start.run(complaint=complaint)
    return complaint


def _require_officer(user: User, complaint: ArrearsComplaint) -> None:
    _require(can_handle_complaint(user, complaint))
    if not complaint.is_open:
        raise ValidationError(_(CASE_CLOSED), code="closed")


def arrears_accept(*, complaint: ArrearsComplaint, user: User) -> ArrearsComplaint:
    _require_officer(user, complaint)
    task = _task_or_refuse(arrears_process_for(complaint=complaint), _flows()[2].accept)

    def work(activation: Any) -> None:
        locked = ArrearsComplaint.objects.select_for_update().get(pk=complaint.pk)
        now = _now()
        locked.status, locked.officer, locked.accepted_at = ComplaintStatus.ACCEPTED, user, now
        locked.investigation_due = add_working_days(now, ARREARS_INVESTIGATION_WORKING_DAYS)
        locked.save()
        events.arrears_accepted_event(complaint=locked, actor=user)
        _sms_reporter(locked, SMS_ACCEPTED)
        activation.process.accepted = True
        activation.process.save()

    _complete(task, user, work)
    complaint.refresh_from_db()
    return complaint


def arrears_contact_record(*, complaint: ArrearsComplaint, user: User, party: str, method: str,
                           notes: str) -> ArrearsContact:
    _require_officer(user, complaint)
    notes = _clean(notes, 2000)
    if not notes:
        raise ValidationError({"notes": _(TEXT_REQUIRED)}, code="notes_required")
    _task_or_refuse(arrears_process_for(complaint=complaint), _flows()[2].investigate)
    with transaction.atomic():
        contact = ArrearsContact(complaint=complaint, party=party, method=method, notes=notes, officer=user)
        contact.full_clean()
        contact.save()
        events.arrears_contact_event(complaint=complaint, actor=user, party=party, method=method)
        _sms_reporter(complaint, SMS_CONTACTED, party=str(contact.get_party_display()))
    return contact


def arrears_resolve(*, complaint: ArrearsComplaint, user: User, outcome: str, reason: str = "") -> ArrearsComplaint:
    """Decide: refused at intake, or after checking paid / transferred to arbitration / rejected with reasons."""
    from workflows.dispute_models import ComplaintOutcome

    _require_officer(user, complaint)
    if outcome not in ComplaintOutcome.values:
        raise ValidationError({"outcome": _(OUTCOME_INVALID)}, code="outcome_invalid")
    reason = _clean(reason, 2000)
    if outcome == ComplaintOutcome.REJECTED and not reason:
        raise ValidationError({"reason": _(REASON_REQUIRED)}, code="reason_required")
    flow = _flows()[2]
    process = arrears_process_for(complaint=complaint)
    at_intake = pending_task(process=process, node=flow.accept)
    if at_intake is not None and outcome != ComplaintOutcome.REJECTED:
        raise ValidationError(_(NO_PENDING_TASK), code="no_task")
    task = at_intake or _task_or_refuse(process, flow.investigate)
    if outcome == ComplaintOutcome.PAID:
        parties = set(complaint.contacts.values_list("party", flat=True))
        if not {ContactParty.EMPLOYER, ContactParty.REPORTER} <= parties:
            raise ValidationError(_(CONTACTS_REQUIRED), code="contacts_required")

    def work(activation: Any) -> None:
        locked = ArrearsComplaint.objects.select_for_update().get(pk=complaint.pk)
        locked.officer = locked.officer or user
        locked.outcome_reason = reason
        locked.save(update_fields=["officer", "outcome_reason", "updated_at"])
        activation.process.accepted = at_intake is None
        activation.process.outcome = outcome
        activation.process.save()

    _complete(task, user, work)
    complaint.refresh_from_db()
    return complaint


def _resolve(process: Any, status: str, sms: str, **params: Any) -> ArrearsComplaint:
    complaint = ArrearsComplaint.objects.select_for_update().get(pk=process.complaint_id)
    complaint.status, complaint.resolved_at = status, _now()
    complaint.save(update_fields=["status", "resolved_at", "updated_at", "dispute_case"])
    events.arrears_resolved_event(complaint=complaint, actor=complaint.officer)
    _sms_reporter(complaint, sms, **params)
    return complaint


def on_complaint_started(*, process: Any, complaint: ArrearsComplaint) -> Any:
    process.complaint = complaint
    return process


def on_complaint_routed(*, activation: Any) -> None:
    """The district's officers see it in their queue; a district without officers goes to the supervisors."""
    complaint = activation.process.complaint
    _sms_reporter(complaint, SMS_RECEIVED, district=complaint.district)
    if not User.objects.filter(role=Role.BUREAU_OFFICER, region=complaint.district, is_active=True).exists():
        deadline_escalate(activation=activation, kind=DeadlineKind.NO_OFFICER, complaint=complaint)


def on_complaint_paid(*, process: Any) -> None:
    _resolve(process, ComplaintStatus.PAID, SMS_PAID)


def on_complaint_rejected(*, process: Any) -> None:
    _resolve(process, ComplaintStatus.REJECTED, SMS_REJECTED)


def on_complaint_transferred(*, process: Any) -> None:
    """Open a wage-arrears dispute case for the reporter (fast track) and start its process."""
    from contracts_platform.parties.models import Employer

    complaint = ArrearsComplaint.objects.select_for_update().get(pk=process.complaint_id)
    employer = Employer.objects.filter(name=complaint.employer_name).order_by("pk").first()
    with translation.override(settings.LANGUAGE_CODE):  # case text is stored in the platform's language
        facts = _("欠薪投诉 {number} 转入。项目：{project}；拖欠 {months} 个月，涉及 {workers} 人。"
                  "{description}").format(
            number=complaint.number, project=complaint.project_name, months=complaint.months_owed,
            workers=complaint.workers_affected, description=complaint.description)
        reporter = complaint.reporter_name or str(_("投诉人"))
    case = _case_create(filed_by=FiledBy.ARREARS, filer=complaint.officer,
                        worker_name=reporter, worker_phone=complaint.reporter_phone,
                        employer=employer, employer_name=complaint.employer_name,
                        region=employer.region if employer else complaint.district, facts=facts[:2000],
                        claims=[Claim(claim_type=ClaimType.UNPAID_WAGES, amount=complaint.amount,
                                      note=_clean(complaint.project_name, 200))],
                        stored=[], request_meta=None)
    complaint.dispute_case = case
    complaint.save(update_fields=["dispute_case"])
    _resolve(process, ComplaintStatus.TRANSFERRED, SMS_TRANSFERRED, case_number=case.number)


def on_complaint_deadline(*, activation: Any, kind: str) -> None:
    complaint = ArrearsComplaint.objects.get(pk=activation.process.complaint_id)
    due = complaint.accept_due if kind == DeadlineKind.ARREARS_ACCEPTANCE else complaint.investigation_due
    deadline_escalate(activation=activation, kind=kind, complaint=complaint, due_at=due)


def arrears_accept_due_at(activation: Any) -> dt.datetime:
    return activation.process.complaint.accept_due


def arrears_investigation_due_at(activation: Any) -> dt.datetime:
    complaint = activation.process.complaint
    return complaint.investigation_due or add_working_days(_now(), ARREARS_INVESTIGATION_WORKING_DAYS)
