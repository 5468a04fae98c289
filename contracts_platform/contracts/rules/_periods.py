"""Calendar arithmetic for contract terms, counted the way labor contracts are.

A term includes both its start and its end date. An N-month term starting on S
ends on the day before the "corresponding day" N months later; when that month has
no corresponding day (31 January + 1 month) the next month's first day is used, so
a one-month term from 31 January ends on 28/29 February, and a one-year term from
29 February 2024 ends on 28 February 2025. This matches the usual reading of
民法典第二百零二条 for terms that count their first day.
"""

from __future__ import annotations

import datetime as dt

ONE_DAY = dt.timedelta(days=1)


def shift_months(start: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later; a missing day rolls to the next month's 1st."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    try:
        return dt.date(year, month, start.day)
    except ValueError:
        # No such day (e.g. 31 February): the period runs to the end of that month.
        return dt.date(year + month // 12, month % 12 + 1, 1)


def term_end(start: dt.date, months: int) -> dt.date:
    """Last day of a ``months``-month term starting on ``start`` (both days included)."""
    return shift_months(start, months) - ONE_DAY


def term_at_least(start: dt.date, end: dt.date, months: int) -> bool:
    """Whether the inclusive term ``start``..``end`` lasts at least ``months`` months."""
    return end >= term_end(start, months)
