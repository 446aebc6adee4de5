"""Who supervises whom is set up in the admin (there is no page for it yet). Nothing else of
supervision is here on purpose: casework records belong to families' need to know, and
personal supervision notes are read only through `access.read_personal_notes`, which logs it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin

from onestory.supervision.access import may_supervise
from onestory.supervision.models import Arrangement


class ArrangementAdminForm(forms.ModelForm[Arrangement]):
    class Meta:
        model = Arrangement
        fields = ["supervisee", "supervisor", "start", "end", "asye_start"]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        supervisor = self.cleaned_data.get("supervisor")
        supervisee = self.cleaned_data.get("supervisee")
        if supervisor is not None and not may_supervise(supervisor):
            self.add_error(
                "supervisor",
                "Choose a pod manager, a senior social worker or the head of service",
            )
        if (
            supervisor is not None
            and supervisee is not None
            and supervisee.user_id == supervisor.pk
        ):
            self.add_error("supervisor", "Nobody supervises themselves")
        return cleaned


@admin.register(Arrangement)
class ArrangementAdmin(admin.ModelAdmin[Arrangement]):
    form = ArrangementAdminForm
    list_display = ["supervisee", "supervisor", "start", "end", "asye_start"]
    list_select_related = ["supervisee", "supervisor"]
    autocomplete_fields = ["supervisee", "supervisor"]
    search_fields = ["supervisee__first_name", "supervisee__last_name"]
