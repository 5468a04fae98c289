"""The employer-staff gate every employer view goes through."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from contracts_platform.parties.selectors import membership_for

SESSION_EMPLOYER_KEY = "heqian_employer_id"


class EmployerStaffMixin(LoginRequiredMixin):
    """Requires a membership; exposes ``self.membership`` and ``self.employer``.

    Object lookups in subclasses must go through the selectors' ``*_access``
    helpers with ``employer=self.employer``; that is the object-level check.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        membership = membership_for(request.user, request.session.get(SESSION_EMPLOYER_KEY))
        if membership is None:
            raise PermissionDenied
        self.membership = membership
        self.employer = membership.employer
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(membership=self.membership, employer=self.employer)
        return context
