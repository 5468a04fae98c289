"""Read-only admin of the outbox: messages are evidence of notices, never edited by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from contracts_platform.notifications.models import OutboundMessage
from contracts_platform.notifications.selectors import outbox_keeps_secrets


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "channel", "recipient_masked", "template", "purpose", "status"]
    list_filter = ["channel", "status", "template"]
    search_fields = ["recipient", "provider_id", "subject_id"]
    date_hierarchy = "created_at"
    readonly_fields = ["channel", "recipient", "template", "purpose", "subject_type", "subject_id", "language",
                       "subject_line", "body_shown", "body_sha256", "context", "is_secret", "body_redacted",
                       "status", "backend", "provider_id", "error", "created_by", "created_at", "sent_at",
                       "delivered_at"]
    exclude = ["body"]

    @admin.display(description=_("正文"))
    def body_shown(self, obj: OutboundMessage) -> str:
        # An admin who could read a live OTP could sign in the worker's place.
        if obj.is_secret and not obj.body_redacted and not outbox_keeps_secrets():
            return str(_("（含验证码或签署链接，不予显示）"))
        return obj.body

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
