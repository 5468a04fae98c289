"""Terms fields for tests: a valid baseline the tests then bend."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from contracts_platform.core.demo import demo_fields


def valid_fields(**overrides: Any) -> dict[str, Any]:
    fields = copy.deepcopy(demo_fields(start=dt.date(2027, 1, 1)))
    fields.update(overrides)
    return fields


def form_data(**overrides: Any) -> dict[str, str]:
    """The employer form's POST data for a valid 3-year fixed-term contract."""
    data = {
        "start_date": "2027-01-01", "end_date": "2029-12-31", "probation_months": "3",
        "job_title": "仓储管理员", "work_location": "济南市历下区经十路 1 号", "work_region": "370102",
        "hours_system": "standard", "hours_per_day": "8", "hours_per_week": "40",
        "wage_type": "monthly", "wage_amount": "5200", "probation_amount": "4500", "pay_day": "15",
        "pay_cycle_days": "30", "social_insurance": "依法缴纳五险一金。", "labor_protection": "提供劳动防护用品。",
        "service_period_months": "0", "non_compete_months": "0", "history_consecutive_fixed_terms": "0",
        "history_years_of_service": "0", "supplementary_clauses": "",
    }
    data.update({k: str(v) for k, v in overrides.items()})
    return data
