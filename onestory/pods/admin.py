from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from onestory.families.models import Cover, PodTransfer
from onestory.pods.models import CaseloadWeighting, Pod, PodMembership, Staff


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


@admin.register(CaseloadWeighting)
class CaseloadWeightingAdmin(admin.ModelAdmin[CaseloadWeighting]):
    """The council's caseload weighting: add a row to change it from a date, so caseloads on
    earlier dates keep the weighting of their day."""

    list_display = (
        "start",
        "child_in_need",
        "child_protection",
        "in_care",
        "full_time_caseload",
        "in_training_share",
    )


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Written only through the pod pages, whose functions check the rules and record who
    did it; shown here for reference."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Cover)
class CoverAdmin(ReadOnlyAdmin):
    list_display = ("covering", "absent", "pod", "start", "end")
    list_filter = ("pod",)


@admin.register(PodTransfer)
class PodTransferAdmin(ReadOnlyAdmin):
    list_display = ("family", "from_pod", "to_pod", "transferred")
