"""The shipped model texts: valid data, documented placeholders, conditional clauses, formatting."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from contracts_platform.contracts.model_texts import (
    BLANK,
    CONTRACT_TYPES,
    SECTION_KEYS,
    TERM_PATHS,
    ModelTextError,
    chinese_numeral,
    fill_sections,
    format_date,
    format_money,
    get_model_text,
    load_model_texts,
    placeholders,
    spec_from_content,
    validate_content,
)
from contracts_platform.contracts.model_texts._spec import DATA_DIR
from contracts_platform.core.canonical import canonical_sha256
from tests.documents.personas import terms_for

ROOT = Path(__file__).resolve().parents[2]
TERMS_DOC = ROOT / "docs" / "contract-terms.md"


def _parts(text: str | list) -> list[str]:
    return [text] if isinstance(text, str) else [p if isinstance(p, str) else p["text"] for p in text]


def _conditions(clause: dict) -> list[dict]:
    parts = clause["text"] if isinstance(clause["text"], list) else []
    return clause.get("when", []) + [c for p in parts if isinstance(p, dict) for c in p.get("when", [])]


def _all_texts(content: dict) -> list[str]:
    texts = [content.get("preamble", "")]
    for section in content["sections"]:
        texts.append(section["title"])
        for clause in section["clauses"]:
            texts += [*_parts(clause["text"]), clause.get("empty_text", ""), *clause.get("items", [])]
    return texts


def _clause_keys(sections) -> list[str]:
    return [c.key for s in sections for c in s.clauses]


def _text(sections) -> str:
    return "\n".join(c.full_text for s in sections for c in s.clauses)


class TestModelTextFiles:
    def test_every_file_is_valid_json_and_a_valid_model_text(self):
        files = sorted(DATA_DIR.glob("*.json"))
        assert len(files) >= 5
        for path in files:
            content = json.loads(path.read_text(encoding="utf-8"))
            assert validate_content(content) == [], path.name
            assert path.name == f"{content['code']}.v{content['version']}.json"

    def test_every_contract_type_shipped_and_code_version_unique(self):
        specs = load_model_texts()
        assert {s.contract_type for s in specs} == set(CONTRACT_TYPES)
        keys = [(s.code, s.version) for s in specs]
        assert len(keys) == len(set(keys))
        for code in {s.code for s in specs}:
            # Versions of one text are 1, 2, ...: a gap would mean a shipped version was deleted.
            assert sorted(v for c, v in keys if c == code) == list(range(1, 1 + sum(c == code for c, _ in keys)))

    def test_shipped_versions_are_frozen(self):
        """A shipped file is evidence for the contracts that used it: change means a new version."""
        frozen = {
            ("dispatch", 1): "2864342f7ec0",
            ("fixed_term", 1): "230970412cf4",
            ("open_ended", 1): "d4cef856ed02",
            ("part_time", 1): "cef59940a37a",
            ("task_based", 1): "d1c079c11aae",
        }
        hashes = {(s.code, s.version): s.content_sha256[:12] for s in load_model_texts()}
        for key, prefix in frozen.items():
            assert hashes[key] == prefix, key

    def test_sections_follow_the_mohrss_order(self):
        for spec in load_model_texts():
            assert tuple(s["key"] for s in spec.sections) == SECTION_KEYS
            assert [s["number"] for s in spec.sections] == list("一二三四五六七八九")
            assert spec.sections[0]["title"] == "劳动合同期限"
            assert spec.sections[-1]["title"] == "其他"

    def test_placeholders_and_conditions_name_known_term_paths(self):
        for spec in load_model_texts():
            for text in _all_texts(spec.content):
                for path in placeholders(text):
                    assert path in TERM_PATHS, (spec.code, path)
            for section in spec.sections:
                for clause in section["clauses"]:
                    for cond in _conditions(clause):
                        assert cond["path"] in TERM_PATHS, (spec.code, cond)

    @pytest.mark.skipif(not TERMS_DOC.exists(), reason="docs/contract-terms.md not written yet")
    def test_placeholders_are_documented_in_the_terms_format(self):
        doc = TERMS_DOC.read_text(encoding="utf-8")
        used = {p for spec in load_model_texts() for t in _all_texts(spec.content) for p in placeholders(t)}
        for path in used:
            # Each step of a dotted path is a documented key, e.g. `wage` and `amount`.
            for part in path.split("."):
                assert re.search(rf"\b{re.escape(part)}\b", doc), f"{path}: {part!r} not in {TERMS_DOC.name}"

    def test_texts_are_plain_text(self):
        for spec in load_model_texts():
            for text in _all_texts(spec.content):
                assert "<" not in text and ">" not in text and "&" not in text

    def test_content_hash_is_the_canonical_hash_of_the_file(self):
        for spec in load_model_texts():
            path = DATA_DIR / f"{spec.code}.v{spec.version}.json"
            assert spec.content_sha256 == canonical_sha256(json.loads(path.read_text(encoding="utf-8")))

    def test_get_model_text_returns_latest_or_exact_version(self):
        assert get_model_text("fixed_term").contract_type == "fixed_term"
        assert get_model_text("dispatch", 1).version == 1
        with pytest.raises(KeyError):
            get_model_text("fixed_term", 999)


class TestModelTextValidation:
    def _content(self) -> dict:
        return copy.deepcopy(get_model_text("fixed_term").content)

    def test_unknown_placeholder_is_rejected(self):
        content = self._content()
        content["sections"][0]["clauses"][0]["text"] += "{wage.amout}"
        with pytest.raises(ModelTextError, match=r"wage\.amout"):
            spec_from_content(content)

    def test_optional_parts_are_validated_too(self):
        content = self._content()
        bad = {"text": "{wage.amount}", "when": [{"path": "wage.nope", "present": True}]}
        content["sections"][3]["clauses"][0]["text"] = ["月工资", bad]
        assert any("wage.nope" in e for e in validate_content(content))

    def test_html_in_a_model_text_is_rejected(self):
        content = self._content()
        content["preamble"] = "<b>x</b>"
        assert any("'<'" in e for e in validate_content(content))

    def test_sections_out_of_order_are_rejected(self):
        content = self._content()
        content["sections"][0], content["sections"][1] = content["sections"][1], content["sections"][0]
        assert any("order" in e for e in validate_content(content))

    def test_duplicate_code_version_in_a_directory_is_rejected(self, tmp_path):
        text = (DATA_DIR / "fixed_term.v1.json").read_text(encoding="utf-8")
        (tmp_path / "fixed_term.v1.json").write_text(text, encoding="utf-8")
        (tmp_path / "fixed_term.v2.json").write_text(text, encoding="utf-8")
        with pytest.raises(ModelTextError, match="does not match"):
            load_model_texts(tmp_path)


class TestFillSections:
    def test_values_are_formatted_in_chinese(self):
        terms = terms_for("fixed_term")
        text = _text(fill_sections(get_model_text("fixed_term"), terms))
        assert "自2025年1月1日起至2027年12月31日止" in text
        assert "5,000.00 元" in text
        assert "4,000.00 元" in text
        assert BLANK not in text

    def test_missing_values_render_as_a_visible_blank(self):
        terms = terms_for("fixed_term")
        terms["end_date"] = None
        terms["wage"]["amount"] = ""
        text = _text(fill_sections(get_model_text("fixed_term"), terms))
        assert f"至{BLANK}止" in text
        assert f"月工资标准为{BLANK}" in text

    def test_probation_clause_only_with_probation(self):
        spec = get_model_text("fixed_term")
        terms = terms_for("fixed_term")
        with_probation = _clause_keys(fill_sections(spec, terms))
        assert "term.probation" in with_probation and "pay.probation" in with_probation
        assert "term.no_probation" not in with_probation
        terms["probation_months"] = 0
        without = _clause_keys(fill_sections(spec, terms))
        assert "term.probation" not in without and "pay.probation" not in without
        assert "term.no_probation" in without

    def test_non_compete_and_service_period_only_when_agreed(self):
        spec = get_model_text("fixed_term")
        terms = terms_for("fixed_term")
        keys = _clause_keys(fill_sections(spec, terms))
        assert "agreed.non_compete" not in keys and "agreed.service_period" not in keys
        terms.update(non_compete_months=12, service_period_months=24, service_penalty="8000.00",
                     training={"employer_funded": True, "cost": "12000.00"})
        sections = fill_sections(spec, terms)
        assert {"agreed.non_compete", "agreed.service_period"} <= set(_clause_keys(sections))
        text = _text(sections)
        assert "解除或者终止后12个月内" in text and "专项培训费用为12,000.00 元" in text and "违约金8,000.00 元" in text

    def test_working_hours_system_picks_one_clause(self):
        spec = get_model_text("fixed_term")
        for system in ("standard", "comprehensive", "flexible"):
            terms = terms_for("fixed_term")
            terms["working_hours"]["system"] = system
            keys = [k for k in _clause_keys(fill_sections(spec, terms)) if k.startswith("hours.")]
            assert f"hours.{system}" in keys
            assert len({"hours.standard", "hours.comprehensive", "hours.flexible"} & set(keys)) == 1

    def test_articles_are_numbered_without_gaps(self):
        sections = fill_sections(get_model_text("dispatch"), terms_for("dispatch"))
        numbers = [c.number for s in sections for c in s.clauses]
        assert numbers == list(range(1, len(numbers) + 1))
        assert sections[0].clauses[0].label == "第一条"

    def test_supplementary_clauses_stay_plain_text(self):
        terms = terms_for("fixed_term")
        terms["supplementary_clauses"] = ["<script>alert(1)</script>", "  ", "甲方每年组织一次体检。"]
        sections = fill_sections(get_model_text("fixed_term"), terms)
        clause = next(c for s in sections for c in s.clauses if c.key == "agreed.supplementary")
        assert [i.text for i in clause.items] == ["<script>alert(1)</script>", "甲方每年组织一次体检。"]

    def test_no_supplementary_clauses_says_so(self):
        terms = terms_for("fixed_term")
        terms["supplementary_clauses"] = []
        assert "双方无其他约定事项。" in _text(fill_sections(get_model_text("fixed_term"), terms))

    def test_dispatch_names_host_unit_period_and_post(self):
        text = _text(fill_sections(get_model_text("dispatch"), terms_for("dispatch")))
        assert "济南重工机械有限公司" in text and "装配辅助工" in text and "2025年1月1日至2026年6月30日" in text

    def test_part_time_has_no_probation_and_a_short_pay_cycle(self):
        text = _text(fill_sections(get_model_text("part_time"), terms_for("part_time")))
        assert "不约定试用期" in text and "结算支付周期为7日" in text and "25.00 元/小时" in text

    def test_task_based_names_the_task(self):
        text = _text(fill_sections(get_model_text("task_based"), terms_for("task_based")))
        assert "济南东站物流园二期仓储系统安装调试" in text

    def test_every_text_fills_without_blanks_for_complete_terms(self):
        for spec in load_model_texts():
            assert BLANK not in _text(fill_sections(spec, terms_for(spec.contract_type))), spec.code

    @pytest.mark.parametrize("contract_type", CONTRACT_TYPES)
    def test_optional_terms_leave_no_blank(self, contract_type):
        """Keys the terms format marks optional read naturally when absent (docs/contract-terms.md)."""
        terms = terms_for(contract_type)
        terms["wage"].update(probation_amount=None, pay_day=None)
        terms.update(training={"employer_funded": True, "cost": None}, service_period_months=12,
                     service_penalty=None)
        terms["working_hours"] = {"system": "comprehensive", "hours_per_day": None, "hours_per_week": None}
        if contract_type == "part_time":
            terms["working_hours"] = {"system": "standard", "hours_per_day": "4", "hours_per_week": "20"}
        text = _text(fill_sections(get_model_text(contract_type), terms))
        assert BLANK not in text
        if contract_type in ("fixed_term", "open_ended", "dispatch"):
            assert "试用期内乙方的工资按照本合同约定的工资标准执行" in text
        if contract_type != "part_time":
            assert "甲方出资对乙方进行专业技术培训。双方约定服务期为12个月" in text
            assert "应当向甲方支付违约金，违约金数额不超过" in text
            assert "综合计算工时工作制。综合计算周期" in text

    def test_optional_phrases_appear_when_given(self):
        terms = terms_for("fixed_term", service_period_months=12, service_penalty="3000",
                          training={"employer_funded": True, "cost": "9000"})
        terms["working_hours"]["system"] = "comprehensive"
        text = _text(fill_sections(get_model_text("fixed_term"), terms))
        assert "专业技术培训，专项培训费用为9,000.00 元。" in text and "支付违约金3,000.00 元，" in text
        assert "综合计算工时工作制，平均每日工作8小时，平均每周工作40小时。" in text
        assert "甲方每月15日前以货币形式" in text

    def test_probation_notice_only_mentioned_with_probation(self):
        task = _text(fill_sections(get_model_text("task_based"), terms_for("task_based")))
        fixed = _text(fill_sections(get_model_text("fixed_term"), terms_for("fixed_term")))
        assert "提前三十日以书面形式通知甲方，可以解除本合同。" in task and "在试用期内" not in task
        assert "；乙方在试用期内提前三日通知甲方，可以解除本合同。" in fixed

    def test_a_missing_required_choice_shows_a_blank(self):
        terms = terms_for("fixed_term")
        terms["working_hours"]["system"] = None
        terms["wage"]["type"] = None
        text = _text(fill_sections(get_model_text("fixed_term"), terms))
        assert f"乙方执行的工时制度为{BLANK}。" in text and "乙方的工资标准为5,000.00 元（税前）" in text


class TestFormatting:
    @pytest.mark.parametrize(("value", "expected"), [
        ("5000", "5,000.00 元"), ("5000.5", "5,000.50 元"), ("1234567.891", "1,234,567.89 元"), ("0", "0.00 元"),
        ("abc", "abc")])
    def test_money(self, value, expected):
        assert format_money(value) == expected

    @pytest.mark.parametrize(("value", "expected"), [
        ("2025-01-01", "2025年1月1日"), ("2025-12-31", "2025年12月31日"), ("next week", "next week")])
    def test_date(self, value, expected):
        assert format_date(value) == expected

    @pytest.mark.parametrize(("n", "expected"), [
        (1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (45, "四十五"), (100, "一百"), (105, "一百零五"),
        (110, "一百一十")])
    def test_chinese_numeral(self, n, expected):
        assert chinese_numeral(n) == expected
