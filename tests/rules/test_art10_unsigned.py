"""Art 10 / 82: unsigned after one month of employment → double-wage exposure, ≤ 11 months."""

from __future__ import annotations

import datetime as dt

import pytest

from contracts_platform.contracts.rules import Level
from tests.rules._baseline import baseline, check, of_rule

RULE = "art10.unsigned_overdue"
D = dt.date


def overdue(on: dt.date, **changes: object) -> list:
    return of_rule(check(baseline(**changes), on=on), RULE)


class TestUnsignedOverdue:
    def test_within_the_first_month_nothing(self) -> None:
        assert overdue(D(2025, 1, 1)) == []
        assert overdue(D(2025, 1, 31)) == []  # 30 days after the start: still month one

    def test_day_after_one_month_is_one_day_of_exposure(self) -> None:
        [finding] = overdue(D(2025, 2, 1))  # 31 days after the start
        assert finding.level == Level.WARNING and finding.field == "start_date"
        assert "2025-02-01 至 2025-02-01 共 1 天" in finding.message_zh
        assert "1 day(s)" in finding.message_en
        assert "无固定期限" not in finding.message_zh

    @pytest.mark.parametrize(("on", "days"), [
        (D(2025, 3, 15), 43),      # 28 days of February + 15 of March
        (D(2025, 12, 31), 334),    # last day of the first year: 11 months
        (D(2026, 1, 1), 334),      # capped
        (D(2027, 6, 1), 334),
    ])
    def test_days_of_exposure(self, on: dt.date, days: int) -> None:
        [finding] = overdue(on)
        assert f"共 {days} 天" in finding.message_zh and f"{days} day(s)" in finding.message_en

    def test_one_full_year_deems_an_open_ended_contract(self) -> None:
        [before] = overdue(D(2025, 12, 31))
        [after] = overdue(D(2026, 1, 1))
        assert "视为" not in before.message_zh
        assert "视为自 2026-01-01 起已与劳动者订立无固定期限劳动合同" in after.message_zh
        assert "open-ended contract is deemed concluded from 2026-01-01" in after.message_en

    def test_month_end_start(self) -> None:
        # From 31 January the first month runs through 28 February.
        assert overdue(D(2025, 2, 28), start_date="2025-01-31", end_date="2028-01-30") == []
        assert len(overdue(D(2025, 3, 1), start_date="2025-01-31", end_date="2028-01-30")) == 1

    def test_future_start_and_missing_start(self) -> None:
        assert overdue(D(2024, 6, 1)) == []
        assert overdue(D(2026, 6, 1), start_date=None) == []

    def test_applies_to_every_written_contract_type(self) -> None:
        assert len(overdue(D(2025, 6, 1), contract_type="open_ended", end_date=None)) == 1
