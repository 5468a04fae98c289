"""Reads and access guards for contracts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404

from contracts_platform.contracts.models import (
    Contract,
    ContractStatus,
    ContractType,
    ContractVersion,
    MinimumWageRate,
    ModelText,
)
from contracts_platform.contracts.rules import MinimumWageTable, PriorContract
from contracts_platform.parties.models import Employer, Worker


def minimum_wage_table() -> MinimumWageTable:
    return MinimumWageTable.from_rows(rate.as_row() for rate in MinimumWageRate.objects.all())


def model_texts_current() -> QuerySet[ModelText]:
    return ModelText.objects.filter(is_current=True).order_by("contract_type")


def contract_access(*, employer: Employer, contract_id: int, lock: bool = False) -> Contract:
    """The employer's own contract, or 404 (also for other employers' contracts)."""
    qs = Contract.objects.filter(employer=employer)
    if lock:
        qs = qs.select_for_update()
    try:
        return qs.select_related("worker", "model_text", "current_version").get(pk=contract_id)
    except (Contract.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def contract_version_access(*, contract: Contract, number: int) -> ContractVersion:
    try:
        return contract.versions.get(number=number)
    except (ContractVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def contract_list(*, employer: Employer, q: str = "", status: str = "") -> QuerySet[Contract]:
    qs = Contract.objects.filter(employer=employer).select_related("worker", "model_text", "current_version")
    q = q.strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(worker__name__icontains=q))
    if status in ContractStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("-updated_at", "-id")


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def prior_contracts_for(*, worker: Worker, exclude: Contract | None = None) -> list[PriorContract]:
    """Earlier contracts between this employer and this person, for the Art 14 check."""
    qs = (Contract.objects.filter(employer=worker.employer, worker__id_number_hash=worker.id_number_hash)
          .exclude(current_version=None).select_related("current_version"))
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    prior = []
    for contract in qs:
        terms = contract.current_version.terms
        start = _date(terms.get("start_date"))
        if start is None:
            continue
        prior.append(PriorContract(
            contract_type=terms.get("contract_type", ContractType.FIXED_TERM),
            start_date=start, end_date=_date(terms.get("end_date")),
            signed=contract.status == ContractStatus.EFFECTIVE))
    return sorted(prior, key=lambda p: p.start_date)
