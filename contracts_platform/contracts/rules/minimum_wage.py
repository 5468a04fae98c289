"""Dated regional minimum wages and how a contract's region and date pick one.

A row applies to every 6-digit division code that starts with its ``region_prefix``
("37" Shandong, "3701" Jinan, "370102" Lixia district) from ``effective_from``
on. The most specific prefix wins; among its rows, the latest one already in
force. The shipped rows (``data/minimum_wage.json``) are seed data only: the
platform reads them into the database, and the Django side builds the table from
there, so operators can add a newly published standard without a release.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

DEFAULT_DATA_PATH = Path(__file__).resolve().parent / "data" / "minimum_wage.json"

_PREFIX_RE = re.compile(r"^[1-9]\d(\d\d){0,2}$")
_REGION_RE = re.compile(r"^[1-9]\d{5}$")


@dataclass(frozen=True)
class MinimumWageRate:
    """One published minimum-wage standard for a region and tier."""

    region_prefix: str
    """2, 4 or 6 leading digits of the division code this row covers."""
    region_name: str
    tier: int
    """The province's tier (档次), 1 = highest."""
    monthly: Decimal
    """Monthly standard for full-time workers (RMB)."""
    hourly: Decimal
    """Hourly standard for part-time workers (RMB)."""
    effective_from: dt.date
    confirmed: bool
    """False until someone has checked the figure against the official notice."""
    source: str

    def to_row(self) -> dict[str, Any]:
        """The row as JSON-ready values (the inverse of ``MinimumWageTable.from_rows``)."""
        return {
            "region_prefix": self.region_prefix, "region_name": self.region_name, "tier": self.tier,
            "monthly": format(self.monthly, "f"), "hourly": format(self.hourly, "f"),
            "effective_from": self.effective_from.isoformat(), "confirmed": self.confirmed,
            "source": self.source,
        }


def _money(value: Any, name: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ValueError(f"{name} must be a decimal string, not {type(value).__name__}")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{name} is not a decimal: {value!r}") from None
    if not amount.is_finite() or amount <= 0:
        raise ValueError(f"{name} must be a positive amount: {value!r}")
    return amount


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    raise ValueError(f"effective_from must be a date or ISO string, not {type(value).__name__}")


def rate_from_row(row: Mapping[str, Any]) -> MinimumWageRate:
    """Build and validate one rate; raises ``ValueError`` naming the bad key."""
    prefix = str(row["region_prefix"]).strip()
    if not _PREFIX_RE.match(prefix):
        raise ValueError(f"region_prefix must be 2, 4 or 6 digits: {prefix!r}")
    tier = row["tier"]
    if isinstance(tier, bool) or not isinstance(tier, int) or tier < 1:
        raise ValueError(f"tier must be a positive integer: {tier!r}")
    confirmed = row.get("confirmed", False)
    if not isinstance(confirmed, bool):
        raise ValueError(f"confirmed must be true or false: {confirmed!r}")
    return MinimumWageRate(
        region_prefix=prefix, region_name=str(row["region_name"]), tier=tier,
        monthly=_money(row["monthly"], "monthly"), hourly=_money(row["hourly"], "hourly"),
        effective_from=_date(row["effective_from"]), confirmed=confirmed, source=str(row.get("source", "")))


class MinimumWageTable:
    """An immutable set of dated rates with longest-prefix, effective-dated lookup."""

    def __init__(self, rates: Iterable[MinimumWageRate] = ()) -> None:
        ordered = sorted(rates, key=lambda r: (r.region_prefix, r.effective_from))
        seen: set[tuple[str, dt.date]] = set()
        for rate in ordered:
            key = (rate.region_prefix, rate.effective_from)
            if key in seen:
                # Two rows for the same region and day would make the lookup arbitrary.
                raise ValueError(f"duplicate minimum wage row for {key[0]} from {key[1]}")
            seen.add(key)
        self._rates = tuple(ordered)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]]) -> MinimumWageTable:
        """Build from mappings with the ``MinimumWageRate`` field names (DB rows or JSON)."""
        return cls(rate_from_row(row) for row in rows)

    @property
    def rates(self) -> tuple[MinimumWageRate, ...]:
        return self._rates

    def __len__(self) -> int:
        return len(self._rates)

    def lookup(self, region: str, on: dt.date) -> MinimumWageRate | None:
        """The rate for a 6-digit division code in force on ``on``, or None.

        The longest matching prefix wins. If that prefix has no row in force yet on
        ``on`` (a city row added after the province row), the next shorter prefix
        is tried, because the broader standard was what applied then.
        """
        region = region.strip() if isinstance(region, str) else ""
        if not _REGION_RE.match(region):
            return None
        best: MinimumWageRate | None = None
        for rate in self._rates:
            if not region.startswith(rate.region_prefix) or rate.effective_from > on:
                continue
            if best is None or (len(rate.region_prefix), rate.effective_from) > (
                    len(best.region_prefix), best.effective_from):
                best = rate
        return best


def load_default_minimum_wages(path: Path | None = None) -> MinimumWageTable:
    """The shipped seed table (``data/minimum_wage.json``)."""
    data = json.loads((path or DEFAULT_DATA_PATH).read_text(encoding="utf-8"))
    return MinimumWageTable.from_rows(data["rows"])
