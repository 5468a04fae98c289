"""Evidence events of disputes and arrears complaints: one function per event type.

Case events are filed under ``("dispute_case", <pk>)``, complaint events under
``("arrears_complaint", <pk>)``; linking a contract also files ``dispute.linked``
under the contract, so the contract's own evidence slice (and its evidence package)
shows that it is in dispute. Payloads carry no plain ID numbers and only masked phones.
Call inside the transaction of the act each event records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contracts_platform.accounts.models import User
from contracts_platform.archive.services import evidence_append
from contracts_platform.core import pii
from contracts_platform.disputes.models import (
    ArrearsComplaint,
    CaseDocument,
    DisputeCase,
    Escalation,
    LegalAidAssignment,
)

CASE_SUBJECT = "dispute_case"
COMPLAINT_SUBJECT = "arrears_complaint"

CASE_FILED = "dispute.filed"
CASE_LINKED = "dispute.linked"
CASE_ACCEPTED = "dispute.accepted"
CASE_REJECTED = "dispute.rejected"
CASE_ASSIGNED = "dispute.assigned"
DOCUMENT_ADDED = "dispute.document_added"
MEDIATION_RECORDED = "dispute.mediation_recorded"
MEDIATION_ENDED = "dispute.mediation_ended"
AGREEMENT_DRAFTED = "dispute.agreement_drafted"
AGREEMENT_ACCEPTED = "dispute.agreement_accepted"
AGREEMENT_DECLINED = "dispute.agreement_declined"
AWARD_ISSUED = "dispute.award_issued"
AWARD_EXTENDED = "dispute.award_extended"
CASE_CLOSED = "dispute.closed"
CASE_ACCESSED = "dispute.accessed"
LEGAL_AID_REQUESTED = "dispute.legal_aid_requested"
LEGAL_AID_ASSIGNED = "dispute.legal_aid_assigned"
LEGAL_AID_ENDED = "dispute.legal_aid_ended"
DEADLINE_ESCALATED = "deadline.escalated"
ARREARS_REPORTED = "arrears.reported"
ARREARS_ACCEPTED = "arrears.accepted"
ARREARS_CONTACT = "arrears.contact_recorded"
ARREARS_RESOLVED = "arrears.resolved"

ACCESS_EVENTS = frozenset({CASE_ACCESSED})


def _meta(request_meta: Mapping[str, Any] | None) -> dict[str, Any]:
    from contracts_platform.identity.invitations import request_client

    ip, user_agent = request_client(request_meta)
    return {"ip": ip, "user_agent": user_agent}


def _case(case: DisputeCase, event_type: str, actor: User | None, **payload: Any) -> None:
    evidence_append(event_type=event_type, actor=actor, subject_type=CASE_SUBJECT, subject_id=str(case.pk),
                    payload={"case_number": case.number, **payload})


def _complaint(complaint: ArrearsComplaint, event_type: str, actor: User | None, *, actor_label: str | None = None,
               **payload: Any) -> None:
    evidence_append(event_type=event_type, actor=actor, actor_label=actor_label, subject_type=COMPLAINT_SUBJECT,
                    subject_id=str(complaint.pk), payload={"complaint_number": complaint.number, **payload})


# --- cases ----------------------------------------------------------------------------------------------

def case_filed_event(*, case: DisputeCase, actor: User | None, request_meta: Mapping[str, Any] | None) -> None:
    _case(case, CASE_FILED, actor, filed_by=case.filed_by, employer=case.employer_name, region=case.region,
          total_claimed=str(case.total_claimed),
          claims=[{"type": c.claim_type, "amount": str(c.amount)} for c in case.claims.all()],
          **_meta(request_meta))


def case_linked_event(*, case: DisputeCase, contract: Any, method: str, actor: User | None) -> None:
    _case(case, CASE_LINKED, actor, contract_id=contract.pk, contract_number=contract.number, method=method)
    evidence_append(event_type=CASE_LINKED, actor=actor, subject_type="contract", subject_id=str(contract.pk),
                    payload={"contract_number": contract.number, "case_id": case.pk, "case_number": case.number,
                             "method": method})


def case_accepted_event(*, case: DisputeCase, actor: User) -> None:
    _case(case, CASE_ACCEPTED, actor, route=case.route, route_reason=case.route_reason,
          acceptance_due=case.acceptance_due.isoformat(), award_due=case.award_due.isoformat() if case.award_due
          else None, on_time=case.accepted_at <= case.acceptance_due if case.accepted_at else None)


def case_rejected_event(*, case: DisputeCase, actor: User) -> None:
    _case(case, CASE_REJECTED, actor, reason=case.rejection_reason)


def case_assigned_event(*, case: DisputeCase, actor: User, role: str, assignee: User) -> None:
    _case(case, CASE_ASSIGNED, actor, role=role, assignee=f"{assignee.role}:{assignee.pk}")


def document_added_event(*, document: CaseDocument, actor: User | None) -> None:
    _case(document.case, DOCUMENT_ADDED, actor, document_id=document.pk, kind=document.kind,
          sha256=document.stored_id, size=document.size, content_type=document.content_type)


def mediation_recorded_event(*, case: DisputeCase, actor: User, held_on: str) -> None:
    _case(case, MEDIATION_RECORDED, actor, held_on=held_on)


def mediation_ended_event(*, case: DisputeCase, outcome: str) -> None:
    _case(case, MEDIATION_ENDED, None, outcome=outcome)


def agreement_drafted_event(*, case: DisputeCase, actor: User, sha256: str, amount: str) -> None:
    _case(case, AGREEMENT_DRAFTED, actor, sha256=sha256, amount=amount)


def agreement_decided_event(*, case: DisputeCase, actor: User, side: str, accepted: bool, sha256: str,
                            request_meta: Mapping[str, Any] | None) -> None:
    # The hash binds the acceptance to exactly the PDF bytes the party was shown.
    _case(case, AGREEMENT_ACCEPTED if accepted else AGREEMENT_DECLINED, actor, side=side, sha256=sha256,
          **_meta(request_meta))


def award_issued_event(*, case: DisputeCase, actor: User, sha256: str, amount: str, final: bool) -> None:
    _case(case, AWARD_ISSUED, actor, sha256=sha256, amount=amount, final=final,
          on_time=bool(case.award_due and case.awarded_at and case.awarded_at <= case.award_due))


def award_extended_event(*, case: DisputeCase, actor: User, reason: str) -> None:
    _case(case, AWARD_EXTENDED, actor, award_due=case.award_due.isoformat(), reason=reason)


def case_closed_event(*, case: DisputeCase, actor: User | None) -> None:
    _case(case, CASE_CLOSED, actor, outcome=case.outcome)


def case_accessed_event(*, case: DisputeCase, actor: User, what: str, object_id: str | int | None,
                        capacity: str, request_meta: Mapping[str, Any] | None, sha256: str | None = None) -> None:
    """Every view of a case, its contracts, documents or packages; the parties see these."""
    _case(case, CASE_ACCESSED, actor, what=what, object_id=str(object_id) if object_id is not None else None,
          capacity=capacity, sha256=sha256, **_meta(request_meta))


def legal_aid_requested_event(*, case: DisputeCase, actor: User, note: str) -> None:
    _case(case, LEGAL_AID_REQUESTED, actor, note=note)


def legal_aid_assigned_event(*, assignment: LegalAidAssignment, actor: User) -> None:
    _case(assignment.case, LEGAL_AID_ASSIGNED, actor, assignment_id=assignment.pk,
          lawyer=f"{assignment.lawyer.role}:{assignment.lawyer_id}", organisation=assignment.organisation)


def legal_aid_ended_event(*, assignment: LegalAidAssignment, actor: User | None, reason: str) -> None:
    _case(assignment.case, LEGAL_AID_ENDED, actor, assignment_id=assignment.pk, reason=reason)


def deadline_escalated_event(*, escalation: Escalation) -> None:
    payload = {"kind": escalation.kind, "due_at": escalation.due_at.isoformat() if escalation.due_at else None,
               "escalation_id": escalation.pk,
               "supervisors": sorted(f"{u.role}:{u.pk}" for u in escalation.supervisors.all())}
    if escalation.case_id:
        _case(escalation.case, DEADLINE_ESCALATED, None, **payload)
    else:
        _complaint(escalation.complaint, DEADLINE_ESCALATED, None, **payload)


# --- arrears complaints -------------------------------------------------------------------------------

def arrears_reported_event(*, complaint: ArrearsComplaint, request_meta: Mapping[str, Any] | None) -> None:
    # No account: the reporter is named by the masked phone their OTP proved.
    _complaint(complaint, ARREARS_REPORTED, None, actor_label=f"reporter:{pii.mask_phone(complaint.reporter_phone)}",
               district=complaint.district, amount=str(complaint.amount), months_owed=complaint.months_owed,
               workers_affected=complaint.workers_affected, employer=complaint.employer_name,
               project=complaint.project_name, otp_verified=True, **_meta(request_meta))


def arrears_accepted_event(*, complaint: ArrearsComplaint, actor: User) -> None:
    _complaint(complaint, ARREARS_ACCEPTED, actor,
               on_time=bool(complaint.accepted_at and complaint.accepted_at <= complaint.accept_due))


def arrears_contact_event(*, complaint: ArrearsComplaint, actor: User, party: str, method: str) -> None:
    _complaint(complaint, ARREARS_CONTACT, actor, party=party, method=method)


def arrears_resolved_event(*, complaint: ArrearsComplaint, actor: User) -> None:
    _complaint(complaint, ARREARS_RESOLVED, actor, status=complaint.status, reason=complaint.outcome_reason,
               dispute_case=complaint.dispute_case.number if complaint.dispute_case_id else None)
