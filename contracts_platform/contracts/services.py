"""Writes for contracts: drafting, immutable versions, statutory checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts_platform.accounts.models import User
from contracts_platform.contracts import events
from contracts_platform.contracts.models import Contract, ContractStatus, ContractVersion, ModelText
from contracts_platform.contracts.rules import TERMS_SCHEMA, Finding, Level, check_terms
from contracts_platform.contracts.selectors import minimum_wage_table, prior_contracts_for
from contracts_platform.core import pii
from contracts_platform.core.canonical import canonical_sha256
from contracts_platform.parties.models import Employer, Worker

NOT_EDITABLE = "该合同已进入签署流程，不能再修改。"
READY_BLOCKED_BY_ERRORS = "合同存在{count}项违反法定要求的问题，修改后才能标记为可发起签署。"
READY_NEEDS_ACK = "请先阅读并确认{count}项提示，再标记为可发起签署。"
WORKER_OF_OTHER_EMPLOYER = "所选劳动者不属于本单位。"


def terms_assemble(*, employer: Employer, worker: Worker, model_text: ModelText,
                   fields: dict[str, Any]) -> dict[str, Any]:
    """Full terms: the form's fields plus snapshots of both parties as they are now."""
    return {
        "schema": TERMS_SCHEMA,
        **fields,
        "contract_type": model_text.contract_type,
        "model_text": {"code": model_text.code, "version": model_text.version},
        "employer": {
            "name": employer.name, "credit_code": employer.credit_code,
            "legal_representative": employer.legal_representative, "address": employer.address,
            "region": employer.region,
        },
        "worker": {"name": worker.name, "id_number": worker.id_number, "address": worker.address,
                   "phone": worker.phone},
    }


def terms_check(*, terms: dict[str, Any], worker: Worker | None = None, contract: Contract | None = None,
                on: dt.date | None = None) -> list[Finding]:
    prior = prior_contracts_for(worker=worker, exclude=contract) if worker is not None else []
    return check_terms(terms, on=on or timezone.localdate(), minimum_wages=minimum_wage_table(),
                       prior_contracts=prior)


def _stored_terms(terms: dict[str, Any]) -> dict[str, Any]:
    """What the database keeps in clear: the terms with the ID number masked."""
    worker = dict(terms["worker"])
    worker["id_number"] = pii.mask_id_number(worker.get("id_number") or "")
    return {**terms, "worker": worker}


def _readiness_check(findings: list[Finding], *, acknowledge_warnings: bool) -> None:
    errors = [f for f in findings if f.level == Level.ERROR]
    warnings = [f for f in findings if f.level == Level.WARNING]
    if errors:
        raise ValidationError(_(READY_BLOCKED_BY_ERRORS).format(count=len(errors)), code="ready_errors")
    if warnings and not acknowledge_warnings:
        raise ValidationError(_(READY_NEEDS_ACK).format(count=len(warnings)), code="ready_unacknowledged")


def contract_version_create(*, contract: Contract, terms: dict[str, Any], user: User | None,
                            mark_ready: bool, acknowledge_warnings: bool = False) -> ContractVersion:
    """Freeze ``terms`` as the contract's next version.

    Errors block ``mark_ready``; warnings must be acknowledged for it. Saving the
    same terms with the same readiness again creates nothing new.
    """
    today = timezone.localdate()
    findings = terms_check(terms=terms, worker=contract.worker, contract=contract, on=today)
    if mark_ready:
        _readiness_check(findings, acknowledge_warnings=acknowledge_warnings)
    sha = canonical_sha256(terms)
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if not locked.is_editable:
            raise ValidationError(_(NOT_EDITABLE), code="not_editable")
        current = locked.current_version
        if current and current.terms_sha256 == sha and current.is_ready == mark_ready:
            return current
        last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
        version = ContractVersion(
            contract=locked, number=last + 1, terms=_stored_terms(terms),
            worker_id_number=terms["worker"]["id_number"], terms_sha256=sha,
            findings=[f.to_dict() for f in findings],
            warnings_acknowledged=bool(acknowledge_warnings and mark_ready), is_ready=mark_ready,
            checked_on=today, created_by=user)
        version.save()
        locked.current_version = version
        locked.status = ContractStatus.READY if mark_ready else ContractStatus.DRAFT
        locked.save(update_fields=["current_version", "status", "updated_at"])
        events.contract_version_created_event(version=version, actor=user)
        if mark_ready:
            # A ready version will be signed: have its PDF archived before anyone asks.
            transaction.on_commit(lambda: _enqueue_render(version.pk))
    contract.refresh_from_db()
    return version


def _enqueue_render(version_id: int) -> None:
    from contracts_platform.documents.tasks import render_version

    render_version.delay(version_id)


def contract_create(*, employer: Employer, worker: Worker, model_text: ModelText, fields: dict[str, Any],
                    user: User | None, mark_ready: bool = False,
                    acknowledge_warnings: bool = False) -> Contract:
    if worker.employer_id != employer.pk:
        raise ValidationError({"worker": _(WORKER_OF_OTHER_EMPLOYER)}, code="worker_foreign")
    terms = terms_assemble(employer=employer, worker=worker, model_text=model_text, fields=fields)
    if mark_ready:
        # Check before anything is written, so a refused "ready" leaves no contract behind.
        _readiness_check(terms_check(terms=terms, worker=worker), acknowledge_warnings=acknowledge_warnings)
    with transaction.atomic():
        contract = Contract.objects.create(employer=employer, worker=worker, model_text=model_text,
                                           created_by=user)
        contract.number = f"HQ{timezone.localdate():%Y}{contract.pk:06d}"
        contract.save(update_fields=["number"])
        contract_version_create(contract=contract, terms=terms, user=user, mark_ready=mark_ready,
                                acknowledge_warnings=acknowledge_warnings)
    contract.refresh_from_db()
    return contract


def contract_update(*, contract: Contract, fields: dict[str, Any], user: User | None, mark_ready: bool,
                    acknowledge_warnings: bool = False) -> ContractVersion:
    """Edit = a new version built from the new fields and the parties as they are now."""
    terms = terms_assemble(employer=contract.employer, worker=contract.worker,
                           model_text=contract.model_text, fields=fields)
    return contract_version_create(contract=contract, terms=terms, user=user, mark_ready=mark_ready,
                                   acknowledge_warnings=acknowledge_warnings)
