"""Admin: commission staff flags are managed here; case data is read-only (it is evidence, written by services)."""

from django.contrib import admin

from contracts_platform.disputes.models import (
    ArrearsComplaint,
    CommissionMember,
    DisputeCase,
    Escalation,
    LegalAidAssignment,
)


@admin.register(CommissionMember)
class CommissionMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "is_clerk", "is_supervisor"]
    list_filter = ["is_clerk", "is_supervisor", "region"]
    raw_id_fields = ["user"]


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DisputeCase)
class DisputeCaseAdmin(_ReadOnlyAdmin):
    list_display = ["number", "employer_name", "region", "status", "route", "filed_at", "acceptance_due"]
    list_filter = ["status", "route", "region"]
    search_fields = ["number", "employer_name"]
    exclude = ["worker_phone"]


@admin.register(ArrearsComplaint)
class ArrearsComplaintAdmin(_ReadOnlyAdmin):
    list_display = ["number", "employer_name", "district", "amount", "status", "submitted_at", "accept_due"]
    list_filter = ["status", "district"]
    search_fields = ["number", "employer_name", "project_name"]
    exclude = ["reporter_phone", "public_token"]


@admin.register(LegalAidAssignment)
class LegalAidAssignmentAdmin(_ReadOnlyAdmin):
    list_display = ["case", "lawyer", "organisation", "assigned_at", "ended_at"]


@admin.register(Escalation)
class EscalationAdmin(_ReadOnlyAdmin):
    list_display = ["kind", "case", "complaint", "region", "due_at", "escalated_at", "acknowledged_at"]
    list_filter = ["kind", "region"]
