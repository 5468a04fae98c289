"""Art 22 (service period and its penalty) and Art 24 (non-compete ≤ 2 years)."""

from __future__ import annotations

import pytest

from contracts_platform.contracts.rules import Level
from tests.rules._baseline import baseline, check, of_rule, rule_ids

NON_COMPETE = "art24.non_compete_limit"
NO_TRAINING = "art22.service_period_without_training"
PENALTY = "art22.service_penalty_exceeds_cost"
TRAINING = {"employer_funded": True, "cost": "5000.00"}


class TestNonCompete:
    @pytest.mark.parametrize(("months", "fails"), [(0, False), (24, False), (25, True), (36, True)])
    def test_at_most_24_months(self, months: int, fails: bool) -> None:
        findings = of_rule(check(baseline(non_compete_months=months)), NON_COMPETE)
        assert bool(findings) is fails
        if fails:
            [finding] = findings
            assert finding.level == Level.ERROR and finding.field == "non_compete_months"
            assert f"{months} 个月" in finding.message_zh and f"{months} months" in finding.message_en


class TestServicePeriod:
    def test_with_employer_funded_training_is_fine(self) -> None:
        assert check(baseline(service_period_months=36, training=TRAINING, service_penalty="5000.00")) == []

    @pytest.mark.parametrize("training", [None, {"employer_funded": False, "cost": "5000.00"}, {"cost": "1"}])
    def test_without_it_warns(self, training: dict | None) -> None:
        findings = check(baseline(service_period_months=12, training=training))
        assert rule_ids(findings) == [NO_TRAINING]
        assert findings[0].level == Level.WARNING and findings[0].field == "service_period_months"

    def test_zero_months_is_no_service_period(self) -> None:
        assert check(baseline(service_period_months=0)) == []


class TestServicePenalty:
    @pytest.mark.parametrize(("penalty", "fails"), [("0", False), ("5000.00", False), ("5000.01", True)])
    def test_at_most_the_training_cost(self, penalty: str, fails: bool) -> None:
        findings = of_rule(check(baseline(service_period_months=36, training=TRAINING, service_penalty=penalty)),
                           PENALTY)
        assert bool(findings) is fails
        if fails:
            assert "5000.01" in findings[0].message_zh and "5000.00" in findings[0].message_zh
            assert findings[0].field == "service_penalty"

    def test_penalty_without_a_stated_cost_warns(self) -> None:
        terms = baseline(service_period_months=36, training={"employer_funded": True}, service_penalty="100")
        assert rule_ids(check(terms)) == [PENALTY]
