"""Art 17: one error per missing mandatory clause, by contract type."""

from __future__ import annotations

import pytest

from contracts_platform.contracts.rules import Level
from tests.rules._baseline import baseline, check, dispatch, of_rule, part_time

RULE = "art17.mandatory_clause"
ALWAYS = ["employer.name", "employer.address", "employer.legal_representative", "worker.name",
          "worker.address", "worker.id_number", "contract_type", "start_date", "job_title", "work_location",
          "working_hours.system", "wage.type", "wage.amount", "social_insurance", "labor_protection"]


def without(terms: dict, path: str, blank: object = None) -> dict:
    *parents, last = path.split(".")
    target = terms
    for parent in parents:
        target = target[parent]
    target[last] = blank
    return terms


def missing(terms: dict) -> list[str]:
    return [f.field for f in of_rule(check(terms), RULE)]


class TestMandatoryClauses:
    @pytest.mark.parametrize("path", ALWAYS)
    def test_each_clause_missing_is_one_error_at_its_field(self, path: str) -> None:
        findings = of_rule(check(without(baseline(), path)), RULE)
        assert [f.field for f in findings] == [path]
        assert findings[0].level == Level.ERROR
        assert findings[0].article == "劳动合同法第十七条"
        assert path in findings[0].message_zh and path in findings[0].message_en

    @pytest.mark.parametrize("blank", ["", "   "])
    def test_blank_text_counts_as_missing(self, blank: str) -> None:
        assert missing(without(baseline(), "labor_protection", blank)) == ["labor_protection"]

    def test_all_missing_are_reported_in_document_order(self) -> None:
        fields = missing({"contract_type": "fixed_term"})
        others = [p for p in ALWAYS if p != "contract_type"]
        assert fields == [*others[:7], "end_date", *others[7:]]

    def test_fixed_term_and_dispatch_need_an_end_date(self) -> None:
        assert missing(baseline(end_date=None)) == ["end_date"]
        assert missing(dispatch(end_date=None)) == ["end_date"]

    def test_open_ended_and_part_time_need_no_end_date(self) -> None:
        assert missing(baseline(contract_type="open_ended", end_date=None)) == []
        assert missing(part_time(end_date=None)) == []
        assert missing(part_time(end_date="2025-06-30")) == []

    def test_task_based_needs_the_task(self) -> None:
        terms = baseline(contract_type="task_based", end_date=None, probation_months=0)
        assert missing(terms) == ["task_description"]
        terms["task_description"] = "完成济南项目一期开发"
        assert missing(terms) == []

    def test_standard_hours_need_the_hours(self) -> None:
        terms = baseline(working_hours={"system": "standard"})
        assert missing(terms) == ["working_hours.hours_per_day", "working_hours.hours_per_week"]

    def test_flexible_hours_need_only_the_system(self) -> None:
        assert missing(baseline(working_hours={"system": "flexible"})) == []

    def test_part_time_always_needs_the_hours(self) -> None:
        terms = part_time(working_hours={"system": "flexible"})
        assert missing(terms) == ["working_hours.hours_per_day", "working_hours.hours_per_week"]

    def test_missing_working_hours_object(self) -> None:
        assert missing(baseline(working_hours=None)) == ["working_hours.system"]
