"""``python manage.py audit_archive [--json]``: re-hash every stored object, verify the chain and roots.

Exit status 0 when everything verifies; otherwise non-zero, naming the first
bad object key or sequence number. Read-only: it does not record an
``ArchiveAudit`` (the periodic task does).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from contracts_platform.archive.selectors import archive_check, last_good_audit_head


class Command(BaseCommand):
    help = _("重新计算全部归档对象的哈希，校验存证事件哈希链与每日 Merkle 根；发现问题时以非零状态退出。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出结果"))
        parser.add_argument("--skip-objects", action="store_true",
                            help=_("跳过对象重新哈希，只校验事件链与 Merkle 根"))

    def handle(self, *args: Any, **options: Any) -> None:
        report = archive_check(known_head=last_good_audit_head(), objects=not options["skip_objects"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_(
                "已检查对象 %(objects)d 个（%(bytes)d 字节），事件 %(events)d 条，"
                "Merkle 根 %(roots)d 个，用时 %(seconds).2f 秒。"
            ) % {"objects": report.objects_checked, "bytes": report.bytes_checked,
                 "events": report.events_checked, "roots": report.merkle_roots_checked,
                 "seconds": report.seconds})
            for problem in report.problems:
                self.stdout.write(str(problem))
            if report.problem_count > len(report.problems):
                self.stdout.write(_("……另有 %(n)d 个问题未列出。")
                                  % {"n": report.problem_count - len(report.problems)})
            if report.ok:
                self.stdout.write(self.style.SUCCESS(_("归档完好。")))
        if not report.ok:
            raise CommandError(str(report.first_problem), returncode=1)
