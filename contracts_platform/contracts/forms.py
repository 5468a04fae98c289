"""The contract terms form: field validation here, statutory findings in the rules engine."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts_platform.contracts.models import ContractType, ModelText
from contracts_platform.parties.identifiers import normalise_id_number
from contracts_platform.parties.models import Worker
from contracts_platform.parties.validators import validate_id_number, validate_mobile, validate_region_code

MONEY_MAX = Decimal("9999999.99")
MAX_SUPPLEMENTARY = 20

_money = {"max_digits": 9, "decimal_places": 2, "min_value": Decimal("0"), "max_value": MONEY_MAX,
          "error_messages": {"invalid": _("请输入金额数字，例如 5000 或 5000.50。"),
                             "max_value": _("金额不能超过 9,999,999.99 元。"),
                             "min_value": _("金额不能为负数。"),
                             "max_decimal_places": _("金额最多保留两位小数。"),
                             "max_digits": _("金额不能超过 9,999,999.99 元。")}}
_date = {"widget": forms.DateInput(attrs={"type": "date"}),
         "error_messages": {"invalid": _("请输入有效日期，格式为 年-月-日，例如 2026-01-01。")}}


def _text(label: str, max_length: int, *, required: bool = True, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget,
                           strip=True)




class ContractTermsForm(forms.Form):
    """All terms an employer fills in; the parties' details come from their records."""

    start_date = forms.DateField(label=_("合同开始日期"), **_date)
    end_date = forms.DateField(label=_("合同终止日期"), required=False,
                               help_text=_("固定期限、非全日制（如有）和劳务派遣合同填写；含当日。"), **_date)
    task_description = _text(_("工作任务"), 500, required=False, rows=2)
    probation_months = forms.IntegerField(label=_("试用期（月）"), min_value=0, max_value=12, initial=0)
    job_title = _text(_("工作岗位"), 100)
    work_location = _text(_("工作地点"), 200)
    work_region = forms.CharField(label=_("工作地行政区划代码"), max_length=6, required=False,
                                  validators=[validate_region_code],
                                  help_text=_("用于确定当地最低工资标准；留空则使用单位所在地。"))
    hours_system = forms.ChoiceField(label=_("工时制度"), choices=[
        ("standard", _("标准工时制")), ("comprehensive", _("综合计算工时制")), ("flexible", _("不定时工作制"))])
    hours_per_day = forms.DecimalField(label=_("每日工作小时"), max_digits=4, decimal_places=1,
                                       min_value=Decimal("0.5"), max_value=Decimal("24"))
    hours_per_week = forms.DecimalField(label=_("每周工作小时"), max_digits=5, decimal_places=1,
                                        min_value=Decimal("0.5"), max_value=Decimal("168"))
    wage_type = forms.ChoiceField(label=_("工资形式"), choices=[("monthly", _("月薪")), ("hourly", _("小时工资"))])
    wage_amount = forms.DecimalField(label=_("工资标准（元）"), **_money)
    probation_amount = forms.DecimalField(label=_("试用期工资（元）"), required=False, **_money)
    pay_day = forms.IntegerField(label=_("每月发薪日"), min_value=1, max_value=31, initial=15)
    pay_cycle_days = forms.IntegerField(label=_("工资结算周期（天）"), min_value=1, max_value=31, initial=30)
    social_insurance = _text(_("社会保险"), 1000, rows=2)
    labor_protection = _text(_("劳动保护、劳动条件和职业危害防护"), 1000, rows=2)
    dispatch_host_unit = _text(_("用工单位"), 100, required=False)
    dispatch_post = _text(_("派遣岗位"), 100, required=False)
    dispatch_period = _text(_("派遣期限"), 100, required=False)
    training_employer_funded = forms.BooleanField(label=_("单位出资提供专业技术培训"), required=False)
    training_cost = forms.DecimalField(label=_("培训费用（元）"), required=False, **_money)
    service_period_months = forms.IntegerField(label=_("服务期（月）"), min_value=0, max_value=120,
                                               required=False, initial=0)
    service_penalty = forms.DecimalField(label=_("服务期违约金（元）"), required=False, **_money)
    non_compete_months = forms.IntegerField(label=_("竞业限制期限（月）"), min_value=0, max_value=120,
                                            required=False, initial=0)
    history_consecutive_fixed_terms = forms.IntegerField(
        label=_("此前已连续订立固定期限合同次数"), min_value=0, max_value=50, required=False, initial=0)
    history_years_of_service = forms.DecimalField(label=_("在本单位连续工作年限"), max_digits=4,
                                                  decimal_places=1, min_value=Decimal("0"),
                                                  max_value=Decimal("70"), required=False, initial=0)
    worker_requests_fixed_term = forms.BooleanField(label=_("劳动者本人提出订立固定期限合同"), required=False)
    supplementary_clauses = _text(_("补充条款（纯文本，每条之间空一行）"), 5000, required=False, rows=4)
    acknowledge_warnings = forms.BooleanField(label=_("我已阅读并确认以上提示"), required=False)

    def __init__(self, *args: Any, contract_type: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.contract_type = contract_type

    def clean_supplementary_clauses(self) -> list[str]:
        raw = self.cleaned_data.get("supplementary_clauses") or ""
        clauses = [" ".join(part.split()) for part in raw.replace("\r\n", "\n").split("\n\n")]
        clauses = [c for c in clauses if c]
        if len(clauses) > MAX_SUPPLEMENTARY:
            raise forms.ValidationError(_("补充条款最多%(max)d条。"), params={"max": MAX_SUPPLEMENTARY})
        return clauses

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("终止日期不能早于开始日期。"))
        needs_end = self.contract_type in {ContractType.FIXED_TERM, ContractType.DISPATCH}
        if needs_end and start and not end:
            self.add_error("end_date", _("固定期限和劳务派遣合同必须填写终止日期。"))
        if self.contract_type == ContractType.TASK_BASED and not data.get("task_description"):
            self.add_error("task_description", _("以完成一定工作任务为期限的合同必须写明工作任务。"))
        return data

    def to_fields(self) -> dict[str, Any]:
        """The cleaned data in the terms format (money as decimal strings)."""
        d = self.cleaned_data

        def money(value: Decimal | None) -> str | None:
            return None if value is None else format(value.quantize(Decimal("0.01")), "f")

        def num(value: Decimal | None) -> str | None:
            return None if value is None else format(value.normalize(), "f")

        has_dispatch = self.contract_type == ContractType.DISPATCH
        return {
            "start_date": d["start_date"].isoformat(),
            "end_date": d["end_date"].isoformat() if d.get("end_date") else None,
            "task_description": d.get("task_description", ""),
            "probation_months": d.get("probation_months") or 0,
            "job_title": d["job_title"],
            "work_location": d["work_location"],
            "work_region": d.get("work_region") or None,
            "working_hours": {"system": d["hours_system"], "hours_per_day": num(d["hours_per_day"]),
                              "hours_per_week": num(d["hours_per_week"])},
            "wage": {"type": d["wage_type"], "amount": money(d["wage_amount"]),
                     "probation_amount": money(d.get("probation_amount")), "pay_day": d["pay_day"],
                     "pay_cycle_days": d["pay_cycle_days"]},
            "social_insurance": d["social_insurance"],
            "labor_protection": d["labor_protection"],
            "dispatch": ({"host_unit": d.get("dispatch_host_unit", ""), "post": d.get("dispatch_post", ""),
                          "period": d.get("dispatch_period", "")} if has_dispatch else None),
            "training": {"employer_funded": bool(d.get("training_employer_funded")),
                         "cost": money(d.get("training_cost"))},
            "service_period_months": d.get("service_period_months") or 0,
            "service_penalty": money(d.get("service_penalty")),
            "non_compete_months": d.get("non_compete_months") or 0,
            "history": {"consecutive_fixed_terms": d.get("history_consecutive_fixed_terms") or 0,
                        "years_of_service": num(d.get("history_years_of_service") or Decimal("0"))},
            "worker_requests_fixed_term": bool(d.get("worker_requests_fixed_term")),
            "supplementary_clauses": d.get("supplementary_clauses") or [],
        }

    @staticmethod
    def initial_from_terms(terms: dict[str, Any]) -> dict[str, Any]:
        hours, wage = terms.get("working_hours") or {}, terms.get("wage") or {}
        dispatch, training = terms.get("dispatch") or {}, terms.get("training") or {}
        history = terms.get("history") or {}
        return {
            "start_date": terms.get("start_date"), "end_date": terms.get("end_date"),
            "task_description": terms.get("task_description", ""),
            "probation_months": terms.get("probation_months", 0), "job_title": terms.get("job_title"),
            "work_location": terms.get("work_location"), "work_region": terms.get("work_region") or "",
            "hours_system": hours.get("system"), "hours_per_day": hours.get("hours_per_day"),
            "hours_per_week": hours.get("hours_per_week"), "wage_type": wage.get("type"),
            "wage_amount": wage.get("amount"), "probation_amount": wage.get("probation_amount"),
            "pay_day": wage.get("pay_day"), "pay_cycle_days": wage.get("pay_cycle_days"),
            "social_insurance": terms.get("social_insurance"), "labor_protection": terms.get("labor_protection"),
            "dispatch_host_unit": dispatch.get("host_unit", ""), "dispatch_post": dispatch.get("post", ""),
            "dispatch_period": dispatch.get("period", ""),
            "training_employer_funded": training.get("employer_funded", False),
            "training_cost": training.get("cost"),
            "service_period_months": terms.get("service_period_months", 0),
            "service_penalty": terms.get("service_penalty"),
            "non_compete_months": terms.get("non_compete_months", 0),
            "history_consecutive_fixed_terms": history.get("consecutive_fixed_terms", 0),
            "history_years_of_service": history.get("years_of_service", 0),
            "worker_requests_fixed_term": terms.get("worker_requests_fixed_term", False),
            "supplementary_clauses": "\n\n".join(terms.get("supplementary_clauses") or []),
        }


class ContractStartForm(forms.Form):
    """Who and which model text; the terms come from ContractTermsForm."""

    worker = forms.ModelChoiceField(label=_("劳动者"), queryset=Worker.objects.none(),
                                    error_messages={"invalid_choice": _("请选择本单位名册中的劳动者。")})
    model_text = forms.ModelChoiceField(label=_("合同示范文本"), queryset=ModelText.objects.none(),
                                        error_messages={"invalid_choice": _("请选择有效的合同示范文本。")})

    def __init__(self, *args: Any, employer: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # Only this employer's workers can be chosen: a tampered id is "invalid choice".
        self.fields["worker"].queryset = Worker.objects.filter(employer=employer).order_by("name")
        self.fields["model_text"].queryset = ModelText.objects.filter(is_current=True)


class WorkerForm(forms.Form):
    name = _text(_("姓名"), 50)
    id_number = forms.CharField(label=_("居民身份证号码"), max_length=18, min_length=18,
                                validators=[validate_id_number],
                                error_messages={"min_length": _("身份证号码应为18位。"),
                                                "max_length": _("身份证号码应为18位。")})
    phone = forms.CharField(label=_("手机号码"), max_length=11, validators=[validate_mobile])

    def clean_id_number(self) -> str:
        return normalise_id_number(self.cleaned_data["id_number"])
    address = _text(_("住址"), 200)
