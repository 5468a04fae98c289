"""Reads of the worker's pages: which PDF to show, which contracts a worker may see.

Object-level access for the portal goes through ``worker_contract_access`` only: a
contract that is not the user's is "not found" (404), never "forbidden", so the portal
does not confirm that someone else's contract number exists.
"""

from __future__ import annotations

import hmac
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts_platform.accounts.models import User
from contracts_platform.contracts.models import Contract, ContractStatus, ContractVersion
from contracts_platform.identity.invitations import token_hash
from contracts_platform.identity.models import IdentityCheck, InvitationState, SigningInvitation
from contracts_platform.identity.verification import IDENTITY_FAILURE_WINDOW, IDENTITY_MAX_FAILURES
from contracts_platform.parties.models import Worker
from signing.django_app.models import SignedDocument, SignedStage


def sealed_document_for(*, version: ContractVersion) -> SignedDocument | None:
    """The employer-sealed PDF of ``version`` (what the worker reads and signs), once the seal step ran."""
    return (SignedDocument.objects.filter(version=version, stage=SignedStage.SEALED)
            .select_related("pdf").first())


def invitation_id_for_token(token: str) -> int | None:
    """The invitation behind ``token`` whatever its state (for the done page after the link was used)."""
    try:
        digest = token_hash(token)
    except (UnicodeEncodeError, AttributeError):
        return None
    row = SigningInvitation.objects.filter(token_hash=digest).values_list("pk", "token_hash").first()
    return row[0] if row and hmac.compare_digest(row[1], digest) else None


def identity_attempts_left(*, invitation: SigningInvitation) -> int:
    """How many more failed checks before the lockout (same window and limit as ``identity_verify``)."""
    since = timezone.now() - IDENTITY_FAILURE_WINDOW
    failures = IdentityCheck.objects.filter(invitation=invitation, ok=False, created_at__gt=since).count()
    return max(0, IDENTITY_MAX_FAILURES - failures)


def identity_lock_minutes(*, invitation: SigningInvitation) -> int:
    """Minutes until ``identity_verify`` accepts another try (0 if it would now); same rule as there."""
    now = timezone.now()
    failures = list(IdentityCheck.objects.filter(invitation=invitation, ok=False,
                                                 created_at__gt=now - IDENTITY_FAILURE_WINDOW)
                    .order_by("created_at").values_list("created_at", flat=True))
    if len(failures) < IDENTITY_MAX_FAILURES:
        return 0
    unlock = failures[-IDENTITY_MAX_FAILURES] + IDENTITY_FAILURE_WINDOW
    return max(1, math.ceil((unlock - now).total_seconds() / 60))


def latest_passed_identity_check(*, invitation: SigningInvitation) -> IdentityCheck | None:
    """The check ``identity_verify`` just recorded as passed (it returns the verdict, not the row)."""
    return IdentityCheck.objects.filter(invitation=invitation, ok=True).order_by("-created_at", "-pk").first()


def contract_summary(*, contract: Contract, version: ContractVersion) -> dict[str, Any]:
    """What the landing page says about the contract (employer-entered text: templates escape it)."""
    terms = version.terms or {}
    return {"employer": contract.employer.name, "number": contract.number or str(contract.pk),
            "type": contract.model_text.get_contract_type_display(), "job_title": terms.get("job_title", ""),
            "start_date": terms.get("start_date", ""), "end_date": terms.get("end_date", ""),
            "work_location": terms.get("work_location", "")}


# --- the portal ------------------------------------------------------------------------------------


def worker_records_for(*, user: User) -> QuerySet[Worker]:
    """The employer records of this person.

    Those linked to the account (by phone, at login) always; and the other employers'
    records with the same ID number, but only once this person has passed an identity
    check on one of their linked records: the phone alone proves the number, not the
    person, so it must not open records filed under an ID number.
    """
    verified = (IdentityCheck.objects.filter(ok=True, invitation__worker__user=user)
                .values("invitation__worker__id_number_hash"))
    return Worker.objects.filter(Q(user=user) | Q(id_number_hash__in=verified))


def worker_contracts(*, user: User) -> QuerySet[Contract]:
    """The contracts offered to this person (an invitation was sent), newest first.

    Drafts the employer never sent are the employer's business, not the worker's.
    """
    if not user.is_authenticated:
        return Contract.objects.none()
    return (Contract.objects.filter(worker__in=worker_records_for(user=user), invitations__isnull=False)
            .select_related("employer", "model_text", "current_version").distinct()
            .order_by("-updated_at", "-pk"))


def worker_contract_access(*, user: User, contract_id: int) -> Contract:
    """The contract if it is one of ``worker_contracts(user)``, else ``Http404``."""
    contract = worker_contracts(user=user).filter(pk=contract_id).first()
    if contract is None:
        raise Http404
    return contract


def worker_document_for(*, contract: Contract) -> SignedDocument | None:
    """What the worker may download: the archived signed PDF; the sealed one while signing is under way.

    Nothing before the employer sealed, and nothing sealed for a contract that was
    declined, withdrawn or expired (it never took effect; a copy would only confuse).
    """
    archived = (SignedDocument.objects.filter(version__contract=contract, stage=SignedStage.ARCHIVED)
                .select_related("pdf", "version").order_by("-created").first())
    if archived is not None:
        return archived
    if contract.status == ContractStatus.SIGNING and contract.current_version_id:
        return (SignedDocument.objects.filter(version_id=contract.current_version_id, stage=SignedStage.SEALED)
                .select_related("pdf", "version").first())
    return None


# Statuses as the worker should read them: an employer's internal steps are "being revised".
WORKER_STATUS_LABELS = {
    ContractStatus.DRAFT: _("用人单位修改中"),
    ContractStatus.READY: _("用人单位修改中"),
    ContractStatus.IN_APPROVAL: _("用人单位修改中"),
    ContractStatus.SIGNING: _("待签署"),
    ContractStatus.EFFECTIVE: _("已生效"),
    ContractStatus.DECLINED: _("您已拒签"),
    ContractStatus.WITHDRAWN: _("用人单位已撤回"),
    ContractStatus.EXPIRED: _("签署已过期"),
}


@dataclass(frozen=True)
class PortalRow:
    contract: Contract
    status_label: str
    awaiting_signature: bool
    """Signing is under way and the worker has not signed yet (they sign through the SMS link)."""
    document: SignedDocument | None
    summary: dict[str, Any]


def worker_contract_rows(*, user: User) -> list[PortalRow]:
    rows = []
    for contract in worker_contracts(user=user):
        version = contract.current_version
        signing = contract.status == ContractStatus.SIGNING
        # Signed by the worker, while the background step that archives it has not finished yet.
        signed = signing and SigningInvitation.objects.filter(
            contract=contract, contract_version_id=contract.current_version_id, state=InvitationState.USED).exists()
        label = _("您已签署，归档后生效") if signed else WORKER_STATUS_LABELS.get(contract.status, "")
        rows.append(PortalRow(contract=contract, status_label=str(label), awaiting_signature=signing and not signed,
                              document=worker_document_for(contract=contract),
                              summary=contract_summary(contract=contract, version=version) if version else {}))
    return rows
