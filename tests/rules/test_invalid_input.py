"""Rule 1: bad input gives findings, never an exception."""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

import pytest

from contracts_platform.contracts.rules import Level, check_terms, load_default_minimum_wages
from tests.rules._baseline import BASELINE, ID_NUMBER, baseline, check, of_rule, rule_ids

INVALID = "terms.invalid_value"


def invalid_fields(terms: Any) -> list[str]:
    return [f.field for f in of_rule(check(terms), INVALID)]


class TestInvalidValue:
    @pytest.mark.parametrize(("key", "value", "field"), [
        ("wage__amount", "abc", "wage.amount"),
        ("wage__amount", "-1", "wage.amount"),
        ("wage__amount", -1, "wage.amount"),
        ("wage__amount", "1000000000000", "wage.amount"),
        ("wage__amount", 10**12, "wage.amount"),
        ("wage__amount", "NaN", "wage.amount"),
        ("wage__amount", "Infinity", "wage.amount"),
        ("wage__amount", "5000.001", "wage.amount"),
        ("wage__amount", 5000.5, "wage.amount"),       # floats lose cents; the format says strings
        ("wage__amount", True, "wage.amount"),
        ("wage__amount", ["5000"], "wage.amount"),
        ("start_date", "abc", "start_date"),
        ("start_date", "2025-02-30", "start_date"),
        ("start_date", "20250101", "start_date"),
        ("start_date", 20250101, "start_date"),
        ("end_date", "2025/12/31", "end_date"),
        ("start_date", "0001-01-01", "start_date"),
        ("probation_months", -1, "probation_months"),
        ("probation_months", "3", "probation_months"),
        ("probation_months", 2.5, "probation_months"),
        ("probation_months", 10**12, "probation_months"),
        ("probation_months", True, "probation_months"),
        ("working_hours__hours_per_day", "abc", "working_hours.hours_per_day"),
        ("working_hours__hours_per_day", 0, "working_hours.hours_per_day"),
        ("working_hours__hours_per_day", 25, "working_hours.hours_per_day"),
        ("working_hours__hours_per_week", -1, "working_hours.hours_per_week"),
        ("working_hours__system", "shift", "working_hours.system"),
        ("wage__type", "weekly", "wage.type"),
        ("wage__pay_day", 32, "wage.pay_day"),
        ("wage__pay_day", 0, "wage.pay_day"),
        ("contract_type", "permanent", "contract_type"),
        ("contract_type", 1, "contract_type"),
        ("employer__name", 123, "employer.name"),
        ("employer__region", "3701", "employer.region"),
        ("worker__phone", 13812345678, "worker.phone"),
        ("non_compete_months", 10**12, "non_compete_months"),
        ("history__years_of_service", "abc", "history.years_of_service"),
        ("history__years_of_service", -1, "history.years_of_service"),
        ("worker_requests_fixed_term", "yes", "worker_requests_fixed_term"),
        ("supplementary_clauses", "one clause", "supplementary_clauses"),
        ("supplementary_clauses", ["ok", 3], "supplementary_clauses"),
        ("training", "yes", "training"),
        ("schema", "heqian.contract-terms/999", "schema"),
    ])
    def test_reported_at_the_field(self, key: str, value: Any, field: str) -> None:
        findings = check(baseline(**{key: value}))
        assert field in [f.field for f in of_rule(findings, INVALID)]
        finding = next(f for f in findings if f.rule == INVALID and f.field == field)
        assert finding.level == Level.ERROR
        assert field in finding.message_zh and field in finding.message_en

    def test_hours_accept_numbers_and_strings(self) -> None:
        for value in (8, 7.5, "7.5", "8"):
            assert check(baseline(working_hours__hours_per_day=value)) == []

    def test_money_accepts_integers_and_blank_means_missing(self) -> None:
        assert check(baseline(wage__amount=6000)) == []
        assert check(baseline(wage__probation_amount="")) == []

    def test_invalid_is_not_also_missing(self) -> None:
        findings = check(baseline(wage__amount="abc"))
        assert rule_ids(findings) == [INVALID]

    def test_invalid_object_hides_its_members(self) -> None:
        findings = check(baseline(employer="济南和签"))
        assert [(f.rule, f.field) for f in findings] == [(INVALID, "employer")]

    def test_missing_object_reports_its_members(self) -> None:
        terms = baseline()
        del terms["worker"]
        assert {f.field for f in of_rule(check(terms), "art17.mandatory_clause")} == {
            "worker.name", "worker.address", "worker.id_number"}

    @pytest.mark.parametrize("terms", [None, [], "terms", 42, [BASELINE]])
    def test_not_an_object(self, terms: Any) -> None:
        [finding] = check(terms)
        assert (finding.rule, finding.field, finding.level) == (INVALID, "", Level.ERROR)

    def test_sensitive_values_are_not_echoed(self) -> None:
        [finding] = of_rule(check(baseline(worker__id_number=370102199005171234)), INVALID)
        assert "370102199005171234" not in finding.message_zh + finding.message_en

    def test_unknown_keys_are_ignored(self) -> None:
        assert check(baseline(model_text={"code": "fixed_term", "version": 1}, future_field=[1, 2])) == []

    def test_open_ended_with_an_end_date(self) -> None:
        assert invalid_fields(baseline(contract_type="open_ended")) == ["end_date"]


class TestDateOrder:
    RULE = "terms.date_order"

    def test_end_before_start(self) -> None:
        [finding] = of_rule(check(baseline(end_date="2024-12-31")), self.RULE)
        assert finding.level == Level.ERROR and finding.field == "end_date"
        assert "2024-12-31" in finding.message_zh and "2025-01-01" in finding.message_en

    def test_one_day_term_is_in_order(self) -> None:
        findings = check(baseline(end_date="2025-01-01", probation_months=0))
        assert of_rule(findings, self.RULE) == []


class TestIdentity:
    def test_wrong_id_check_digit(self) -> None:
        wrong = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")
        [finding] = check(baseline(worker__id_number=wrong))
        assert (finding.rule, finding.field, finding.level) == ("identity.id_number", "worker.id_number",
                                                                Level.ERROR)
        assert "校验位" in finding.message_zh
        assert wrong not in finding.message_zh + finding.message_en  # stored in clear: never echo it

    @pytest.mark.parametrize("value", ["37010219900517", "370102199002301234", "000102199005171234"])
    def test_malformed_id_number(self, value: str) -> None:
        assert rule_ids(check(baseline(worker__id_number=value))) == ["identity.id_number"]

    def test_birth_date_after_the_check_date(self) -> None:
        from contracts_platform.parties.identifiers import make_id_number

        future = make_id_number("370102", dt.date(2025, 6, 1), 1)
        assert "identity.id_number" in rule_ids(check(baseline(worker__id_number=future)))

    def test_wrong_credit_code_check_character(self) -> None:
        code = BASELINE["employer"]["credit_code"]
        wrong = code[:17] + ("0" if code[17] != "0" else "1")
        [finding] = check(baseline(employer__credit_code=wrong))
        assert (finding.rule, finding.field) == ("identity.credit_code", "employer.credit_code")

    @pytest.mark.parametrize("phone", ["12812345678", "1381234567", "+8613812345678", "phone"])
    def test_bad_mobile(self, phone: str) -> None:
        [finding] = check(baseline(worker__phone=phone))
        assert (finding.rule, finding.field) == ("identity.mobile", "worker.phone")


class TestMinimumAge:
    RULE = "labor_law.minimum_age"

    def worker_born(self, birth: dt.date) -> dict:
        from contracts_platform.parties.identifiers import make_id_number

        return baseline(worker__id_number=make_id_number("370102", birth, 7))

    def test_sixteenth_birthday_on_the_start_date_is_allowed(self) -> None:
        assert of_rule(check(self.worker_born(dt.date(2009, 1, 1))), self.RULE) == []

    def test_one_day_short_of_sixteen_is_an_error(self) -> None:
        [finding] = of_rule(check(self.worker_born(dt.date(2009, 1, 2))), self.RULE)
        assert finding.level == Level.ERROR and finding.field == "worker.id_number"
        assert "15 周岁" in finding.message_zh and "2009" not in finding.message_zh


class TestNeverCrashes:
    """Replace random fields of the baseline with junk: the engine must always return findings."""

    JUNK: tuple[Any, ...] = (None, "", "abc", -1, 0, 10**12, 1.5, float("nan"), True, [], {}, [1], {"a": 1},
                             "2025-13-01", "9999-12-31", "NaN", "1e400", "\x00", "３７０１０２")

    @staticmethod
    def paths(value: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
        out = [prefix] if prefix else []
        if isinstance(value, dict):
            for key, child in value.items():
                out += TestNeverCrashes.paths(child, (*prefix, key))
        return out

    def test_random_junk(self) -> None:
        rng = random.Random(20250101)  # noqa: S311 - a fixed seed makes failures reproducible
        table = load_default_minimum_wages()
        paths = self.paths(BASELINE)
        for _ in range(3000):
            terms = copy.deepcopy(BASELINE)
            for _ in range(rng.randint(1, 4)):
                *parents, last = rng.choice(paths)
                target: Any = terms
                for parent in parents:
                    target = target.get(parent) if isinstance(target, dict) else None
                if isinstance(target, dict):
                    target[last] = rng.choice(self.JUNK)
            terms["contract_type"] = rng.choice(["fixed_term", "open_ended", "task_based", "part_time",
                                                 "dispatch", terms.get("contract_type")])
            findings = check_terms(terms, on=dt.date(2026, 6, 1), minimum_wages=table)
            assert all(f.level in (Level.ERROR, Level.WARNING) for f in findings)
