"""Art 58: dispatch contracts are fixed-term for ≥ 2 years and name host unit, post and period."""

from __future__ import annotations

import pytest

from contracts_platform.contracts.rules import Level
from tests.rules._baseline import check, dispatch, of_rule

TERM = "art58.dispatch_term"
DETAILS = "art58.dispatch_details"


class TestDispatchTerm:
    def test_baseline_is_clean(self) -> None:
        assert check(dispatch()) == []

    @pytest.mark.parametrize(("start", "end", "fails"), [
        ("2025-01-01", "2026-12-31", False),  # exactly 2 years
        ("2025-01-01", "2026-12-30", True),   # one day short
        ("2025-01-01", "2027-12-31", False),
        ("2024-02-29", "2026-02-28", False),  # from a leap day: 2 years end on 28 February
        ("2024-02-29", "2026-02-27", True),
    ])
    def test_two_years_boundary(self, start: str, end: str, fails: bool) -> None:
        findings = of_rule(check(dispatch(start_date=start, end_date=end, probation_months=0)), TERM)
        assert bool(findings) is fails
        if fails:
            [finding] = findings
            assert finding.level == Level.ERROR and finding.field == "end_date"
            assert end in finding.message_zh and start in finding.message_en

    def test_message_gives_the_earliest_lawful_end(self) -> None:
        [finding] = of_rule(check(dispatch(end_date="2025-12-31")), TERM)
        assert "2026-12-31" in finding.message_zh

    def test_fixed_term_contracts_are_not_held_to_two_years(self) -> None:
        from tests.rules._baseline import baseline

        assert of_rule(check(baseline(end_date="2025-12-31", probation_months=2)), TERM) == []


class TestDispatchDetails:
    @pytest.mark.parametrize("key", ["host_unit", "post", "period"])
    def test_each_missing_detail_is_an_error(self, key: str) -> None:
        terms = dispatch()
        terms["dispatch"][key] = " "
        [finding] = of_rule(check(terms), DETAILS)
        assert finding.field == f"dispatch.{key}" and finding.level == Level.ERROR
        assert finding.article == "劳动合同法第五十八条第一款"

    def test_no_dispatch_object_is_three_errors(self) -> None:
        fields = [f.field for f in of_rule(check(dispatch(dispatch=None)), DETAILS)]
        assert fields == ["dispatch.host_unit", "dispatch.post", "dispatch.period"]

    def test_dispatch_object_of_the_wrong_type_is_one_input_error(self) -> None:
        findings = check(dispatch(dispatch="某用工单位"))
        assert [(f.rule, f.field) for f in findings] == [("terms.invalid_value", "dispatch")]
