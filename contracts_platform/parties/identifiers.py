"""Check digits of Chinese identifiers. Pure Python, no Django.

- Resident identity number, GB 11643-1999: 17 digits + ISO 7064 MOD 11-2 check.
- Unified social credit code, GB 32100-2015: 18 characters, MOD 31 check.
- Mainland mobile numbers and 6-digit administrative-division codes.
Each ``check_*`` returns None when valid, or a stable error code.
"""

from __future__ import annotations

import datetime as dt
import re

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_ID_RE = re.compile(r"^\d{17}[\dX]$")
_CREDIT_RE = re.compile(rf"^[{CREDIT_CHARSET}]{{18}}$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_REGION_RE = re.compile(r"^[1-9]\d{5}$")


def normalise_id_number(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def id_number_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def check_id_number(value: str, *, today: dt.date | None = None) -> str | None:
    """None if ``value`` is a well-formed resident ID number, else an error code."""
    number = normalise_id_number(value)
    if not _ID_RE.match(number):
        return "format"
    if not _REGION_RE.match(number[:6]):
        return "region"
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "birth_date"
    if birth.year < 1900 or birth > (today or dt.date.today()):
        return "birth_date"
    if id_number_check_char(number[:17]) != number[17]:
        return "check_digit"
    return None


def id_number_birth_date(value: str) -> dt.date:
    number = normalise_id_number(value)
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def normalise_credit_code(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def check_credit_code(value: str) -> str | None:
    """None if ``value`` is a well-formed unified social credit code, else an error code."""
    code = normalise_credit_code(value)
    if not _CREDIT_RE.match(code):
        return "format"
    if credit_code_check_char(code[:17]) != code[17]:
        return "check_digit"
    return None


def check_mobile(value: str) -> str | None:
    return None if _MOBILE_RE.match(value.strip()) else "format"


def check_region_code(value: str) -> str | None:
    return None if _REGION_RE.match(value.strip()) else "format"


def make_id_number(region: str, birth: dt.date, sequence: int) -> str:
    """Build a valid number from its parts (demo data and tests)."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_number_check_char(first17)


def make_credit_code(prefix17: str) -> str:
    """Append the check character to 17 characters (demo data and tests)."""
    return prefix17 + credit_code_check_char(prefix17)
