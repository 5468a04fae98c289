"""The statutory check: contract terms in, findings out. Pure Python, no Django.

``check_terms`` never raises on bad terms: what cannot be parsed becomes a
``terms.invalid_value`` finding and the rules that need that field skip it.
Each rule is one function below, in the order of ``RULES``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from typing import Any

from contracts_platform.contracts.rules._periods import ONE_DAY, shift_months, term_at_least, term_end
from contracts_platform.contracts.rules._terms import ParsedTerms, parse_terms
from contracts_platform.contracts.rules.minimum_wage import MinimumWageRate, MinimumWageTable
from contracts_platform.contracts.rules.registry import RULE_ORDER, Finding, Level, make_finding
from contracts_platform.parties.identifiers import (
    check_credit_code,
    check_id_number,
    check_mobile,
    id_number_birth_date,
)

E, W = Level.ERROR, Level.WARNING

# 劳社部发〔2008〕3号: 21.75 paid days a month, so 174 paid hours at 8 hours a day.
MONTHLY_PAID_HOURS = Decimal("174")
# The same ratio per week of a 5-day week (21.75 / 5), to turn weekly hours into monthly ones.
PAID_WEEKS_PER_MONTH = Decimal("4.35")
PROBATION_WAGE_SHARE = Decimal("0.8")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class PriorContract:
    """An earlier contract between the same employer and worker (for Art 14 and Art 19 ¶2)."""

    contract_type: str
    start_date: dt.date
    end_date: dt.date | None
    """Inclusive; None for open-ended or task-based contracts."""
    signed: bool
    """Only signed (concluded) contracts count; drafts and declined ones are ignored."""


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _yuan(amount: Decimal) -> str:
    return format(amount.quantize(CENT), "f")


def _num(value: Decimal | int) -> str:
    """7.50 → "7.5", 8 → "8": hours and years read best without trailing zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class _Floor:
    """The minimum wage in the unit of the agreed wage, and how it was derived."""

    amount: Decimal
    zh: str
    en: str


class _Check:
    def __init__(self, terms: Any, *, on: dt.date, minimum_wages: MinimumWageTable,
                 prior_contracts: Sequence[PriorContract]) -> None:
        self.t: ParsedTerms = parse_terms(terms)
        self.on = on
        self.table = minimum_wages
        self.prior = tuple(prior_contracts)
        self.findings: list[Finding] = self.t.findings
        self.type: str | None = self.t.get("contract_type")
        self.start: dt.date | None = self.t.get("start_date")
        self.end: dt.date | None = self.t.get("end_date")
        self.probation: int = self.t.get("probation_months") or 0
        self.rate: MinimumWageRate | None = None
        self.region_field: str | None = None

    def add(self, rule: str, level: Level, field: str, zh: str, en: str) -> None:
        self.findings.append(make_finding(rule, level, field, zh, en))

    # -- consistency ----------------------------------------------------------------------------

    def consistency(self) -> None:
        if self.type in ("open_ended", "task_based") and self.end is not None:
            self.t.report_invalid(
                "end_date", f"{self._type_zh()}不应约定终止日期，应为 null",
                f"a {self._type_en()} contract has no end date; use null")
            self.end = None
        if self.start and self.end and self.end < self.start:
            self.add("terms.date_order", E, "end_date",
                     f"合同终止日期 {self.end} 早于起始日期 {self.start}",
                     f"The end date {self.end} is before the start date {self.start}")
            self.end = None  # no term length can be derived from these dates

    def _type_zh(self) -> str:
        return {"fixed_term": "固定期限劳动合同", "open_ended": "无固定期限劳动合同",
                "task_based": "以完成一定工作任务为期限的劳动合同", "part_time": "非全日制用工",
                "dispatch": "劳务派遣劳动合同"}.get(self.type or "", "劳动合同")

    def _type_en(self) -> str:
        return {"fixed_term": "fixed-term", "open_ended": "open-ended", "task_based": "task-based",
                "part_time": "part-time", "dispatch": "dispatch"}.get(self.type or "", "labor")

    # -- identity --------------------------------------------------------------------------------

    _ID_ERRORS = {
        "format": ("应为18位：前17位数字，最后一位为数字或X", "must be 18 characters: 17 digits then a digit or X"),
        "region": ("前6位行政区划代码无效", "the first 6 digits are not a division code"),
        "birth_date": ("其中的出生日期无效", "the birth date in it is not valid"),
        "check_digit": ("校验位不正确", "the check digit is wrong"),
    }
    _CREDIT_ERRORS = {
        "format": ("应为18位数字或大写字母（不含I、O、S、V、Z）",
                   "must be 18 digits or capital letters (no I, O, S, V, Z)"),
        "check_digit": ("校验位不正确", "the check character is wrong"),
    }

    def identity(self) -> None:
        # Messages never repeat the number: findings are stored in clear, ID numbers encrypted.
        code = self.t.get("employer.credit_code")
        if code and (error := check_credit_code(code)):
            zh, en = self._CREDIT_ERRORS[error]
            self.add("identity.credit_code", E, "employer.credit_code",
                     f"用人单位统一社会信用代码{zh}", f"The employer's unified social credit code: {en}")
        number = self.t.get("worker.id_number")
        if number and (error := check_id_number(number, today=self.on)):
            zh, en = self._ID_ERRORS[error]
            self.add("identity.id_number", E, "worker.id_number",
                     f"劳动者居民身份证号码{zh}", f"The worker's resident ID number: {en}")
        phone = self.t.get("worker.phone")
        if phone and check_mobile(phone):
            self.add("identity.mobile", E, "worker.phone",
                     "劳动者手机号码应为11位中国大陆手机号，如 13812345678",
                     "The worker's phone must be an 11-digit mainland mobile number such as 13812345678")

    # -- Art 17 ----------------------------------------------------------------------------------

    def mandatory_clauses(self) -> None:
        required = ["employer.name", "employer.address", "employer.legal_representative",
                    "worker.name", "worker.address", "worker.id_number", "contract_type", "start_date"]
        if self.type in ("fixed_term", "dispatch"):
            required.append("end_date")
        if self.type == "task_based":
            required.append("task_description")
        required += ["job_title", "work_location", "working_hours.system"]
        if self.t.get("working_hours.system") == "standard" or self.type == "part_time":
            required += ["working_hours.hours_per_day", "working_hours.hours_per_week"]
        required += ["wage.type", "wage.amount", "social_insurance", "labor_protection"]
        for path in required:
            if self.t.is_missing(path):
                zh, en = self.t.label(path)
                self.add("art17.mandatory_clause", E, path,
                         f"缺少劳动合同必备条款：{zh}（{path}）", f"Mandatory clause missing: {en} ({path})")

    # -- age ---------------------------------------------------------------------------------------

    def minimum_age(self) -> None:
        number = self.t.get("worker.id_number")
        if not number or not self.start or check_id_number(number, today=self.on):
            return
        birth = id_number_birth_date(number)
        sixteen = shift_months(birth, 16 * 12)
        if self.start < sixteen:
            age = self.start.year - birth.year - ((self.start.month, self.start.day) < (birth.month, birth.day))
            # The age, not the birth date: the message is stored in clear.
            self.add("labor_law.minimum_age", E, "worker.id_number",
                     f"合同起始日 {self.start} 劳动者年仅 {age} 周岁，未满十六周岁，禁止招用（文艺、体育、"
                     f"特种工艺单位经批准的除外）",
                     f"On the start date {self.start} the worker is only {age}, under 16: hiring is "
                     f"prohibited (except approved arts, sports and special-crafts units)")

    # -- Art 19 ------------------------------------------------------------------------------------

    def probation_limit(self) -> None:
        if self.probation <= 0 or self.type in (None, "part_time"):
            return  # part-time probation is Art 70's own finding
        if self.type == "task_based":
            limit, zh, en = 0, "以完成一定工作任务为期限的劳动合同", "a task-based contract"
        elif self.type == "open_ended":
            limit, zh, en = 6, "无固定期限劳动合同", "an open-ended contract"
        elif self.start and self.end:
            span_zh, span_en = f"合同期限 {self.start} 至 {self.end}", f"a term of {self.start} to {self.end}"
            if not term_at_least(self.start, self.end, 3):
                limit, zh, en = 0, f"{span_zh}（不满三个月）", f"{span_en} (under 3 months)"
            elif not term_at_least(self.start, self.end, 12):
                limit, zh, en = 1, f"{span_zh}（三个月以上不满一年）", f"{span_en} (3 months to under 1 year)"
            elif not term_at_least(self.start, self.end, 36):
                limit, zh, en = 2, f"{span_zh}（一年以上不满三年）", f"{span_en} (1 year to under 3 years)"
            else:
                limit, zh, en = 6, f"{span_zh}（三年以上）", f"{span_en} (3 years or more)"
        else:
            return  # no usable term; Art 17 or the date findings already say why
        if self.probation > limit:
            allowed_zh = "不得约定试用期" if limit == 0 else f"试用期不得超过 {limit} 个月"
            allowed_en = "allows no probation" if limit == 0 else f"allows at most {limit} month(s) of probation"
            self.add("art19.probation_limit", E, "probation_months",
                     f"{zh}{allowed_zh}，合同约定了 {self.probation} 个月",
                     f"{_sentence(en)} {allowed_en}; the contract sets {self.probation} month(s)")

    def probation_repeated(self) -> None:
        if self.probation <= 0 or self.type == "part_time":
            return
        earlier = [p for p in self.prior if p.signed and (self.start is None or p.start_date < self.start)]
        history = self.t.get("history.consecutive_fixed_terms") or 0
        if not earlier and history < 1:
            return
        count = max(len(earlier), history)
        # We cannot see whether those contracts had probation, so this asks for a check.
        self.add("art19.probation_repeated", W, "probation_months",
                 f"双方此前已订立 {count} 份劳动合同，同一用人单位与同一劳动者只能约定一次试用期；"
                 f"如此前已约定过试用期，本合同的 {self.probation} 个月试用期无效",
                 f"The parties have {count} earlier contract(s); an employer may agree probation with the "
                 f"same worker only once, so if one was agreed before, these {self.probation} month(s) are void")

    # -- minimum wage ------------------------------------------------------------------------------

    def _lookup_rate(self) -> None:
        """Find the applicable minimum wage once; the wage and probation rules share it."""
        for path in ("work_region", "employer.region"):
            if path in self.t.invalid:
                return  # already an error; a guess at another region would mislead
            if self.t.get(path):
                self.region_field = path
                break
        on = self.start or self.on
        if self.region_field is None:
            self.add("minimum_wage.unknown_region", W, "employer.region",
                     "未填写工作地或用人单位所在地的行政区划代码，无法核对最低工资标准",
                     "Neither work_region nor employer.region is given, so the minimum wage cannot be checked")
            return
        region = self.t.get(self.region_field)
        self.rate = self.table.lookup(region, on)
        if self.rate is None:
            self.add("minimum_wage.unknown_region", W, self.region_field,
                     f"最低工资表中没有适用于地区 {region}、日期 {on} 的标准，无法核对最低工资，请人工核对",
                     f"The minimum-wage table has no row for region {region} on {on}; check the "
                     f"minimum wage by hand")

    def _floor(self) -> _Floor | None:
        """The minimum in the wage's unit (最低工资规定第五条: monthly for full-time, hourly for part-time)."""
        rate, wage_type = self.rate, self.t.get("wage.type")
        if rate is None or wage_type is None:
            return None
        where = f"{rate.region_name}{rate.effective_from}起"
        where_en = f"{rate.region_prefix}, from {rate.effective_from}"
        if self.type == "part_time":
            if wage_type == "hourly":
                return _Floor(rate.hourly, f"{where}小时最低工资标准 {_yuan(rate.hourly)} 元",
                              f"hourly minimum {_yuan(rate.hourly)} RMB ({where_en})")
            weekly = self.t.get("working_hours.hours_per_week")
            if weekly is None:
                return None
            amount = (rate.hourly * weekly * PAID_WEEKS_PER_MONTH).quantize(CENT, ROUND_CEILING)
            return _Floor(amount,
                          f"{where}小时最低工资标准 {_yuan(rate.hourly)} 元 × 每周 {_num(weekly)} 小时 × "
                          f"{PAID_WEEKS_PER_MONTH} 周 = 每月 {_yuan(amount)} 元",
                          f"hourly minimum {_yuan(rate.hourly)} RMB × {_num(weekly)} h/week × "
                          f"{PAID_WEEKS_PER_MONTH} weeks = {_yuan(amount)} RMB/month ({where_en})")
        if wage_type == "monthly":
            return _Floor(rate.monthly, f"{where}月最低工资标准 {_yuan(rate.monthly)} 元",
                          f"monthly minimum {_yuan(rate.monthly)} RMB ({where_en})")
        # A full-time worker paid by the hour must still reach the monthly standard for
        # normal hours; rounding up to the cent keeps every cent amount on the right side.
        amount = (rate.monthly / MONTHLY_PAID_HOURS).quantize(CENT, ROUND_CEILING)
        return _Floor(amount,
                      f"{where}月最低工资标准 {_yuan(rate.monthly)} 元 ÷ 每月计薪 {MONTHLY_PAID_HOURS} 小时 = "
                      f"每小时 {_yuan(amount)} 元",
                      f"monthly minimum {_yuan(rate.monthly)} RMB ÷ {MONTHLY_PAID_HOURS} paid hours = "
                      f"{_yuan(amount)} RMB/hour ({where_en})")

    def _unit(self) -> tuple[str, str]:
        return ("元/小时", "RMB/hour") if self.t.get("wage.type") == "hourly" else ("元/月", "RMB/month")

    def probation_wage(self) -> None:
        amount = self.t.get("wage.probation_amount")
        if self.probation <= 0 or self.type == "part_time" or amount is None:
            return
        agreed = self.t.get("wage.amount")
        floor = self._floor()
        parts_zh, parts_en, required = [], [], Decimal(0)
        if agreed is not None:
            share = agreed * PROBATION_WAGE_SHARE
            required = max(required, share)
            parts_zh.append(f"约定工资 {_yuan(agreed)} 元的80%为 {_yuan(share)} 元")
            parts_en.append(f"80% of the agreed {_yuan(agreed)} RMB is {_yuan(share)} RMB")
        if floor is not None:
            required = max(required, floor.amount)
            parts_zh.append(floor.zh)
            parts_en.append(floor.en)
        elif self.rate is None:
            parts_zh.append("当地最低工资标准无法核对")
            parts_en.append("the local minimum could not be checked")
        if amount < required:
            unit_zh, unit_en = self._unit()
            self.add("art20.probation_wage", E, "wage.probation_amount",
                     f"试用期工资 {_yuan(amount)} {unit_zh}低于法定下限 {_yuan(required)} {unit_zh}"
                     f"（{'；'.join(parts_zh)}）",
                     f"Probation wage {_yuan(amount)} {unit_en} is below the legal floor {_yuan(required)} "
                     f"{unit_en} ({'; '.join(parts_en)})")

    def below_minimum(self) -> None:
        amount, floor = self.t.get("wage.amount"), self._floor()
        if amount is None or floor is None or amount >= floor.amount:
            return
        unit_zh, unit_en = self._unit()
        self.add("minimum_wage.below_minimum", E, "wage.amount",
                 f"工资 {_yuan(amount)} {unit_zh}低于最低工资标准 {_yuan(floor.amount)} {unit_zh}（{floor.zh}）",
                 f"Wage {_yuan(amount)} {unit_en} is below the minimum wage {_yuan(floor.amount)} {unit_en} "
                 f"({floor.en})")

    def unconfirmed_rate(self) -> None:
        rate = self.rate
        if rate is None or rate.confirmed or self.region_field is None:
            return
        self.add("minimum_wage.unconfirmed", W, self.region_field,
                 f"最低工资按「{rate.region_name}」（{rate.region_prefix}，第{rate.tier}档，"
                 f"月 {_yuan(rate.monthly)} 元，小时 {_yuan(rate.hourly)} 元，{rate.effective_from} 起）"
                 f"核对，该数据尚未经官方来源确认：{rate.source}",
                 f"Minimum wage checked against \"{rate.region_name}\" ({rate.region_prefix}, tier {rate.tier}, "
                 f"{_yuan(rate.monthly)} RMB/month, {_yuan(rate.hourly)} RMB/hour, from {rate.effective_from}), "
                 f"which has not been confirmed against an official source")

    # -- working hours -----------------------------------------------------------------------------

    def standard_hours(self) -> None:
        # Part-time has its own, stricter limits (Art 68); reporting both would say the same twice.
        if self.t.get("working_hours.system") != "standard" or self.type == "part_time":
            return
        for path, limit, zh, en in (("working_hours.hours_per_day", 8, "每日", "a day"),
                                    ("working_hours.hours_per_week", 40, "每周", "a week")):
            hours = self.t.get(path)
            if hours is not None and hours > limit:
                self.add("working_hours.standard_limit", E, path,
                         f"标准工时制{zh}工作 {_num(hours)} 小时，超过 {limit} 小时",
                         f"Standard hours system: {_num(hours)} hours {en}, over {limit}")

    def hours_approval(self) -> None:
        system = self.t.get("working_hours.system")
        if system not in ("comprehensive", "flexible"):
            return
        zh, en = ("综合计算工时工作制", "Comprehensive hours") if system == "comprehensive" else (
            "不定时工作制", "Flexible hours")
        self.add("working_hours.approval_required", W, "working_hours.system",
                 f"{zh}须经劳动行政部门审批，请确认已取得批准并在有效期内",
                 f"{en} need approval by the labor bureau; confirm it is granted and still valid")

    # -- part-time ---------------------------------------------------------------------------------

    def part_time_hours(self) -> None:
        if self.type != "part_time":
            return
        for path, limit, zh, en in (("working_hours.hours_per_day", 4, "每日", "a day"),
                                    ("working_hours.hours_per_week", 24, "每周", "a week")):
            hours = self.t.get(path)
            if hours is not None and hours > limit:
                self.add("art68.part_time_hours", E, path,
                         f"非全日制用工{zh}工作 {_num(hours)} 小时，超过 {limit} 小时",
                         f"Part-time work of {_num(hours)} hours {en}, over {limit}")

    def part_time_probation(self) -> None:
        if self.type == "part_time" and self.probation > 0:
            self.add("art70.part_time_probation", E, "probation_months",
                     f"非全日制用工不得约定试用期，合同约定了 {self.probation} 个月",
                     f"Part-time work may not have probation; the contract sets {self.probation} month(s)")

    def part_time_pay_cycle(self) -> None:
        if self.type != "part_time" or "wage.pay_cycle_days" in self.t.invalid:
            return
        days = self.t.get("wage.pay_cycle_days")
        if days is None:
            self.add("art72.part_time_pay_cycle", E, "wage.pay_cycle_days",
                     "非全日制用工须约定工资结算支付周期（不超过15日）",
                     "Part-time work must state its pay cycle (at most 15 days)")
        elif days > 15:
            self.add("art72.part_time_pay_cycle", E, "wage.pay_cycle_days",
                     f"非全日制用工工资结算支付周期为 {days} 日，超过15日",
                     f"Part-time pay cycle of {days} days is over 15")

    # -- dispatch ----------------------------------------------------------------------------------

    def dispatch_term(self) -> None:
        if self.type != "dispatch" or not (self.start and self.end):
            return
        if not term_at_least(self.start, self.end, 24):
            self.add("art58.dispatch_term", E, "end_date",
                     f"劳务派遣合同期限 {self.start} 至 {self.end} 不满二年，应订立二年以上固定期限劳动合同"
                     f"（终止日期至少为 {term_end(self.start, 24)}）",
                     f"The dispatch term {self.start} to {self.end} is under 2 years; it must be fixed-term for "
                     f"at least 2 years (end on {term_end(self.start, 24)} or later)")

    def dispatch_details(self) -> None:
        if self.type != "dispatch":
            return
        for path in ("dispatch.host_unit", "dispatch.post", "dispatch.period"):
            if self.t.is_missing(path):
                zh, en = self.t.label(path)
                self.add("art58.dispatch_details", E, path,
                         f"劳务派遣合同须载明{zh}（{path}）", f"A dispatch contract must state the {en} ({path})")

    # -- Art 14 ------------------------------------------------------------------------------------

    def _earlier_signed(self) -> list[PriorContract]:
        earlier = [p for p in self.prior if p.signed and (self.start is None or p.start_date < self.start)]
        return sorted(earlier, key=lambda p: (p.start_date, p.end_date or dt.date.max))

    def open_ended_required(self) -> None:
        if self.type != "fixed_term":
            return
        reasons_zh: list[str] = []
        reasons_en: list[str] = []
        terms = self.t.get("history.consecutive_fixed_terms")
        if terms is not None and terms >= 2:
            reasons_zh.append(f"已连续订立 {terms} 次固定期限劳动合同")
            reasons_en.append(f"{terms} consecutive fixed-term contracts were concluded")
        years = self.t.get("history.years_of_service")
        if years is not None and years >= 10:
            reasons_zh.append(f"已连续工作 {_num(years)} 年")
            reasons_en.append(f"{_num(years)} years of continuous service")
        earlier = self._earlier_signed()
        run = 0
        for prior in reversed(earlier):
            if prior.contract_type != "fixed_term":
                break
            run += 1
        if run >= 2:
            reasons_zh.append(f"平台记录显示此前已连续订立 {run} 次固定期限劳动合同")
            reasons_en.append(f"platform records show {run} consecutive earlier fixed-term contracts")
        if self.start and earlier:
            # Continuous service: walk back while each earlier contract reaches the next one
            # without a gap (an open-ended one reaches everything after it).
            since = self.start
            for prior in reversed(earlier):
                # Compare against the day before, so an end date of date.max cannot overflow.
                if prior.end_date is not None and prior.end_date < since - ONE_DAY:
                    break
                since = min(since, prior.start_date)
            if self.start >= shift_months(since, 120):
                reasons_zh.append(f"平台记录显示自 {since} 起已连续工作满十年")
                reasons_en.append(f"platform records show continuous service since {since}, 10 years or more")
        if not reasons_zh:
            return
        if self.t.get("worker_requests_fixed_term") is True:
            self.add("art14.open_ended_required", W, "contract_type",
                     f"{'；'.join(reasons_zh)}，本应订立无固定期限劳动合同；劳动者已提出订立固定期限劳动合同，"
                     f"可按其要求订立，请保存劳动者书面提出的记录",
                     f"{_sentence('; '.join(reasons_en))}, so an open-ended "
                     f"contract is due; the worker asked for a fixed term, which is allowed. Keep the "
                     f"worker's written request")
        else:
            self.add("art14.open_ended_required", E, "contract_type",
                     f"{'；'.join(reasons_zh)}，续订时应订立无固定期限劳动合同（劳动者提出订立固定期限劳动合同，"
                     f"或有劳动合同法第三十九条、第四十条第一项、第二项情形的除外）",
                     f"{_sentence('; '.join(reasons_en))}, so the renewal must be "
                     f"open-ended (unless the worker asks for a fixed term, or Art 39 or Art 40(1)(2) applies)")

    # -- Art 10 / 82 -------------------------------------------------------------------------------

    def unsigned_overdue(self) -> None:
        # Part-time work may be agreed orally (Art 69), so no written-contract deadline.
        if self.start is None or self.type == "part_time":
            return
        first = shift_months(self.start, 1)  # the day after one month of employment
        if self.on < first:
            return
        last = term_end(self.start, 12)  # double wages stop after 11 months (Regulations Art 7)
        until = min(self.on, last)
        days = (until - first).days + 1
        zh = (f"用工自 {self.start} 起已超过一个月，本合同仍未签订：自 {first} 至 {until} 共 {days} 天，"
              f"用人单位应向劳动者每月支付二倍工资（最长 11 个月，至 {last} 止），请尽快签订")
        en = (f"Employment began {self.start}, over a month ago, and this contract is not signed: from {first} "
              f"to {until}, {days} day(s), the employer owes double wages (at most 11 months, up to {last}); "
              f"sign it now")
        if self.on > last:
            zh += (f"。用工已满一年，视为自 {last + ONE_DAY} 起已与劳动者订立无固定期限劳动合同"
                   f"（劳动合同法第十四条第三款）")
            en += (f". Employment has lasted a year: an open-ended contract is deemed concluded from "
                   f"{last + ONE_DAY} (Art 14 para 3)")
        self.add("art10.unsigned_overdue", W, "start_date", zh, en)

    # -- Art 22 / 24 -------------------------------------------------------------------------------

    def service_period(self) -> None:
        months = self.t.get("service_period_months")
        if months and self.t.get("training.employer_funded") is not True:
            self.add("art22.service_period_without_training", W, "service_period_months",
                     f"约定了 {months} 个月服务期，但未载明用人单位出资提供专业技术培训；没有出资培训的服务期约定无效",
                     f"A {months}-month service period is set without employer-funded professional training; "
                     f"without it the service period is void")

    def service_penalty(self) -> None:
        penalty = self.t.get("service_penalty")
        if not penalty:
            return
        cost = self.t.get("training.cost")
        if cost is None:
            self.add("art22.service_penalty_exceeds_cost", W, "service_penalty",
                     f"服务期违约金 {_yuan(penalty)} 元，但未载明培训费用，违约金不得超过用人单位提供的培训费用",
                     f"A service-period penalty of {_yuan(penalty)} RMB with no training cost stated; the "
                     f"penalty may not exceed the training cost")
        elif penalty > cost:
            self.add("art22.service_penalty_exceeds_cost", W, "service_penalty",
                     f"服务期违约金 {_yuan(penalty)} 元超过培训费用 {_yuan(cost)} 元（且应按未履行的服务期分摊）",
                     f"The service-period penalty {_yuan(penalty)} RMB exceeds the training cost {_yuan(cost)} "
                     f"RMB (and must be prorated to the unserved period)")

    def non_compete(self) -> None:
        months = self.t.get("non_compete_months")
        if months is not None and months > 24:
            self.add("art24.non_compete_limit", E, "non_compete_months",
                     f"竞业限制期限 {months} 个月，超过二年（24 个月）",
                     f"Non-compete period of {months} months is over 2 years (24 months)")

    def run(self) -> list[Finding]:
        if "" in {f.field for f in self.findings}:
            return self.findings  # not even an object: nothing else can be said
        self.consistency()
        self.identity()
        self.mandatory_clauses()
        self.minimum_age()
        self.probation_limit()
        self.probation_repeated()
        self._lookup_rate()
        self.probation_wage()
        self.below_minimum()
        self.unconfirmed_rate()
        self.standard_hours()
        self.hours_approval()
        self.part_time_hours()
        self.part_time_probation()
        self.part_time_pay_cycle()
        self.dispatch_term()
        self.dispatch_details()
        self.open_ended_required()
        self.unsigned_overdue()
        self.service_period()
        self.service_penalty()
        self.non_compete()
        # Stable order: registry order, then the order each rule emitted (document order).
        return sorted(self.findings, key=lambda f: RULE_ORDER[f.rule])


def check_terms(terms: Mapping[str, Any], *, on: dt.date, minimum_wages: MinimumWageTable,
                prior_contracts: Sequence[PriorContract] = ()) -> list[Finding]:
    """Check contract terms against the statute as of ``on`` (the checking day).

    ``terms`` follows docs/contract-terms.md; anything else yields findings, never an
    exception. The minimum wage is the one in force on the contract's start date.
    ``prior_contracts`` are earlier contracts between the same employer and worker.
    """
    if isinstance(on, dt.datetime):
        on = on.date()
    if not isinstance(on, dt.date):
        raise TypeError("on must be a date")
    return _Check(terms, on=on, minimum_wages=minimum_wages, prior_contracts=prior_contracts).run()
