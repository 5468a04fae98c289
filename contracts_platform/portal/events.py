"""Evidence events of the worker's pages: one function per event type.

Signing-page events are filed under the contract, like the invitation and identity
events, so the contract's evidence export shows the whole journey in order. The actor
of a signing-page event is the holder of the invitation (``invitation:<id>``): the worker
has no account yet, and "system" would misstate who acted. No payload carries the token,
an OTP, or a full phone or ID number.
"""

from __future__ import annotations

from typing import Any

from contracts_platform.accounts.models import User
from contracts_platform.archive.services import evidence_append
from contracts_platform.core import pii
from contracts_platform.identity.models import SigningInvitation

PAGE_VIEWED = "signing.page_viewed"
READ_TO_END = "signing.read_to_end"
INTENT_CONFIRMED = "signing.intent_confirmed"
WORKER_PDF_DOWNLOADED = "worker.pdf_downloaded"
WORKER_LOGGED_IN = "worker.logged_in"


def _signer_append(invitation: SigningInvitation, event_type: str, **payload: Any) -> None:
    evidence_append(event_type=event_type, actor=None, actor_label=f"invitation:{invitation.pk}",
                    subject_type="contract", subject_id=str(invitation.contract_id),
                    payload={"invitation_id": invitation.pk, "version_id": invitation.contract_version_id,
                             "worker_id": invitation.worker_id, **payload})


def page_viewed_event(*, invitation: SigningInvitation, page: int, pages: int, pdf_sha256: str,
                      image_sha256: str, ip: str | None, user_agent: str) -> None:
    """Page ``page`` of ``pages`` of the sealed PDF was sent to the worker's screen (as ``image_sha256``)."""
    _signer_append(invitation, PAGE_VIEWED, page=page, pages=pages, pdf_sha256=pdf_sha256,
                   image_sha256=image_sha256, ip=ip, user_agent=user_agent)


def read_to_end_event(*, invitation: SigningInvitation, pages: int, pdf_sha256: str, ip: str | None,
                      user_agent: str) -> None:
    """Every page has now been shown at least once and the worker reached the last one."""
    _signer_append(invitation, READ_TO_END, pages=pages, pdf_sha256=pdf_sha256, ip=ip, user_agent=user_agent)


def intent_confirmed_event(*, invitation: SigningInvitation, statement: str, language: str, pdf_sha256: str,
                           identity_check_id: int | None, read_at: str | None, ip: str | None,
                           user_agent: str) -> None:
    """The worker ticked ``statement`` (the Chinese text, whatever ``language`` showed) and passed the signing OTP."""
    _signer_append(invitation, INTENT_CONFIRMED, method="sms_otp", statement=statement, language=language,
                   pdf_sha256=pdf_sha256, identity_check_id=identity_check_id, read_to_end_at=read_at, ip=ip,
                   user_agent=user_agent)


def worker_pdf_downloaded_event(*, user: User, contract_id: int, stage: str, pdf_sha256: str, ip: str | None,
                                user_agent: str) -> None:
    """Guideline Art 11–12: the worker took their copy (which stage, which bytes)."""
    evidence_append(event_type=WORKER_PDF_DOWNLOADED, actor=user, subject_type="contract",
                    subject_id=str(contract_id),
                    payload={"stage": stage, "pdf_sha256": pdf_sha256, "ip": ip, "user_agent": user_agent})


def worker_signed_in_after_signing_event(*, user: User, worker_ids: list[int], invitation: SigningInvitation,
                                         ip: str | None, user_agent: str) -> None:
    """Same event type as the OTP login (``identity.events``), with the method that admitted the worker."""
    evidence_append(event_type=WORKER_LOGGED_IN, actor=user, subject_type="user", subject_id=str(user.pk),
                    payload={"phone": pii.mask_phone(user.phone), "worker_ids": sorted(worker_ids),
                             "method": "signing_session", "invitation_id": invitation.pk, "ip": ip,
                             "user_agent": user_agent})
