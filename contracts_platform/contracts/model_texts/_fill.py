"""Fill a model text with contract terms: plain strings in, plain strings out.

No HTML is produced here. Values are inserted as text and kept apart from the model
text in ``segments`` so a template can underline them; escaping is the template's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from contracts_platform.contracts.model_texts._spec import PLACEHOLDER_RE, ModelTextSpec
from contracts_platform.contracts.model_texts._terms import BLANK, format_value, is_empty, lookup

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (1 <= n < 1000): article numbers."""
    if not 0 < n < 1000:
        raise ValueError(f"article number out of range: {n}")
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        # 十二, not 一十二, unless a hundreds digit comes first (一百一十二).
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if units:
        out += _DIGITS[units]
    return out


@dataclass(frozen=True)
class Segment:
    """A run of text: model-text wording, or a value from the terms (``is_value``)."""

    text: str
    is_value: bool = False
    is_blank: bool = False


@dataclass(frozen=True)
class FilledItem:
    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass(frozen=True)
class FilledClause:
    key: str
    number: int
    segments: tuple[Segment, ...]
    items: tuple[FilledItem, ...] = ()

    @property
    def label(self) -> str:
        return f"第{chinese_numeral(self.number)}条"

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)

    @property
    def full_text(self) -> str:
        """The clause as one plain string, items numbered, e.g. for a text export."""
        lines = [f"{self.label}　{self.text}"]
        lines += [f"（{chinese_numeral(i)}）{item.text}" for i, item in enumerate(self.items, 1)]
        return "\n".join(lines)


@dataclass(frozen=True)
class FilledSection:
    key: str
    number: str
    title: str
    clauses: tuple[FilledClause, ...]

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"


def _as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def condition_holds(cond: dict[str, Any], terms: dict[str, Any]) -> bool:
    """One ``when`` condition. ``present`` means given and not empty, zero or false."""
    value = lookup(terms, cond["path"])
    if "gt" in cond:
        number = _as_number(value)
        return number is not None and number > Decimal(str(cond["gt"]))
    if "eq" in cond:
        return value == cond["eq"]
    if "present" in cond:
        number = _as_number(value)
        present = not is_empty(value) and (number is None or number != 0)
        return present is cond["present"]
    raise ValueError(f"unknown condition {cond!r}")


def clause_text(text: str | list[Any], terms: dict[str, Any]) -> str:
    """A clause's wording: the string itself, or its parts whose conditions hold, joined."""
    if isinstance(text, str):
        return text
    return "".join(part if isinstance(part, str) else part["text"] for part in text
                   if isinstance(part, str) or all(condition_holds(c, terms) for c in part.get("when", [])))


def fill_text(text: str, terms: dict[str, Any]) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    pos = 0
    for match in PLACEHOLDER_RE.finditer(text):
        if match.start() > pos:
            segments.append(Segment(text[pos:match.start()]))
        value = format_value(match[1], lookup(terms, match[1]))
        segments.append(Segment(BLANK, is_value=True, is_blank=True) if value is None
                        else Segment(value, is_value=True))
        pos = match.end()
    if pos < len(text):
        segments.append(Segment(text[pos:]))
    return tuple(segments)


def _supplementary(terms: dict[str, Any]) -> list[str]:
    clauses = terms.get("supplementary_clauses") or []
    if isinstance(clauses, str):
        clauses = [clauses]
    # Plain text only: stored as given and escaped by the template; blank entries are dropped.
    return [" ".join(str(c).split()) for c in clauses if str(c).strip()]


def fill_sections(spec: ModelTextSpec, terms: dict[str, Any]) -> list[FilledSection]:
    """The model text's sections with the terms filled in and conditional clauses resolved.

    Articles are numbered 第一条, 第二条, … across the whole contract after the
    conditions are applied, so leaving out a clause leaves no gap. Missing values
    become a visible blank (``____``).
    """
    number = 0
    sections: list[FilledSection] = []
    for section in spec.sections:
        clauses: list[FilledClause] = []
        for clause in section["clauses"]:
            if not all(condition_holds(cond, terms) for cond in clause.get("when", [])):
                continue
            number += 1
            text = clause_text(clause["text"], terms)
            items = tuple(FilledItem(fill_text(item, terms)) for item in clause.get("items", []))
            if clause.get("kind") == "supplementary":
                extra = _supplementary(terms)
                if extra:
                    items += tuple(FilledItem((Segment(c, is_value=True),)) for c in extra)
                else:
                    text = clause["empty_text"]
            clauses.append(FilledClause(key=clause["key"], number=number, segments=fill_text(text, terms),
                                        items=items))
        sections.append(FilledSection(key=section["key"], number=section["number"], title=section["title"],
                                      clauses=tuple(clauses)))
    return sections
