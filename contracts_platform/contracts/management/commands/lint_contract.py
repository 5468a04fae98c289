"""``python manage.py lint_contract FILE.json [--json] [--on YYYY-MM-DD] [--lang en]``.

Checks contract terms (format: docs/contract-terms.md) against the statutory rules.
Exit status: 0 no error-level finding (warnings allowed), 1 at least one error,
2 the file is missing, unreadable or not a JSON object. ``FILE`` may be ``-`` for stdin.
The minimum wage comes from the database table, as on the platform itself.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contracts_platform.contracts.rules import Finding, Level, check_terms
from contracts_platform.contracts.selectors import minimum_wage_table

EXIT_ERRORS = 1
EXIT_UNREADABLE = 2


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a YYYY-MM-DD date: {value!r}") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _text(lang: str, zh: str, en: str) -> str:
    return en if lang.lower().startswith("en") else zh


class Command(BaseCommand):
    help = _("按劳动合同法等规定检查 JSON 格式的合同条款：有错误级问题时退出状态为 1，"
             "文件不存在、无法读取或不是 JSON 对象时为 2。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=_("合同条款 JSON 文件（docs/contract-terms.md），- 表示标准输入"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 列表输出检查结果"))
        parser.add_argument("--on", type=_iso_date, default=None,
                            help=_("按哪一天检查（YYYY-MM-DD），默认今天"))
        parser.add_argument("--lang", default=None, help=_("输出语言：zh-hans（默认）或 en"))

    def handle(self, *args: Any, **options: Any) -> None:
        lang: str = options["lang"] or translation.get_language() or settings.LANGUAGE_CODE
        terms = self._read(options["file"], lang)
        on: dt.date = options["on"] or timezone.localdate()
        findings = check_terms(terms, on=on, minimum_wages=minimum_wage_table())
        if options["json"]:
            self.stdout.write(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=2))
        else:
            self._write_text(findings, lang, options["file"], on)
        if any(f.level == Level.ERROR for f in findings):
            # Findings are the output, not a failure of the command: exit quietly with 1.
            sys.exit(EXIT_ERRORS)

    def _read(self, name: str, lang: str) -> dict[str, Any]:
        try:
            raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except FileNotFoundError:
            raise CommandError(_text(lang, f"文件不存在：{name}", f"no such file: {name}"),
                               returncode=EXIT_UNREADABLE) from None
        except OSError as exc:
            raise CommandError(_text(lang, f"无法读取 {name}：{exc.strerror or exc}",
                                     f"cannot read {name}: {exc.strerror or exc}"),
                               returncode=EXIT_UNREADABLE) from None
        try:
            terms = json.loads(raw.decode("utf-8-sig"), parse_constant=_reject_constant)
        except UnicodeDecodeError:
            raise CommandError(_text(lang, f"{name} 不是 UTF-8 编码的文本", f"{name} is not UTF-8 text"),
                               returncode=EXIT_UNREADABLE) from None
        except json.JSONDecodeError as exc:
            raise CommandError(_text(lang, f"{name} 不是合法的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}",
                                     f"{name} is not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}"),
                               returncode=EXIT_UNREADABLE) from None
        except (ValueError, RecursionError) as exc:
            raise CommandError(_text(lang, f"{name} 不是合法的 JSON：{exc}", f"{name} is not valid JSON: {exc}"),
                               returncode=EXIT_UNREADABLE) from None
        if not isinstance(terms, dict):
            raise CommandError(_text(lang, f"{name} 的顶层应为 JSON 对象（合同条款）",
                                     f"{name} must hold a JSON object (the contract terms) at the top level"),
                               returncode=EXIT_UNREADABLE)
        return terms

    def _write_text(self, findings: list[Finding], lang: str, name: str, on: dt.date) -> None:
        labels = {Level.ERROR: _text(lang, "错误", "error"), Level.WARNING: _text(lang, "提示", "warning")}
        styles = {Level.ERROR: self.style.ERROR, Level.WARNING: self.style.WARNING}
        for f in findings:
            where = f.field or _text(lang, "（整份条款）", "(whole document)")
            self.stdout.write(f"{styles[f.level]('[' + labels[f.level] + ']')} {where}: {f.message(lang)}")
            self.stdout.write(f"    {f.article} · {f.rule}")
        errors = sum(1 for f in findings if f.level == Level.ERROR)
        warnings = len(findings) - errors
        if not findings:
            self.stdout.write(self.style.SUCCESS(_text(lang, f"{name}：按 {on} 检查，未发现问题。",
                                                       f"{name}: checked as of {on}, no findings.")))
        else:
            summary = _text(lang, f"{name}：按 {on} 检查，{errors} 项错误，{warnings} 项提示。",
                            f"{name}: checked as of {on}, {errors} error(s), {warnings} warning(s).")
            self.stdout.write(self.style.ERROR(summary) if errors else self.style.WARNING(summary))
