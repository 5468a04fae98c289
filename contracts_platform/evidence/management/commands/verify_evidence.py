"""``python manage.py verify_evidence ZIP [--json] [--trust ROOT.pem]``: verify an evidence package offline.

Exit 0 when everything verifies, 1 naming the first problem (changed, removed or
added file, broken manifest signature, bad PDF signature, broken event chain or
Merkle proof), 2 when the ZIP cannot be read. Uses no database: the work is done
by the pure ``contracts_platform.evidence.offline``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contracts_platform.evidence.offline import format_text, verify_package


class Command(BaseCommand):
    help = _("离线核验证据包（ZIP）：清单签名、文件指纹、合同签名、存证哈希链和 Merkle 证明。")
    requires_system_checks: list[str] = []  # an arbitrator's copy may have no configured services

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("zip", help=_("证据包 ZIP 文件"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出核验结果"))
        parser.add_argument("--trust", action="append", default=None,
                            help=_("另行取得的根证书（PEM 或 DER），代替包内的 pki/root.pem"))

    def handle(self, *args: Any, **options: Any) -> None:
        trust = [Path(p).read_bytes() for p in options["trust"]] if options["trust"] else None
        report = verify_package(options["zip"], trust_roots=trust)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(format_text(report, get_language() or "zh-hans"))
        if report.exit_code:
            sys.exit(report.exit_code)
