"""Versioned model contract texts (示范文本) shipped with the platform.

Pure Python, no Django: the data files in ``data/`` are ``<code>.v<version>.json``,
structured like the MOHRSS model labor contract (nine sections, 一 to 九). A shipped
file is never edited in place; a change is a new version, because contracts point at
``(code, version)`` and ``content_sha256``.
"""

from contracts_platform.contracts.model_texts._fill import (
    FilledClause,
    FilledItem,
    FilledSection,
    Segment,
    chinese_numeral,
    condition_holds,
    fill_sections,
)
from contracts_platform.contracts.model_texts._spec import (
    CONTRACT_TYPES,
    SECTION_KEYS,
    ModelTextError,
    ModelTextSpec,
    get_model_text,
    load_model_texts,
    placeholders,
    spec_from_content,
    validate_content,
)
from contracts_platform.contracts.model_texts._terms import BLANK, TERM_PATHS, format_date, format_money

__all__ = [
    "BLANK",
    "CONTRACT_TYPES",
    "SECTION_KEYS",
    "TERM_PATHS",
    "FilledClause",
    "FilledItem",
    "FilledSection",
    "ModelTextError",
    "ModelTextSpec",
    "Segment",
    "chinese_numeral",
    "condition_holds",
    "fill_sections",
    "format_date",
    "format_money",
    "get_model_text",
    "load_model_texts",
    "placeholders",
    "spec_from_content",
    "validate_content",
]
