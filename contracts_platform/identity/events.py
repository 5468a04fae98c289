"""Evidence events of identity: one function per event type.

No payload ever carries an OTP code, an invitation token or a full ID number or phone:
phones and ID numbers are masked, tokens are referred to by their invitation's id.
Invitation and identity events are filed under the contract ("contract", <id>) so the
contract's evidence export contains them; OTP events under the subject the caller gave.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from contracts_platform.core import pii

if TYPE_CHECKING:
    from contracts_platform.accounts.models import User
    from contracts_platform.archive.models import EvidenceEvent
    from contracts_platform.identity.models import IdentityCheck, OtpChallenge, SigningInvitation

OTP_SENT = "otp.sent"
OTP_PASSED = "otp.passed"
OTP_FAILED = "otp.failed"
INVITATION_CREATED = "invitation.created"
INVITATION_OPENED = "invitation.opened"
INVITATION_USED = "invitation.used"
INVITATION_REVOKED = "invitation.revoked"
IDENTITY_CHECKED = "identity.checked"
WORKER_LOGGED_IN = "worker.logged_in"


def _append(*, event_type: str, actor: User | None, subject: tuple[str, str], payload: dict[str, Any]
            ) -> EvidenceEvent:
    # Imported here: the archive is a lower layer, and our models must import without it.
    from contracts_platform.archive.services import evidence_append

    return evidence_append(event_type=event_type, actor=actor, subject_type=subject[0], subject_id=subject[1],
                           payload=payload)


def _otp_subject(challenge: OtpChallenge) -> tuple[str, str]:
    return ((challenge.subject_type, challenge.subject_id) if challenge.subject_type
            else ("otp", str(challenge.pk)))


def _otp_payload(challenge: OtpChallenge) -> dict[str, Any]:
    return {"challenge_id": challenge.pk, "phone": pii.mask_phone(challenge.phone), "purpose": challenge.purpose}


def otp_sent_event(*, challenge: OtpChallenge) -> None:
    _append(event_type=OTP_SENT, actor=None, subject=_otp_subject(challenge),
            payload={**_otp_payload(challenge), "message_id": challenge.message_id,
                     "expires_at": challenge.expires_at.isoformat()})


def otp_passed_event(*, challenge: OtpChallenge) -> None:
    _append(event_type=OTP_PASSED, actor=None, subject=_otp_subject(challenge),
            payload={**_otp_payload(challenge), "attempts": challenge.attempts + 1})


def otp_failed_event(*, challenge: OtpChallenge, reason: str) -> None:
    """``reason`` is an ``OtpErrorCode``; ``attempts`` counts wrong codes so far, this one included."""
    _append(event_type=OTP_FAILED, actor=None, subject=_otp_subject(challenge),
            payload={**_otp_payload(challenge), "reason": reason, "attempts": challenge.attempts,
                     "locked": challenge.locked_at is not None})


def _invitation_subject(invitation: SigningInvitation) -> tuple[str, str]:
    return "contract", str(invitation.contract_id)


def _invitation_payload(invitation: SigningInvitation) -> dict[str, Any]:
    return {"invitation_id": invitation.pk, "contract_version_id": invitation.contract_version_id,
            "worker_id": invitation.worker_id}


def invitation_created_event(*, invitation: SigningInvitation, actor: User | None) -> None:
    _append(event_type=INVITATION_CREATED, actor=actor, subject=_invitation_subject(invitation),
            payload={**_invitation_payload(invitation), "version": invitation.contract_version.number,
                     "terms_sha256": invitation.contract_version.terms_sha256,
                     "expires_at": invitation.expires_at.isoformat()})


def invitation_opened_event(*, invitation: SigningInvitation, ip: str | None, user_agent: str) -> None:
    _append(event_type=INVITATION_OPENED, actor=None, subject=_invitation_subject(invitation),
            payload={**_invitation_payload(invitation), "ip": ip, "user_agent": user_agent})


def invitation_used_event(*, invitation: SigningInvitation) -> None:
    _append(event_type=INVITATION_USED, actor=None, subject=_invitation_subject(invitation),
            payload=_invitation_payload(invitation))


def invitation_revoked_event(*, invitation: SigningInvitation, actor: User | None, reason: str) -> None:
    """``reason``: ``superseded`` (a newer invitation replaced it) or ``manual``."""
    _append(event_type=INVITATION_REVOKED, actor=actor, subject=_invitation_subject(invitation),
            payload={**_invitation_payload(invitation), "reason": reason})


def identity_checked_event(*, check: IdentityCheck) -> EvidenceEvent:
    invitation = check.invitation
    return _append(event_type=IDENTITY_CHECKED, actor=None, subject=_invitation_subject(invitation),
                   payload={**_invitation_payload(invitation), "check_id": check.pk, "method": check.method,
                            "result": "passed" if check.ok else "failed", "reasons": list(check.reasons),
                            "id_number": check.id_number_masked, "ip": check.ip, "user_agent": check.user_agent})


def worker_logged_in_event(*, user: User, worker_ids: list[int]) -> None:
    _append(event_type=WORKER_LOGGED_IN, actor=user, subject=("user", str(user.pk)),
            payload={"phone": pii.mask_phone(user.phone), "worker_ids": sorted(worker_ids)})
