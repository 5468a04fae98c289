"""Private-key codec: generate, serialise as encrypted PKCS#8, load once.

Keys at rest are PEM ``ENCRYPTED PRIVATE KEY`` blobs (PKCS#8, PBES2 with
PBKDF2-HMAC-SHA256 and AES-256-CBC, as produced by ``cryptography``'s
``BestAvailableEncryption``), so ``openssl pkey`` can read them too.

The PBKDF2 work factor of that format is low (2048 rounds), which is fine for
what the platform does — the passphrase is a high-entropy secret taken from the
environment, not a human password — but means the passphrase must never be a
memorable word.

Loading is cached (docs/pdf_signing.md, pitfall 1): parsing and validating a
key on every signature costs 36–47 ms for RSA; a cache hit costs a dict lookup.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import OrderedDict
from typing import Literal, TypeAlias

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from .errors import KeyDecryptionError

__all__ = [
    "KeyAlgorithm",
    "PrivateKey",
    "clear_key_cache",
    "encrypt_private_key",
    "generate_private_key",
    "load_private_key",
]

PrivateKey: TypeAlias = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
"""Key types the signing core accepts (what pyHanko, openssl ts and poppler all handle)."""

KeyAlgorithm = Literal["ec-p256", "ec-p384", "rsa-2048", "rsa-3072"]

_CACHE_SIZE = 256
_cache: OrderedDict[bytes, PrivateKey] = OrderedDict()
_cache_lock = threading.Lock()


def generate_private_key(algorithm: KeyAlgorithm = "ec-p256") -> PrivateKey:
    """Generate a fresh key. ECDSA P-256 is the default: ~10x faster to sign with than RSA-2048."""
    if algorithm == "ec-p256":
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm == "ec-p384":
        return ec.generate_private_key(ec.SECP384R1())
    if algorithm == "rsa-2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if algorithm == "rsa-3072":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    raise ValueError(f"unsupported key algorithm {algorithm!r}")


def _as_bytes(passphrase: bytes | str) -> bytes:
    if isinstance(passphrase, str):
        passphrase = passphrase.encode("utf-8")
    if not passphrase:
        # An empty passphrase would silently produce an unencrypted-equivalent blob.
        raise ValueError("a non-empty passphrase is required")
    return passphrase


def encrypt_private_key(key: PrivateKey, passphrase: bytes | str) -> bytes:
    """Serialise ``key`` as a PEM encrypted PKCS#8 blob, ready to persist."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_as_bytes(passphrase)),
    )


def _cache_key(blob: bytes, passphrase: bytes) -> bytes:
    # Keyed by blob *and* passphrase so that a wrong passphrase can never be
    # answered from the cache; HMAC keeps the passphrase itself out of the key.
    return hmac.new(passphrase, hashlib.sha256(blob).digest(), hashlib.sha256).digest()


def load_private_key(blob: bytes, passphrase: bytes | str) -> PrivateKey:
    """Decrypt a PEM or DER encrypted PKCS#8 blob; repeated calls return the cached key object.

    Raises :class:`KeyDecryptionError` on a wrong passphrase or a corrupt blob.
    """
    pw = _as_bytes(passphrase)
    ck = _cache_key(blob, pw)
    with _cache_lock:
        hit = _cache.get(ck)
        if hit is not None:
            _cache.move_to_end(ck)
            return hit
    loader = (
        serialization.load_pem_private_key if blob.lstrip().startswith(b"-----") else serialization.load_der_private_key
    )
    try:
        key = loader(blob, password=pw)
    except (ValueError, TypeError) as exc:
        raise KeyDecryptionError("cannot decrypt private key (wrong passphrase or corrupt data)") from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise KeyDecryptionError(f"unsupported private key type {type(key).__name__}")
    with _cache_lock:
        _cache[ck] = key
        _cache.move_to_end(ck)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return key


def clear_key_cache() -> None:
    """Forget every cached key (after a key rotation, or in tests)."""
    with _cache_lock:
        _cache.clear()
