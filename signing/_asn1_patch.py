"""Work around asn1crypto 1.5.1 mistaking some definite lengths for BER indefinite length.

asn1crypto's ``dump()`` methods test ``self._header[-1:] == b'\\x80'`` to detect
an indefinite-length header. That also matches every *definite* long-form
length whose last byte is 0x80 (128, 384, 640, 896, 1152, ... bytes). Such a
value is then force-re-encoded, recursively and repeatedly: measured here, a
1.9 KB timestamp token whose length happened to end in 0x80 took 0.4–1.2 s to
put into a signature instead of 0.2 ms, so roughly one signature in four was
10–40x slower than the rest (upstream: wbond/asn1crypto#249, PR #302, not
released). Lengths vary with ECDSA signature sizes and serial numbers, so the
slowdown is random and hits pyHanko signing, validation and our TSA alike.

The patch wraps the five affected ``dump`` methods: when the header only
*looks* indefinite, it drops the cached header so asn1crypto recomputes it
from the contents (identical bytes for DER) instead of re-encoding the whole
subtree. Truly indefinite (BER) headers keep the original behaviour.

It is applied when this module is imported (first thing ``import signing`` does), only to asn1crypto versions known
to carry the bug; delete this module when asn1crypto ships the fix.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asn1crypto import core
from asn1crypto.version import __version__ as _ASN1CRYPTO_VERSION

_BUGGY_VERSIONS = {"1.5.0", "1.5.1"}
_MARK = "_heqian_indefinite_length_fix"


def has_indefinite_length(header: bytes) -> bool:
    """True if any TLV header in ``header`` (explicit tags stack several) uses the indefinite form."""
    i, n = 0, len(header)
    while i < n:
        first = header[i]
        i += 1
        if first & 0x1F == 0x1F:  # high tag number form: continuation bytes have bit 8 set
            while i < n and header[i] & 0x80:
                i += 1
            i += 1
        if i >= n:
            return False
        length_byte = header[i]
        i += 1
        if length_byte == 0x80:
            return True
        if length_byte > 0x80:
            i += length_byte & 0x7F
    return False


def _wrap(orig: Callable[..., bytes]) -> Callable[..., bytes]:
    def dump(self: Any, force: bool = False) -> bytes:
        header = self._header
        if header is not None and header[-1:] == b"\x80" and not has_indefinite_length(header):
            self._header = None
        return orig(self, force)

    dump.__doc__ = orig.__doc__
    setattr(dump, _MARK, True)
    return dump


def apply() -> bool:
    """Install the workaround (idempotent). Returns whether it is active."""
    if _ASN1CRYPTO_VERSION not in _BUGGY_VERSIONS:
        return False
    for cls in (core.Asn1Value, core.Choice, core.Primitive, core.Sequence, core.SequenceOf):
        current = cls.__dict__["dump"]
        if not getattr(current, _MARK, False):
            cls.dump = _wrap(current)  # type: ignore[method-assign]
    return True


apply()
