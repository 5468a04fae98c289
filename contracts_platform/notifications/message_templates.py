"""The registry of message texts, by template code.

Texts are ``str.format`` patterns marked for translation; they are rendered in the
recipient's language (default ``settings.LANGUAGE_CODE``, i.e. Chinese). Chinese SMS
gateways require the bracketed signature, so every SMS starts with ``SMS_SIGNATURE``.

``secret`` names context keys whose values must never be stored outside the body
itself (the OTP code, the invitation link with its token): the stored context and the
evidence hash see them as ``SECRET_MASK``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SECRET_MASK = "******"  # noqa: S105 - a placeholder shown instead of secrets, not a secret
SMS_SIGNATURE = _("【和签】")


class UnknownTemplate(LookupError):
    pass


@dataclass(frozen=True)
class MessageTemplate:
    code: str
    text: Promise
    """Body pattern; placeholders are the names in ``required``."""
    email_subject: Promise
    required: frozenset[str]
    secret: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Rendered:
    body: str
    """What the gateway sends (contains the secrets)."""
    masked_body: str
    """The same text with every secret replaced by ``SECRET_MASK``: what gets hashed for evidence."""
    subject_line: str
    context: dict[str, Any]
    """JSON-safe context with secrets masked: what gets stored."""


TEMPLATES: dict[str, MessageTemplate] = {
    t.code: t
    for t in (
        MessageTemplate(
            code="otp",
            text=_("{purpose}验证码：{code}，{minutes}分钟内有效。请勿告诉任何人，包括用人单位工作人员。"),
            email_subject=_("和签验证码"),
            required=frozenset({"code", "purpose", "minutes"}), secret=frozenset({"code"})),
        MessageTemplate(
            code="signing_invitation",
            text=_("{employer}邀请您签署电子劳动合同（编号{contract_number}），请于{expires}前打开 {url} "
                   "查看并签署。查看、下载合同永久免费。"),
            email_subject=_("请签署您的劳动合同"),
            required=frozenset({"employer", "contract_number", "expires", "url"}), secret=frozenset({"url"})),
        MessageTemplate(
            code="signing_reminder",
            text=_("提醒：{employer}发给您的劳动合同（编号{contract_number}）尚未签署，请于{expires}前打开 {url} "
                   "查看并签署。"),
            email_subject=_("您的劳动合同尚未签署"),
            required=frozenset({"employer", "contract_number", "expires", "url"}), secret=frozenset({"url"})),
        MessageTemplate(
            code="contract_completed",
            text=_("您与{employer}的劳动合同（编号{contract_number}）已由双方签署生效。"
                   "请打开 {url} 下载保存；您可随时免费查看、下载、打印合同全文。"),
            email_subject=_("您的劳动合同已生效"),
            required=frozenset({"employer", "contract_number", "url"})),
        MessageTemplate(
            code="arrears_update",
            text=_("您反映的欠薪问题（编号{case_number}）有新进展：{status}。详情请打开 {url} 查看。"),
            email_subject=_("欠薪问题处理进展"),
            required=frozenset({"case_number", "status", "url"})),
    )
}


def template_get(code: str) -> MessageTemplate:
    try:
        return TEMPLATES[code]
    except KeyError:
        raise UnknownTemplate(f"no message template {code!r}") from None


def _plain(value: Any) -> Any:
    # Lazy translations become text in the active (recipient's) language; numbers stay numbers.
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def render(code: str, context: Mapping[str, Any], *, language: str, sms: bool) -> Rendered:
    """Render template ``code``; a missing placeholder is a programming error (``ValueError``)."""
    template = template_get(code)
    missing = template.required - set(context)
    if missing:
        raise ValueError(f"template {code!r} needs {sorted(missing)}")
    with translation.override(language):
        values = {key: _plain(value) for key, value in context.items()}
        masked = {key: (SECRET_MASK if key in template.secret else value) for key, value in values.items()}
        prefix = str(SMS_SIGNATURE) if sms else ""
        pattern = str(template.text)
        return Rendered(body=prefix + pattern.format(**values), masked_body=prefix + pattern.format(**masked),
                        subject_line=str(template.email_subject), context=masked)
