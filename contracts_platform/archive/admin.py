"""Read-only admin: the archive is inspected here, never edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from contracts_platform.archive.models import ArchiveAudit, EvidenceEvent, MerkleRoot, StoredObject


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EvidenceEvent)
class EvidenceEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "event_type", "actor_label", "subject_type", "subject_id", "occurred_at")
    list_filter = ("event_type", "subject_type")
    search_fields = ("=subject_id", "=entry_hash", "actor_label")
    list_select_related = False
    show_full_result_count = False  # COUNT(*) over the whole log on every page is wasted work


@admin.register(StoredObject)
class StoredObjectAdmin(ReadOnlyAdmin):
    list_display = ("sha256", "content_type", "size", "created")
    search_fields = ("=sha256",)
    list_filter = ("content_type",)


@admin.register(MerkleRoot)
class MerkleRootAdmin(ReadOnlyAdmin):
    list_display = ("day", "first_seq", "last_seq", "leaf_count", "root", "created")
    exclude = ("timestamp_token",)


@admin.register(ArchiveAudit)
class ArchiveAuditAdmin(ReadOnlyAdmin):
    list_display = ("started", "finished", "ok", "first_problem")
    list_filter = ("ok",)
