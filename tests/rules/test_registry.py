"""The registry, Finding's API, the Markdown table and the docs CLI."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from contracts_platform.contracts import rules
from contracts_platform.contracts.rules import RULES, Finding, Level, Rule, rules_markdown
from contracts_platform.contracts.rules import docs as rules_docs
from contracts_platform.contracts.rules.registry import make_finding

EXPECTED_PUBLIC = {"check_terms", "Finding", "Level", "RULES", "Rule", "MinimumWageTable", "MinimumWageRate",
                   "PriorContract", "load_default_minimum_wages", "rules_markdown"}


class TestPublicApi:
    def test_all_exports_the_agreed_names(self) -> None:
        assert set(rules.__all__) >= EXPECTED_PUBLIC
        for name in rules.__all__:
            assert hasattr(rules, name)

    def test_level_values_are_plain_strings(self) -> None:
        assert Level.ERROR == "error" and Level.WARNING == "warning"
        assert [level.value for level in Level] == ["error", "warning"]


class TestRegistry:
    def test_ids_are_dotted_and_unique(self) -> None:
        for rule_id, rule in RULES.items():
            assert isinstance(rule, Rule)
            assert rule.id == rule_id
            assert re.fullmatch(r"[a-z0-9_]+\.[a-z0-9_]+", rule_id)

    def test_every_rule_has_article_levels_and_both_summaries(self) -> None:
        for rule in RULES.values():
            assert rule.article and rule.summary_zh and rule.summary_en
            assert rule.levels and set(rule.levels) <= set(Level)
            assert "|" not in rule.summary_zh + rule.summary_en + rule.article

    def test_registry_is_read_only(self) -> None:
        with pytest.raises(TypeError):
            RULES["x.y"] = next(iter(RULES.values()))  # type: ignore[index]

    def test_art14_can_be_error_or_warning(self) -> None:
        assert RULES["art14.open_ended_required"].levels == (Level.ERROR, Level.WARNING)

    def test_make_finding_refuses_an_unregistered_level(self) -> None:
        with pytest.raises(ValueError, match="does not report"):
            make_finding("art24.non_compete_limit", Level.WARNING, "non_compete_months", "zh", "en")


class TestFinding:
    finding = Finding(rule="art19.probation_limit", level=Level.ERROR, message_zh="试用期过长",
                      message_en="Probation too long", article="劳动合同法第十九条", field="probation_months")

    def test_message_picks_the_language(self) -> None:
        assert self.finding.message("en") == "Probation too long"
        assert self.finding.message("en-us") == "Probation too long"
        assert self.finding.message("zh-hans") == "试用期过长"
        assert self.finding.message("") == "试用期过长"

    def test_to_dict_shape(self) -> None:
        assert self.finding.to_dict() == {
            "rule": "art19.probation_limit", "level": "error",
            "message": {"zh": "试用期过长", "en": "Probation too long"},
            "article": "劳动合同法第十九条", "field": "probation_months"}

    def test_is_frozen(self) -> None:
        with pytest.raises(dataclasses.FrozenInstanceError):
            self.finding.level = Level.WARNING  # type: ignore[misc]


class TestRulesMarkdown:
    def test_one_row_per_rule_in_registry_order(self) -> None:
        lines = rules_markdown().strip("\n").split("\n")
        assert lines[0].startswith("| 规则 Rule |")
        rows = lines[2:]
        assert [re.search(r"`([^`]+)`", row).group(1) for row in rows] == list(RULES)
        assert all(row.count("|") == 6 for row in rows)

    def test_is_deterministic(self) -> None:
        assert rules_markdown() == rules_markdown()


class TestDocsCli:
    def readme(self, tmp_path: Path, inside: str = "\nold table\n") -> Path:
        path = tmp_path / "README.md"
        path.write_text(f"# HeQian\n\nIntro.\n\n<!-- rules:start -->{inside}<!-- rules:end -->\n\nAfter.\n",
                        encoding="utf-8")
        return path

    def test_check_fails_on_a_stale_table(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert rules_docs.main(["--check", str(self.readme(tmp_path))]) == 1
        assert "--write" in capsys.readouterr().err

    def test_write_replaces_only_between_markers(self, tmp_path: Path) -> None:
        path = self.readme(tmp_path)
        assert rules_docs.main(["--write", str(path)]) == 0
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# HeQian\n\nIntro.\n\n<!-- rules:start -->\n| 规则 Rule")
        assert text.endswith("<!-- rules:end -->\n\nAfter.\n")
        assert "old table" not in text
        assert rules_docs.main(["--check", str(path)]) == 0

    def test_write_is_a_no_op_when_up_to_date(self, tmp_path: Path) -> None:
        path = self.readme(tmp_path, f"\n{rules_markdown()}")
        before = path.stat().st_mtime_ns
        text = path.read_text(encoding="utf-8")
        assert rules_docs.main(["--write", str(path)]) == 0
        assert path.read_text(encoding="utf-8") == text
        assert path.stat().st_mtime_ns == before

    def test_missing_markers_or_file_exit_2(self, tmp_path: Path) -> None:
        path = tmp_path / "README.md"
        path.write_text("# no markers\n", encoding="utf-8")
        assert rules_docs.main(["--check", str(path)]) == 2
        assert rules_docs.main(["--write", str(tmp_path / "missing.md")]) == 2


class TestFindingOrder:
    def test_registry_order_then_document_order_and_deterministic(self) -> None:
        from contracts_platform.contracts.rules.registry import RULE_ORDER
        from tests.rules._baseline import baseline, check

        terms = baseline(non_compete_months=30, probation_months=7, wage__amount="abc", worker__phone="1",
                         working_hours__hours_per_day="9", working_hours__hours_per_week="48", job_title=None,
                         work_location="")
        findings = check(terms)
        assert findings == check(terms)
        assert [RULE_ORDER[f.rule] for f in findings] == sorted(RULE_ORDER[f.rule] for f in findings)
        assert [(f.rule, f.field) for f in findings] == [
            ("terms.invalid_value", "wage.amount"),
            ("identity.mobile", "worker.phone"),
            ("art17.mandatory_clause", "job_title"),
            ("art17.mandatory_clause", "work_location"),
            ("art19.probation_limit", "probation_months"),
            ("working_hours.standard_limit", "working_hours.hours_per_day"),
            ("working_hours.standard_limit", "working_hours.hours_per_week"),
            ("art24.non_compete_limit", "non_compete_months"),
        ]
