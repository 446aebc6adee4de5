from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from onestory.accounts.models import Role
from onestory.families.models import Cover, PodTransfer
from onestory.pods.membership import refuse_administrators
from onestory.pods.models import CaseloadWeighting, Pod, PodMembership, Staff


class MembershipAdminForm(forms.ModelForm[PodMembership]):
    class Meta:
        model = PodMembership
        fields = ["staff", "pod", "role", "fte", "start", "end"]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        staff = self.cleaned_data.get("staff")
        if staff is not None:
            try:
                refuse_administrators(staff)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class StaffAdminForm(forms.ModelForm[Staff]):
    class Meta:
        model = Staff
        fields = [
            "user",
            "first_name",
            "last_name",
            "role",
            "fte",
            "contract",
            "swe_number",
            "start",
            "end",
        ]

    def clean(self) -> dict[str, Any] | None:
        # An administrator's account holds no case-work role, here as on the account itself.
        cleaned = super().clean()
        user = self.cleaned_data.get("user")
        if user is not None and user.is_administrator:
            if self.cleaned_data.get("role") != Role.ADMINISTRATOR:
                self.add_error(
                    "role",
                    f"{user} is a system administrator, and administrators cannot hold a "
                    "case-work role: choose System administrator, or link a case-work account.",
                )
            current = Q(end__isnull=True) | Q(end__gt=timezone.localdate())
            if self.instance.pk and self.instance.memberships.filter(current).exists():
                self.add_error(
                    "user",
                    f"{user} is a system administrator, and administrators cannot be members "
                    "of a pod: end this person's pod membership first.",
                )
        return cleaned


class MembershipInline(admin.TabularInline[PodMembership, Pod]):
    model = PodMembership
    form = MembershipAdminForm
    extra = 0
    autocomplete_fields = ["staff"]


@admin.register(Pod)
class PodAdmin(admin.ModelAdmin[Pod]):
    list_display = ("name", "formed", "disbanded")
    inlines = [MembershipInline]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin[Staff]):
    form = StaffAdminForm
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
