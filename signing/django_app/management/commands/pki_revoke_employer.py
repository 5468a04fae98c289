"""Revoke an employer's current organisation certificate; the next seal issues a new one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from contracts_platform.parties.models import Employer
from signing.django_app.errors import NoCurrentCertificateError
from signing.django_app.models import RevocationReason
from signing.django_app.services import employer_certificate_revoke


class Command(BaseCommand):
    help = "Revoke the current signing certificate of the employer with this unified social credit code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("credit_code")
        parser.add_argument("--reason", default=RevocationReason.UNSPECIFIED, choices=RevocationReason.values)

    def handle(self, *args: Any, credit_code: str, reason: str, **options: Any) -> None:
        employer = Employer.objects.filter(credit_code=credit_code.strip().upper()).first()
        if employer is None:
            raise CommandError(_("没有统一社会信用代码为 %(code)s 的用人单位。") % {"code": credit_code})
        try:
            cert = employer_certificate_revoke(employer=employer, reason=reason)
        except NoCurrentCertificateError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("已吊销 %(name)s 的证书 %(serial)s，吊销时间 %(at)s。") % {
            "name": employer.name, "serial": cert.serial, "at": cert.revoked_at.isoformat()})
