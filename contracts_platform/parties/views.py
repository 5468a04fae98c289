"""Employer-side worker roster views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from contracts_platform.contracts.forms import WorkerForm
from contracts_platform.parties import services
from contracts_platform.parties.access import EmployerStaffMixin
from contracts_platform.parties.selectors import worker_list


class WorkerListView(EmployerStaffMixin, ListView):
    template_name = "employer/worker_list.html"
    context_object_name = "workers"
    paginate_by = 20

    def get_queryset(self) -> Any:
        return worker_list(employer=self.employer, q=self.request.GET.get("q", ""))


class WorkerCreateView(EmployerStaffMixin, FormView):
    template_name = "employer/worker_form.html"
    form_class = WorkerForm

    def form_valid(self, form: WorkerForm) -> HttpResponse:
        try:
            worker = services.worker_create(employer=self.employer, created_by=self.request.user,
                                            **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, _("已添加劳动者 %(name)s。") % {"name": worker.name})
        next_url = self.request.GET.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={self.request.get_host()}):
            return redirect(f"{next_url}{'&' if '?' in next_url else '?'}worker={worker.pk}")
        return redirect("employer:worker_list")
