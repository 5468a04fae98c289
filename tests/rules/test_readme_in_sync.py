"""README.md's rules table is generated from RULES and must not drift from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from contracts_platform.contracts.rules import rules_markdown
from contracts_platform.contracts.rules.docs import END_MARKER, START_MARKER, section

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_rules_table_matches_the_registry() -> None:
    if not README.exists():
        pytest.skip("README.md does not exist yet (the lead engineer writes it with the rules markers)")
    text = README.read_text(encoding="utf-8")
    assert START_MARKER in text and END_MARKER in text, "README.md needs the rules:start / rules:end markers"
    assert section(text) == rules_markdown().strip("\n"), (
        "README.md's rules table is stale: python -m contracts_platform.contracts.rules.docs --write README.md")
