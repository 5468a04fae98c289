"""Forms of the worker's pages: parse and check input, nothing else (the services decide)."""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from contracts_platform.identity.providers import normalise_claimed_id_number
from contracts_platform.parties.identifiers import check_id_number
from workflows.services import BAD_SIGNATURE, REASON_REQUIRED, SIGNATURE_MAX_BYTES

# What the worker ticks; kept in Chinese in the evidence (see services.signing_intent_confirm).
INTENT_STATEMENT = gettext_noop("我已完整阅读并自愿签署本合同")

ID_FORMAT = gettext_noop("身份证号码应为18位，最后一位可能是字母X，请核对。")
ID_CHECK_DIGIT = gettext_noop("身份证号码有误（校验位不对），请检查是否输错了某一位。")
CODE_FORMAT = gettext_noop("请输入短信中的6位数字验证码。")
INTENT_REQUIRED = gettext_noop("请先勾选“我已完整阅读并自愿签署本合同”。")

_CODE_RE = re.compile(r"^\d{6}$")
_DATA_URL_PREFIX = "data:image/png;base64,"
# Base64 is 4/3 of the bytes; refuse anything longer before decoding it.
SIGNATURE_MAX_CHARS = len(_DATA_URL_PREFIX) + (SIGNATURE_MAX_BYTES * 4 // 3) + 4


class IdentityForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=50,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(label=gettext_lazy("居民身份证号码"), max_length=24,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                              "spellcheck": "false"}))

    def clean_id_number(self) -> str:
        # Typos are caught here, before the check that counts towards the lockout: a
        # mistyped digit is not an identity attempt, and the rule is public anyway.
        number = normalise_claimed_id_number(self.cleaned_data["id_number"])
        problem = check_id_number(number)
        if problem == "check_digit":
            raise forms.ValidationError(_(ID_CHECK_DIGIT), code="id_check_digit")
        if problem is not None:
            raise forms.ValidationError(_(ID_FORMAT), code="id_format")
        return number


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("短信验证码"), max_length=12,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "pattern": "[0-9]*", "maxlength": "6"}))

    def clean_code(self) -> str:
        code = unicodedata.normalize("NFKC", self.cleaned_data["code"]).replace(" ", "")
        if not _CODE_RE.match(code):
            raise forms.ValidationError(_(CODE_FORMAT), code="code_format")
        return code


class IntentForm(forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy(INTENT_STATEMENT), required=False)

    def clean_confirm(self) -> bool:
        if not self.cleaned_data.get("confirm"):
            raise forms.ValidationError(_(INTENT_REQUIRED), code="intent_required")
        return True


class SignatureForm(forms.Form):
    signature = forms.CharField(widget=forms.HiddenInput, max_length=SIGNATURE_MAX_CHARS,
                                error_messages={"required": gettext_lazy(BAD_SIGNATURE),
                                                "max_length": gettext_lazy(BAD_SIGNATURE)})

    def clean_signature(self) -> bytes:
        value = self.cleaned_data["signature"]
        if not value.startswith(_DATA_URL_PREFIX):
            raise forms.ValidationError(_(BAD_SIGNATURE), code="bad_signature")
        try:
            png = base64.b64decode(value[len(_DATA_URL_PREFIX):], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise forms.ValidationError(_(BAD_SIGNATURE), code="bad_signature") from exc
        if not png or len(png) > SIGNATURE_MAX_BYTES:
            raise forms.ValidationError(_(BAD_SIGNATURE), code="bad_signature")
        return png  # worker_sign checks it is a PNG with strokes on it


class DeclineForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("拒签原因"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": gettext_lazy(REASON_REQUIRED)})


class PhoneForm(forms.Form):
    phone = forms.CharField(label=gettext_lazy("手机号码"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
