"""Pages of disputes and arrears complaints. Thin: object access, one service call, render or redirect.

Three groups, three URL modules:

* the desk (``/disputes/``): commission clerks, mediators, arbitrators, supervisors,
  legal-aid lawyers, employer staff, bureau officers and platform admins;
* the worker's mobile pages (``/w/disputes/``), behind the worker portal's phone + OTP login;
* the public wage-arrears report (``/arrears/``), no account, phone OTP.

Every object is fetched through ``selectors.case_access`` / ``complaint_access`` (404
for anything not yours); every view of a case, contract, document or package is an
evidence event the parties can read.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import RedirectView

from contracts_platform.accounts.models import Role, User
from contracts_platform.archive.store import archive_get
from contracts_platform.core.errors import ApplicationError
from contracts_platform.disputes import forms, selectors, services
from contracts_platform.disputes.models import CaseAgreement, ClaimType

META_KEYS = ("REMOTE_ADDR", "HTTP_USER_AGENT")


def _meta(request: HttpRequest) -> dict[str, str]:
    return {key: str(request.META.get(key, "")) for key in META_KEYS}


def _errors(request: HttpRequest, exc: ValidationError | ApplicationError) -> None:
    for message in getattr(exc, "messages", None) or [exc.message]:
        messages.error(request, message)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


# --- flow task URLs --------------------------------------------------------------------------------------

class CaseTaskRedirectView(RedirectView):
    """viewflow's task URL for the dispute's human steps: they are done on the case page."""

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        return reverse("disputes:case_detail", args=[self.request.activation.process.case_id])


class ComplaintTaskRedirectView(RedirectView):
    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        return reverse("disputes:complaint_detail", args=[self.request.activation.process.complaint_id])


# --- the desk ------------------------------------------------------------------------------------------------

class DeskView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        cases = list(selectors.visible_cases(user=user)[:200])
        rows = [(case, selectors.next_deadline(case), selectors.overdue(case)) for case in cases]
        context = {
            "rows": rows,
            "intake": [row for row in rows if row[0].status == "filed"
                       and selectors.is_clerk_for(user, row[0].region)],
            "complaint_count": selectors.visible_complaints(user=user).filter(status__in=("submitted", "accepted"))
            .count(),
            "escalation_count": selectors.escalations_for(user=user).filter(acknowledged_at__isnull=True).count(),
            "regions": selectors.district_regions(user),
            "is_commission": selectors.commission_member(user) is not None or selectors.is_platform_admin(user),
            "can_register": selectors.can_register(user),
        }
        return _private(render(request, "disputes/desk.html", context))


class CaseRegisterView(LoginRequiredMixin, View):
    """The clerk registers an application handed in at the commission (walk-in or on paper)."""

    template = "disputes/case_register.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not selectors.can_register(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, {"form": forms.CaseRegisterForm(),
                                               "formset": forms.ClaimFormSet(prefix="claims")})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = forms.CaseRegisterForm(request.POST, request.FILES)
        formset = forms.ClaimFormSet(request.POST, prefix="claims")
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                case = services.dispute_register(
                    user=request.user, worker_name=data["worker_name"], worker_phone=data["worker_phone"],
                    worker_id_number=data["worker_id_number"], employer_credit_code=data["employer_credit_code"],
                    employer_name=data["employer_name"], claims=_claims(formset), facts=data["facts"],
                    files=data["files"], request_meta=_meta(request))
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("已登记，案号 {number}。").format(number=case.number))
                return redirect("disputes:case_detail", pk=case.pk)
        return render(request, self.template, {"form": form, "formset": formset})


def _claims(formset: Any) -> list[services.ClaimInput]:
    return [services.ClaimInput(claim_type=row["claim_type"], amount=row["amount"], note=row.get("note", ""))
            for row in formset.cleaned_data if row and row.get("claim_type")]


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class CaseDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        viewer = selectors.case_access(user=request.user, case_id=pk)
        services.case_viewed(viewer=viewer, what="case", request_meta=_meta(request))
        return _private(render(request, "disputes/case_detail.html", case_context(viewer)))


def case_context(viewer: selectors.CaseViewer) -> dict[str, Any]:
    case = viewer.case
    actions = selectors.available_actions(viewer)
    context: dict[str, Any] = {
        "case": case, "viewer": viewer, "actions": actions,
        "claims": list(case.claims.all()),
        "timeline": selectors.case_timeline(case=case),
        "contracts": selectors.case_contract_rows(viewer=viewer),
        "documents": list(case.documents.all()) if viewer.can_see_evidence else [],
        "agreement": CaseAgreement.objects.filter(case=case).select_related("document").first(),
        "award": _award_of(case),
        "sessions": list(case.mediation_sessions.all()) if viewer.can_see_evidence else [],
        "legal_aid": list(case.legal_aid.select_related("lawyer")),
        "record": list(selectors.case_record(case=case)),
        "access_log": selectors.access_log_rows(case=case) if viewer.is_party else [],
        "steps": selectors.case_steps(case=case),
    }
    forms_by_action = {
        "reject": forms.ReasonForm(), "link": forms.LinkForm(),
        "assign_mediator": forms.AssignForm(candidates=selectors.mediators_for(case.region)),
        "assign_arbitrator": forms.AssignForm(candidates=selectors.arbitrators_for(case.region)),
        "legal_aid_assign": forms.LegalAidAssignForm(), "legal_aid_request": forms.LegalAidRequestForm(),
        "session": forms.SessionForm(), "mediation_fail": forms.MediationFailForm(),
        "agreement_draft": forms.AgreementForm(), "award": forms.AwardForm(), "extend": forms.ReasonForm(),
        "upload": forms.EvidenceUploadForm(),
    }
    context["forms"] = {name: form for name, form in forms_by_action.items() if name in actions}
    return context


def _award_of(case: Any) -> Any:
    from contracts_platform.disputes.models import Award

    return Award.objects.filter(case=case).select_related("document").first()


class CaseActionView(LoginRequiredMixin, View):
    """One POST endpoint per action on a case: check the form, call the service, go back to the case."""

    worker_pages = False

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        viewer = selectors.case_access(user=request.user, case_id=pk)
        handler = getattr(self, f"do_{action}", None)
        if handler is None:
            raise Http404
        try:
            message = handler(request, viewer)
        except ValidationError as exc:
            _errors(request, exc)
        except ApplicationError as exc:
            _errors(request, exc)
        else:
            if message:
                messages.success(request, message)
        return redirect(self.back_url(viewer))

    def back_url(self, viewer: selectors.CaseViewer) -> str:
        name = "worker_disputes:detail" if self.worker_pages else "disputes:case_detail"
        return reverse(name, args=[viewer.case.pk])

    @staticmethod
    def _form(form: Any) -> dict[str, Any]:
        if not form.is_valid():
            raise ValidationError([f"{form.fields[f].label}：{e}" if f != "__all__" else e
                                   for f, errs in form.errors.items() for e in errs])
        return form.cleaned_data

    # commission clerk
    def do_accept(self, request: HttpRequest, viewer: Any) -> str:
        case = services.case_accept(case=viewer.case, user=request.user)
        return _("已受理，程序：{route}。").format(route=case.get_route_display())

    def do_reject(self, request: HttpRequest, viewer: Any) -> str:
        data = self._form(forms.ReasonForm(request.POST))
        services.case_reject(case=viewer.case, user=request.user, reason=data["reason"])
        return _("已作出不予受理决定。")

    def do_link(self, request: HttpRequest, viewer: Any) -> str:
        data = self._form(forms.LinkForm(request.POST))
        linked = services.case_link_contracts(viewer=viewer, number=data["number"], id_number=data["id_number"])
        return _("已关联 {count} 份合同。").format(count=len(linked))

    def do_assign_mediator(self, request: HttpRequest, viewer: Any) -> str:
        data = self._form(forms.AssignForm(request.POST, candidates=selectors.mediators_for(viewer.case.region)))
        services.case_assign_mediator(viewer=viewer, mediator=data["assignee"])
        return _("已指派调解员。")

    def do_assign_arbitrator(self, request: HttpRequest, viewer: Any) -> str:
        data = self._form(forms.AssignForm(request.POST, candidates=selectors.arbitrators_for(viewer.case.region)))
        services.case_assign_arbitrator(viewer=viewer, arbitrator=data["assignee"])
        return _("已组成仲裁庭。")

    def do_legal_aid_assign(self, request: HttpRequest, viewer: Any) -> str:
        data = self._form(forms.LegalAidAssignForm(request.POST))
        lawyer = User.objects.filter(username=data["lawyer"].strip()).first()
        if lawyer is None:
            raise ValidationError(_("没有这个账号。"))
        services.legal_aid_assign(viewer=viewer, lawyer=lawyer, organisation=data["organisation"])
        return _("已指派法律援助律师。")

    # parties
    def do_legal_aid_request(self, request: HttpRequest, viewer: Any) -> str:
        data = self._form(forms.LegalAidRequestForm(request.POST))
        services.legal_aid_request(viewer=viewer, note=data["note"])
        return _("已申请法律援助，仲裁委将为您指派律师。")

    def do_upload(self, request: HttpRequest, viewer: Any) -> str:
        data = self._form(forms.EvidenceUploadForm(request.POST, request.FILES))
        documents = services.evidence_add(viewer=viewer, files=data["files"])
        return _("已提交 {count} 份材料。").format(count=len(documents))

    def do_agreement_accept(self, request: HttpRequest, viewer: Any) -> str:
        services.agreement_decide(viewer=viewer, accept=True, request_meta=_meta(request))
        return _("您已确认调解协议。")

    def do_agreement_decline(self, request: HttpRequest, viewer: Any) -> str:
        services.agreement_decide(viewer=viewer, accept=False, request_meta=_meta(request))
        return _("您已拒绝调解协议，案件将进入仲裁。")

    # mediator
    def do_session(self, request: HttpRequest, viewer: Any) -> str:
        data = self._form(forms.SessionForm(request.POST))
        services.mediation_session_record(viewer=viewer, held_on=data["held_on"], notes=data["notes"])
        return _("已记录调解情况。")

    def do_mediation_fail(self, request: HttpRequest, viewer: Any) -> str:
        data = self._form(forms.MediationFailForm(request.POST))
        services.mediation_fail(viewer=viewer, notes=data["notes"])
        return _("调解不成，案件转入仲裁。")

    def do_agreement_draft(self, request: HttpRequest, viewer: Any) -> str:
        data = self._form(forms.AgreementForm(request.POST))
        services.agreement_draft(viewer=viewer, terms=data["terms"], amount=data["amount"])
        return _("调解协议书已生成，等待双方确认。")

    # arbitrator and supervisor
    def do_award(self, request: HttpRequest, viewer: Any) -> str:
        data = self._form(forms.AwardForm(request.POST))
        services.award_issue(viewer=viewer, text=data["text"], amount=data["amount"])
        return _("裁决书已生成。")

    def do_close(self, request: HttpRequest, viewer: Any) -> str:
        services.case_close(viewer=viewer)
        return _("案件已结案。")

    def do_extend(self, request: HttpRequest, viewer: Any) -> str:
        data = self._form(forms.ReasonForm(request.POST))
        services.award_extend(viewer=viewer, reason=data["reason"])
        return _("已批准延长审理期限15日。")


class CaseContractView(LoginRequiredMixin, View):
    """A linked contract: its verification verdict and the downloads (the contract PDF, its evidence package)."""

    def get(self, request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
        viewer = selectors.case_access(user=request.user, case_id=pk)
        contract = selectors.case_contract_access(viewer=viewer, contract_id=contract_pk)
        services.case_viewed(viewer=viewer, what="contract", object_id=contract.pk, request_meta=_meta(request))
        context = {"case": viewer.case, "viewer": viewer, "contract": contract,
                   "row": selectors.contract_row(contract=contract, fresh=True),
                   "packages_ready": selectors.evidence_packages_available()}
        return _private(render(request, "disputes/case_contract.html", context))


class CaseContractPdfView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
        viewer = selectors.case_access(user=request.user, case_id=pk)
        contract = selectors.case_contract_access(viewer=viewer, contract_id=contract_pk)
        archived = selectors.archived_pdf_for(contract=contract)
        if archived is None:
            raise Http404
        services.case_viewed(viewer=viewer, what="contract_pdf", object_id=contract.pk, sha256=archived.pdf_id,
                             request_meta=_meta(request))
        return _download(archive_get(archived.pdf_id), "application/pdf", f"{contract.number}.pdf")


class CasePackageView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
        viewer = selectors.case_access(user=request.user, case_id=pk)
        contract = selectors.case_contract_access(viewer=viewer, contract_id=contract_pk)
        try:
            data, _sha = services.evidence_package_fetch(viewer=viewer, contract=contract,
                                                         request_meta=_meta(request))
        except services.EvidencePackagesUnavailable:
            messages.error(request, _("证据包服务尚未启用。"))
            return redirect("disputes:case_contract", pk=viewer.case.pk, contract_pk=contract.pk)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("disputes:case_contract", pk=viewer.case.pk, contract_pk=contract.pk)
        return _download(data, "application/zip", f"{viewer.case.number}-{contract.number}-evidence.zip")


class CaseDocumentView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
        viewer = selectors.case_access(user=request.user, case_id=pk)
        document = selectors.case_document_access(viewer=viewer, document_id=document_pk)
        services.case_viewed(viewer=viewer, what="document", object_id=document.pk, sha256=document.stored_id,
                             request_meta=_meta(request))
        return _download(archive_get(document.stored_id), document.content_type, document.filename)


# --- complaints (bureau officers) -------------------------------------------------------------------------

class ComplaintListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        complaints = selectors.visible_complaints(user=request.user)
        status = request.GET.get("status", "open")
        if status == "open":
            complaints = complaints.filter(status__in=("submitted", "accepted"))
        rows = [(c, selectors.complaint_next_deadline(c), selectors.overdue(c)) for c in complaints[:200]]
        return _private(render(request, "disputes/complaint_list.html", {"rows": rows, "status": status}))


class ComplaintDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        complaint = selectors.complaint_access(user=request.user, complaint_id=pk)
        context = {"complaint": complaint, "actions": selectors.complaint_actions(request.user, complaint),
                   "contacts": list(complaint.contacts.select_related("officer")),
                   "record": list(selectors.complaint_record(complaint=complaint)),
                   "next_due": selectors.complaint_next_deadline(complaint), "overdue": selectors.overdue(complaint),
                   "contact_form": forms.ContactForm(), "resolve_form": forms.ResolveForm(),
                   "reject_form": forms.ReasonForm()}
        return _private(render(request, "disputes/complaint_detail.html", context))


class ComplaintActionView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        complaint = selectors.complaint_access(user=request.user, complaint_id=pk)
        try:
            if action == "accept":
                services.arrears_accept(complaint=complaint, user=request.user)
                messages.success(request, _("已受理，已短信告知投诉人。"))
            elif action == "reject":
                data = CaseActionView._form(forms.ReasonForm(request.POST))
                services.arrears_resolve(complaint=complaint, user=request.user, outcome="rejected",
                                         reason=data["reason"])
                messages.success(request, _("已作出不予受理决定，已短信告知投诉人。"))
            elif action == "contact":
                data = CaseActionView._form(forms.ContactForm(request.POST))
                services.arrears_contact_record(complaint=complaint, user=request.user, **data)
                messages.success(request, _("已记录。"))
            elif action == "resolve":
                data = CaseActionView._form(forms.ResolveForm(request.POST))
                complaint = services.arrears_resolve(complaint=complaint, user=request.user, **data)
                messages.success(request, _("已办结：{status}。").format(status=complaint.get_status_display()))
            else:
                raise Http404
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("disputes:complaint_detail", pk=complaint.pk)


class BoardView(LoginRequiredMixin, View):
    """The bureau's view per district: open complaints and cases, next deadline, overdue first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        regions = selectors.district_regions(request.user)
        if not regions:
            raise PermissionDenied
        region = request.GET.get("region") or regions[0]
        if region not in regions:
            raise Http404
        board = selectors.district_board(region=region)
        return _private(render(request, "disputes/board.html", {"board": board, "regions": regions,
                                                                "region": region}))


class EscalationListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        escalations = list(selectors.escalations_for(user=request.user)[:200])
        return _private(render(request, "disputes/escalations.html", {"escalations": escalations}))


class EscalationAckView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        escalation = selectors.escalations_for(user=request.user).filter(pk=pk).first()
        if escalation is None:
            raise Http404
        try:
            services.escalation_acknowledge(escalation=escalation, user=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已阅，督办事项已处理。"))
        return redirect("disputes:escalations")


# --- the worker's mobile pages (/w/disputes/) --------------------------------------------------------------

def _worker_required(view: Any) -> Any:
    """The worker portal's gate (anonymous → its phone + OTP login; other accounts → 403)."""
    try:
        from contracts_platform.portal.portal_views import worker_required
    except ImportError:  # pragma: no cover - the portal ships with the platform
        def worker_required(inner: Any) -> Any:
            def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if request.user.role != Role.WORKER:
                    raise PermissionDenied
                return inner(request, *args, **kwargs)
            return wrapper
    return worker_required(view)


class WorkerMixin:
    """Logged-in workers only, through the worker portal's login (phone + SMS code)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _worker_required(super().dispatch)(request, *args, **kwargs)  # type: ignore[misc]


class WorkerCaseListView(WorkerMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        cases = selectors.visible_cases(user=request.user)
        contracts = selectors.worker_dispute_contracts(user=request.user)
        return _private(render(request, "disputes/worker/list.html", {"cases": cases,
                                                                      "can_file": contracts.exists()}))


class WorkerFileView(WorkerMixin, View):
    template = "disputes/worker/file.html"

    def _contracts(self, request: HttpRequest) -> Any:
        return list(selectors.worker_dispute_contracts(user=request.user))

    def get(self, request: HttpRequest) -> HttpResponse:
        contracts = self._contracts(request)
        initial = {"contract": contracts[0].pk} if len(contracts) == 1 else {}
        form = forms.DisputeFileForm(contracts=contracts, initial=initial)
        formset = forms.ClaimFormSet(prefix="claims")
        return render(request, self.template, {"form": form, "formset": formset, "contracts": contracts,
                                               "claim_types": ClaimType.choices})

    def post(self, request: HttpRequest) -> HttpResponse:
        contracts = self._contracts(request)
        form = forms.DisputeFileForm(request.POST, request.FILES, contracts=contracts)
        formset = forms.ClaimFormSet(request.POST, prefix="claims")
        if form.is_valid() and formset.is_valid():
            try:
                case = services.dispute_file(user=request.user, contract_id=form.cleaned_data["contract"],
                                             claims=_claims(formset), facts=form.cleaned_data["facts"],
                                             files=form.cleaned_data["files"], request_meta=_meta(request))
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("仲裁申请已提交，案号 {number}。仲裁委将在5日内决定是否受理。").format(
                    number=case.number))
                return redirect("worker_disputes:detail", pk=case.pk)
        return render(request, self.template, {"form": form, "formset": formset, "contracts": contracts,
                                               "claim_types": ClaimType.choices}, status=200)


class WorkerCaseDetailView(WorkerMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        viewer = selectors.case_access(user=request.user, case_id=pk)
        services.case_viewed(viewer=viewer, what="case", request_meta=_meta(request))
        return _private(render(request, "disputes/worker/detail.html", case_context(viewer)))


class WorkerCaseActionView(WorkerMixin, CaseActionView):
    worker_pages = True
    allowed = {"legal_aid_request", "upload", "agreement_accept", "agreement_decline"}

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        if action not in self.allowed:
            raise Http404
        return super().post(request, pk, action)


class WorkerDocumentView(WorkerMixin, CaseDocumentView):
    pass


# --- the public wage-arrears report (/arrears/) -----------------------------------------------------------

class ArrearsReportView(View):
    template = "disputes/arrears/report.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, {"form": forms.ArrearsReportForm(), "code_sent": False})

    def post(self, request: HttpRequest) -> HttpResponse:
        from contracts_platform.identity.errors import OtpError

        form = forms.ArrearsReportForm(request.POST)
        code_sent = request.POST.get("code_sent") == "1"
        if request.POST.get("action") == "send_code":
            # Only the phone matters for sending; the other fields keep what was typed.
            phone_form = forms.ArrearsCodeForm(request.POST)
            try:
                if not phone_form.is_valid():
                    raise ValidationError(_("请填写手机号码。"))
                services.arrears_code_send(phone=phone_form.cleaned_data["phone"])
            except (ValidationError, OtpError) as exc:
                form = forms.ArrearsReportForm(request.POST)
                form.is_valid()
                form.errors.clear()
                form.add_error("phone", exc.messages[0] if isinstance(exc, ValidationError) else exc.message)
            else:
                code_sent = True
                messages.success(request, _("验证码已发送，请查看短信。"))
                form = forms.ArrearsReportForm(request.POST)
                form.is_valid()
                form.errors.clear()
            return render(request, self.template, {"form": form, "code_sent": code_sent})
        if form.is_valid():
            data = form.cleaned_data
            if not data.get("code"):
                form.add_error("code", _("请填写短信验证码。"))
            else:
                report = services.ArrearsInput(
                    project_name=data["project_name"], employer_name=data["employer_name"],
                    district=data["district"], amount=data["amount"], months_owed=data["months_owed"],
                    workers_affected=data["workers_affected"], reporter_name=data["reporter_name"],
                    description=data["description"])
                try:
                    complaint = services.arrears_report(phone=data["phone"], code=data["code"], report=report,
                                                        request_meta=_meta(request))
                except OtpError as exc:
                    form.add_error("code", exc.message)
                except ValidationError as exc:
                    for message in exc.messages:
                        form.add_error(None, message)
                else:
                    return redirect("arrears:status", token=complaint.public_token)
        return render(request, self.template, {"form": form, "code_sent": code_sent})


class ArrearsStatusView(View):
    """The reporter's status page (the SMS links here): number, status, dates, outcome; no personal data."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        complaint = selectors.complaint_by_token(token=token)
        return _private(render(request, "disputes/arrears/status.html", {
            "complaint": complaint, "next_due": selectors.complaint_next_deadline(complaint)}))

