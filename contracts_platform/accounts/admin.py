from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from contracts_platform.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "phone", "is_staff"]
    list_filter = ["role", "is_staff"]
    fieldsets = (*BaseUserAdmin.fieldsets, ("HeQian", {"fields": ("role", "display_name", "phone", "region")}))
