"""Who a user is on the platform."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from contracts_platform.accounts.models import Role, User


def is_platform_admin(user: User | AnonymousUser | None) -> bool:
    """Platform staff: superusers and users with the platform-admin role (anonymous → False)."""
    return bool(user is not None and user.is_authenticated
                and (user.is_superuser or getattr(user, "role", "") == Role.PLATFORM_ADMIN))
