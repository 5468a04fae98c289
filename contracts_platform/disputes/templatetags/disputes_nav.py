"""``{% disputes_nav %}``: the desk's sub-navigation, only with the links the user can use."""

from __future__ import annotations

from typing import Any

from django import template

from contracts_platform.disputes import selectors

register = template.Library()


@register.inclusion_tag("disputes/_nav.html", takes_context=True)
def disputes_nav(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if not user.is_authenticated:
        return {"links": False}
    return {
        "links": True,
        "complaints": selectors.visible_complaints(user=user).exists() or user.role == "bureau_officer",
        "board": bool(selectors.district_regions(user)),
        "escalations": selectors.is_platform_admin(user) or selectors.escalations_for(user=user).exists()
        or bool(getattr(selectors.commission_member(user), "is_supervisor", False)),
    }


@register.filter
def event_label(event_type: str) -> str:
    """The evidence event type as a person reads it (the code stays in the log)."""
    return selectors.event_label(event_type)
