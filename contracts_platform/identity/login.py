"""Worker portal login by phone + OTP (services only; the mobile pages are the lead's)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from contracts_platform.accounts.models import Role, User
from contracts_platform.identity import events
from contracts_platform.identity.errors import OTP_NO_CHALLENGE, IdentityFlowError, OtpError, OtpErrorCode
from contracts_platform.identity.models import OtpPurpose
from contracts_platform.identity.otp import normalise_phone, otp_send, otp_stand_in, otp_verify
from contracts_platform.parties.models import Worker

LOGIN_ACCOUNT_CONFLICT = gettext_noop("该手机号码对应的账号不是劳动者账号，请联系平台客服。")
LOGIN_ACCOUNT_DISABLED = gettext_noop("该账号已停用，请联系平台客服。")


def worker_username(phone: str) -> str:
    return f"w{phone}"


def worker_login_start(*, phone: str) -> None:
    """Text a login code if some employer has a worker with this phone; look the same otherwise.

    For an unknown phone a stand-in challenge is stored and nothing is sent, so the
    reply, the throttling and the later ``otp_verify`` failure (``wrong``) are the
    same as for a known phone: the endpoint cannot be used to test whose number is on
    file. Raises ``ValidationError`` for a malformed number, ``OtpError`` when throttled.
    """
    phone = normalise_phone(phone)
    if Worker.objects.filter(phone=phone).exists():
        otp_send(phone=phone, purpose=OtpPurpose.LOGIN)
    else:
        otp_stand_in(phone=phone, purpose=OtpPurpose.LOGIN)


def worker_login_finish(*, phone: str, code: str) -> User:
    """Verify the code, then return the worker's account, creating it on first login.

    The account is ``User(role=WORKER, username="w<phone>")`` with an unusable password;
    every ``Worker`` row with this phone and no account yet is linked to it. Call outside
    a transaction (``otp_verify`` is durable). Raises ``OtpError``, or
    ``ApplicationError`` (``account_conflict`` / ``account_disabled``).
    """
    phone = normalise_phone(phone)
    otp_verify(phone=phone, purpose=OtpPurpose.LOGIN, code=code)
    with transaction.atomic():
        workers = list(Worker.objects.select_for_update().filter(phone=phone).order_by("created_at", "pk"))
        if not workers:
            # The records were removed between the two steps.
            raise OtpError(OtpErrorCode.NO_CHALLENGE, OTP_NO_CHALLENGE)
        user = User.objects.select_for_update().filter(username=worker_username(phone)).first()
        if user is None:
            user = User(username=worker_username(phone), role=Role.WORKER, phone=phone, display_name=workers[0].name)
            user.set_unusable_password()
            user.save()
        elif user.role != Role.WORKER:
            raise IdentityFlowError("account_conflict", LOGIN_ACCOUNT_CONFLICT)
        elif not user.is_active:
            raise IdentityFlowError("account_disabled", LOGIN_ACCOUNT_DISABLED)
        linked = [w.pk for w in workers if w.user_id is None]
        Worker.objects.filter(pk__in=linked).update(user=user)
        events.worker_logged_in_event(user=user, worker_ids=linked)
    return user

