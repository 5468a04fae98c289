"""Parse raw contract terms (decoded JSON) into checked values, never raising.

Every field is described once in ``FIELDS``, in document order. Parsing turns each
one into a Python value (``Decimal``, ``date``, ``int``...), ``None`` when it is
absent or null, or marks it invalid and emits a ``terms.invalid_value`` finding.
Rules then read parsed values only, so a wrong type can never crash a rule, and a
field that is present-but-invalid is not also reported as missing.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from contracts_platform.contracts.rules.registry import Finding, Level, make_finding
from contracts_platform.parties.identifiers import check_region_code

TERMS_SCHEMA = "heqian.contract-terms/1"
CONTRACT_TYPES = ("fixed_term", "open_ended", "task_based", "part_time", "dispatch")
HOURS_SYSTEMS = ("standard", "comprehensive", "flexible")
WAGE_TYPES = ("monthly", "hourly")

# Money above this is a typing mistake (an extra zero block), not a wage or a cost.
MONEY_MAX = Decimal("100000000")
TEXT_MAX = 5000
LIST_MAX = 100
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class FieldSpec:
    path: str
    kind: str
    label_zh: str
    label_en: str
    options: tuple[str, ...] = ()
    low: Decimal | int | None = None
    high: Decimal | int | None = None
    low_exclusive: bool = False
    sensitive: bool = False
    """Never echo the value in a message: findings are stored in clear, ID numbers are not."""


def _f(path: str, kind: str, zh: str, en: str, **kw: Any) -> FieldSpec:
    return FieldSpec(path, kind, zh, en, **kw)


FIELDS: tuple[FieldSpec, ...] = (
    _f("schema", "choice", "条款格式版本", "terms schema", options=(TERMS_SCHEMA,)),
    _f("contract_type", "choice", "合同期限类型", "contract type", options=CONTRACT_TYPES),
    _f("employer", "object", "用人单位", "employer"),
    _f("employer.name", "text", "用人单位名称", "employer name"),
    _f("employer.credit_code", "text", "统一社会信用代码", "unified social credit code"),
    _f("employer.legal_representative", "text", "法定代表人或主要负责人", "legal representative"),
    _f("employer.address", "text", "用人单位住所", "employer domicile"),
    _f("employer.region", "region", "用人单位所在地行政区划代码", "employer division code"),
    _f("worker", "object", "劳动者", "worker"),
    _f("worker.name", "text", "劳动者姓名", "worker name"),
    _f("worker.id_number", "text", "劳动者居民身份证号码", "worker resident ID number", sensitive=True),
    _f("worker.address", "text", "劳动者住址", "worker address"),
    _f("worker.phone", "text", "劳动者手机号码", "worker mobile number", sensitive=True),
    _f("start_date", "date", "合同起始日期", "start date"),
    _f("end_date", "date", "合同终止日期", "end date"),
    _f("task_description", "text", "工作任务", "task description"),
    _f("probation_months", "int", "试用期（月）", "probation (months)", low=0, high=120),
    _f("job_title", "text", "工作内容（岗位）", "job title"),
    _f("work_location", "text", "工作地点", "work location"),
    _f("work_region", "region", "工作地行政区划代码", "work division code"),
    _f("working_hours", "object", "工作时间", "working hours"),
    _f("working_hours.system", "choice", "工时制度", "hours system", options=HOURS_SYSTEMS),
    _f("working_hours.hours_per_day", "decimal", "每日工作小时数", "hours per day",
       low=Decimal(0), high=Decimal(24), low_exclusive=True),
    _f("working_hours.hours_per_week", "decimal", "每周工作小时数", "hours per week",
       low=Decimal(0), high=Decimal(168), low_exclusive=True),
    _f("wage", "object", "劳动报酬", "wage"),
    _f("wage.type", "choice", "计薪方式", "wage type", options=WAGE_TYPES),
    _f("wage.amount", "money", "工资标准", "wage amount"),
    _f("wage.probation_amount", "money", "试用期工资", "probation wage"),
    _f("wage.pay_day", "int", "每月发薪日", "pay day", low=1, high=31),
    _f("wage.pay_cycle_days", "int", "工资结算周期（日）", "pay cycle (days)", low=1, high=366),
    _f("social_insurance", "text", "社会保险", "social insurance"),
    _f("labor_protection", "text", "劳动保护、劳动条件和职业危害防护", "labor protection"),
    _f("dispatch", "object", "劳务派遣", "dispatch"),
    _f("dispatch.host_unit", "text", "用工单位", "host unit"),
    _f("dispatch.post", "text", "派遣工作岗位", "dispatch post"),
    _f("dispatch.period", "text", "派遣期限", "dispatch period"),
    _f("training", "object", "专项培训", "training"),
    _f("training.employer_funded", "bool", "用人单位出资培训", "employer-funded training"),
    _f("training.cost", "money", "培训费用", "training cost"),
    _f("service_period_months", "int", "服务期（月）", "service period (months)", low=0, high=1200),
    _f("service_penalty", "money", "服务期违约金", "service-period penalty"),
    _f("non_compete_months", "int", "竞业限制期限（月）", "non-compete period (months)", low=0, high=1200),
    _f("history", "object", "用工历史", "employment history"),
    _f("history.consecutive_fixed_terms", "int", "已连续订立固定期限合同次数",
       "consecutive fixed-term contracts", low=0, high=100),
    _f("history.years_of_service", "decimal", "已连续工作年限", "years of service",
       low=Decimal(0), high=Decimal(100)),
    _f("worker_requests_fixed_term", "bool", "劳动者提出订立固定期限合同", "worker asks for a fixed term"),
    _f("supplementary_clauses", "text_list", "补充条款", "supplementary clauses"),
)
SPECS: Mapping[str, FieldSpec] = {spec.path: spec for spec in FIELDS}


class ParsedTerms:
    """Parsed values by dotted path; ``None`` for absent, null or invalid fields."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.invalid: set[str] = set()
        self.findings: list[Finding] = []

    def get(self, path: str) -> Any:
        return self.values.get(path)

    def is_missing(self, path: str) -> bool:
        """Absent or null (or blank text), and not already reported as invalid."""
        return path not in self.invalid and self.values.get(path) is None

    def label(self, path: str) -> tuple[str, str]:
        spec = SPECS[path]
        return spec.label_zh, spec.label_en

    def report_invalid(self, path: str, zh: str, en: str) -> None:
        """Mark ``path`` invalid with a reason (used by rules for cross-field problems)."""
        self.invalid.add(path)
        self.values[path] = None
        spec = SPECS[path]
        self.findings.append(make_finding(
            "terms.invalid_value", Level.ERROR, path,
            f"{spec.label_zh}（{path}）无效：{zh}", f"{spec.label_en} ({path}) is invalid: {en}"))


def _shown(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (ValueError, TypeError, RecursionError):
        # Callers may pass Python objects that JSON cannot express (cycles, NaN keys...).
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 40 else text[:37] + "..."


class _Invalid(Exception):
    """Internal control flow: a reason why a value is unusable; never escapes this module."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _range_text(spec: FieldSpec) -> tuple[str, str]:
    low_zh = "大于" if spec.low_exclusive else "不小于"
    low_en = "above" if spec.low_exclusive else "at least"
    return (f"{low_zh} {spec.low} 且不大于 {spec.high}", f"{low_en} {spec.low} and at most {spec.high}")


def _in_range(spec: FieldSpec, number: Decimal | int) -> bool:
    if spec.low is not None and (number <= spec.low if spec.low_exclusive else number < spec.low):
        return False
    return spec.high is None or number <= spec.high


def _parse_text(spec: FieldSpec, value: Any) -> str | None:
    if not isinstance(value, str):
        raise _Invalid("应为文本", "must be text")
    value = value.strip()
    if len(value) > TEXT_MAX:
        raise _Invalid(f"超过 {TEXT_MAX} 个字符", f"longer than {TEXT_MAX} characters")
    return value or None  # blank text is as good as missing


def _parse_choice(spec: FieldSpec, value: Any) -> str:
    if not isinstance(value, str) or value not in spec.options:
        options = ", ".join(spec.options)
        raise _Invalid(f"应为以下之一：{options}", f"must be one of: {options}")
    return value


def _parse_date(spec: FieldSpec, value: Any) -> dt.date:
    # fromisoformat alone would also take "20250101" or week dates; the format says YYYY-MM-DD.
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise _Invalid("应为 YYYY-MM-DD 格式的日期", "must be a date written YYYY-MM-DD")
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise _Invalid("不是存在的日期", "is not a real calendar date") from None
    if not 1900 <= date.year <= 2199:
        raise _Invalid("年份应在 1900–2199 之间", "year must be between 1900 and 2199")
    return date


def _parse_money(spec: FieldSpec, value: Any) -> Decimal:
    if isinstance(value, float):
        raise _Invalid('金额应写成字符串，如 "5000.00"（浮点数会损失精度）',
                       'amounts must be strings such as "5000.00" (floats lose precision)')
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise _Invalid('应为十进制金额字符串，如 "5000.00"', 'must be a decimal string such as "5000.00"')
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise _Invalid('应为十进制金额字符串，如 "5000.00"', 'must be a decimal string such as "5000.00"') from None
    if not amount.is_finite():
        raise _Invalid("应为有限的金额", "must be a finite amount")
    if amount < 0:
        raise _Invalid("金额不能为负数", "must not be negative")
    if amount > MONEY_MAX:
        raise _Invalid(f"金额超过 {MONEY_MAX} 元，应为录入错误", f"is above {MONEY_MAX} RMB, surely a typo")
    if amount != amount.quantize(Decimal("0.01")):
        raise _Invalid("金额最多保留两位小数（分）", "must have at most two decimal places")
    return amount


def _parse_int(spec: FieldSpec, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not _in_range(spec, value):
        raise _Invalid(f"应为 {spec.low} 到 {spec.high} 之间的整数",
                       f"must be a whole number from {spec.low} to {spec.high}")
    return value


def _parse_decimal(spec: FieldSpec, value: Any) -> Decimal:
    zh, en = _range_text(spec)
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise _Invalid(f"应为数字（{zh}）", f"must be a number ({en})")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else str(value))
    except InvalidOperation:
        raise _Invalid(f"应为数字（{zh}）", f"must be a number ({en})") from None
    if not number.is_finite() or not _in_range(spec, number):
        raise _Invalid(f"应{zh}", f"must be {en}")
    return number


def _parse_bool(spec: FieldSpec, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid("应为 true 或 false", "must be true or false")
    return value


def _parse_region(spec: FieldSpec, value: Any) -> str:
    if not isinstance(value, str) or check_region_code(value):
        raise _Invalid("应为6位行政区划代码，如 370102", "must be a 6-digit division code such as 370102")
    return value.strip()


def _parse_text_list(spec: FieldSpec, value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) > LIST_MAX:
        raise _Invalid(f"应为不超过 {LIST_MAX} 项的文本列表", f"must be a list of at most {LIST_MAX} texts")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip() or len(item) > TEXT_MAX:
            raise _Invalid(f"第 {i + 1} 项应为非空文本", f"item {i + 1} must be non-empty text")
    return [item.strip() for item in value]


def _parse_object(spec: FieldSpec, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _Invalid("应为对象（JSON object）", "must be an object")
    return value


_PARSERS = {
    "text": _parse_text, "choice": _parse_choice, "date": _parse_date, "money": _parse_money,
    "int": _parse_int, "decimal": _parse_decimal, "bool": _parse_bool, "region": _parse_region,
    "text_list": _parse_text_list, "object": _parse_object,
}


def parse_terms(terms: Any) -> ParsedTerms:
    """Parse every known field; unknown keys are ignored so newer terms still check."""
    parsed = ParsedTerms()
    if not isinstance(terms, Mapping):
        parsed.findings.append(make_finding(
            "terms.invalid_value", Level.ERROR, "",
            f"合同条款应为对象（JSON object），收到的是 {type(terms).__name__}",
            f"Contract terms must be an object, got {type(terms).__name__}"))
        parsed.invalid.update(SPECS)
        return parsed
    raw: dict[str, Any] = {}
    for spec in FIELDS:
        parent, _, key = spec.path.rpartition(".")
        if parent and parent in parsed.invalid:
            # The whole object was reported already; its members are not "missing".
            parsed.invalid.add(spec.path)
            continue
        container = raw.get(parent) if parent else terms
        value = container.get(key) if isinstance(container, Mapping) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            # Forms send "" for an empty optional field: the same as leaving it out.
            parsed.values[spec.path] = None
            continue
        try:
            result = _PARSERS[spec.kind](spec, value)
        except _Invalid as exc:
            shown = "" if spec.sensitive else f" {_shown(value)}"
            parsed.invalid.add(spec.path)
            parsed.findings.append(make_finding(
                "terms.invalid_value", Level.ERROR, spec.path,
                f"{spec.label_zh}（{spec.path}）的值{shown}无效：{exc.zh}",
                f"{spec.label_en} ({spec.path}) has an invalid value{shown}: {exc.en}"))
            continue
        if spec.kind == "object":
            raw[spec.path] = result
            parsed.values[spec.path] = True  # present; members are parsed on their own
        else:
            parsed.values[spec.path] = result
    return parsed
