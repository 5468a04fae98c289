"""The demo outbox page: where the demo and the browser tests read OTPs and signing links."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.views.generic import ListView

from contracts_platform.notifications import selectors


class OutboxView(ListView):
    """Platform admins always; everybody when ``DEBUG`` or ``HEQIAN_DEMO_OUTBOX`` is on.

    Anyone else gets a 404 (an employer's staff need not learn the page exists); an
    anonymous visitor is sent to log in first, since they might be an admin.
    """

    template_name = "notifications/outbox.html"
    context_object_name = "messages_page"
    paginate_by = 50

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.outbox_visible_to(request.user):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404
        self.full_recipients = selectors.outbox_shows_full_recipients(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        # Filtering by the full number would let a masked viewer test numbers one by one.
        recipient = self.request.GET.get("to", "") if self.full_recipients else ""
        return selectors.outbox_list(recipient=recipient)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(full_recipients=self.full_recipients, to=self.request.GET.get("to", ""),
                       demo_mode=selectors.outbox_demo_mode(),
                       show_secrets=selectors.outbox_keeps_secrets())
        return context
