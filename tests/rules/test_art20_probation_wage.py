"""Art 20: probation wage ≥ max(80% of the agreed wage, local minimum)."""

from __future__ import annotations

import pytest

from contracts_platform.contracts.rules import Level
from tests.rules._baseline import baseline, check, of_rule

RULE = "art20.probation_wage"


def findings(amount: str, probation: str, **changes: object) -> list:
    terms = baseline(wage__amount=amount, wage__probation_amount=probation, **changes)
    return of_rule(check(terms), RULE)


class TestProbationWage:
    def test_exactly_eighty_percent_passes(self) -> None:
        assert findings("6000.00", "4800.00") == []

    def test_a_cent_below_eighty_percent_fails_and_names_both_numbers(self) -> None:
        [finding] = findings("6000.00", "4799.99")
        assert finding.level == Level.ERROR
        assert finding.field == "wage.probation_amount"
        assert "4799.99" in finding.message_zh and "4800.00" in finding.message_zh
        assert "6000.00" in finding.message_zh and "2100.00" in finding.message_zh
        assert "4799.99" in finding.message_en and "4800.00" in finding.message_en

    def test_minimum_wage_wins_when_higher_than_eighty_percent(self) -> None:
        # 80% of 2200 is 1760, but Jinan's minimum is 2100.
        assert findings("2200.00", "2100.00") == []
        [finding] = findings("2200.00", "2099.99")
        assert "1760.00" in finding.message_zh and "2100.00" in finding.message_zh
        assert "1760.00" in finding.message_en and "2100.00" in finding.message_en

    def test_minimum_is_the_one_in_force_on_the_start_date(self) -> None:
        changes = {"start_date": "2026-01-01", "end_date": "2028-12-31"}
        assert findings("2500.00", "2300.00", **changes) == []
        assert len(findings("2500.00", "2299.99", **changes)) == 1

    @pytest.mark.parametrize(("probation", "fails"), [("24.00", False), ("23.99", True)])
    def test_hourly_wage_eighty_percent(self, probation: str, fails: bool) -> None:
        assert bool(findings("30.00", probation, wage__type="hourly")) is fails

    @pytest.mark.parametrize(("probation", "fails"), [("12.07", False), ("12.06", True)])
    def test_hourly_wage_minimum_is_monthly_over_174_hours(self, probation: str, fails: bool) -> None:
        # 2100 / 174 = 12.069 → 12.07 an hour; 80% of 14.00 is only 11.20.
        assert bool(findings("14.00", probation, wage__type="hourly")) is fails

    def test_without_a_minimum_wage_row_eighty_percent_still_applies(self) -> None:
        changes = {"work_region": "110101", "employer__region": "110101"}
        assert findings("6000.00", "4800.00", **changes) == []
        [finding] = findings("6000.00", "4000.00", **changes)
        assert "无法核对" in finding.message_zh

    def test_no_probation_or_no_probation_wage_means_no_finding(self) -> None:
        assert findings("6000.00", "100.00", probation_months=0) == []
        assert of_rule(check(baseline(wage__probation_amount=None)), RULE) == []
