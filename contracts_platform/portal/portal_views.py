"""The worker portal, "我的合同": ``/w/``. Login by phone + SMS code, list, free download, logout.

Guideline Art 11–12: the worker can view, download and print their contracts at any time,
free, on common devices, also after they have left the employer. Access is per object
(``selectors.worker_contract_access``): another person's contract is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contracts_platform.accounts.models import Role
from contracts_platform.core import pii
from contracts_platform.identity.errors import IdentityFlowError, OtpError
from contracts_platform.identity.otp import normalise_phone
from contracts_platform.identity.services import worker_login_finish, worker_login_start
from contracts_platform.portal import selectors, services
from contracts_platform.portal.forms import CodeForm, PhoneForm

LOGIN_PHONE_KEY = "heqian.portal.login_phone"
LOGIN_NEXT_KEY = "heqian.portal.login_next"
# Said whether or not the phone is on file: the login must not tell who is registered.
LOGIN_CODE_SENT = gettext_noop("如果该号码登记在用人单位的劳动者信息中，验证码已发送到 {phone}。")
LOGGED_OUT = gettext_noop("您已退出。")

View = Callable[..., HttpResponse]


def _is_worker(request: HttpRequest) -> bool:
    return request.user.is_authenticated and getattr(request.user, "role", "") == Role.WORKER


def worker_required(view: View) -> View:
    """Anonymous → the portal's own login (not the employer's); another kind of account → a 403 page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('portal:login')}?{urlencode({'next': request.get_full_path()})}")
        if not _is_worker(request):
            return render(request, "worker/not_worker.html", status=403)
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and candidate.startswith("/w/") and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return reverse("portal:contracts")


@require_http_methods(["GET", "POST"])
@never_cache
def login_phone(request: HttpRequest) -> HttpResponse:
    if _is_worker(request):
        return redirect("portal:contracts")
    form = PhoneForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            phone = normalise_phone(form.cleaned_data["phone"])
            worker_login_start(phone=phone)
        except ValidationError as exc:
            form.add_error("phone", exc)
        except OtpError as exc:
            form.add_error("phone", exc.message)
            status = 429
        else:
            request.session[LOGIN_PHONE_KEY] = phone
            request.session[LOGIN_NEXT_KEY] = _safe_next(request, request.GET.get("next"))
            messages.success(request, _(LOGIN_CODE_SENT).format(phone=pii.mask_phone(phone)))
            return redirect("portal:login_code")
    return render(request, "worker/login.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    phone = request.session.get(LOGIN_PHONE_KEY)
    if not phone:
        return redirect("portal:login")
    status = 200
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            worker_login_start(phone=phone)
        except OtpError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _(LOGIN_CODE_SENT).format(phone=pii.mask_phone(phone)))
        return redirect("portal:login_code")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = worker_login_finish(phone=phone, code=form.cleaned_data["code"])
        except OtpError as exc:
            form.add_error("code", exc.message)
            status = 429 if exc.code == "locked" else 200
        except IdentityFlowError as exc:
            form.add_error("code", exc.message)
        else:
            target = _safe_next(request, request.session.get(LOGIN_NEXT_KEY))
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.pop(LOGIN_PHONE_KEY, None)
            request.session.pop(LOGIN_NEXT_KEY, None)
            return redirect(target)
    return render(request, "worker/login_code.html", {"form": form, "phone_masked": pii.mask_phone(phone)},
                  status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _(LOGGED_OUT))
    return redirect("portal:login")


@require_GET
@worker_required
def contracts(request: HttpRequest) -> HttpResponse:
    return render(request, "worker/contracts.html", {"rows": selectors.worker_contract_rows(user=request.user)})


@require_GET
@worker_required
def contract_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    contract = selectors.worker_contract_access(user=request.user, contract_id=pk)
    download = services.worker_pdf_download(user=request.user, contract=contract, request_meta=request.META)
    if download is None:
        raise Http404
    data, document = download
    response = HttpResponse(data, content_type="application/pdf")
    # The number is ASCII (HQ + year + digits); the stage tells a sealed copy from the final one.
    suffix = "" if document.stage == "archived" else f"-{document.stage}"
    response["Content-Disposition"] = f'attachment; filename="{contract.number}{suffix}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
