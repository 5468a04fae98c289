"""Render the rule registry as the Markdown table the README embeds."""

from __future__ import annotations

from contracts_platform.contracts.rules.registry import RULES, Level

_LEVEL_TEXT = {Level.ERROR: "错误 error", Level.WARNING: "提示 warning"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_markdown() -> str:
    """Every registered rule as a Markdown table (ends with a newline)."""
    lines = ["| 规则 Rule | 级别 Level | 依据 Article | 说明 | Summary |", "|---|---|---|---|---|"]
    for rule in RULES.values():
        levels = " / ".join(_LEVEL_TEXT[level] for level in rule.levels)
        lines.append(f"| `{rule.id}` | {levels} | {_cell(rule.article)} | {_cell(rule.summary_zh)} "
                     f"| {_cell(rule.summary_en)} |")
    return "\n".join(lines) + "\n"
