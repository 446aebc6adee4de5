from django.contrib import admin

from onestory.pods.models import Pod, PodMembership, Staff


class MembershipInline(admin.TabularInline[PodMembership, Pod]):
    model = PodMembership
    extra = 0
    autocomplete_fields = ["staff"]


@admin.register(Pod)
class PodAdmin(admin.ModelAdmin[Pod]):
    list_display = ("name", "formed", "disbanded")
    inlines = [MembershipInline]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin[Staff]):
    list_display = ("__str__", "role", "fte", "contract", "start", "end")
    list_filter = ("role", "contract")
    search_fields = ("first_name", "last_name", "swe_number")
