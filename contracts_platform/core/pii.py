"""Personal data at rest: Fernet encryption, keyed lookup hashes, masking.

Keys come from settings (HEQIAN_PII_KEYS, newest first, so old keys keep
decrypting during rotation; HEQIAN_PII_HASH_KEY for the lookup HMAC).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.PII_KEYS])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode("ascii")).decode("utf-8")


def lookup_hash(value: str) -> str:
    """Keyed hash for exact-match lookups without storing the plain value."""
    normalised = value.strip().upper()
    return hmac.new(settings.PII_HASH_KEY.encode(), normalised.encode(), hashlib.sha256).hexdigest()


def mask_id_number(id_number: str) -> str:
    """First 3 and last 4 characters visible: 370************1234."""
    if len(id_number) <= 7:
        return "*" * len(id_number)
    return id_number[:3] + "*" * (len(id_number) - 7) + id_number[-4:]


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) == 11 else phone
