"""Contract terms for the documents tests: one complete set per contract type.

Shaped like ``ContractTermsForm.to_fields`` plus ``terms_assemble`` (see docs/contract-terms.md).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from contracts_platform.parties.identifiers import make_credit_code, make_id_number

#: Rare name characters that must survive into the PDF (fonts without them drop or box them).
RARE_NAME = "龑喆堃犇赟玥昇䶮"

_BASE: dict[str, Any] = {
    "schema": "heqian.contract-terms/1",
    "employer": {"name": "济南阿克米物流有限公司", "credit_code": make_credit_code("91370102MA3AC0001"),
                 "legal_representative": "赵建国", "address": "山东省济南市历下区经十路 1 号", "region": "370102"},
    "worker": {"name": "李晓明", "id_number": make_id_number("370102", dt.date(1992, 5, 17), 101),
               "address": "山东省济南市历下区解放路 12 号", "phone": "13812345678"},
    "start_date": "2025-01-01",
    "end_date": "2027-12-31",
    "task_description": "",
    "probation_months": 2,
    "job_title": "仓储管理员",
    "work_location": "山东省济南市历城区港西路 88 号阿克米物流园",
    "work_region": "370112",
    "working_hours": {"system": "standard", "hours_per_day": "8", "hours_per_week": "40"},
    "wage": {"type": "monthly", "amount": "5000.00", "probation_amount": "4000.00", "pay_day": 15,
             "pay_cycle_days": 30},
    "social_insurance": ("甲方依法为乙方缴纳基本养老保险、基本医疗保险、失业保险、工伤保险和生育保险，"
                         "并为乙方缴存住房公积金，缴费基数按乙方上年度月平均工资确定。"),
    "labor_protection": "甲方为乙方配发防护手套、安全鞋和反光背心，仓库配备通风和消防设施，叉车作业岗位须持证上岗。",
    "dispatch": None,
    "training": {"employer_funded": False, "cost": None},
    "service_period_months": 0,
    "service_penalty": None,
    "non_compete_months": 0,
    "history": {"consecutive_fixed_terms": 0, "years_of_service": "0"},
    "worker_requests_fixed_term": False,
    "supplementary_clauses": ["甲方每年组织乙方进行一次免费健康体检。",
                              "乙方每月享有交通补贴 300 元，随工资一并发放。"],
}


def terms_for(contract_type: str, **overrides: Any) -> dict[str, Any]:
    terms = copy.deepcopy(_BASE)
    terms["contract_type"] = contract_type
    terms["model_text"] = {"code": contract_type, "version": 1}
    if contract_type in ("open_ended", "task_based"):
        terms["end_date"] = None
    if contract_type == "open_ended":
        terms["probation_months"] = 6
    if contract_type == "task_based":
        terms["probation_months"] = 0
        terms["wage"]["probation_amount"] = None
        terms["task_description"] = "济南东站物流园二期仓储系统安装调试"
    if contract_type == "part_time":
        terms.update(probation_months=0, end_date="2025-12-31", job_title="理货员")
        terms["working_hours"] = {"system": "standard", "hours_per_day": "4", "hours_per_week": "20"}
        terms["wage"] = {"type": "hourly", "amount": "25.00", "probation_amount": None, "pay_day": 5,
                         "pay_cycle_days": 7}
        terms["social_insurance"] = "甲方依法为乙方缴纳工伤保险费。"
    if contract_type == "dispatch":
        terms.update(end_date="2026-12-31", job_title="装配辅助工")
        terms["dispatch"] = {"host_unit": "济南重工机械有限公司", "post": "装配辅助工",
                             "period": "2025年1月1日至2026年6月30日"}
        terms["work_location"] = "山东省济南市章丘区明水经济开发区重工路 6 号"
    for key, value in overrides.items():
        terms[key] = value
    return terms
