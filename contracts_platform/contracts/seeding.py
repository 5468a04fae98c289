"""Bring shipped reference data (model texts, minimum wages) into the database.

Runs after every ``migrate``. Adds new (code, version) model texts and new
minimum-wage rows; never rewrites an existing model text, because contracts point
at it. A shipped file whose content changed without a version bump is an error.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction


class ModelTextChangedError(RuntimeError):
    pass


def sync_model_texts() -> int:
    from contracts_platform.contracts.model_texts import load_model_texts
    from contracts_platform.contracts.models import ModelText

    added = 0
    specs = load_model_texts()
    latest: dict[str, int] = {}
    for spec in specs:
        latest[spec.code] = max(latest.get(spec.code, 0), spec.version)
    with transaction.atomic():
        for spec in specs:
            existing = ModelText.objects.filter(code=spec.code, version=spec.version).first()
            if existing:
                if existing.content_sha256 != spec.content_sha256:
                    raise ModelTextChangedError(
                        f"model text {spec.code} v{spec.version} changed on disk; ship it as a new version")
            else:
                ModelText.objects.create(
                    code=spec.code, version=spec.version, contract_type=spec.contract_type,
                    title_zh=spec.title["zh"], title_en=spec.title["en"], content=spec.content,
                    content_sha256=spec.content_sha256, is_current=True)
                added += 1
        for code, version in latest.items():
            ModelText.objects.filter(code=code).exclude(version=version).update(is_current=False)
    return added


def sync_minimum_wages() -> int:
    from contracts_platform.contracts.models import MinimumWageRate
    from contracts_platform.contracts.rules import load_default_minimum_wages

    added = 0
    for rate in load_default_minimum_wages().rates:
        _obj, created = MinimumWageRate.objects.get_or_create(
            region_prefix=rate.region_prefix, effective_from=rate.effective_from,
            defaults={"region_name": rate.region_name, "tier": rate.tier, "monthly": rate.monthly,
                      "hourly": rate.hourly, "confirmed": rate.confirmed, "source": rate.source})
        added += int(created)
    return added


def sync_reference_data(sender: Any = None, **kwargs: Any) -> None:
    try:
        import contracts_platform.contracts.model_texts
        import contracts_platform.contracts.rules  # noqa: F401
    except ImportError:  # pragma: no cover - only while the packages are being written
        return
    sync_model_texts()
    sync_minimum_wages()
