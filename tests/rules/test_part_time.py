"""Art 68–72: part-time hours, no probation, pay cycle; no written-contract deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from contracts_platform.contracts.rules import Level
from tests.rules._baseline import check, of_rule, part_time, rule_ids


class TestPartTime:
    def test_baseline_is_clean(self) -> None:
        assert check(part_time()) == []

    @pytest.mark.parametrize(("day", "week", "fields"), [
        ("4", "24", []),
        ("4.01", "24", ["working_hours.hours_per_day"]),
        ("4", "24.5", ["working_hours.hours_per_week"]),
        ("5", "25", ["working_hours.hours_per_day", "working_hours.hours_per_week"]),
    ])
    def test_hours_limits(self, day: str, week: str, fields: list[str]) -> None:
        terms = part_time(working_hours={"system": "standard", "hours_per_day": day, "hours_per_week": week})
        findings = check(terms)
        assert [f.field for f in of_rule(findings, "art68.part_time_hours")] == fields
        # The stricter part-time limit is reported once, not also as a standard-hours breach.
        assert of_rule(findings, "working_hours.standard_limit") == []

    def test_hours_message_names_the_numbers(self) -> None:
        terms = part_time(working_hours={"system": "standard", "hours_per_day": "4.5", "hours_per_week": "20"})
        [finding] = of_rule(check(terms), "art68.part_time_hours")
        assert "4.5" in finding.message_zh and "4 小时" in finding.message_zh
        assert finding.article == "劳动合同法第六十八条"

    def test_no_probation(self) -> None:
        assert of_rule(check(part_time(probation_months=0)), "art70.part_time_probation") == []
        [finding] = of_rule(check(part_time(probation_months=1)), "art70.part_time_probation")
        assert finding.level == Level.ERROR and finding.field == "probation_months"
        assert rule_ids(check(part_time(probation_months=1))) == ["art70.part_time_probation"]

    @pytest.mark.parametrize(("days", "fails"), [(1, False), (15, False), (16, True), (30, True)])
    def test_pay_cycle_at_most_15_days(self, days: int, fails: bool) -> None:
        findings = of_rule(check(part_time(wage__pay_cycle_days=days)), "art72.part_time_pay_cycle")
        assert bool(findings) is fails
        if fails:
            assert findings[0].field == "wage.pay_cycle_days" and str(days) in findings[0].message_zh

    def test_pay_cycle_must_be_stated(self) -> None:
        [finding] = of_rule(check(part_time(wage__pay_cycle_days=None)), "art72.part_time_pay_cycle")
        assert "15" in finding.message_zh

    def test_full_time_needs_no_pay_cycle(self) -> None:
        from tests.rules._baseline import baseline

        assert check(baseline(wage__pay_cycle_days=None)) == []
        assert check(baseline(wage__pay_cycle_days=30)) == []

    def test_oral_agreement_allowed_so_no_double_wage_warning(self) -> None:
        assert of_rule(check(part_time(), on=dt.date(2026, 6, 1)), "art10.unsigned_overdue") == []
