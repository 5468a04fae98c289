"""Errors of identity: stable codes (for code and tests) and user-facing messages (translated).

Messages are module constants marked with ``gettext_noop`` so ``makemessages`` finds them;
they are translated when the error is raised. Tests assert on ``exc.code`` and on
``exc.message == gettext(CONSTANT)``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from contracts_platform.core.errors import ApplicationError


class OtpErrorCode(models.TextChoices):
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"
    THROTTLED = "throttled"
    NO_CHALLENGE = "no_challenge"


class InvitationErrorCode(models.TextChoices):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"


class IdentityErrorCode(models.TextChoices):
    LOCKED = "locked"


OTP_WRONG = gettext_noop("验证码不正确，还可以再试 {remaining} 次。")
OTP_EXPIRED = gettext_noop("验证码已过期，请重新获取。")
OTP_LOCKED = gettext_noop("验证码错误次数过多，请 {minutes} 分钟后重新获取。")
OTP_THROTTLED = gettext_noop("获取验证码过于频繁，请 {seconds} 秒后再试。")
OTP_NO_CHALLENGE = gettext_noop("请先获取验证码。")

INVITATION_UNKNOWN = gettext_noop("签署链接无效，请核对短信中的链接。")
INVITATION_EXPIRED = gettext_noop("签署链接已过期，请联系用人单位重新发送。")
INVITATION_USED = gettext_noop("该签署链接已使用过。")
INVITATION_REVOKED = gettext_noop("该签署链接已作废，请使用最新短信中的链接。")

IDENTITY_LOCKED = gettext_noop("身份核验失败次数过多，请 {minutes} 分钟后再试，或联系用人单位。")

INVITATION_MESSAGES = {
    InvitationErrorCode.UNKNOWN: INVITATION_UNKNOWN,
    InvitationErrorCode.EXPIRED: INVITATION_EXPIRED,
    InvitationErrorCode.USED: INVITATION_USED,
    InvitationErrorCode.REVOKED: INVITATION_REVOKED,
}


class IdentityFlowError(ApplicationError):
    """Base of this app's refusals: ``code`` is stable, ``message`` is translated for the user."""

    def __init__(self, code: str, template: str, **params: Any):
        super().__init__(_(template).format(**params), code=str(code), extra=dict(params))


class OtpError(IdentityFlowError):
    pass


class InvitationError(IdentityFlowError):
    def __init__(self, code: InvitationErrorCode):
        super().__init__(code, INVITATION_MESSAGES[code])


class IdentityError(IdentityFlowError):
    pass
