"""Forms of the dispute pages: they parse and give clear messages; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contracts_platform.disputes.models import ClaimType, ContactMethod, ContactParty
from contracts_platform.disputes.services import parse_amount
from contracts_platform.disputes.uploads import MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, check_uploads
from contracts_platform.parties.validators import validate_region_code
from workflows.dispute_models import ComplaintOutcome

ACCEPT_TYPES = "image/jpeg,image/png,image/heic,image/webp,application/pdf"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is then checked by its bytes (``uploads.check_uploads``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_TYPES}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("照片或 PDF，每个不超过 {mb} MB，最多 {count} 个。").format(
            mb=MAX_UPLOAD_BYTES // 2 ** 20, count=MAX_UPLOAD_FILES))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AmountField(forms.CharField):
    """Money in yuan, parsed by the service rules so the page and the service say the same thing."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        attrs = {"inputmode": "decimal", "autocomplete": "off", "placeholder": "0.00"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value in self.empty_values:
            return None
        return parse_amount(value)


class _UploadsMixin:
    def clean_files(self) -> list[Any]:
        files = self.cleaned_data.get("files") or []
        # Read and checked once here; the service takes the checked uploads as they are.
        return check_uploads(files)


class ClaimForm(forms.Form):
    claim_type = forms.ChoiceField(label=_("请求类型"), choices=[("", _("请选择")), *ClaimType.choices],
                                   required=False)
    amount = AmountField(label=_("金额（元）"), required=False)
    note = forms.CharField(label=_("说明（可不填）"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        if data.get("claim_type") and data.get("amount") is None:
            self.add_error("amount", _("请填写金额；没有金额的请求请填 0。"))
        if data.get("amount") is not None and not data.get("claim_type"):
            self.add_error("claim_type", _("请选择请求类型。"))
        return data


ClaimFormSet = forms.formset_factory(ClaimForm, extra=3, max_num=6, validate_max=True)


class DisputeFileForm(_UploadsMixin, forms.Form):
    contract = forms.TypedChoiceField(label=_("涉及的劳动合同"), coerce=int, empty_value=None)
    facts = forms.CharField(label=_("事实与理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("写明什么时候、发生了什么、您要求什么。"))
    files = MultipleFileField(label=_("证据材料（照片、PDF）"))

    def __init__(self, *args: Any, contracts: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contract"].choices = [("", _("请选择"))] + [
            (c.pk, f"{c.number} · {c.employer.name}") for c in contracts]


class CaseRegisterForm(_UploadsMixin, forms.Form):
    worker_name = forms.CharField(label=_("申请人姓名"), max_length=50)
    worker_phone = forms.CharField(label=_("申请人手机号"), max_length=11, required=False)
    worker_id_number = forms.CharField(label=_("申请人身份证号码"), max_length=18, required=False,
                                       help_text=_("只保存加密散列，用于关联其合同和劳动者门户。"))
    employer_credit_code = forms.CharField(label=_("被申请人统一社会信用代码（平台上的单位）"), max_length=18,
                                           required=False)
    employer_name = forms.CharField(label=_("被申请人名称（不在平台上的单位）"), max_length=100, required=False)
    facts = forms.CharField(label=_("事实与理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(label=_("证据材料（照片、PDF）"))


class EvidenceUploadForm(_UploadsMixin, forms.Form):
    files = MultipleFileField(label=_("补充证据材料"), required=True)


class ArrearsReportForm(forms.Form):
    phone = forms.CharField(label=_("手机号码"), max_length=13,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    code = forms.CharField(label=_("短信验证码"), max_length=6, required=False,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}))
    project_name = forms.CharField(label=_("项目/工地名称"), max_length=100)
    employer_name = forms.CharField(label=_("欠薪单位（公司或包工头）"), max_length=100)
    district = forms.CharField(label=_("项目或单位所在区县代码（6位）"), max_length=6, min_length=6,
                               validators=[validate_region_code],
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "370102"}))
    amount = AmountField(label=_("拖欠金额合计（元）"))
    months_owed = forms.IntegerField(label=_("拖欠几个月"), min_value=1, max_value=120)
    workers_affected = forms.IntegerField(label=_("涉及人数"), min_value=1, max_value=10000)
    reporter_name = forms.CharField(label=_("您的称呼（可不填）"), max_length=50, required=False)
    description = forms.CharField(label=_("情况说明（可不填）"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    def clean_amount(self) -> Any:
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount <= 0:
            raise ValidationError(_("拖欠金额应大于 0。"))
        return amount


class ArrearsCodeForm(forms.Form):
    phone = forms.CharField(label=_("手机号码"), max_length=13)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class LinkForm(forms.Form):
    number = forms.CharField(label=_("合同编号"), max_length=32, required=False)
    id_number = forms.CharField(label=_("劳动者身份证号码"), max_length=18, required=False,
                                help_text=_("只用于查找（加密散列比对），不保存。"))


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("指派给"), queryset=None, empty_label=_("请选择"))

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = candidates


class LegalAidAssignForm(forms.Form):
    lawyer = forms.CharField(label=_("律师的平台账号"), max_length=150)
    organisation = forms.CharField(label=_("法律援助机构"), max_length=100)


class LegalAidRequestForm(forms.Form):
    note = forms.CharField(label=_("说明（可不填）"), max_length=300, required=False)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("调解日期"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("调解记录"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class MediationFailForm(forms.Form):
    notes = forms.CharField(label=_("调解不成的情况"), max_length=4000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class AgreementForm(forms.Form):
    terms = forms.CharField(label=_("协议内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))
    amount = AmountField(label=_("用人单位支付金额（元）"))


class AwardForm(forms.Form):
    text = forms.CharField(label=_("裁决主文"), max_length=8000, widget=forms.Textarea(attrs={"rows": 6}))
    amount = AmountField(label=_("裁决支付金额（元）"))


class ContactForm(forms.Form):
    party = forms.ChoiceField(label=_("联系对象"), choices=ContactParty.choices)
    method = forms.ChoiceField(label=_("方式"), choices=ContactMethod.choices)
    notes = forms.CharField(label=_("情况记录"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=[("", _("请选择")), *ComplaintOutcome.choices])
    reason = forms.CharField(label=_("说明（驳回时必填）"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
