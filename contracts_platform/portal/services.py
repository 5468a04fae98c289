"""Writes of the worker's pages: OTPs for this signing, reading and intent evidence, portal hand-off.

Signing itself and declining are ``workflows.services.worker_sign`` / ``worker_decline``;
identity checks are ``identity.services.identity_verify``. Here is only what the mobile
pages add around them. OTP calls run in their own durable transactions (see
``identity.otp``), so nothing here wraps them in ``transaction.atomic``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from contracts_platform.accounts.models import Role, User
from contracts_platform.archive.store import archive_get
from contracts_platform.contracts.models import Contract
from contracts_platform.identity.errors import IdentityFlowError
from contracts_platform.identity.invitations import request_client
from contracts_platform.identity.login import LOGIN_ACCOUNT_CONFLICT, LOGIN_ACCOUNT_DISABLED, worker_username
from contracts_platform.identity.models import OtpChallenge, OtpPurpose, SigningInvitation
from contracts_platform.identity.services import otp_send, otp_verify
from contracts_platform.parties.models import Worker
from contracts_platform.portal import events
from contracts_platform.portal.models import ReadingDocument, ReadingPage
from contracts_platform.portal.reading import reading_page_get
from contracts_platform.portal.selectors import worker_document_for
from signing.django_app.models import SignedDocument


def signing_code_send(*, invitation: SigningInvitation, purpose: OtpPurpose) -> OtpChallenge:
    """Text a code for this signing (``IDENTITY`` or ``SIGNING``) to the phone on file.

    The phone is the employer's record of the worker, never one typed on the page:
    the code proves the person holding the link also holds that phone. Raises
    ``OtpError`` (throttled/locked).
    """
    return otp_send(phone=invitation.worker.phone, purpose=purpose, subject=invitation.contract)


def signing_code_verify(*, invitation: SigningInvitation, purpose: OtpPurpose, code: str) -> None:
    """Raises ``OtpError`` (wrong/expired/locked/no_challenge); a wrong code counts even so."""
    otp_verify(phone=invitation.worker.phone, purpose=purpose, code=code)


def signing_page_view(*, invitation: SigningInvitation, document: ReadingDocument, page: int,
                      request_meta: Mapping[str, Any] | None) -> ReadingPage:
    """Page ``page`` shown to the worker: its image (rendered on first use) and a ``signing.page_viewed`` event."""
    image = reading_page_get(document=document, page=page)
    ip, user_agent = request_client(request_meta)
    with transaction.atomic():
        events.page_viewed_event(invitation=invitation, page=page, pages=document.pages,
                                 pdf_sha256=document.source_id, image_sha256=image.image_id, ip=ip,
                                 user_agent=user_agent)
    return image


def signing_read_to_end(*, invitation: SigningInvitation, document: ReadingDocument,
                        request_meta: Mapping[str, Any] | None) -> None:
    ip, user_agent = request_client(request_meta)
    with transaction.atomic():
        events.read_to_end_event(invitation=invitation, pages=document.pages, pdf_sha256=document.source_id,
                                 ip=ip, user_agent=user_agent)


def signing_intent_confirm(*, invitation: SigningInvitation, code: str, statement: str, language: str,
                           pdf_sha256: str, identity_check_id: int | None, read_at: str | None,
                           request_meta: Mapping[str, Any] | None) -> None:
    """The signing OTP, then the ``signing.intent_confirmed`` event (Guideline Art 7: intent, and its record).

    ``statement`` is the confirmation text in Chinese (the msgid), so the evidence reads
    the same whichever language the page was shown in; ``language`` says which it was.
    """
    signing_code_verify(invitation=invitation, purpose=OtpPurpose.SIGNING, code=code)
    ip, user_agent = request_client(request_meta)
    with transaction.atomic():
        events.intent_confirmed_event(invitation=invitation, statement=statement, language=language,
                                      pdf_sha256=pdf_sha256, identity_check_id=identity_check_id,
                                      read_at=read_at, ip=ip, user_agent=user_agent)


def worker_account_for_signer(*, invitation: SigningInvitation, request_meta: Mapping[str, Any] | None) -> User:
    """The portal account of the worker who just signed through ``invitation``, created on first use.

    The caller has checked that this session passed the identity check and two OTPs to
    the phone on file for this invitation minutes ago: more than the portal's own login
    (one OTP) asks, so no third SMS is sent. The account and the record linking follow
    ``identity.login.worker_login_finish`` (same username, role, and every record with
    this phone linked). Raises ``IdentityFlowError`` (``account_conflict`` /
    ``account_disabled``) like it.
    """
    phone = invitation.worker.phone
    ip, user_agent = request_client(request_meta)
    with transaction.atomic():
        workers = list(Worker.objects.select_for_update().filter(phone=phone).order_by("created_at", "pk"))
        user = User.objects.select_for_update().filter(username=worker_username(phone)).first()
        if user is None:
            user = User(username=worker_username(phone), role=Role.WORKER, phone=phone,
                        display_name=invitation.worker.name)
            user.set_unusable_password()
            user.save()
        elif user.role != Role.WORKER:
            raise IdentityFlowError("account_conflict", LOGIN_ACCOUNT_CONFLICT)
        elif not user.is_active:
            raise IdentityFlowError("account_disabled", LOGIN_ACCOUNT_DISABLED)
        linked = [w.pk for w in workers if w.user_id is None]
        Worker.objects.filter(pk__in=linked).update(user=user)
        events.worker_signed_in_after_signing_event(user=user, worker_ids=linked, invitation=invitation, ip=ip,
                                                    user_agent=user_agent)
    return user


def worker_pdf_download(*, user: User, contract: Contract, request_meta: Mapping[str, Any] | None
                        ) -> tuple[bytes, SignedDocument] | None:
    """The PDF the worker may take (see ``worker_document_for``) and a download event; None if none yet.

    Precondition: ``contract`` came from ``selectors.worker_contract_access`` for ``user``.
    """
    document = worker_document_for(contract=contract)
    if document is None:
        return None
    data = archive_get(document.pdf_id)  # re-hashed on read: a damaged file is never handed out
    ip, user_agent = request_client(request_meta)
    with transaction.atomic():
        events.worker_pdf_downloaded_event(user=user, contract_id=contract.pk, stage=document.stage,
                                           pdf_sha256=document.pdf_id, ip=ip, user_agent=user_agent)
    return data, document
