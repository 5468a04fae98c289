from django.contrib import admin

from contracts_platform.parties.models import Employer, EmployerMembership, Worker


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "region"]
    search_fields = ["name", "credit_code"]


@admin.register(EmployerMembership)
class EmployerMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "employer", "role"]
    list_filter = ["role"]


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    # The ID number is shown masked only; the ciphertext never reaches the admin.
    list_display = ["name", "id_number_masked", "phone", "employer"]
    search_fields = ["name", "phone"]
    exclude = ["id_number"]
    readonly_fields = ["id_number_masked", "id_number_hash"]
