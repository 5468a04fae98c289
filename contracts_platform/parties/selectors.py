"""Reads and access guards for employers and workers.

Every employer-side view gets its objects through these helpers, which raise
Http404 for anything outside the user's employer (no existence leak).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from contracts_platform.accounts.models import User
from contracts_platform.parties.models import Employer, EmployerMembership, EmployerRole, Worker


def memberships_for(user: User) -> QuerySet[EmployerMembership]:
    if not user.is_authenticated:
        return EmployerMembership.objects.none()
    return EmployerMembership.objects.filter(user=user).select_related("employer").order_by("employer__name")


def membership_for(user: User, employer_id: int | None = None) -> EmployerMembership | None:
    """The membership the user acts under: the chosen employer, else their first."""
    qs = memberships_for(user)
    if employer_id is not None:
        chosen = qs.filter(employer_id=employer_id).first()
        if chosen:
            return chosen
    return qs.first()


def has_employer_role(membership: EmployerMembership, *roles: EmployerRole) -> bool:
    return membership.role in roles or membership.role == EmployerRole.ADMIN


def worker_access(*, employer: Employer, worker_id: int) -> Worker:
    try:
        return Worker.objects.get(pk=worker_id, employer=employer)
    except (Worker.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def worker_list(*, employer: Employer, q: str = "") -> QuerySet[Worker]:
    qs = Worker.objects.filter(employer=employer)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(phone__contains=q))
    return qs.order_by("-created_at")
