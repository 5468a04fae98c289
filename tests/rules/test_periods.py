"""How term lengths are counted: both ends included, month-end days roll forward."""

from __future__ import annotations

import datetime as dt

import pytest

from contracts_platform.contracts.rules._periods import shift_months, term_at_least, term_end

D = dt.date


class TestTermEnd:
    @pytest.mark.parametrize(("start", "months", "last_day"), [
        (D(2025, 1, 1), 1, D(2025, 1, 31)),
        (D(2025, 1, 1), 12, D(2025, 12, 31)),
        (D(2025, 1, 1), 36, D(2027, 12, 31)),
        (D(2025, 3, 1), 1, D(2025, 3, 31)),
        (D(2025, 1, 15), 3, D(2025, 4, 14)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),   # no 31 February: the term runs through February
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 12, 31), 2, D(2026, 2, 28)),
    ])
    def test_last_day(self, start: dt.date, months: int, last_day: dt.date) -> None:
        assert term_end(start, months) == last_day

    def test_shift_rolls_a_missing_day_to_the_next_first(self) -> None:
        assert shift_months(D(2025, 1, 31), 1) == D(2025, 3, 1)
        assert shift_months(D(2025, 11, 30), 1) == D(2025, 12, 30)
        assert shift_months(D(2025, 12, 31), 2) == D(2026, 3, 1)

    def test_at_least(self) -> None:
        assert term_at_least(D(2025, 1, 1), D(2025, 12, 31), 12)
        assert not term_at_least(D(2025, 1, 1), D(2025, 12, 30), 12)
