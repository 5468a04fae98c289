"""Exception hierarchy of the signing core.

Callers catch :class:`SigningCoreError` for anything raised on purpose by this
package; the narrower classes exist where a caller maps them differently
(the CLI maps :class:`NotAPdfError` to exit status 2, the web layer maps
:class:`KeyDecryptionError` to a configuration error at startup).
"""

from __future__ import annotations

__all__ = [
    "CertificateProfileError",
    "KeyDecryptionError",
    "NotAPdfError",
    "SignatureFieldError",
    "SigningCoreError",
]


class SigningCoreError(Exception):
    """Base class of every error this package raises deliberately."""


class KeyDecryptionError(SigningCoreError):
    """An encrypted private key could not be decrypted (wrong passphrase or corrupt blob)."""


class NotAPdfError(SigningCoreError):
    """The input is not a PDF that can be parsed (truncated, garbage, encrypted beyond reach)."""


class SignatureFieldError(SigningCoreError):
    """A signature field is missing, already signed, or its box is unusable."""


class CertificateProfileError(SigningCoreError):
    """A certificate does not fit the role it is used for (key usage, validity, CA flag)."""
