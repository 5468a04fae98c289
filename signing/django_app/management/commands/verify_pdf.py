"""Verify a signed contract PDF with the platform trust roots and current CRLs.

Exit status: 0 every signature intact, trusted, timestamped and followed only by
the prepared form filling and LTV updates; 1 otherwise; 2 the file is not a
readable PDF.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from signing import NotAPdfError
from signing.django_app.selectors import report_view
from signing.django_app.services import contract_verification


class Command(BaseCommand):
    help = "Verify the signatures of a contract PDF (exit 0 valid, 1 invalid, 2 unreadable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the full report as JSON")
        parser.add_argument("--lang", default="zh-hans", choices=["zh-hans", "en"], help="language of the text")

    def handle(self, *args: Any, file: Path, as_json: bool, lang: str, **options: Any) -> None:
        with translation.override(lang):
            self._handle(file, as_json=as_json)

    def _handle(self, file: Path, *, as_json: bool) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(_("无法读取文件 %(file)s：%(error)s") % {"file": file, "error": exc.strerror},
                               returncode=2) from exc
        try:
            report = contract_verification(data)
        except NotAPdfError as exc:
            raise CommandError(_("%(file)s 不是可读取的 PDF 文件。") % {"file": file}, returncode=2) from exc
        if as_json:
            self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, sort_keys=True))
        else:
            self._print(report.to_dict())
        if not report.ok:
            # CommandError is how manage.py exits non-zero without a traceback.
            raise CommandError(_("验证未通过。"), returncode=1)

    def _print(self, report: dict[str, Any]) -> None:
        view = report_view(report, mask_workers=False)
        yes, no = _("是"), _("否")
        for s in view.signatures:
            verdict = pgettext("签名结论", "有效") if s.ok else pgettext("签名结论", "无效")
            self.stdout.write(f"[{verdict}] {s.role_label} {s.field_name}: {s.signer_name}")
            when = s.timestamp_time.isoformat() if s.timestamp_time else _("无")
            self.stdout.write(f"    {_('文件完整')}: {yes if s.intact else no}  {_('证书可信')}: "
                              f"{yes if s.trusted else no}  {_('可信时间')}: {when}")
            for reason in s.reasons:
                self.stdout.write(f"    - {reason}")
        if view.ok:
            self.stdout.write(self.style.SUCCESS(_("验证通过：全部签名有效且均有可信时间戳，签署后仅有允许的更新。")))
        else:
            for reason in view.reasons:
                self.stdout.write(self.style.ERROR(f"- {reason}"))
