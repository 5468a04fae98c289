"""``identity_verify``: run the configured provider for a signer, keep the record, rate-limit failures."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from contracts_platform.core import pii
from contracts_platform.identity import events
from contracts_platform.identity.errors import IDENTITY_LOCKED, IdentityError, IdentityErrorCode
from contracts_platform.identity.invitations import invitation_check_usable, request_client
from contracts_platform.identity.models import IdentityCheck, SigningInvitation
from contracts_platform.identity.providers import IdentityResult, normalise_claimed_id_number, provider_get

IDENTITY_MAX_FAILURES = 5
IDENTITY_FAILURE_WINDOW = dt.timedelta(hours=1)
# What the signer is told on a failed check: deliberately not which field was wrong.
IDENTITY_FAILED = gettext_noop("姓名或身份证号码与用人单位登记的信息不一致，请核对后重试。")


def identity_verify(*, invitation: SigningInvitation, claimed_name: str, claimed_id_number: str,
                    request_meta: Mapping[str, Any] | None) -> IdentityResult:
    """Check that the person holding ``invitation`` is its worker; record it either way.

    ``request_meta`` is ``request.META`` (REMOTE_ADDR, HTTP_USER_AGENT are kept, as
    Guideline Art 7 asks). Each call writes an ``IdentityCheck`` row and an
    ``identity.checked`` event (method, result, reasons, IP, user agent, masked ID
    number). After ``IDENTITY_MAX_FAILURES`` failed checks within an hour the invitation
    is locked: ``IdentityError("locked")`` until the oldest of them is an hour old.
    Also raises ``InvitationError`` if the invitation is no longer usable.

    Runs in its own durable transaction (failures must stick, see ``otp_verify``); the
    invitation row is locked so parallel attempts are counted one after another. The
    provider is called while the row is locked, but before the evidence chain lock.
    """
    ip, user_agent = request_client(request_meta)
    with transaction.atomic(durable=True):
        locked = (SigningInvitation.objects.select_for_update()
                  .select_related("worker", "contract_version").get(pk=invitation.pk))
        invitation_check_usable(locked)
        now = timezone.now()
        failures = list(locked.identity_checks.filter(ok=False, created_at__gt=now - IDENTITY_FAILURE_WINDOW)
                        .order_by("created_at").values_list("created_at", flat=True))
        if len(failures) >= IDENTITY_MAX_FAILURES:
            unlock = failures[-IDENTITY_MAX_FAILURES] + IDENTITY_FAILURE_WINDOW
            raise IdentityError(IdentityErrorCode.LOCKED, IDENTITY_LOCKED,
                                minutes=max(1, math.ceil((unlock - now).total_seconds() / 60)))
        result = provider_get().check(worker=locked.worker, claimed_name=claimed_name,
                                      claimed_id_number=claimed_id_number)
        number = normalise_claimed_id_number(claimed_id_number)
        check = IdentityCheck.objects.create(
            invitation=locked, method=result.method, ok=result.ok, reasons=list(result.reasons),
            id_number_masked=pii.mask_id_number(number)[:32], ip=ip, user_agent=user_agent, created_at=now)
        event = events.identity_checked_event(check=check)
        check.evidence_seq = event.seq
        check.save(update_fields=["evidence_seq"])
    return result
