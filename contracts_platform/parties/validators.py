"""Django validators wrapping the pure check-digit functions, with translated messages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contracts_platform.parties import identifiers

ID_NUMBER_ERRORS = {
    "format": _("身份证号码应为18位：前17位数字，最后一位为数字或X。"),
    "region": _("身份证号码的前6位行政区划代码无效。"),
    "birth_date": _("身份证号码中的出生日期无效。"),
    "check_digit": _("身份证号码校验位不正确，请核对后重新输入。"),
}
CREDIT_CODE_ERRORS = {
    "format": _("统一社会信用代码应为18位数字或大写字母（不含I、O、S、V、Z）。"),
    "check_digit": _("统一社会信用代码校验位不正确，请核对后重新输入。"),
}


def validate_id_number(value: str) -> None:
    error = identifiers.check_id_number(value)
    if error:
        raise ValidationError(ID_NUMBER_ERRORS[error], code=f"id_number_{error}")


def validate_credit_code(value: str) -> None:
    error = identifiers.check_credit_code(value)
    if error:
        raise ValidationError(CREDIT_CODE_ERRORS[error], code=f"credit_code_{error}")


def validate_mobile(value: str) -> None:
    if identifiers.check_mobile(value):
        raise ValidationError(_("请输入11位中国大陆手机号码，例如 13812345678。"), code="mobile_format")


def validate_region_code(value: str) -> None:
    if identifiers.check_region_code(value):
        raise ValidationError(_("行政区划代码应为6位数字，例如 370102（济南市历下区）。"),
                              code="region_format")
