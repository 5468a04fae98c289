"""The term paths a model text may name, and how each kind of value is written in Chinese.

Mirrors the terms format in ``docs/contract-terms.md`` (built by
``contracts.forms.ContractTermsForm.to_fields`` and ``contracts.services.terms_assemble``).
A placeholder or condition naming a path that is not listed here is a data error,
caught when the model texts are loaded, so a typo can never reach a worker as a blank.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    MONEY = "money"
    INT = "int"
    DECIMAL = "decimal"
    ENUM = "enum"
    BOOL = "bool"
    LIST = "list"


TERM_PATHS: dict[str, Kind] = {
    "contract_type": Kind.ENUM,
    "employer.name": Kind.TEXT,
    "employer.credit_code": Kind.TEXT,
    "employer.legal_representative": Kind.TEXT,
    "employer.address": Kind.TEXT,
    "employer.region": Kind.TEXT,
    "worker.name": Kind.TEXT,
    "worker.id_number": Kind.TEXT,
    "worker.address": Kind.TEXT,
    "worker.phone": Kind.TEXT,
    "start_date": Kind.DATE,
    "end_date": Kind.DATE,
    "task_description": Kind.TEXT,
    "probation_months": Kind.INT,
    "job_title": Kind.TEXT,
    "work_location": Kind.TEXT,
    "work_region": Kind.TEXT,
    "working_hours.system": Kind.ENUM,
    "working_hours.hours_per_day": Kind.DECIMAL,
    "working_hours.hours_per_week": Kind.DECIMAL,
    "wage.type": Kind.ENUM,
    "wage.amount": Kind.MONEY,
    "wage.probation_amount": Kind.MONEY,
    "wage.pay_day": Kind.INT,
    "wage.pay_cycle_days": Kind.INT,
    "social_insurance": Kind.TEXT,
    "labor_protection": Kind.TEXT,
    "dispatch.host_unit": Kind.TEXT,
    "dispatch.post": Kind.TEXT,
    "dispatch.period": Kind.TEXT,
    "training.employer_funded": Kind.BOOL,
    "training.cost": Kind.MONEY,
    "service_period_months": Kind.INT,
    "service_penalty": Kind.MONEY,
    "non_compete_months": Kind.INT,
    "history.consecutive_fixed_terms": Kind.INT,
    "history.years_of_service": Kind.DECIMAL,
    "worker_requests_fixed_term": Kind.BOOL,
    "supplementary_clauses": Kind.LIST,
}

#: What a worker sees where the terms leave a value out: a visible blank, never an empty string
#: that would silently join two phrases together.
BLANK = "____"


def lookup(terms: dict[str, Any], path: str) -> Any:
    """The value at a dotted path, or None when any step is missing or not a mapping."""
    value: Any = terms
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def is_empty(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, list | tuple | dict) and not value)


def format_money(value: Any) -> str:
    """``"5000"`` -> ``"5,000.00 元"``. Text that is not a number is shown as given."""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return str(value)
    if not amount.is_finite():
        return str(value)
    return f"{amount:,.2f} 元"


def format_date(value: Any) -> str:
    """``"2025-01-01"`` -> ``"2025年1月1日"``. Text that is not an ISO date is shown as given."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
    return f"{value.year}年{value.month}月{value.day}日"


def format_decimal(value: Any) -> str:
    """Hours and years: ``"8.0"`` -> ``"8"``, ``"7.5"`` -> ``"7.5"``."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    text = format(number.normalize(), "f")
    return text


def format_value(path: str, value: Any) -> str | None:
    """The text for one placeholder, or None when the terms leave it blank."""
    if is_empty(value):
        return None
    kind = TERM_PATHS.get(path, Kind.TEXT)
    if kind is Kind.MONEY:
        return format_money(value)
    if kind is Kind.DATE:
        return format_date(value)
    if kind is Kind.DECIMAL:
        return format_decimal(value)
    if kind is Kind.LIST:
        return "；".join(str(v) for v in value)
    return str(value)
