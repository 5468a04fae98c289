"""Read-only admin for the PKI and signed documents; the one write is revoking employer certificates.

Keys never appear: ``encrypted_key`` is not editable, so no admin form renders it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from signing.django_app.models import (
    EmployerCertificate,
    PlatformAuthority,
    PublishedCrl,
    Revocation,
    RevocationReason,
    SignedDocument,
    WorkerCertificate,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Evidence-grade rows: viewable, never added, edited or deleted through the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PlatformAuthority)
class PlatformAuthorityAdmin(ReadOnlyAdmin):
    list_display = ["kind", "subject", "serial", "not_after", "retired_at", "crl_number"]
    list_filter = ["kind"]
    readonly_fields = ["kind", "subject", "serial", "fingerprint_sha256", "not_before", "not_after", "created",
                       "retired_at", "crl_number", "certificate_pem"]


@admin.register(EmployerCertificate)
class EmployerCertificateAdmin(ReadOnlyAdmin):
    list_display = ["employer", "serial", "not_before", "not_after", "revoked_at", "superseded_at", "seal_uploaded"]
    list_filter = ["revocation_reason", "seal_uploaded"]
    search_fields = ["employer__name", "employer__credit_code", "serial", "fingerprint_sha256"]
    list_select_related = ["employer"]
    readonly_fields = ["employer", "issuer", "subject", "serial", "fingerprint_sha256", "not_before", "not_after",
                       "created", "seal", "seal_uploaded", "revoked_at", "revocation_reason", "superseded_at",
                       "certificate_pem"]
    actions = ["revoke_selected"]

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        # Revoking is the one write here; it rides on the model's change permission.
        return request.user.has_perm("signing.change_employercertificate")

    @admin.action(description=_("吊销所选证书（下次盖章时自动签发新证书）"), permissions=["revoke"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[EmployerCertificate]) -> None:
        from signing.django_app.services import employer_certificate_revoke

        count = 0
        for cert in queryset.filter(revoked_at__isnull=True).select_related("employer"):
            employer_certificate_revoke(employer=cert.employer, certificate=cert,
                                        reason=RevocationReason.UNSPECIFIED, actor=request.user)
            count += 1
        self.message_user(request, ngettext("已吊销 %(n)d 张证书。", "已吊销 %(n)d 张证书。", count) % {"n": count},
                          messages.SUCCESS)


@admin.register(WorkerCertificate)
class WorkerCertificateAdmin(ReadOnlyAdmin):
    list_display = ["worker", "version", "serial", "created", "not_after"]
    search_fields = ["serial", "fingerprint_sha256", "pseudonym"]
    list_select_related = ["worker", "version__contract"]
    readonly_fields = ["worker", "version", "issuer", "subject", "pseudonym", "serial", "fingerprint_sha256",
                       "not_before", "not_after", "created", "certificate_pem"]


@admin.register(Revocation)
class RevocationAdmin(ReadOnlyAdmin):
    list_display = ["serial", "issuer", "revoked_at", "reason", "created"]
    list_filter = ["reason"]
    search_fields = ["serial"]


@admin.register(PublishedCrl)
class PublishedCrlAdmin(ReadOnlyAdmin):
    list_display = ["issuer", "number", "this_update", "next_update", "revoked_count"]
    exclude = ["der"]
    readonly_fields = ["issuer", "number", "this_update", "next_update", "revoked_count", "created"]


@admin.register(SignedDocument)
class SignedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["version", "stage", "pdf", "signer_serial", "signed_at", "timestamp_time"]
    list_filter = ["stage"]
    search_fields = ["version__contract__number", "pdf__sha256", "signer_serial"]
    list_select_related = ["version__contract"]
    readonly_fields = ["version", "stage", "pdf", "signer_serial", "signed_at", "timestamp_time", "created"]
