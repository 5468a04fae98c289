"""Signing invitations: the texted link that lets one worker open and sign one contract version.

The token is ``secrets.token_urlsafe(32)`` (256 bits); the database keeps its SHA-256,
so a leaked table gives no usable links. The plain token is returned once by
``invitation_create`` and belongs in the SMS (``invitation_send``) and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import re
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation

from contracts_platform.accounts.models import User
from contracts_platform.contracts.models import Contract, ContractVersion
from contracts_platform.identity import events
from contracts_platform.identity.errors import InvitationError, InvitationErrorCode
from contracts_platform.identity.models import InvitationState, SigningInvitation
from contracts_platform.notifications.services import sms_send
from contracts_platform.parties.models import Worker

TOKEN_BYTES = 32
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # token_urlsafe(32): 43 characters, no padding
INVITATION_TEMPLATES = frozenset({"signing_invitation", "signing_reminder"})


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def invitation_ttl() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "HEQIAN_INVITATION_TTL_DAYS", 7)))


def invitation_url(token: str) -> str:
    """The worker's signing link, ``{SITE_URL}/s/<token>/`` (the page itself is the lead's)."""
    return f"{settings.SITE_URL}/s/{token}/"


def request_client(request_meta: Mapping[str, Any] | None) -> tuple[str | None, str]:
    """``(ip, user_agent)`` from ``request.META``; an unparsable address becomes None.

    REMOTE_ADDR only: behind a reverse proxy, the deployment must put the client
    address there (e.g. a trusted-proxy middleware); X-Forwarded-For is forgeable.
    """
    meta = request_meta or {}
    ip = str(meta.get("REMOTE_ADDR") or "").strip()
    try:
        ip_text: str | None = str(ipaddress.ip_address(ip))
    except ValueError:
        ip_text = None
    return ip_text, str(meta.get("HTTP_USER_AGENT") or "")[:300]


def invitation_check_usable(invitation: SigningInvitation) -> None:
    """Raise ``InvitationError`` (used/revoked/expired) unless the invitation can still be used."""
    if invitation.state == InvitationState.USED:
        raise InvitationError(InvitationErrorCode.USED)
    if invitation.state == InvitationState.REVOKED:
        raise InvitationError(InvitationErrorCode.REVOKED)
    if invitation.is_expired:
        raise InvitationError(InvitationErrorCode.EXPIRED)


def _revoke(invitation: SigningInvitation, *, actor: User | None, reason: str) -> None:
    invitation.state = InvitationState.REVOKED
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["state", "revoked_at"])
    events.invitation_revoked_event(invitation=invitation, actor=actor, reason=reason)


def invitation_create(*, version: ContractVersion, worker: Worker, actor: User | None
                      ) -> tuple[SigningInvitation, str]:
    """A new invitation for ``worker`` to sign ``version``, and its plain token.

    Any still-active invitation of the same worker for the same contract (this version
    or an older one) is revoked (``superseded``): only the newest link works. Serialized
    on the contract row, so two parallel calls cannot leave two live links.
    """
    if version.contract.worker_id != worker.pk:
        raise ValueError("the invited worker is not the contract's worker")
    with transaction.atomic():
        Contract.objects.select_for_update().only("pk").get(pk=version.contract_id)
        for old in SigningInvitation.objects.select_for_update().filter(
                contract_id=version.contract_id, worker=worker, state=InvitationState.ACTIVE):
            _revoke(old, actor=actor, reason="superseded")
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = timezone.now()
        invitation = SigningInvitation.objects.create(
            contract_id=version.contract_id, contract_version=version, worker=worker, token_hash=token_hash(token),
            created_by=actor, created_at=now, expires_at=now + invitation_ttl())
        events.invitation_created_event(invitation=invitation, actor=actor)
    return invitation, token


def invitation_send(*, version: ContractVersion, worker: Worker, actor: User | None,
                    template: str = "signing_invitation") -> SigningInvitation:
    """``invitation_create`` plus the SMS with the link to the worker's phone on file.

    ``template`` is ``signing_invitation`` or ``signing_reminder``; a reminder is a fresh
    invitation too, because the old token is not stored and cannot be texted again.
    """
    if template not in INVITATION_TEMPLATES:
        raise ValueError(f"not an invitation template: {template!r}")
    with transaction.atomic():
        invitation, token = invitation_create(version=version, worker=worker, actor=actor)
        contract = version.contract
        with translation.override(settings.LANGUAGE_CODE):
            expires = formats.date_format(timezone.localtime(invitation.expires_at), "DATE_FORMAT")
        invitation.message = sms_send(
            phone=worker.phone, template=template, purpose=template, subject=contract, actor=actor,
            context={"employer": contract.employer.name, "contract_number": contract.number or str(contract.pk),
                     "expires": expires, "url": invitation_url(token)})
        invitation.save(update_fields=["message"])
    return invitation


def invitation_resolve(*, token: str) -> SigningInvitation:
    """The usable invitation behind ``token``, else ``InvitationError`` (unknown/expired/used/revoked).

    Looked up by the token's hash, so response time does not depend on how much of a
    guessed token is right; the final comparison is constant-time as well.
    """
    if not isinstance(token, str) or not _TOKEN_RE.fullmatch(token):
        raise InvitationError(InvitationErrorCode.UNKNOWN)
    digest = token_hash(token)
    invitation = (SigningInvitation.objects.select_related("contract", "contract_version", "worker")
                  .filter(token_hash=digest).first())
    if invitation is None or not hmac.compare_digest(invitation.token_hash, digest):
        raise InvitationError(InvitationErrorCode.UNKNOWN)
    invitation_check_usable(invitation)
    return invitation


def invitation_mark_opened(*, invitation: SigningInvitation, request_meta: Mapping[str, Any] | None = None
                           ) -> SigningInvitation:
    """Record the first opening of the link (``opened_at`` + ``invitation.opened``); later calls do nothing."""
    ip, user_agent = request_client(request_meta)
    with transaction.atomic():
        now = timezone.now()
        first = SigningInvitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=now)
        if first:
            invitation.opened_at = now
            events.invitation_opened_event(invitation=invitation, ip=ip, user_agent=user_agent)
    invitation.refresh_from_db(fields=["opened_at"])
    return invitation


def invitation_consume(*, invitation: SigningInvitation) -> SigningInvitation:
    """Mark the invitation used; a second consume raises ``InvitationError("used")``.

    Meant to run inside the signing transaction (so a failed signing leaves the link
    usable); the row is locked with ``select_for_update`` so only one signing wins.
    """
    with transaction.atomic():
        locked = SigningInvitation.objects.select_for_update().get(pk=invitation.pk)
        invitation_check_usable(locked)
        locked.state = InvitationState.USED
        locked.used_at = timezone.now()
        locked.save(update_fields=["state", "used_at"])
        events.invitation_used_event(invitation=locked)
    invitation.state, invitation.used_at = locked.state, locked.used_at
    return invitation


def invitation_revoke(*, invitation: SigningInvitation, actor: User | None) -> SigningInvitation:
    """Revoke an active invitation (e.g. the contract was withdrawn). Revoking twice is a no-op;
    a used invitation cannot be revoked (``InvitationError("used")``)."""
    with transaction.atomic():
        locked = SigningInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.state == InvitationState.USED:
            raise InvitationError(InvitationErrorCode.USED)
        if locked.state == InvitationState.ACTIVE:
            _revoke(locked, actor=actor, reason="manual")
    invitation.state, invitation.revoked_at = locked.state, locked.revoked_at
    return invitation
