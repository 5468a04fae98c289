"""Shipped model texts: loading, validation and content hashes."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from contracts_platform.contracts.model_texts._terms import TERM_PATHS
from contracts_platform.core.canonical import canonical_sha256

DATA_DIR = Path(__file__).resolve().parent / "data"
CONTRACT_TYPES = ("fixed_term", "open_ended", "task_based", "part_time", "dispatch")
#: MOHRSS model-contract order. Every text has all nine, so the numbering 一…九 is stable.
SECTION_KEYS = ("term", "work", "hours", "pay", "insurance", "protection", "change", "agreed", "other")
SECTION_NUMBERS = ("一", "二", "三", "四", "五", "六", "七", "八", "九")
CONDITION_OPS = ("gt", "eq", "present")
PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
FILE_NAME_RE = re.compile(r"^(?P<code>[a-z][a-z0-9_]*)\.v(?P<version>[1-9][0-9]*)\.json$")


class ModelTextError(ValueError):
    """A model text file is malformed. Raised at load time, never while rendering a contract."""


@dataclass(frozen=True)
class ModelTextSpec:
    """One versioned model text. ``content`` is the whole JSON document; treat it as read-only."""

    code: str
    version: int
    contract_type: str
    title: dict[str, str]
    summary: dict[str, str]
    content: dict[str, Any] = field(repr=False, compare=False)
    content_sha256: str

    @property
    def sections(self) -> list[dict[str, Any]]:
        return self.content["sections"]

    @property
    def preamble(self) -> str:
        return self.content.get("preamble", "")

    @property
    def party_labels(self) -> dict[str, str]:
        return self.content.get("parties") or {"employer": "甲方（用人单位）", "worker": "乙方（劳动者）"}


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER_RE.findall(text)


def _check_text(where: str, text: Any) -> list[str]:
    if not isinstance(text, str) or not text.strip():
        return [f"{where}: text must be a non-empty string"]
    if "<" in text or ">" in text:
        # Model texts are plain text; a tag here would be escaped into visible garbage.
        return [f"{where}: text must not contain '<' or '>'"]
    found = placeholders(text)
    errors = [f"{where}: unknown term path {{{p}}}" for p in found if p not in TERM_PATHS]
    if text.count("{") != len(found) or text.count("}") != len(found):
        errors.append(f"{where}: unbalanced braces")
    return errors


def _check_conditions(where: str, when: Any) -> list[str]:
    if not isinstance(when, list):
        return [f"{where}: when must be a list of conditions"]
    return [e for cond in when for e in _check_condition(where, cond)]


def _check_clause_text(where: str, text: Any) -> list[str]:
    """A clause's text: one string, or a list of parts (strings or ``{"text", "when"}``)
    joined after dropping the parts whose conditions fail, for optional phrases."""
    if not isinstance(text, list):
        return _check_text(where, text)
    if not text:
        return [f"{where}: text parts must not be empty"]
    errors: list[str] = []
    for j, part in enumerate(text):
        pwhere = f"{where} part {j}"
        if isinstance(part, dict):
            if set(part) - {"text", "when"}:
                errors.append(f"{pwhere}: a part is {{'text': ..., 'when': [...]}}")
            errors += _check_text(pwhere, part.get("text")) + _check_conditions(pwhere, part.get("when", []))
        else:
            errors += _check_text(pwhere, part)
    return errors


def _check_condition(where: str, cond: Any) -> list[str]:
    if not isinstance(cond, dict) or set(cond) - {"path", *CONDITION_OPS} or "path" not in cond:
        return [f"{where}: a condition is {{'path': ..., one of {CONDITION_OPS}: ...}}"]
    ops = [op for op in CONDITION_OPS if op in cond]
    errors = [] if len(ops) == 1 else [f"{where}: a condition needs exactly one operator"]
    if cond["path"] not in TERM_PATHS:
        errors.append(f"{where}: unknown term path {cond['path']!r}")
    if "gt" in cond and not isinstance(cond["gt"], int | float):
        errors.append(f"{where}: 'gt' needs a number")
    if "present" in cond and not isinstance(cond["present"], bool):
        errors.append(f"{where}: 'present' needs true or false")
    return errors


def validate_content(content: Any) -> list[str]:
    """Every problem with one model text document, as readable messages (empty when valid)."""
    if not isinstance(content, dict):
        return ["model text must be a JSON object"]
    errors: list[str] = []
    for key in ("code", "version", "contract_type", "title", "summary", "sections"):
        if key not in content:
            errors.append(f"missing key {key!r}")
    if errors:
        return errors
    if not isinstance(content["code"], str) or not re.fullmatch(r"[a-z][a-z0-9_]*", content["code"]):
        errors.append("code must be lower_snake_case")
    if not isinstance(content["version"], int) or isinstance(content["version"], bool) or content["version"] < 1:
        errors.append("version must be a positive integer")
    if content["contract_type"] not in CONTRACT_TYPES:
        errors.append(f"contract_type must be one of {CONTRACT_TYPES}")
    for key in ("title", "summary"):
        value = content[key]
        if not isinstance(value, dict) or not all(isinstance(value.get(lang), str) and value[lang]
                                                  for lang in ("zh", "en")):
            errors.append(f"{key} needs non-empty 'zh' and 'en' strings")
    if "preamble" in content:
        errors += _check_text("preamble", content["preamble"])
    parties = content.get("parties")
    if parties is not None and not (isinstance(parties, dict) and all(
            isinstance(parties.get(k), str) and parties[k] for k in ("employer", "worker"))):
        errors.append("parties needs non-empty 'employer' and 'worker' labels")
    sections = content["sections"]
    if not isinstance(sections, list):
        return [*errors, "sections must be a list"]
    keys = tuple(s.get("key") for s in sections if isinstance(s, dict))
    if keys != SECTION_KEYS:
        errors.append(f"sections must be {SECTION_KEYS} in this order, got {keys}")
    clause_keys: set[str] = set()
    for i, section in enumerate(sections):
        if not isinstance(section, dict):
            errors.append(f"sections[{i}] must be an object")
            continue
        where = f"section {section.get('key')}"
        if i < len(SECTION_NUMBERS) and section.get("number") != SECTION_NUMBERS[i]:
            errors.append(f"{where}: number must be {SECTION_NUMBERS[i]!r}")
        errors += _check_text(f"{where} title", section.get("title"))
        clauses = section.get("clauses")
        if not isinstance(clauses, list) or not clauses:
            errors.append(f"{where}: clauses must be a non-empty list")
            continue
        for clause in clauses:
            if not isinstance(clause, dict) or not isinstance(clause.get("key"), str):
                errors.append(f"{where}: every clause needs a string key")
                continue
            cwhere = f"clause {clause['key']}"
            if clause["key"] in clause_keys:
                errors.append(f"{cwhere}: duplicate clause key")
            clause_keys.add(clause["key"])
            unknown = set(clause) - {"key", "text", "when", "items", "kind", "empty_text"}
            if unknown:
                errors.append(f"{cwhere}: unknown fields {sorted(unknown)}")
            errors += _check_clause_text(cwhere, clause.get("text"))
            for j, item in enumerate(clause.get("items") or []):
                errors += _check_text(f"{cwhere} item {j}", item)
            errors += _check_conditions(cwhere, clause.get("when", []))
            kind = clause.get("kind")
            if kind not in (None, "supplementary"):
                errors.append(f"{cwhere}: unknown kind {kind!r}")
            if kind == "supplementary":
                errors += _check_text(f"{cwhere} empty_text", clause.get("empty_text"))
    supplementary = [c for s in sections if isinstance(s, dict) for c in s.get("clauses") or []
                     if isinstance(c, dict) and c.get("kind") == "supplementary"]
    if len(supplementary) != 1:
        errors.append("exactly one clause must have kind 'supplementary' (the employer's added clauses)")
    return errors


def spec_from_content(content: dict[str, Any]) -> ModelTextSpec:
    """A spec from a model text document, e.g. the ``content`` stored on a ``ModelText`` row.

    Rendering an archived contract goes through this, so the exact stored text is
    used even after a newer version has shipped.
    """
    errors = validate_content(content)
    if errors:
        raise ModelTextError("; ".join(errors))
    return ModelTextSpec(code=content["code"], version=content["version"], contract_type=content["contract_type"],
                         title=dict(content["title"]), summary=dict(content["summary"]), content=content,
                         content_sha256=canonical_sha256(content))


def _load_file(path: Path) -> ModelTextSpec:
    match = FILE_NAME_RE.match(path.name)
    if not match:
        raise ModelTextError(f"{path.name}: file name must be <code>.v<version>.json")
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelTextError(f"{path.name}: not valid UTF-8 JSON: {exc}") from exc
    try:
        spec = spec_from_content(content)
    except ModelTextError as exc:
        raise ModelTextError(f"{path.name}: {exc}") from exc
    if (spec.code, spec.version) != (match["code"], int(match["version"])):
        raise ModelTextError(f"{path.name}: file name does not match code {spec.code!r} version {spec.version}")
    return spec


@lru_cache(maxsize=4)
def _load_dir(directory: Path) -> tuple[ModelTextSpec, ...]:
    specs = [_load_file(p) for p in sorted(directory.glob("*.json"))]
    seen: set[tuple[str, int]] = set()
    for spec in specs:
        if (spec.code, spec.version) in seen:
            raise ModelTextError(f"duplicate model text {spec.code} v{spec.version}")
        seen.add((spec.code, spec.version))
    order = {t: i for i, t in enumerate(CONTRACT_TYPES)}
    return tuple(sorted(specs, key=lambda s: (order[s.contract_type], s.code, s.version)))


def load_model_texts(directory: Path | None = None) -> list[ModelTextSpec]:
    """All shipped model texts, ordered by contract type, code and version. Raises ModelTextError."""
    return list(_load_dir((directory or DATA_DIR).resolve()))


def get_model_text(code: str, version: int | None = None) -> ModelTextSpec:
    """One shipped model text; the latest version when ``version`` is None. Raises KeyError."""
    matching = [s for s in load_model_texts() if s.code == code and (version is None or s.version == version)]
    if not matching:
        raise KeyError(f"no model text {code!r} version {version}")
    return max(matching, key=lambda s: s.version)
