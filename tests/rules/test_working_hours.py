"""Standard hours ≤ 8 a day and ≤ 40 a week; other systems need the bureau's approval."""

from __future__ import annotations

import pytest

from contracts_platform.contracts.rules import Level
from tests.rules._baseline import baseline, check, of_rule, rule_ids

LIMIT = "working_hours.standard_limit"
APPROVAL = "working_hours.approval_required"


class TestStandardHours:
    @pytest.mark.parametrize(("day", "week", "fields"), [
        ("8", "40", []),
        ("8.5", "40", ["working_hours.hours_per_day"]),
        ("8", "40.5", ["working_hours.hours_per_week"]),
        ("9", "45", ["working_hours.hours_per_day", "working_hours.hours_per_week"]),
        ("7", "35", []),
    ])
    def test_limits(self, day: str, week: str, fields: list[str]) -> None:
        findings = of_rule(check(baseline(working_hours__hours_per_day=day, working_hours__hours_per_week=week)),
                           LIMIT)
        assert [f.field for f in findings] == fields
        assert all(f.level == Level.ERROR for f in findings)

    def test_message_names_hours(self) -> None:
        [finding] = of_rule(check(baseline(working_hours__hours_per_day=10)), LIMIT)
        assert "10 小时" in finding.message_zh and "8 小时" in finding.message_zh
        assert "10 hours" in finding.message_en


class TestSpecialSystems:
    @pytest.mark.parametrize("system", ["comprehensive", "flexible"])
    def test_needs_approval_warning(self, system: str) -> None:
        findings = check(baseline(working_hours={"system": system, "hours_per_day": "10", "hours_per_week": "50"}))
        assert rule_ids(findings) == [APPROVAL]
        [finding] = findings
        assert finding.level == Level.WARNING and finding.field == "working_hours.system"
        assert "劳动法第三十九条" in finding.article

    def test_standard_system_needs_no_approval(self) -> None:
        assert of_rule(check(baseline()), APPROVAL) == []
