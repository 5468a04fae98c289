"""Writes of identity, one import for callers: OTPs, invitations, identity checks, worker login.

The implementations live in ``otp``, ``invitations``, ``verification`` and ``login``.
"""

from contracts_platform.identity.invitations import (
    invitation_consume,
    invitation_create,
    invitation_mark_opened,
    invitation_resolve,
    invitation_revoke,
    invitation_send,
    invitation_url,
)
from contracts_platform.identity.login import worker_login_finish, worker_login_start
from contracts_platform.identity.otp import otp_send, otp_verify
from contracts_platform.identity.verification import identity_verify

__all__ = [
    "identity_verify",
    "invitation_consume",
    "invitation_create",
    "invitation_mark_opened",
    "invitation_resolve",
    "invitation_revoke",
    "invitation_send",
    "invitation_url",
    "otp_send",
    "otp_verify",
    "worker_login_finish",
    "worker_login_start",
]
