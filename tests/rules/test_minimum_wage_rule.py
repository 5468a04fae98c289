"""Wage ≥ the local minimum, effective-dated by the start date; unknown and unconfirmed rows warn."""

from __future__ import annotations

import datetime as dt

import pytest

from contracts_platform.contracts.rules import Level, load_default_minimum_wages
from tests.rules._baseline import baseline, check, of_rule, part_time, rule_ids

BELOW = "minimum_wage.below_minimum"
UNKNOWN = "minimum_wage.unknown_region"
UNCONFIRMED = "minimum_wage.unconfirmed"


def below(terms: dict, **kw: object) -> list:
    return of_rule(check(terms, **kw), BELOW)


class TestMonthlyMinimum:
    def test_at_the_minimum_passes(self) -> None:
        assert below(baseline(wage__amount="2100.00", wage__probation_amount="2100.00")) == []

    def test_a_cent_below_fails(self) -> None:
        [finding] = below(baseline(wage__amount="2099.99", probation_months=0))
        assert finding.level == Level.ERROR
        assert finding.field == "wage.amount"
        assert "2099.99" in finding.message_zh and "2100.00" in finding.message_zh
        assert "2099.99" in finding.message_en and "2100.00" in finding.message_en

    def test_effective_dated_by_start_date_not_by_check_date(self) -> None:
        old = baseline(start_date="2025-12-31", end_date="2028-12-30", wage__amount="2200.00", probation_months=0)
        new = baseline(start_date="2026-01-01", end_date="2028-12-31", wage__amount="2200.00", probation_months=0)
        assert below(old, on=dt.date(2026, 6, 1)) == []
        assert len(below(new, on=dt.date(2025, 6, 1))) == 1

    def test_longest_prefix_wins(self) -> None:
        # 370202 (Qingdao) has no own row: the Shandong-wide 1700 applies; Jinan's 2100 does not.
        qingdao = {"work_region": "370202", "probation_months": 0}
        assert below(baseline(wage__amount="1700.00", **qingdao)) == []
        assert len(below(baseline(wage__amount="1699.99", **qingdao))) == 1

    def test_work_region_before_employer_region(self) -> None:
        terms = baseline(work_region="370202", employer__region="370102", wage__amount="1800.00",
                         probation_months=0)
        assert below(terms) == []
        terms["work_region"] = None
        assert len(below(terms)) == 1

    def test_region_without_a_row_warns_and_does_not_crash(self) -> None:
        findings = check(baseline(work_region="110101", wage__amount="100.00"))
        [warning] = of_rule(findings, UNKNOWN)
        assert warning.level == Level.WARNING and warning.field == "work_region"
        assert "110101" in warning.message_zh
        assert of_rule(findings, BELOW) == []

    def test_start_before_any_row_warns(self) -> None:
        terms = baseline(start_date="2021-09-30", end_date="2024-09-29")
        assert len(of_rule(check(terms, on=dt.date(2021, 9, 1)), UNKNOWN)) == 1

    def test_no_region_at_all_warns_on_employer_region(self) -> None:
        [warning] = of_rule(check(baseline(work_region=None, employer__region=None)), UNKNOWN)
        assert warning.field == "employer.region"

    def test_invalid_region_is_an_input_error_only(self) -> None:
        findings = check(baseline(work_region="37010", wage__amount="1.00"))
        assert rule_ids(findings) == ["terms.invalid_value"]


class TestHourlyMinimum:
    @pytest.mark.parametrize(("amount", "fails"), [("21.00", False), ("20.99", True)])
    def test_part_time_hourly_against_hourly_standard(self, amount: str, fails: bool) -> None:
        findings = below(part_time(wage__amount=amount))
        assert bool(findings) is fails
        if fails:
            assert "21.00" in findings[0].message_zh and "元/小时" in findings[0].message_zh

    @pytest.mark.parametrize(("amount", "fails"), [("1827.00", False), ("1826.99", True)])
    def test_part_time_monthly_is_converted_with_weekly_hours(self, amount: str, fails: bool) -> None:
        # 21 RMB/hour × 20 h/week × 4.35 weeks = 1827.00 a month.
        findings = below(part_time(wage__type="monthly", wage__amount=amount))
        assert bool(findings) is fails
        if fails:
            assert "1827.00" in findings[0].message_zh and "4.35" in findings[0].message_en

    @pytest.mark.parametrize(("amount", "fails"), [("12.07", False), ("12.06", True)])
    def test_full_time_hourly_must_reach_the_monthly_standard(self, amount: str, fails: bool) -> None:
        # 最低工资规定第五条: the monthly standard applies to full-time work; 2100 / 174 h = 12.07.
        findings = below(baseline(wage__type="hourly", wage__amount=amount, probation_months=0))
        assert bool(findings) is fails
        if fails:
            assert "174" in findings[0].message_zh and "12.07" in findings[0].message_en


class TestUnconfirmedRow:
    def test_shipped_rows_are_unconfirmed_and_say_where_to_confirm(self) -> None:
        findings = check(baseline(), table=load_default_minimum_wages())
        assert rule_ids(findings) == [UNCONFIRMED]
        [warning] = findings
        assert warning.level == Level.WARNING and warning.field == "work_region"
        assert "hrss.shandong.gov.cn" in warning.message_zh
        assert "3701" in warning.message_en and "2100.00" in warning.message_en

    def test_confirmed_rows_do_not_warn(self) -> None:
        assert check(baseline()) == []

    def test_one_warning_even_with_several_wage_checks(self) -> None:
        terms = baseline(wage__amount="1000.00", wage__probation_amount="500.00")
        findings = check(terms, table=load_default_minimum_wages())
        assert rule_ids(findings) == ["art20.probation_wage", BELOW, UNCONFIRMED]
