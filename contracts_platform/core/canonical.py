"""Canonical JSON and hashing. Pure Python: hashes must not depend on Django.

Canonical form: UTF-8, sorted keys, no insignificant white space, Decimals and
dates as strings. The same terms always give the same bytes, hence the same hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not canonicalisable: {type(value).__name__}")


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_default).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_sha256(data: Any) -> str:
    return sha256_hex(canonical_json(data))
