"""Reads of notifications: who may see the outbox, and what they see."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from contracts_platform.accounts.models import User
from contracts_platform.accounts.selectors import is_platform_admin
from contracts_platform.notifications.models import OutboundMessage


def outbox_demo_mode() -> bool:
    """``HEQIAN_DEMO_OUTBOX=True``: the outbox is the demo's phone; everything on it is shown to everyone."""
    return bool(getattr(settings, "HEQIAN_DEMO_OUTBOX", False))


def outbox_keeps_secrets() -> bool:
    """Whether delivered OTP codes and invitation links stay readable in the outbox.

    Only in development and demo setups, where the outbox page *is* the phone. In
    production a delivered secret is masked in the row at once (``message_deliver``).
    """
    return bool(settings.DEBUG) or outbox_demo_mode()


def outbox_visible_to(user: User | AnonymousUser) -> bool:
    return is_platform_admin(user) or outbox_keeps_secrets()


def outbox_shows_full_recipients(user: User | AnonymousUser) -> bool:
    return is_platform_admin(user) or outbox_demo_mode()


def outbox_list(*, recipient: str = "") -> QuerySet[OutboundMessage]:
    """Newest first; ``recipient`` filters on the exact phone number or address."""
    qs = OutboundMessage.objects.order_by("-created_at", "-id")
    if recipient:
        qs = qs.filter(recipient=recipient.strip())
    return qs
