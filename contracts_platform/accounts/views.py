"""Login, logout, and the start page that sends each kind of user to their home."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from contracts_platform.accounts.models import Role
from contracts_platform.parties.access import SESSION_EMPLOYER_KEY
from contracts_platform.parties.selectors import memberships_for


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if memberships_for(request.user).exists():
        return redirect("employer:dashboard")
    if request.user.role == Role.PLATFORM_ADMIN or request.user.is_staff:
        return redirect("admin:index")
    if request.user.role == Role.WORKER:
        return redirect("/w/")
    if request.user.role in (Role.MEDIATOR, Role.ARBITRATOR, Role.BUREAU_OFFICER):
        # Commission and bureau staff (and legal-aid lawyers assigned to a case) work from the disputes desk.
        return redirect("/disputes/")
    return render(request, "accounts/no_portal.html", status=200)


@login_required
@require_POST
def switch_employer(request: HttpRequest, employer_id: int) -> HttpResponse:
    # Only an employer the user is a member of can be chosen; anything else is ignored.
    if memberships_for(request.user).filter(employer_id=employer_id).exists():
        request.session[SESSION_EMPLOYER_KEY] = employer_id
    return redirect("employer:dashboard")
