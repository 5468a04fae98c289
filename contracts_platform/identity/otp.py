"""SMS one-time passwords: send, verify, throttle, lock.

Rules (constants below): 6 digits from ``secrets``; valid 5 minutes; only the newest
challenge per phone+purpose counts; 5 wrong codes lock it, and no new code is sent for
15 minutes after a lock; at most one send per 60 s and 5 per hour per phone+purpose;
a correct code is consumed. The code is stored only as an HMAC keyed from SECRET_KEY
(``salted_hmac``) and bound to its challenge's salt, phone and purpose.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import math
import secrets
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from contracts_platform.identity import events
from contracts_platform.identity.errors import (
    OTP_EXPIRED,
    OTP_LOCKED,
    OTP_NO_CHALLENGE,
    OTP_THROTTLED,
    OTP_WRONG,
    OtpError,
    OtpErrorCode,
)
from contracts_platform.identity.models import OtpChallenge, OtpPurpose
from contracts_platform.notifications.services import PHONE_INVALID, Subject, sms_send, subject_ref
from contracts_platform.parties.identifiers import check_mobile

logger = logging.getLogger(__name__)

OTP_DIGITS = 6
OTP_TTL = dt.timedelta(minutes=5)
OTP_MAX_ATTEMPTS = 5
OTP_LOCKOUT = dt.timedelta(minutes=15)
OTP_RESEND_INTERVAL = dt.timedelta(seconds=60)
OTP_MAX_PER_HOUR = 5
_HMAC_SALT = "heqian.identity.otp"


def _code_hash(*, salt: str, phone: str, purpose: str, code: str) -> str:
    return salted_hmac(_HMAC_SALT, f"{salt}:{phone}:{purpose}:{code}", algorithm="sha256").hexdigest()


def normalise_phone(phone: str) -> str:
    phone = unicodedata.normalize("NFKC", phone or "").strip().replace(" ", "").replace("-", "")
    if check_mobile(phone) is not None:
        raise ValidationError(_(PHONE_INVALID), code="phone_invalid")
    return phone


def _ceil_seconds(delta: dt.timedelta) -> int:
    return max(1, math.ceil(delta.total_seconds()))


def _check_send_allowed(*, phone: str, purpose: str, now: dt.datetime) -> None:
    """Raise ``locked`` / ``throttled`` if no code may be sent now.

    Locks this phone+purpose's recent rows, so two parallel sends serialize on them
    (the very first send of a phone has no row to lock; two of those may both pass).
    """
    recent = list(OtpChallenge.objects.select_for_update()
                  .filter(phone=phone, purpose=purpose, created_at__gt=now - dt.timedelta(hours=1))
                  .order_by("-created_at", "-id"))
    locks = [c.locked_at for c in recent if c.locked_at is not None and c.locked_at > now - OTP_LOCKOUT]
    if locks:
        minutes = math.ceil(_ceil_seconds(max(locks) + OTP_LOCKOUT - now) / 60)
        raise OtpError(OtpErrorCode.LOCKED, OTP_LOCKED, minutes=minutes)
    if recent and recent[0].created_at > now - OTP_RESEND_INTERVAL:
        raise OtpError(OtpErrorCode.THROTTLED, OTP_THROTTLED,
                       seconds=_ceil_seconds(recent[0].created_at + OTP_RESEND_INTERVAL - now))
    if len(recent) >= OTP_MAX_PER_HOUR:
        oldest = recent[OTP_MAX_PER_HOUR - 1].created_at
        raise OtpError(OtpErrorCode.THROTTLED, OTP_THROTTLED,
                       seconds=_ceil_seconds(oldest + dt.timedelta(hours=1) - now))


def otp_send(*, phone: str, purpose: str, subject: Subject = None) -> OtpChallenge:
    """Text a new code to ``phone``; it replaces any earlier code for the same purpose.

    ``subject`` (a model instance or ``(type, id)``, e.g. the contract being signed)
    files the ``otp.sent`` / ``notification.*`` evidence under it. Raises ``OtpError``
    ``throttled`` or ``locked``. The SMS leaves after the surrounding transaction commits.

    Inside a larger transaction, call it before that transaction appends evidence of
    its own: it locks this phone's OTP rows before taking the evidence-chain lock, the
    same order ``otp_verify`` uses, so the two cannot deadlock.
    """
    phone = normalise_phone(phone)
    purpose = OtpPurpose(purpose)
    subject_type, subject_id = subject_ref(subject)
    with transaction.atomic():
        now = timezone.now()
        _check_send_allowed(phone=phone, purpose=purpose, now=now)
        code = f"{secrets.randbelow(10 ** OTP_DIGITS):0{OTP_DIGITS}d}"
        salt = secrets.token_hex(16)
        challenge = OtpChallenge.objects.create(
            phone=phone, purpose=purpose, salt=salt,
            code_hash=_code_hash(salt=salt, phone=phone, purpose=purpose, code=code),
            subject_type=subject_type, subject_id=subject_id, created_at=now, expires_at=now + OTP_TTL)
        challenge.message = sms_send(
            phone=phone, template="otp", purpose=f"otp:{purpose}",
            context={"code": code, "purpose": purpose.label, "minutes": int(OTP_TTL.total_seconds() // 60)},
            subject=(subject_type, subject_id) if subject_type else ("otp", challenge.pk))
        challenge.save(update_fields=["message"])
        events.otp_sent_event(challenge=challenge)
    return challenge


def otp_stand_in(*, phone: str, purpose: str) -> OtpChallenge:
    """Throttle like ``otp_send`` but send nothing; no code can ever match.

    For flows that must not reveal whether a phone is known (worker login): the
    caller sees the same successes and the same ``OtpError``s as a real send.
    """
    phone = normalise_phone(phone)
    purpose = OtpPurpose(purpose)
    with transaction.atomic():
        now = timezone.now()
        _check_send_allowed(phone=phone, purpose=purpose, now=now)
        # A random value, not the HMAC of any code: verification can only fail.
        return OtpChallenge.objects.create(phone=phone, purpose=purpose, salt=secrets.token_hex(16),
                                           code_hash=secrets.token_hex(32), sent=False, created_at=now,
                                           expires_at=now + OTP_TTL)


def otp_verify(*, phone: str, purpose: str, code: str) -> None:
    """Check ``code`` against the newest challenge for phone+purpose; consume it on success.

    Raises ``OtpError``: ``no_challenge`` (none, or already used), ``expired``,
    ``locked`` (this attempt or an earlier one was the 5th wrong code), ``wrong``.

    Runs in its own durable transaction: a wrong attempt must be counted even though
    the caller gets an exception, so it cannot be rolled back by a surrounding
    transaction. Call it first, then do the guarded work in a transaction of its own.
    The challenge row is held ``select_for_update``, so of two parallel verifies of
    the same code exactly one passes.
    """
    phone = normalise_phone(phone)
    purpose = OtpPurpose(purpose)
    code = unicodedata.normalize("NFKC", code or "").strip()
    failure: OtpError | None = None
    with transaction.atomic(durable=True):
        challenge = (OtpChallenge.objects.select_for_update()
                     .filter(phone=phone, purpose=purpose).order_by("-created_at", "-id").first())
        now = timezone.now()
        if challenge is None or challenge.consumed_at is not None:
            raise OtpError(OtpErrorCode.NO_CHALLENGE, OTP_NO_CHALLENGE)
        if challenge.locked_at is not None:
            failure = OtpError(OtpErrorCode.LOCKED, OTP_LOCKED,
                               minutes=math.ceil(_ceil_seconds(challenge.locked_at + OTP_LOCKOUT - now) / 60))
        elif now >= challenge.expires_at:
            failure = OtpError(OtpErrorCode.EXPIRED, OTP_EXPIRED)
        elif hmac.compare_digest(challenge.code_hash,
                                 _code_hash(salt=challenge.salt, phone=phone, purpose=purpose, code=code)):
            if challenge.sent:
                events.otp_passed_event(challenge=challenge)
            challenge.consumed_at = now
            challenge.save(update_fields=["consumed_at"])
            return
        else:
            challenge.attempts += 1
            if challenge.attempts >= OTP_MAX_ATTEMPTS:
                challenge.locked_at = now
                failure = OtpError(OtpErrorCode.LOCKED, OTP_LOCKED,
                                   minutes=math.ceil(OTP_LOCKOUT.total_seconds() / 60))
            else:
                failure = OtpError(OtpErrorCode.WRONG, OTP_WRONG, remaining=OTP_MAX_ATTEMPTS - challenge.attempts)
            challenge.save(update_fields=["attempts", "locked_at"])
        if challenge.sent:
            events.otp_failed_event(challenge=challenge, reason=failure.code)
        else:
            logger.info("otp stand-in %s for %s refused: %s", challenge.pk, purpose, failure.code)
    raise failure
