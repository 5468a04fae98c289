"""Identity-check providers: the adapter seam for "is this really the worker on file?".

A provider is any class with ``method`` and ``check(*, worker, claimed_name,
claimed_id_number) -> IdentityResult``; the one used is the dotted path in
``settings.HEQIAN_IDENTITY_PROVIDER``. **The provider class is the adapter**: a real
deployment plugs in a carrier three-element check (name + ID number + phone registered
to that person), a face-liveness comparison with the ID photo, or the e-social-security
card (电子社保卡) sign-in, each as one class here; ``services.identity_verify`` (rate
limit, records, evidence) stays the same.

The offline default, ``ChecksumAndRecordProvider``, only checks what the platform can
check alone: the resident-ID check digit, and that name + ID number are the ones the
employer put on file. Together with the OTP to the phone on file (``otp``) that is the
weakest acceptable combination under Guideline Art 7, and the ``method`` label in the
evidence says exactly that.
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from contracts_platform.core import pii
from contracts_platform.parties.identifiers import check_id_number, normalise_id_number

if TYPE_CHECKING:
    from contracts_platform.parties.models import Worker

DEFAULT_PROVIDER = "contracts_platform.identity.providers.ChecksumAndRecordProvider"


class IdentityReason(models.TextChoices):
    """Why a check failed (stable codes, stored in evidence; labels for staff, not for the signer)."""

    ID_FORMAT = "id_format", _("身份证号码格式不正确")
    ID_CHECK_DIGIT = "id_check_digit", _("身份证号码校验位不正确")
    ID_MISMATCH = "id_mismatch", _("身份证号码与登记信息不一致")
    NAME_MISMATCH = "name_mismatch", _("姓名与登记信息不一致")


@dataclass(frozen=True)
class IdentityResult:
    ok: bool
    method: str
    """The provider's method label, e.g. ``checksum+record`` (stored in the evidence)."""
    reasons: tuple[str, ...] = ()
    """``IdentityReason`` codes; empty when ``ok``."""


class IdentityProvider(Protocol):
    method: str

    def check(self, *, worker: Worker, claimed_name: str, claimed_id_number: str) -> IdentityResult: ...


# Separators people type inside ethnic-minority names (阿卜杜·热合曼): all count as one.
_NAME_DOTS = re.compile(r"[·•‧・･.]")
_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """Compare-form of a name: NFKC (full-width → half-width), no whitespace at all, one middle dot."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _SPACES.sub("", text)
    return _NAME_DOTS.sub("·", text).casefold()


def normalise_claimed_id_number(value: str) -> str:
    """Full-width digits and spaces typed on a phone keyboard become the canonical 18 characters."""
    return normalise_id_number(_SPACES.sub("", unicodedata.normalize("NFKC", value or "")))


class ChecksumAndRecordProvider:
    """Offline default: valid check digit, and name + ID number equal to the worker on file.

    The ID number is compared through the keyed lookup hash (``pii.lookup_hash``), so the
    stored ciphertext is never decrypted for the comparison.
    """

    method = "checksum+record"

    def check(self, *, worker: Worker, claimed_name: str, claimed_id_number: str) -> IdentityResult:
        number = normalise_claimed_id_number(claimed_id_number)
        reasons: list[str] = []
        problem = check_id_number(number)
        if problem == "check_digit":
            reasons.append(IdentityReason.ID_CHECK_DIGIT)
        elif problem is not None:
            reasons.append(IdentityReason.ID_FORMAT)
        elif not hmac.compare_digest(pii.lookup_hash(number), worker.id_number_hash):
            reasons.append(IdentityReason.ID_MISMATCH)
        claimed = normalise_name(claimed_name)
        if not claimed or claimed != normalise_name(worker.name):
            reasons.append(IdentityReason.NAME_MISMATCH)
        return IdentityResult(ok=not reasons, method=self.method, reasons=tuple(str(r) for r in reasons))


def provider_get() -> IdentityProvider:
    """A fresh provider from ``settings.HEQIAN_IDENTITY_PROVIDER`` (read per call, so tests can override it)."""
    return import_string(getattr(settings, "HEQIAN_IDENTITY_PROVIDER", DEFAULT_PROVIDER) or DEFAULT_PROVIDER)()
