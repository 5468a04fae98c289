"""System checks: a production start must not text workers through the console."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from contracts_platform.notifications.backends import BACKEND_SETTINGS, DEFAULT_BACKEND


@checks.register(checks.Tags.security)
def check_outbox_in_production(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not getattr(settings, "PRODUCTION", False):
        return []
    problems: list[checks.CheckMessage] = []
    for setting in BACKEND_SETTINGS.values():
        if (getattr(settings, setting, "") or DEFAULT_BACKEND) == DEFAULT_BACKEND:
            problems.append(checks.Warning(
                f"{setting} is the OutboxBackend: messages are only logged, nobody receives them.",
                hint=f"Set {setting} to the dotted path of a gateway adapter.", id="notifications.W001"))
    if getattr(settings, "HEQIAN_DEMO_OUTBOX", False):
        problems.append(checks.Error(
            "HEQIAN_DEMO_OUTBOX is on in production: every OTP code and signing link is public on /outbox/.",
            hint="Unset HEQIAN_DEMO_OUTBOX.", id="notifications.E001"))
    return problems
