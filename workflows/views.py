"""Employer-facing views of the signing process. Thin: object checks, one service call, redirect.

Employer staff act on the process from their contract page; viewflow's own
screens are mounted for platform admins only (they list every employer's
processes and check no object-level access), and its task URLs for our View
nodes just send the user to the contract page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import RedirectView
from viewflow.workflow import chart

from contracts_platform.contracts.selectors import contract_access
from contracts_platform.parties.access import EmployerStaffMixin
from workflows import services


class TaskInEmployerPortalView(RedirectView):
    """viewflow's task URL for our human steps: they are done on the contract page."""

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str:
        process = self.request.activation.process
        return reverse("employer:contract_detail", args=[process.contract_id])


class _SigningAction(EmployerStaffMixin, View):
    success_message = ""

    def act(self, request: HttpRequest, contract: Any) -> None:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        contract = contract_access(employer=self.employer, contract_id=pk)
        try:
            self.act(request, contract)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.success_message)
        return redirect("employer:contract_detail", pk=contract.pk)


class SigningStartView(_SigningAction):
    @property
    def success_message(self) -> str:
        return _("已发起签署，等待授权签字人审批。")

    def act(self, request: HttpRequest, contract: Any) -> None:
        services.contract_signing_start(contract=contract, user=request.user)


class ApprovalDecisionView(_SigningAction):
    @property
    def success_message(self) -> str:
        return _("已提交审批意见。")

    def act(self, request: HttpRequest, contract: Any) -> None:
        services.approval_decide(contract=contract, user=request.user,
                                 approved=request.POST.get("decision") == "approve",
                                 comment=request.POST.get("comment", "")[:500])


class ResubmitView(_SigningAction):
    @property
    def success_message(self) -> str:
        return _("已重新提交审批。")

    def act(self, request: HttpRequest, contract: Any) -> None:
        services.revision_resubmit(contract=contract, user=request.user)


class WithdrawView(_SigningAction):
    @property
    def success_message(self) -> str:
        return _("已撤回签署，劳动者收到的链接已失效。")

    def act(self, request: HttpRequest, contract: Any) -> None:
        services.contract_signing_withdraw(contract=contract, user=request.user,
                                           reason=request.POST.get("reason", "")[:500])


class RemindView(_SigningAction):
    @property
    def success_message(self) -> str:
        return _("已向劳动者发送提醒短信。")

    def act(self, request: HttpRequest, contract: Any) -> None:
        services.contract_signing_remind(contract=contract, user=request.user)


class RetryView(_SigningAction):
    @property
    def success_message(self) -> str:
        return _("已重新执行失败的步骤。")

    def act(self, request: HttpRequest, contract: Any) -> None:
        services.retry_failed_step(contract=contract, user=request.user)


class ProcessChartView(EmployerStaffMixin, View):
    """The process diagram with this contract's progress (SVG), for its own employer only."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        contract = contract_access(employer=self.employer, contract_id=pk)
        process = services.signing_process_for(contract=contract)
        from workflows.contract_flow import ContractSigningFlow

        grid = chart.calc_layout_data(ContractSigningFlow)
        if process is not None:
            chart.calc_cell_status(ContractSigningFlow, grid, process.pk)
        response = HttpResponse(chart.grid_to_svg(grid), content_type="image/svg+xml")
        response["Cache-Control"] = "private, no-store"
        return response


