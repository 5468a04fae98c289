"""Where a worker is in the signing pages: kept in their session, keyed by invitation id.

The link's token proves only that someone has the SMS; what this browser has *done* with
it (identity checked, OTP passed, pages read, intent confirmed) lives server-side in the
session, so no step can be skipped by typing a URL or replaying a form. Every step after
the landing page requires the earlier ones (``SigningState.next_step``).

Times are ISO strings (sessions are JSON). An identity pass is good for
``IDENTITY_TTL``; an intent confirmation must be followed by the signature within
``INTENT_TTL``, so the OTP that confirmed it belongs to this signing and not to a tab
left open since yesterday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

SESSION_KEY = "heqian.portal.signing"
DONE_KEY = "heqian.portal.signing_done"
IDENTITY_TTL = dt.timedelta(hours=1)
INTENT_TTL = dt.timedelta(minutes=15)
# How long after signing the done page may log the worker into the portal without a new SMS.
PORTAL_HANDOFF_TTL = dt.timedelta(minutes=30)


class Step:
    IDENTITY = "identity"
    OTP = "otp"
    READ = "read"
    INTENT = "intent"
    SIGN = "sign"


def now_iso() -> str:
    return timezone.now().isoformat()


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _fresh(value: str | None, ttl: dt.timedelta) -> bool:
    moment = _parse(value)
    return moment is not None and timezone.now() - moment < ttl


@dataclass
class SigningState:
    invitation_id: int
    identity_at: str | None = None
    identity_check_id: int | None = None
    identity_method: str = ""
    otp_sent_at: str | None = None
    otp_at: str | None = None
    # Reading: which PDF (sealed, by SHA-256), how many pages, which were shown, when the last was reached.
    pdf_sha256: str = ""
    pages: int = 0
    viewed: list[int] = field(default_factory=list)
    read_at: str | None = None
    # Intent: the box ticked (then the signing code sent), then the code passed.
    intent_checked_at: str | None = None
    intent_otp_sent_at: str | None = None
    intent_at: str | None = None

    # --- what has been passed -------------------------------------------------------------------

    @property
    def identity_ok(self) -> bool:
        return self.identity_check_id is not None and _fresh(self.identity_at, IDENTITY_TTL)

    @property
    def otp_ok(self) -> bool:
        return self.identity_ok and self.otp_at is not None

    @property
    def read_ok(self) -> bool:
        return (self.otp_ok and self.read_at is not None and self.pages > 0
                and set(self.viewed) >= set(range(1, self.pages + 1)))

    @property
    def intent_ok(self) -> bool:
        return self.read_ok and _fresh(self.intent_at, INTENT_TTL)

    @property
    def identity_expired(self) -> bool:
        """Identity was passed in this session once, but too long ago."""
        return self.identity_check_id is not None and not self.identity_ok

    def next_step(self) -> str:
        """The first step not yet passed (``SIGN`` once all are)."""
        if not self.identity_ok:
            return Step.IDENTITY
        if not self.otp_ok:
            return Step.OTP
        if not self.read_ok:
            return Step.READ
        if not self.intent_ok:
            return Step.INTENT
        return Step.SIGN

    def first_unread_page(self) -> int:
        seen = set(self.viewed)
        return next((p for p in range(1, self.pages + 1) if p not in seen), max(self.pages, 1))

    # --- changes ---------------------------------------------------------------------------------

    def reading_of(self, *, pdf_sha256: str, pages: int) -> None:
        """Start (or keep) reading this PDF; a different PDF means reading starts over."""
        if self.pdf_sha256 != pdf_sha256 or self.pages != pages:
            self.pdf_sha256, self.pages, self.viewed, self.read_at = pdf_sha256, pages, [], None
            self.intent_checked_at = self.intent_otp_sent_at = self.intent_at = None

    def mark_viewed(self, page: int) -> bool:
        """Record a shown page; True exactly when this completes the reading."""
        if page not in self.viewed:
            self.viewed = sorted({*self.viewed, page})
        if self.read_at is None and set(self.viewed) >= set(range(1, self.pages + 1)):
            self.read_at = now_iso()
            return True
        return False


def state_load(request: HttpRequest, invitation_id: int) -> SigningState:
    raw = request.session.get(SESSION_KEY, {}).get(str(invitation_id))
    if not raw:
        return SigningState(invitation_id=invitation_id)
    known = set(SigningState.__dataclass_fields__)
    return SigningState(**{k: v for k, v in raw.items() if k in known})


def state_save(request: HttpRequest, state: SigningState) -> None:
    states = dict(request.session.get(SESSION_KEY, {}))
    states[str(state.invitation_id)] = asdict(state)
    request.session[SESSION_KEY] = states


def state_clear(request: HttpRequest, invitation_id: int) -> None:
    states = dict(request.session.get(SESSION_KEY, {}))
    if states.pop(str(invitation_id), None) is not None:
        request.session[SESSION_KEY] = states


@dataclass(frozen=True)
class Done:
    """What the done page shows after the link has been used (the token no longer resolves)."""

    invitation_id: int
    contract_id: int
    worker_id: int
    outcome: str
    at: str
    portal_handoff_used: bool = False

    @property
    def handoff_allowed(self) -> bool:
        return self.outcome == "signed" and not self.portal_handoff_used and _fresh(self.at, PORTAL_HANDOFF_TTL)


def done_save(request: HttpRequest, done: Done) -> None:
    request.session[DONE_KEY] = asdict(done)


def done_load(request: HttpRequest) -> Done | None:
    raw: dict[str, Any] | None = request.session.get(DONE_KEY)
    if not raw:
        return None
    known = set(Done.__dataclass_fields__)
    return Done(**{k: v for k, v in raw.items() if k in known})
