"""The rules table for the README, generated from ``RULES`` so the two cannot drift.

    python -m contracts_platform.contracts.rules.docs --write README.md   # update in place
    python -m contracts_platform.contracts.rules.docs --check README.md   # exit 1 if stale

The table replaces whatever lies between ``<!-- rules:start -->`` and
``<!-- rules:end -->``; the markers themselves stay. (The package ``__init__`` does not
import this module, so running it with ``-m`` does not load it twice.)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from contracts_platform.contracts.rules._markdown import rules_markdown

__all__ = ["END_MARKER", "START_MARKER", "is_in_sync", "main", "replace_section", "rules_markdown",
           "section"]

START_MARKER = "<!-- rules:start -->"
END_MARKER = "<!-- rules:end -->"


class MarkersNotFoundError(ValueError):
    pass


def _bounds(text: str) -> tuple[int, int]:
    start = text.find(START_MARKER)
    end = text.find(END_MARKER, start + len(START_MARKER)) if start >= 0 else -1
    if start < 0 or end < 0:
        raise MarkersNotFoundError(f"{START_MARKER} … {END_MARKER} markers not found")
    return start + len(START_MARKER), end


def section(text: str) -> str:
    """What currently sits between the markers, without the surrounding blank lines."""
    begin, end = _bounds(text)
    return text[begin:end].strip("\n")


def replace_section(text: str, table: str) -> str:
    begin, end = _bounds(text)
    return f"{text[:begin]}\n{table.strip(chr(10))}\n{text[end:]}"


def is_in_sync(text: str) -> bool:
    return section(text) == rules_markdown().strip("\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contracts_platform.contracts.rules.docs",
                                     description="Keep the README's rules table in step with RULES.")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", metavar="FILE", type=Path, help="replace the table in FILE if it changed")
    group.add_argument("--check", metavar="FILE", type=Path, help="exit 1 if the table in FILE is stale")
    args = parser.parse_args(argv)
    path: Path = args.write or args.check
    try:
        text = path.read_text(encoding="utf-8")
        in_sync = is_in_sync(text)
    except (OSError, UnicodeDecodeError, MarkersNotFoundError) as exc:
        print(f"{path}: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if not in_sync:
            print(f"{path}: the rules table is out of date; run "
                  f"python -m contracts_platform.contracts.rules.docs --write {path}", file=sys.stderr)
            return 1
        return 0
    if in_sync:
        print(f"{path}: rules table already up to date")
        return 0
    path.write_text(replace_section(text, rules_markdown()), encoding="utf-8")
    print(f"{path}: rules table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
