"""Findings, levels and the registry of every rule the engine can report.

The registry is the single source of each rule's id, article and level(s): the
engine takes the article from here, ``rules_markdown`` renders it for the README,
and a test checks that every finding the engine emits names a registered rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any


class Level(StrEnum):
    """How serious a finding is.

    ``ERROR`` means the terms break a statutory requirement and must not be issued;
    ``WARNING`` means a person has to look (a risk, an approval to obtain, data to confirm).
    """

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem found in a set of contract terms."""

    rule: str
    """Stable rule id from ``RULES``, e.g. ``art19.probation_limit``."""
    level: Level
    message_zh: str
    """Simplified Chinese message, naming the numbers involved."""
    message_en: str
    article: str
    """The provision relied on, e.g. ``劳动合同法第十九条``."""
    field: str
    """Dotted path into the terms, e.g. ``wage.probation_amount``; ``""`` for the whole document."""

    def message(self, lang: str) -> str:
        """The message in ``lang``: English for codes starting with "en", else Chinese."""
        return self.message_en if lang.lower().startswith("en") else self.message_zh

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "level": self.level.value,
            "message": {"zh": self.message_zh, "en": self.message_en},
            "article": self.article,
            "field": self.field,
        }


@dataclass(frozen=True)
class Rule:
    """A registered rule: what it checks and which provision it cites."""

    id: str
    article: str
    levels: tuple[Level, ...]
    """The levels its findings can have (Art 14 can be either)."""
    summary_zh: str
    summary_en: str


E, W = Level.ERROR, Level.WARNING

_RULE_LIST = (
    Rule("terms.invalid_value", "和签合同条款格式（docs/contract-terms.md）", (E,),
         "字段类型错误或取值无法使用（日期、金额无法解析，数字超出范围等）",
         "A field has the wrong type or an unusable value (unparsable date or amount, number out of range)"),
    Rule("terms.date_order", "劳动合同法第十七条", (E,),
         "合同终止日期早于起始日期",
         "The end date is before the start date"),
    Rule("identity.id_number", "GB 11643-1999《公民身份号码》", (E,),
         "劳动者身份证号码格式、出生日期或校验位错误",
         "The worker's resident ID number has a bad format, birth date or check digit"),
    Rule("identity.credit_code", "GB 32100-2015《法人和其他组织统一社会信用代码编码规则》", (E,),
         "用人单位统一社会信用代码格式或校验位错误",
         "The employer's unified social credit code has a bad format or check character"),
    Rule("identity.mobile", "电子劳动合同订立指引第七条", (E,),
         "劳动者手机号码不是有效的中国大陆手机号",
         "The worker's phone is not a valid mainland mobile number"),
    Rule("art17.mandatory_clause", "劳动合同法第十七条", (E,),
         "缺少劳动合同必备条款（每个缺少的字段一项）",
         "A mandatory clause is missing (one finding per missing field)"),
    Rule("labor_law.minimum_age", "劳动法第十五条", (E,),
         "劳动者在合同起始日未满十六周岁",
         "The worker is under 16 on the start date"),
    Rule("art19.probation_limit", "劳动合同法第十九条", (E,),
         "试用期超过法定上限（按合同期限：不满三个月或以完成一定工作任务为期限的不得约定）",
         "Probation exceeds the statutory limit for the term (none under 3 months or for task-based contracts)"),
    Rule("art19.probation_repeated", "劳动合同法第十九条第二款", (W,),
         "双方此前订立过劳动合同又约定试用期：同一用人单位与同一劳动者只能约定一次试用期",
         "Probation with earlier contracts between the parties: probation may be agreed only once per pair"),
    Rule("art20.probation_wage", "劳动合同法第二十条", (E,),
         "试用期工资低于约定工资的80%或当地最低工资标准",
         "Probation wage is below 80% of the agreed wage or below the local minimum wage"),
    Rule("minimum_wage.below_minimum", "劳动法第四十八条；最低工资规定第五条、第十二条", (E,),
         "工资低于当地最低工资标准（全日制比月标准，非全日制比小时标准）",
         "Wage is below the local minimum (monthly standard for full-time, hourly for part-time)"),
    Rule("minimum_wage.unknown_region", "劳动法第四十八条", (W,),
         "最低工资表中没有该地区，无法核对最低工资",
         "The region is not in the minimum-wage table, so the minimum wage cannot be checked"),
    Rule("minimum_wage.unconfirmed", "劳动法第四十八条", (W,),
         "所用最低工资数据尚未经官方来源确认",
         "The minimum-wage row used has not been confirmed against an official source"),
    Rule("working_hours.standard_limit", "劳动法第三十六条；国务院关于职工工作时间的规定第三条", (E,),
         "标准工时制每日超过8小时或每周超过40小时",
         "Standard hours system over 8 hours a day or 40 hours a week"),
    Rule("working_hours.approval_required", "劳动法第三十九条；国务院关于职工工作时间的规定第五条", (W,),
         "综合计算工时制或不定时工作制须经劳动行政部门批准",
         "Comprehensive or flexible hours need labor-bureau approval"),
    Rule("art68.part_time_hours", "劳动合同法第六十八条", (E,),
         "非全日制用工每日超过4小时或每周超过24小时",
         "Part-time work over 4 hours a day or 24 hours a week"),
    Rule("art70.part_time_probation", "劳动合同法第七十条", (E,),
         "非全日制用工不得约定试用期",
         "Part-time work may not have probation"),
    Rule("art72.part_time_pay_cycle", "劳动合同法第七十二条", (E,),
         "非全日制用工工资结算周期须约定且不得超过15日",
         "Part-time pay cycle must be stated and at most 15 days"),
    Rule("art58.dispatch_term", "劳动合同法第五十八条第二款", (E,),
         "劳务派遣单位应与被派遣劳动者订立二年以上固定期限劳动合同",
         "A dispatch contract must be fixed-term for at least 2 years"),
    Rule("art58.dispatch_details", "劳动合同法第五十八条第一款", (E,),
         "劳务派遣合同须载明用工单位、派遣期限和工作岗位",
         "A dispatch contract must name the host unit, dispatch period and post"),
    Rule("art14.open_ended_required", "劳动合同法第十四条", (E, W),
         "连续订立两次固定期限合同或连续工作满十年，续订应为无固定期限（劳动者要求固定期限时为提示）",
         "After 2 consecutive fixed terms or 10 years' service, renewal must be open-ended "
         "(a warning when the worker asks for a fixed term)"),
    Rule("art10.unsigned_overdue", "劳动合同法第十条、第十四条第三款、第八十二条；实施条例第六条、第七条", (W,),
         "用工超过一个月未订立书面合同：二倍工资风险天数；满一年视为无固定期限合同",
         "Employment over a month without a written contract: days of double-wage exposure; "
         "after a year an open-ended contract is deemed concluded"),
    Rule("art22.service_period_without_training", "劳动合同法第二十二条", (W,),
         "约定服务期但未由用人单位出资提供专业技术培训",
         "A service period without employer-funded professional training"),
    Rule("art22.service_penalty_exceeds_cost", "劳动合同法第二十二条第二款", (W,),
         "服务期违约金超过用人单位提供的培训费用",
         "The service-period penalty exceeds the training cost"),
    Rule("art24.non_compete_limit", "劳动合同法第二十四条", (E,),
         "竞业限制期限超过二年",
         "Non-compete period longer than 2 years"),
)

RULES: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in _RULE_LIST})
"""Every rule id → ``Rule``, in the order findings are reported. Read-only."""

RULE_ORDER: Mapping[str, int] = MappingProxyType({rule.id: i for i, rule in enumerate(_RULE_LIST)})


def make_finding(rule_id: str, level: Level, field: str, zh: str, en: str) -> Finding:
    """A finding for a registered rule; the article always comes from the registry."""
    rule = RULES[rule_id]
    if level not in rule.levels:  # a programming error, caught by the tests
        raise ValueError(f"{rule_id} does not report at level {level}")
    return Finding(rule=rule_id, level=level, message_zh=zh, message_en=en, article=rule.article, field=field)
