"""The worker's signing pages behind the SMS link: ``/s/<token>/...``.

Plain HTML forms and one small script (the signature pad), so they work in WeChat's
built-in browser and on cheap phones. Order: landing (who, what, free, how) → identity
(name + ID number) → SMS code → read every page → intent (tick + second SMS code) →
handwritten signature, or decline with a reason. Where the worker is lives in the session
(``portal.state``); each view checks the steps before it server-side (``_gate``).

Every page that shows personal data is ``never_cache`` (private, no-store): a shared
phone's back button or a proxy must not bring a contract back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contracts_platform.accounts.models import Role
from contracts_platform.archive.store import archive_get
from contracts_platform.contracts.models import Contract, ContractStatus
from contracts_platform.core import pii
from contracts_platform.identity.errors import (
    IDENTITY_LOCKED,
    IdentityError,
    IdentityFlowError,
    InvitationError,
    OtpError,
)
from contracts_platform.identity.invitations import request_client
from contracts_platform.identity.models import OtpPurpose, SigningInvitation
from contracts_platform.identity.services import identity_verify, invitation_mark_opened, invitation_resolve
from contracts_platform.identity.verification import IDENTITY_FAILED
from contracts_platform.portal import selectors, services
from contracts_platform.portal.forms import (
    INTENT_STATEMENT,
    CodeForm,
    DeclineForm,
    IdentityForm,
    IntentForm,
    SignatureForm,
)
from contracts_platform.portal.reading import (
    ReadingError,
    reading_document_get,
    reading_page_get,
    reading_page_text,
    reflow,
)
from contracts_platform.portal.state import (
    Done,
    SigningState,
    Step,
    done_load,
    done_save,
    now_iso,
    state_clear,
    state_load,
    state_save,
)
from workflows import services as workflow_services

logger = logging.getLogger(__name__)

STEP_ORDER = (Step.IDENTITY, Step.OTP, Step.READ, Step.INTENT, Step.SIGN)
IDENTITY_AGAIN = gettext_noop("为保护您的安全，距上次核验已超过1小时，请重新核验身份。")
INTENT_AGAIN = gettext_noop("确认签署意愿后超过15分钟未签名，请重新确认。")
ATTEMPTS_LEFT = gettext_noop("还可以再试 {n} 次。")
CODE_SENT = gettext_noop("验证码已发送到 {phone}。")
NOT_READ_YET = gettext_noop("请先阅读完合同的每一页，再确认签署。")
ALREADY_DECIDED_STATUS = 409
LINK_ERROR_STATUS = {"unknown": 404, "expired": 410, "used": 410, "revoked": 410}

View = Callable[..., HttpResponse]


# --- plumbing ------------------------------------------------------------------------------------------


def _link_unusable(request: HttpRequest, token: str, exc: InvitationError) -> HttpResponse:
    """The friendly page for a link that no longer (or never did) work; never a 500."""
    done = done_load(request)
    if exc.code == "used" and done is not None and done.invitation_id == selectors.invitation_id_for_token(token):
        # This browser used the link a moment ago: a second submission, or the back button.
        if request.method == "POST":
            return _already_decided(request, done=done)
        return redirect("sign:done")
    return render(request, "worker/link_error.html", {"code": exc.code, "message": exc.message},
                  status=LINK_ERROR_STATUS.get(exc.code, 410))


def _already_decided(request: HttpRequest, *, done: Done | None) -> HttpResponse:
    return render(request, "worker/done.html", {
        "done": done, "contract": _done_contract(done), "error": _(workflow_services.ALREADY_DECIDED)},
        status=ALREADY_DECIDED_STATUS)


def _with_invitation(view: View) -> View:
    """Resolve the token (an unusable link gets its page) and load this session's state for it."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
        try:
            invitation = invitation_resolve(token=token)
            return view(request, invitation=invitation, state=state_load(request, invitation.pk), token=token,
                        **kwargs)
        except InvitationError as exc:  # also raised mid-way, e.g. the link was revoked meanwhile
            return _link_unusable(request, token, exc)

    return wrapper


def signing_page(view: View) -> View:
    """A page of the signing journey: ``_with_invitation``, and never stored by any cache."""
    return never_cache(_with_invitation(view))


def _step_url(step: str, token: str, state: SigningState) -> str:
    if step == Step.READ:
        return reverse("sign:read", args=[token, state.first_unread_page() if state.pages else 1])
    names = {Step.IDENTITY: "sign:identity", Step.OTP: "sign:code", Step.INTENT: "sign:intent",
             Step.SIGN: "sign:sign"}
    return reverse(names[step], args=[token])


def _gate(request: HttpRequest, state: SigningState, token: str, needed: str) -> HttpResponse | None:
    """Redirect to the first step not passed yet, if it comes before ``needed``."""
    missing = state.next_step()
    if STEP_ORDER.index(missing) >= STEP_ORDER.index(needed):
        return None
    if state.identity_expired:
        messages.info(request, _(IDENTITY_AGAIN))
    elif missing == Step.INTENT and state.intent_at:
        messages.info(request, _(INTENT_AGAIN))
    elif missing == Step.READ and needed in (Step.INTENT, Step.SIGN):
        messages.info(request, _(NOT_READ_YET))
    return redirect(_step_url(missing, token, state))


def _context(invitation: SigningInvitation, token: str, **extra: Any) -> dict[str, Any]:
    return {"invitation": invitation, "token": token,
            "summary": selectors.contract_summary(contract=invitation.contract, version=invitation.contract_version),
            "phone_masked": pii.mask_phone(invitation.worker.phone), **extra}


def _done_contract(done: Done | None) -> Contract | None:
    return Contract.objects.select_related("employer").filter(pk=done.contract_id).first() if done else None


# --- 1. landing -------------------------------------------------------------------------------------


@require_GET
@signing_page
def landing(request: HttpRequest, *, invitation: SigningInvitation, state: SigningState, token: str
            ) -> HttpResponse:
    """Who asks, what, that it is free, how it works, how to get the contract later (Guideline Art 6)."""
    invitation_mark_opened(invitation=invitation, request_meta=request.META)
    started = state.identity_ok
    return render(request, "worker/landing.html", _context(
        invitation, token, started=started, portal_url=request.build_absolute_uri(reverse("portal:contracts")),
        continue_url=_step_url(state.next_step(), token, state) if started else reverse("sign:identity",
                                                                                       args=[token])))


# --- 2. identity + SMS code ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@signing_page
def identity(request: HttpRequest, *, invitation: SigningInvitation, state: SigningState, token: str
             ) -> HttpResponse:
    if state.otp_ok:
        return redirect(_step_url(state.next_step(), token, state))
    if state.identity_ok:
        return redirect("sign:code", token)
    attempts_left = selectors.identity_attempts_left(invitation=invitation)
    form = IdentityForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        try:
            result = identity_verify(invitation=invitation, claimed_name=form.cleaned_data["name"],
                                     claimed_id_number=form.cleaned_data["id_number"], request_meta=request.META)
        except IdentityError as exc:  # locked: too many failures within the hour
            error, status = exc.message, 429
        else:
            if result.ok:
                check = selectors.latest_passed_identity_check(invitation=invitation)
                # A new session key once identity is proven: a key planted before cannot ride along.
                request.session.cycle_key()
                state = SigningState(invitation_id=invitation.pk, identity_at=now_iso(),
                                     identity_check_id=check.pk if check else None, identity_method=result.method)
                state = _send_code(request, invitation, state, OtpPurpose.IDENTITY)
                state_save(request, state)
                return redirect("sign:code", token)
            attempts_left = selectors.identity_attempts_left(invitation=invitation)
            error = " ".join([_(IDENTITY_FAILED), _(ATTEMPTS_LEFT).format(n=attempts_left)]) if attempts_left else ""
    if attempts_left == 0 and not error:
        minutes = selectors.identity_lock_minutes(invitation=invitation)
        error, status = _(IDENTITY_LOCKED).format(minutes=minutes), 429
    return render(request, "worker/identity.html", _context(
        invitation, token, form=form, error=error, locked=attempts_left == 0, step=1), status=status)


def _send_code(request: HttpRequest, invitation: SigningInvitation, state: SigningState, purpose: OtpPurpose
               ) -> SigningState:
    """Text a code; a refusal (throttled, locked) becomes a message on the next page, not an error page."""
    try:
        services.signing_code_send(invitation=invitation, purpose=purpose)
    except OtpError as exc:
        messages.error(request, exc.message)
        return state
    messages.success(request, _(CODE_SENT).format(phone=pii.mask_phone(invitation.worker.phone)))
    if purpose == OtpPurpose.IDENTITY:
        return replace(state, otp_sent_at=now_iso())
    return replace(state, intent_otp_sent_at=now_iso())


@require_http_methods(["GET", "POST"])
@signing_page
def code(request: HttpRequest, *, invitation: SigningInvitation, state: SigningState, token: str) -> HttpResponse:
    if response := _gate(request, state, token, Step.OTP):
        return response
    if state.otp_ok:
        return redirect(_step_url(state.next_step(), token, state))
    form = CodeForm(request.POST if request.POST.get("action") == "verify" else None)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "resend":
        state_save(request, _send_code(request, invitation, state, OtpPurpose.IDENTITY))
        return redirect("sign:code", token)
    if request.method == "POST" and form.is_valid():
        try:
            services.signing_code_verify(invitation=invitation, purpose=OtpPurpose.IDENTITY,
                                         code=form.cleaned_data["code"])
        except OtpError as exc:
            form.add_error("code", exc.message)
            status = 429 if exc.code == "locked" else 200
        else:
            state = replace(state, otp_at=now_iso())
            state_save(request, state)
            return redirect(_step_url(state.next_step(), token, state))
    return render(request, "worker/code.html", _context(
        invitation, token, form=form, code_sent=bool(state.otp_sent_at), step=1), status=status)


# --- 3. reading --------------------------------------------------------------------------------------------


def _reading_document(request: HttpRequest, invitation: SigningInvitation, token: str
                      ) -> tuple[Any, HttpResponse | None]:
    """The sealed PDF prepared for reading, or the page to show instead (still sealing, or broken)."""
    sealed = selectors.sealed_document_for(version=invitation.contract_version)
    if sealed is None:
        # The seal step runs in the background right after approval; usually seconds.
        return None, render(request, "worker/preparing.html", _context(invitation, token, step=2))
    try:
        return reading_document_get(source=sealed.pdf), None
    except ReadingError:
        logger.exception("cannot prepare %s for reading", sealed.pdf_id)
        return None, render(request, "worker/preparing.html", _context(invitation, token, step=2, broken=True),
                            status=503)


@require_GET
@signing_page
def read(request: HttpRequest, *, invitation: SigningInvitation, state: SigningState, token: str, page: int
         ) -> HttpResponse:
    if response := _gate(request, state, token, Step.READ):
        return response
    document, response = _reading_document(request, invitation, token)
    if response is not None:
        return response
    if not 1 <= page <= document.pages:
        raise Http404
    state.reading_of(pdf_sha256=document.source_id, pages=document.pages)
    try:
        image = services.signing_page_view(invitation=invitation, document=document, page=page,
                                           request_meta=request.META)
    except ReadingError:
        logger.exception("cannot render page %s of %s", page, document.source_id)
        return render(request, "worker/preparing.html", _context(invitation, token, step=2, broken=True),
                      status=503)
    if state.mark_viewed(page):
        services.signing_read_to_end(invitation=invitation, document=document, request_meta=request.META)
    state_save(request, state)
    unread = [p for p in range(1, document.pages + 1) if p not in set(state.viewed)]
    return render(request, "worker/read.html", _context(
        invitation, token, step=2, page=page, pages=document.pages, image=image, unread=unread,
        text_blocks=reflow(reading_page_text(document=document, page=page)), read_ok=state.read_ok,
        progress=round(100 * len(state.viewed) / document.pages),
        prev_page=page - 1 if page > 1 else None, next_page=page + 1 if page < document.pages else None))


@require_GET
@_with_invitation
def page_image(request: HttpRequest, *, invitation: SigningInvitation, state: SigningState, token: str, page: int
               ) -> HttpResponse:
    """The PNG of one page: only to the session that passed identity and the SMS code for this link."""
    if not state.otp_ok:
        raise Http404
    sealed = selectors.sealed_document_for(version=invitation.contract_version)
    if sealed is None:
        raise Http404
    try:
        document = reading_document_get(source=sealed.pdf)
        if not 1 <= page <= document.pages:
            raise Http404
        image = reading_page_get(document=document, page=page)
    except ReadingError as exc:
        raise Http404 from exc
    if request.headers.get("If-None-Match") == f'"{image.image_id}"':
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(archive_get(image.image_id), content_type="image/png")
    response["ETag"] = f'"{image.image_id}"'
    # The image of a page never changes for this URL, so the phone may keep it for a while
    # (cheap re-reading on a slow link); no shared cache may (it shows the worker's details).
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- 4. intent, signature, decline ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@signing_page
def intent(request: HttpRequest, *, invitation: SigningInvitation, state: SigningState, token: str
           ) -> HttpResponse:
    if response := _gate(request, state, token, Step.INTENT):
        return response
    if state.intent_ok:
        return redirect("sign:sign", token)
    action = request.POST.get("action", "")
    form = IntentForm(request.POST or None, initial={"confirm": bool(state.intent_checked_at)})
    code_form = CodeForm(request.POST if action == "verify" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if action == "send":
            state = _send_code(request, invitation, replace(state, intent_checked_at=now_iso()), OtpPurpose.SIGNING)
            state_save(request, state)
            return redirect("sign:intent", token)
        if action == "verify" and code_form.is_valid():
            try:
                services.signing_intent_confirm(
                    invitation=invitation, code=code_form.cleaned_data["code"], statement=INTENT_STATEMENT,
                    language=get_language() or "", pdf_sha256=state.pdf_sha256,
                    identity_check_id=state.identity_check_id, read_at=state.read_at, request_meta=request.META)
            except OtpError as exc:
                code_form.add_error("code", exc.message)
                status = 429 if exc.code == "locked" else 200
            else:
                state_save(request, replace(state, intent_at=now_iso(), intent_checked_at=state.intent_checked_at
                                            or now_iso()))
                return redirect("sign:sign", token)
    return render(request, "worker/intent.html", _context(
        invitation, token, step=3, form=form, code_form=code_form, code_sent=bool(state.intent_otp_sent_at),
        pages=state.pages), status=status)


def _intent_record(request: HttpRequest, state: SigningState) -> dict[str, Any]:
    """How identity and intent were verified, for the signature's evidence (Guideline Art 7)."""
    ip, user_agent = request_client(request.META)
    return {"method": "sms_otp", "statement": INTENT_STATEMENT, "language": get_language() or "",
            "identity_check_id": state.identity_check_id, "identity_method": state.identity_method,
            "identity_at": state.identity_at, "identity_otp_at": state.otp_at, "intent_otp_at": state.intent_at,
            "read_to_end_at": state.read_at, "pages": state.pages, "pages_viewed": list(state.viewed),
            "sealed_pdf_sha256": state.pdf_sha256, "invitation_id": state.invitation_id, "ip": ip,
            "user_agent": user_agent}


@require_http_methods(["GET", "POST"])
@signing_page
def sign(request: HttpRequest, *, invitation: SigningInvitation, state: SigningState, token: str) -> HttpResponse:
    if response := _gate(request, state, token, Step.SIGN):
        return response
    form = SignatureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workflow_services.worker_sign(invitation=invitation, signature_png=form.cleaned_data["signature"],
                                          intent=_intent_record(request, state))
        except ValidationError as exc:
            if exc.code == "already_decided":
                return _already_decided(request, done=done_load(request))
            form.add_error("signature", exc)
        else:
            return _finish(request, invitation, outcome="signed")
    return render(request, "worker/sign.html", _context(invitation, token, step=3, form=form),
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@signing_page
def decline(request: HttpRequest, *, invitation: SigningInvitation, state: SigningState, token: str
            ) -> HttpResponse:
    """Refuse with a reason; allowed after identity and the SMS code, read or not."""
    if response := _gate(request, state, token, Step.READ):
        return response
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        record = {k: v for k, v in _intent_record(request, state).items()
                  if k not in ("statement", "intent_otp_at", "method")}
        try:
            workflow_services.worker_decline(invitation=invitation, reason=form.cleaned_data["reason"],
                                             request_meta=record)
        except ValidationError as exc:
            if exc.code == "already_decided":
                return _already_decided(request, done=done_load(request))
            form.add_error(None, exc)  # {"reason": ...} lands on the field
        else:
            return _finish(request, invitation, outcome="declined")
    return render(request, "worker/decline.html", _context(invitation, token, step=3, form=form))


def _finish(request: HttpRequest, invitation: SigningInvitation, *, outcome: str) -> HttpResponse:
    done_save(request, Done(invitation_id=invitation.pk, contract_id=invitation.contract_id,
                            worker_id=invitation.worker_id, outcome=outcome, at=timezone.now().isoformat()))
    state_clear(request, invitation.pk)
    return redirect("sign:done")


# --- 5. done, and the hand-off to the portal ------------------------------------------------------------


@require_GET
@never_cache
def done(request: HttpRequest) -> HttpResponse:
    """After the link was used: from the session, since the token no longer resolves."""
    record = done_load(request)
    contract = _done_contract(record)
    return render(request, "worker/done.html", {
        "done": record, "contract": contract,
        "effective": contract is not None and contract.status == ContractStatus.EFFECTIVE,
        "portal_user": request.user.is_authenticated and getattr(request.user, "role", "") == Role.WORKER})


@require_POST
@never_cache
def done_portal(request: HttpRequest) -> HttpResponse:
    """Log the worker who just signed into "我的合同" without a third SMS (see services.worker_account_for_signer)."""
    record = done_load(request)
    if record is None or not record.handoff_allowed:
        return redirect("portal:login")
    invitation = SigningInvitation.objects.select_related("worker", "contract").get(pk=record.invitation_id)
    try:
        user = services.worker_account_for_signer(invitation=invitation, request_meta=request.META)
    except IdentityFlowError as exc:
        messages.error(request, exc.message)
        return redirect("portal:login")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    done_save(request, replace(record, portal_handoff_used=True))
    return redirect("portal:contracts")
