"""Art 19: probation limits by term, exactly at and across each boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from contracts_platform.contracts.rules import Level, PriorContract
from tests.rules._baseline import baseline, check, of_rule

RULE = "art19.probation_limit"


def limit_findings(end: str | None, probation: int, **changes: object) -> list:
    return of_rule(check(baseline(end_date=end, probation_months=probation, **changes)), RULE)


class TestProbationLimit:
    # (end date for a 2025-01-01 start, longest lawful probation)
    BOUNDARIES = [
        ("2025-03-30", 0),   # one day short of 3 months
        ("2025-03-31", 1),   # exactly 3 months
        ("2025-12-30", 1),   # one day short of 1 year
        ("2025-12-31", 2),   # exactly 1 year
        ("2027-12-30", 2),   # one day short of 3 years
        ("2027-12-31", 6),   # exactly 3 years
        ("2035-12-31", 6),
    ]

    @pytest.mark.parametrize(("end", "limit"), BOUNDARIES)
    def test_at_the_limit_passes(self, end: str, limit: int) -> None:
        assert limit_findings(end, limit) == []

    @pytest.mark.parametrize(("end", "limit"), BOUNDARIES)
    def test_one_month_over_the_limit_is_an_error(self, end: str, limit: int) -> None:
        [finding] = limit_findings(end, limit + 1)
        assert finding.level == Level.ERROR
        assert finding.field == "probation_months"
        assert finding.article == "劳动合同法第十九条"
        assert f"{limit + 1} 个月" in finding.message_zh
        assert f"{limit + 1} month(s)" in finding.message_en

    def test_messages_name_the_term_and_limit(self) -> None:
        [finding] = limit_findings("2025-12-30", 2)
        assert "2025-01-01 至 2025-12-30" in finding.message_zh
        assert "不得超过 1 个月" in finding.message_zh
        assert "at most 1 month(s)" in finding.message_en

    def test_one_year_from_a_month_end(self) -> None:
        # 2025-01-31 + one year ends 2026-01-30: a full year, so 2 months are fine.
        assert limit_findings("2026-01-30", 2, start_date="2025-01-31") == []
        assert len(limit_findings("2026-01-29", 2, start_date="2025-01-31")) == 1

    def test_open_ended_allows_six(self) -> None:
        assert limit_findings(None, 6, contract_type="open_ended") == []
        [finding] = limit_findings(None, 7, contract_type="open_ended")
        assert "无固定期限" in finding.message_zh

    def test_task_based_allows_none(self) -> None:
        changes = {"contract_type": "task_based", "task_description": "完成济南项目一期开发"}
        assert limit_findings(None, 0, **changes) == []
        [finding] = limit_findings(None, 1, **changes)
        assert "不得约定试用期" in finding.message_zh

    def test_part_time_is_left_to_art70(self) -> None:
        findings = check(baseline(contract_type="part_time", end_date=None, probation_months=1))
        assert of_rule(findings, RULE) == []
        assert len(of_rule(findings, "art70.part_time_probation")) == 1

    def test_no_usable_term_is_not_guessed(self) -> None:
        assert limit_findings(None, 6) == []          # Art 17 reports the missing end date
        assert limit_findings("2024-12-31", 6) == []  # the date-order rule reports this


class TestProbationRepeated:
    RULE = "art19.probation_repeated"
    PRIOR = (PriorContract("fixed_term", dt.date(2022, 1, 1), dt.date(2024, 12, 31), signed=True),)

    def test_earlier_signed_contract_with_probation_warns(self) -> None:
        [finding] = of_rule(check(baseline(), prior=self.PRIOR), self.RULE)
        assert finding.level == Level.WARNING
        assert finding.field == "probation_months"

    def test_no_probation_no_warning(self) -> None:
        assert of_rule(check(baseline(probation_months=0), prior=self.PRIOR), self.RULE) == []

    def test_unsigned_or_later_contracts_do_not_count(self) -> None:
        prior = (PriorContract("fixed_term", dt.date(2022, 1, 1), dt.date(2024, 12, 31), signed=False),
                 PriorContract("fixed_term", dt.date(2028, 1, 1), None, signed=True))
        assert of_rule(check(baseline(), prior=prior), self.RULE) == []

    def test_history_counts_too(self) -> None:
        assert len(of_rule(check(baseline(history__consecutive_fixed_terms=1)), self.RULE)) == 1
