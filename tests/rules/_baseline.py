"""A valid baseline contract and a confirmed test table; each test changes one thing.

The persona: 历下区的 "济南和签示范科技有限公司" hires 张伟 as a software engineer.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from contracts_platform.contracts.rules import Finding, MinimumWageTable, PriorContract, check_terms
from contracts_platform.parties.identifiers import make_credit_code, make_id_number

ON = dt.date(2025, 1, 1)
CREDIT_CODE = make_credit_code("91370102MA3C12345")
ID_NUMBER = make_id_number("370102", dt.date(1990, 5, 17), 123)

BASELINE: dict[str, Any] = {
    "schema": "heqian.contract-terms/1",
    "contract_type": "fixed_term",
    "employer": {
        "name": "济南和签示范科技有限公司",
        "credit_code": CREDIT_CODE,
        "legal_representative": "李明",
        "address": "山东省济南市历下区经十路100号",
        "region": "370102",
    },
    "worker": {
        "name": "张伟",
        "id_number": ID_NUMBER,
        "address": "山东省济南市市中区纬二路1号",
        "phone": "13812345678",
    },
    "start_date": "2025-01-01",
    "end_date": "2027-12-31",
    "task_description": None,
    "probation_months": 3,
    "job_title": "软件工程师",
    "work_location": "山东省济南市历下区经十路100号",
    "work_region": "370102",
    "working_hours": {"system": "standard", "hours_per_day": "8", "hours_per_week": "40"},
    "wage": {"type": "monthly", "amount": "6000.00", "probation_amount": "4800.00", "pay_day": 10,
             "pay_cycle_days": None},
    "social_insurance": "用人单位依法为劳动者缴纳养老、医疗、失业、工伤、生育保险。",
    "labor_protection": "用人单位提供符合国家规定的劳动安全卫生条件和必要的劳动防护用品。",
    "dispatch": None,
    "training": None,
    "service_period_months": 0,
    "service_penalty": None,
    "non_compete_months": 0,
    "history": {"consecutive_fixed_terms": 0, "years_of_service": "0"},
    "worker_requests_fixed_term": False,
    "supplementary_clauses": [],
}

# Test figures, confirmed so the baseline has no findings at all. The 2026 row is
# invented for effective-dating tests only.
TABLE = MinimumWageTable.from_rows([
    {"region_prefix": "37", "region_name": "山东省", "tier": 3, "monthly": "1700", "hourly": "17",
     "effective_from": "2021-10-01", "confirmed": True, "source": "test"},
    {"region_prefix": "3701", "region_name": "济南市", "tier": 1, "monthly": "2100", "hourly": "21",
     "effective_from": "2021-10-01", "confirmed": True, "source": "test"},
    {"region_prefix": "3701", "region_name": "济南市", "tier": 1, "monthly": "2300", "hourly": "23",
     "effective_from": "2026-01-01", "confirmed": True, "source": "test (invented future row)"},
])


def baseline(**changes: Any) -> dict[str, Any]:
    """A deep copy of the baseline; ``a__b=value`` sets terms["a"]["b"]."""
    terms = copy.deepcopy(BASELINE)
    for key, value in changes.items():
        *parents, last = key.split("__")
        target = terms
        for parent in parents:
            if not isinstance(target.get(parent), dict):
                target[parent] = {}
            target = target[parent]
        target[last] = value
    return terms


def part_time(**changes: Any) -> dict[str, Any]:
    return baseline(**{
        "contract_type": "part_time", "end_date": None, "probation_months": 0,
        "working_hours": {"system": "standard", "hours_per_day": "4", "hours_per_week": "20"},
        "wage": {"type": "hourly", "amount": "25.00", "probation_amount": None, "pay_day": None,
                 "pay_cycle_days": 15},
        **changes})


def dispatch(**changes: Any) -> dict[str, Any]:
    return baseline(**{
        "contract_type": "dispatch", "end_date": "2026-12-31", "probation_months": 2,
        "dispatch": {"host_unit": "济南某制造有限公司", "post": "装配辅助岗（辅助性岗位）",
                     "period": "2025-01-01至2025-06-30"},
        **changes})


def check(terms: Any, *, on: dt.date = ON, table: MinimumWageTable = TABLE,
          prior: tuple[PriorContract, ...] = ()) -> list[Finding]:
    return check_terms(terms, on=on, minimum_wages=table, prior_contracts=prior)


def of_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def rule_ids(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]
