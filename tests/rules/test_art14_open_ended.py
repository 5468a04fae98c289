"""Art 14: renewal after 2 consecutive fixed terms or 10 years' service must be open-ended."""

from __future__ import annotations

import datetime as dt

import pytest

from contracts_platform.contracts.rules import Level, PriorContract
from tests.rules._baseline import baseline, check, dispatch, of_rule

RULE = "art14.open_ended_required"
D = dt.date


def fixed(start: dt.date, end: dt.date, signed: bool = True) -> PriorContract:
    return PriorContract("fixed_term", start, end, signed)


def art14(terms: dict, prior: tuple[PriorContract, ...] = ()) -> list:
    # probation 0: a renewal with probation is Art 19 ¶2's business, not this rule's
    terms["probation_months"] = 0
    return of_rule(check(terms, prior=prior), RULE)


class TestFromHistory:
    @pytest.mark.parametrize(("terms", "fails"), [(0, False), (1, False), (2, True), (5, True)])
    def test_consecutive_fixed_terms(self, terms: int, fails: bool) -> None:
        findings = art14(baseline(history__consecutive_fixed_terms=terms))
        assert bool(findings) is fails
        if fails:
            [finding] = findings
            assert finding.level == Level.ERROR and finding.field == "contract_type"
            assert f"{terms} 次" in finding.message_zh and f"{terms} consecutive" in finding.message_en

    @pytest.mark.parametrize(("years", "fails"), [("9.99", False), ("10", True), ("10.5", True)])
    def test_years_of_service(self, years: str, fails: bool) -> None:
        assert bool(art14(baseline(history__years_of_service=years))) is fails

    def test_worker_asking_for_a_fixed_term_makes_it_a_warning(self) -> None:
        [finding] = art14(baseline(history__consecutive_fixed_terms=2, worker_requests_fixed_term=True))
        assert finding.level == Level.WARNING
        assert "书面" in finding.message_zh and "written request" in finding.message_en

    def test_only_fixed_term_contracts_are_checked(self) -> None:
        assert art14(baseline(contract_type="open_ended", end_date=None, history__consecutive_fixed_terms=3)) == []
        assert art14(dispatch(history__consecutive_fixed_terms=3)) == []

    def test_both_reasons_in_one_finding(self) -> None:
        [finding] = art14(baseline(history__consecutive_fixed_terms=2, history__years_of_service="12"))
        assert "2 次" in finding.message_zh and "12 年" in finding.message_zh


class TestFromPriorContracts:
    TWO = (fixed(D(2019, 1, 1), D(2021, 12, 31)), fixed(D(2022, 1, 1), D(2024, 12, 31)))

    def test_two_signed_fixed_terms(self) -> None:
        [finding] = art14(baseline(), self.TWO)
        assert finding.level == Level.ERROR and "平台记录" in finding.message_zh

    def test_one_is_not_enough(self) -> None:
        assert art14(baseline(), self.TWO[1:]) == []

    def test_unsigned_contracts_do_not_count(self) -> None:
        assert art14(baseline(), (self.TWO[0], fixed(D(2022, 1, 1), D(2024, 12, 31), signed=False))) == []

    def test_contracts_starting_on_or_after_this_one_do_not_count(self) -> None:
        later = (fixed(D(2025, 1, 1), D(2025, 12, 31)), fixed(D(2026, 1, 1), D(2026, 12, 31)))
        assert art14(baseline(), later) == []

    def test_another_type_breaks_the_run(self) -> None:
        prior = (self.TWO[0], PriorContract("task_based", D(2022, 1, 1), D(2022, 6, 30), True),
                 fixed(D(2022, 7, 1), D(2024, 12, 31)))
        assert art14(baseline(), prior) == []

    def test_order_of_the_list_does_not_matter(self) -> None:
        assert len(art14(baseline(), tuple(reversed(self.TWO)))) == 1

    def test_gaps_do_not_break_a_run_of_fixed_terms(self) -> None:
        prior = (fixed(D(2019, 1, 1), D(2020, 12, 31)), fixed(D(2022, 1, 1), D(2024, 12, 31)))
        assert len(art14(baseline(), prior)) == 1


class TestServiceFromPriorContracts:
    @staticmethod
    def history(first_start: dt.date, first_end: dt.date) -> tuple[PriorContract, ...]:
        # A task-based contract then one fixed term: no run of two, so only service can trigger.
        return (PriorContract("task_based", first_start, first_end, True),
                fixed(D(2020, 1, 1), D(2024, 12, 31)))

    def test_exactly_ten_years_without_a_gap(self) -> None:
        [finding] = art14(baseline(), self.history(D(2015, 1, 1), D(2019, 12, 31)))
        assert "2015-01-01" in finding.message_zh

    def test_one_day_short_of_ten_years(self) -> None:
        assert art14(baseline(), self.history(D(2015, 1, 2), D(2019, 12, 31))) == []

    def test_a_gap_breaks_continuous_service(self) -> None:
        assert art14(baseline(), self.history(D(2015, 1, 1), D(2019, 12, 30))) == []

    def test_service_must_reach_the_new_contract(self) -> None:
        prior = (PriorContract("open_ended", D(2010, 1, 1), D(2023, 12, 31), True),)
        assert art14(baseline(), prior) == []
        prior = (PriorContract("open_ended", D(2010, 1, 1), None, True),)
        assert len(art14(baseline(), prior)) == 1

    def test_extreme_dates_from_the_caller_do_not_crash(self) -> None:
        prior = (PriorContract("fixed_term", D(1900, 1, 1), dt.date.max, True),
                 PriorContract("fixed_term", D(2024, 1, 1), dt.date.max, True))
        assert len(art14(baseline(), prior)) == 1
