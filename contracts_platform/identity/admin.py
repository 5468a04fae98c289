"""Read-only admin: OTP challenges, invitations and identity checks are records, not settings."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from contracts_platform.identity.models import IdentityCheck, OtpChallenge, SigningInvitation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OtpChallenge)
class OtpChallengeAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "purpose", "phone", "sent", "attempts", "locked_at", "consumed_at"]
    list_filter = ["purpose", "sent"]
    search_fields = ["=phone"]
    # The salt and HMAC are useless to a reader and need not be shown.
    exclude = ["salt", "code_hash"]


@admin.register(SigningInvitation)
class SigningInvitationAdmin(ReadOnlyAdmin):
    list_display = ["id", "contract", "contract_version", "worker", "state", "created_at", "expires_at",
                    "opened_at", "used_at", "revoked_at"]
    list_filter = ["state"]
    search_fields = ["=contract__number"]
    list_select_related = ["contract", "contract_version", "worker"]
    exclude = ["token_hash"]


@admin.register(IdentityCheck)
class IdentityCheckAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "invitation", "method", "ok", "reasons", "ip"]
    list_filter = ["method", "ok"]
    list_select_related = ["invitation"]
