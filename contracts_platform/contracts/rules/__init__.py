"""Statutory rules engine for labor-contract terms. Pure Python: never imports Django.

    findings = check_terms(terms, on=today, minimum_wages=load_default_minimum_wages())

The terms format is documented in docs/contract-terms.md; every rule the engine can
report is listed in ``RULES`` (and rendered by ``rules_markdown`` for the README).
"""

from contracts_platform.contracts.rules._markdown import rules_markdown
from contracts_platform.contracts.rules._terms import TERMS_SCHEMA
from contracts_platform.contracts.rules.engine import PriorContract, check_terms
from contracts_platform.contracts.rules.minimum_wage import (
    MinimumWageRate,
    MinimumWageTable,
    load_default_minimum_wages,
)
from contracts_platform.contracts.rules.registry import RULES, Finding, Level, Rule

__all__ = [
    "RULES",
    "TERMS_SCHEMA",
    "Finding",
    "Level",
    "MinimumWageRate",
    "MinimumWageTable",
    "PriorContract",
    "Rule",
    "check_terms",
    "load_default_minimum_wages",
    "rules_markdown",
]
