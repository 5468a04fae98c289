"""Employer-side contract views: thin, every object fetched through an access helper."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from contracts_platform.contracts import selectors, services
from contracts_platform.contracts.documents import contract_version_html
from contracts_platform.contracts.events import contract_preview_viewed_event
from contracts_platform.contracts.forms import ContractStartForm, ContractTermsForm
from contracts_platform.contracts.models import Contract, ContractStatus, ModelText
from contracts_platform.contracts.rules import Finding
from contracts_platform.documents.services import contract_version_render, rendered_pdf_bytes
from contracts_platform.parties.access import EmployerStaffMixin
from contracts_platform.parties.selectors import worker_access
from workflows.selectors import signing_state


def findings_for_display(findings: list[Finding] | list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings as dicts with the message in the active language."""
    lang = get_language() or "zh-hans"
    rows = [f.to_dict() if isinstance(f, Finding) else f for f in findings]
    return [{**row, "text": row["message"]["en" if lang.startswith("en") else "zh"]} for row in rows]


class DashboardView(EmployerStaffMixin, TemplateView):
    template_name = "employer/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        contracts = selectors.contract_list(employer=self.employer)
        context["counts"] = {status: contracts.filter(status=status).count() for status in ContractStatus.values}
        context["recent"] = contracts[:5]
        context["worker_count"] = self.employer.workers.count()
        return context


class ContractListView(EmployerStaffMixin, ListView):
    template_name = "employer/contract_list.html"
    context_object_name = "contracts"
    paginate_by = 20

    def get_queryset(self) -> Any:
        return selectors.contract_list(employer=self.employer, q=self.request.GET.get("q", ""),
                                       status=self.request.GET.get("status", ""))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(q=self.request.GET.get("q", ""), status=self.request.GET.get("status", ""),
                       statuses=ContractStatus.choices)
        return context


class _TermsFormMixin(EmployerStaffMixin):
    """Shared by create and edit: bind the terms form, run the checks, act on the button."""

    template_name = "employer/contract_form.html"

    def action(self) -> str:
        return self.request.POST.get("action", "check")

    def render_form(self, **context: Any) -> HttpResponse:
        levels = [f["level"] for f in context.get("findings", [])]
        context.update(employer=self.employer, membership=self.membership,
                       finding_counts={"error": levels.count("error"), "warning": levels.count("warning")})
        return render(self.request, self.template_name, context)

    def add_service_errors(self, form: ContractTermsForm, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)


class ContractCreateView(_TermsFormMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        start = ContractStartForm(employer=self.employer, initial={
            "worker": request.GET.get("worker"), "model_text": request.GET.get("model_text")})
        return self.render_form(start_form=start, form=ContractTermsForm(), creating=True,
                                model_texts=selectors.model_texts_current())

    def post(self, request: HttpRequest) -> HttpResponse:
        start = ContractStartForm(request.POST, employer=self.employer)
        model_text = _model_text_from(request.POST.get("model_text"))
        form = ContractTermsForm(request.POST, contract_type=model_text.contract_type if model_text else None)
        findings: list[Finding] = []
        if start.is_valid() and form.is_valid():
            worker, model_text = start.cleaned_data["worker"], start.cleaned_data["model_text"]
            fields = form.to_fields()
            terms = services.terms_assemble(employer=self.employer, worker=worker, model_text=model_text,
                                            fields=fields)
            findings = services.terms_check(terms=terms, worker=worker)
            if self.action() in {"save_draft", "save_ready"}:
                try:
                    contract = services.contract_create(
                        employer=self.employer, worker=worker, model_text=model_text, fields=fields,
                        user=request.user, mark_ready=self.action() == "save_ready",
                        acknowledge_warnings=form.cleaned_data.get("acknowledge_warnings", False))
                except ValidationError as exc:
                    self.add_service_errors(form, exc)
                else:
                    messages.success(request, _("合同 %(number)s 已保存。") % {"number": contract.number})
                    return redirect("employer:contract_detail", pk=contract.pk)
        return self.render_form(start_form=start, form=form, creating=True, findings=findings_for_display(findings),
                                model_texts=selectors.model_texts_current(), checked=True)


class ContractEditView(_TermsFormMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        contract = selectors.contract_access(employer=self.employer, contract_id=pk)
        if not contract.is_editable:
            messages.error(request, _(services.NOT_EDITABLE))
            return redirect("employer:contract_detail", pk=contract.pk)
        version = contract.current_version
        form = ContractTermsForm(initial=ContractTermsForm.initial_from_terms(version.terms),
                                 contract_type=contract.model_text.contract_type)
        return self.render_form(form=form, contract=contract, findings=findings_for_display(version.findings))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        contract = selectors.contract_access(employer=self.employer, contract_id=pk)
        form = ContractTermsForm(request.POST, contract_type=contract.model_text.contract_type)
        findings: list[Finding] = []
        if form.is_valid():
            fields = form.to_fields()
            terms = services.terms_assemble(employer=self.employer, worker=contract.worker,
                                            model_text=contract.model_text, fields=fields)
            findings = services.terms_check(terms=terms, worker=contract.worker, contract=contract)
            if self.action() in {"save_draft", "save_ready"}:
                try:
                    version = services.contract_update(
                        contract=contract, fields=fields, user=request.user,
                        mark_ready=self.action() == "save_ready",
                        acknowledge_warnings=form.cleaned_data.get("acknowledge_warnings", False))
                except ValidationError as exc:
                    self.add_service_errors(form, exc)
                else:
                    messages.success(request, _("已保存为第 %(n)d 版。") % {"n": version.number})
                    return redirect("employer:contract_detail", pk=contract.pk)
        return self.render_form(form=form, contract=contract, findings=findings_for_display(findings), checked=True)


def _model_text_from(value: str | None) -> ModelText | None:
    try:
        return ModelText.objects.get(pk=int(value or ""), is_current=True)
    except (ValueError, ModelText.DoesNotExist):
        return None


class ContractDetailView(EmployerStaffMixin, DetailView):
    template_name = "employer/contract_detail.html"
    context_object_name = "contract"

    def get_object(self, queryset: Any = None) -> Contract:
        return selectors.contract_access(employer=self.employer, contract_id=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        version = self.object.current_version
        context.update(version=version, versions=self.object.versions.order_by("-number"),
                       findings=findings_for_display(version.findings if version else []),
                       signing=signing_state(contract=self.object, membership=self.membership))
        return context


class ContractPreviewView(EmployerStaffMixin, View):
    """The contract as the HTML the PDF is printed from (same template)."""

    def get(self, request: HttpRequest, pk: int, number: int) -> HttpResponse:
        contract = selectors.contract_access(employer=self.employer, contract_id=pk)
        version = selectors.contract_version_access(contract=contract, number=number)
        contract_preview_viewed_event(version=version, actor=request.user, request=request)
        response = HttpResponse(contract_version_html(version))
        # The preview shows personal data: keep it out of shared caches.
        response["Cache-Control"] = "private, no-store"
        return response


class ContractPdfView(EmployerStaffMixin, View):
    """Download the archived PDF of one version (rendered on first request if not yet)."""

    def get(self, request: HttpRequest, pk: int, number: int) -> HttpResponse:
        contract = selectors.contract_access(employer=self.employer, contract_id=pk)
        version = selectors.contract_version_access(contract=contract, number=number)
        rendering = contract_version_render(version=version)
        response = HttpResponse(rendered_pdf_bytes(rendering=rendering), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{contract.number}-v{version.number}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class ContractCheckApi(EmployerStaffMixin, View):
    """Live findings while the form is being filled in: POST the form, get JSON back."""

    def post(self, request: HttpRequest) -> JsonResponse:
        contract = None
        if request.POST.get("contract"):
            contract = selectors.contract_access(employer=self.employer, contract_id=request.POST["contract"])
            worker, model_text = contract.worker, contract.model_text
        else:
            start = ContractStartForm(request.POST, employer=self.employer)
            if not start.is_valid():
                return JsonResponse({"ok": False, "form_errors": start.errors.get_json_data(), "findings": []})
            worker, model_text = start.cleaned_data["worker"], start.cleaned_data["model_text"]
        worker = worker_access(employer=self.employer, worker_id=worker.pk)
        form = ContractTermsForm(request.POST, contract_type=model_text.contract_type)
        if not form.is_valid():
            return JsonResponse({"ok": False, "form_errors": json.loads(form.errors.as_json()), "findings": []})
        terms = services.terms_assemble(employer=self.employer, worker=worker, model_text=model_text,
                                        fields=form.to_fields())
        findings = services.terms_check(terms=terms, worker=worker, contract=contract)
        return JsonResponse({"ok": True, "form_errors": {}, "findings": findings_for_display(findings)})
