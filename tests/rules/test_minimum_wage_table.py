"""MinimumWageTable: building from rows, longest-prefix effective-dated lookup, the shipped seed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from contracts_platform.contracts.rules import MinimumWageRate, MinimumWageTable, load_default_minimum_wages

D = dt.date


def row(prefix: str, monthly: str, effective: str, **extra: object) -> dict:
    return {"region_prefix": prefix, "region_name": prefix, "tier": 1, "monthly": monthly,
            "hourly": "10", "effective_from": effective, "confirmed": True, "source": "test", **extra}


TABLE = MinimumWageTable.from_rows([
    row("37", "1700", "2021-10-01"),
    row("37", "1800", "2023-01-01"),
    row("3701", "2100", "2021-10-01"),
    row("370124", "1900", "2022-01-01"),
    row("3702", "2200", "2024-01-01"),
])


class TestLookup:
    @pytest.mark.parametrize(("region", "on", "monthly"), [
        ("370102", D(2021, 10, 1), "2100"),   # Jinan's own row, first day in force
        ("370124", D(2021, 12, 31), "2100"),  # district row not yet in force: the city row
        ("370124", D(2022, 1, 1), "1900"),    # the 6-digit row is the most specific
        ("370602", D(2022, 12, 31), "1700"),  # province row
        ("370602", D(2023, 1, 1), "1800"),    # the latest province row in force
        ("370202", D(2023, 12, 31), "1800"),  # Qingdao's row starts later: province until then
        ("370202", D(2024, 1, 1), "2200"),
    ])
    def test_longest_prefix_then_latest_in_force(self, region: str, on: dt.date, monthly: str) -> None:
        rate = TABLE.lookup(region, on)
        assert rate is not None and rate.monthly == Decimal(monthly)

    def test_none_before_any_row_or_elsewhere(self) -> None:
        assert TABLE.lookup("370102", D(2021, 9, 30)) is None
        assert TABLE.lookup("110101", D(2025, 1, 1)) is None

    @pytest.mark.parametrize("region", ["", "37", "3701020", "abcdef", "070102"])
    def test_malformed_region_is_none_not_a_crash(self, region: str) -> None:
        assert TABLE.lookup(region, D(2025, 1, 1)) is None


class TestFromRows:
    def test_accepts_database_values(self) -> None:
        table = MinimumWageTable.from_rows([
            {"region_prefix": "3701", "region_name": "济南市", "tier": 1, "monthly": Decimal("2100.00"),
             "hourly": Decimal("21.00"), "effective_from": D(2021, 10, 1), "confirmed": False, "source": ""}])
        [rate] = table.rates
        assert rate == MinimumWageRate("3701", "济南市", 1, Decimal("2100.00"), Decimal("21.00"),
                                       D(2021, 10, 1), False, "")

    def test_round_trips_through_to_row(self) -> None:
        assert MinimumWageTable.from_rows(r.to_row() for r in TABLE.rates).rates == TABLE.rates

    @pytest.mark.parametrize("bad", [
        {"region_prefix": "370"}, {"region_prefix": "x"}, {"monthly": "abc"}, {"monthly": "-1"},
        {"hourly": "NaN"}, {"monthly": 2100.5}, {"tier": 0}, {"tier": True}, {"effective_from": "2021/10/01"},
        {"confirmed": "yes"},
    ])
    def test_bad_rows_raise_value_error(self, bad: dict) -> None:
        with pytest.raises(ValueError):
            MinimumWageTable.from_rows([{**row("37", "1700", "2021-10-01"), **bad}])

    def test_duplicate_region_and_date_is_refused(self) -> None:
        with pytest.raises(ValueError, match="duplicate"):
            MinimumWageTable.from_rows([row("37", "1700", "2021-10-01"), row("37", "1800", "2021-10-01")])


class TestShippedSeed:
    table = load_default_minimum_wages()

    def test_jinan_is_tier_one(self) -> None:
        rate = self.table.lookup("370102", D(2025, 1, 1))
        assert rate is not None
        assert (rate.tier, rate.monthly, rate.hourly) == (1, Decimal("2100.00"), Decimal("21.00"))

    def test_rest_of_shandong_is_tier_three(self) -> None:
        rate = self.table.lookup("370202", D(2025, 1, 1))
        assert rate is not None
        assert (rate.tier, rate.monthly, rate.hourly) == (3, Decimal("1700.00"), Decimal("17.00"))

    def test_effective_from_october_2021(self) -> None:
        assert self.table.lookup("370102", D(2021, 9, 30)) is None
        assert {r.effective_from for r in self.table.rates} == {D(2021, 10, 1)}

    def test_every_row_is_unconfirmed_and_says_where_to_confirm(self) -> None:
        for rate in self.table.rates:
            assert rate.confirmed is False
            assert "hrss.shandong.gov.cn" in rate.source
            assert len(rate.source) <= 300  # MinimumWageRate.source is a CharField(300)
