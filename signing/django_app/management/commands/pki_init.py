"""Create the platform PKI if it is missing (idempotent) and print what is in use."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from signing.django_app.errors import SigningServiceError
from signing.django_app.models import AuthorityKind, PlatformAuthority
from signing.django_app.pki import current_crls, pki_ensure, pki_url, platform_pki


class Command(BaseCommand):
    help = "Create the platform root CA, issuing CA and TSA if missing; print their SHA-256 fingerprints."

    def handle(self, *args: Any, **options: Any) -> None:
        before = set(PlatformAuthority.objects.filter(retired_at__isnull=True).values_list("kind", flat=True))
        rows = pki_ensure()
        try:
            platform_pki()  # decrypts the keys: fails here, loudly, on a wrong HEQIAN_PKI_KEY
            current_crls()
        except SigningServiceError as exc:
            raise CommandError(str(exc)) from exc
        for kind in AuthorityKind.values:
            row = rows[kind]
            state = _("已存在") if kind in before else _("新建")
            self.stdout.write(f"{row.get_kind_display()} [{state}] {row.subject}")
            self.stdout.write(f"  SHA-256 {row.fingerprint_sha256}")
            self.stdout.write(f"  serial  {row.serial}  {row.not_before:%Y-%m-%d} … {row.not_after:%Y-%m-%d}")
        self.stdout.write(_("发布地址：") + f" {pki_url('root.crt')}  {pki_url('root.crl')}  {pki_url('issuing.crl')}")
