"""Forms for the audit pages. Each feeds one write function; `ActionForm.run` (pods) puts the
function's errors on the field it names, with what the user typed kept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from onestory.accounts.models import User
from onestory.audits.conversation import DomainAnswer, field
from onestory.audits.models import SCALE_WORDS, CycleDomain, Grade, Period, Theme
from onestory.lib.forms import CHECKBOXES
from onestory.lib.govuk_dates import GovukDateField
from onestory.pods.forms import ActionForm

OFF_THE_SCALE = {
    "invalid_choice": f"Choose a grade on the scale: {SCALE_WORDS}",
}


def grade_field(label: str, *, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "Not graded yet"), *Grade.choices],
        coerce=int,
        empty_value=None,
        required=required,
        error_messages={**OFF_THE_SCALE, "required": f"Choose the {label.lower()}"},
    )


class UserChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class OpenCycleForm(ActionForm):
    period = forms.ChoiceField(
        label="A month or a quarter",
        choices=[("", "Choose one"), *Period.choices],
        error_messages={"required": "Choose a month or a quarter"},
    )
    starts = GovukDateField(
        label="First day of the month or quarter",
        help_text="Quarters start in January, April, July or October.",
        example="1 11 2026",
    )
    sample_per_pod = forms.IntegerField(
        label="Children to audit in each pod",
        min_value=1,
        max_value=50,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter how many children to audit in each pod",
            "invalid": "The number of children must be a whole number, for example 4",
            "min_value": "The number of children must be 1 or more",
            "max_value": "The number of children must be 50 or fewer",
        },
    )
    theme = forms.ModelChoiceField(
        label="Theme (optional)",
        queryset=Theme.objects.all(),
        required=False,
        empty_label="No theme",
    )
    new_theme = forms.CharField(label="Or a new theme (optional)", required=False, max_length=120)


class AssignForm(ActionForm):
    auditor = UserChoiceField(
        queryset=User.objects.none(),
        label="Auditor",
        empty_label="Choose an auditor",
        error_messages={"required": "Choose the auditor"},
    )

    def __init__(self, *args: Any, auditors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = auditors  # type: ignore[attr-defined]


class AuditForm(forms.Form):
    """The audit: a grade, evidence and what would make it better for each of the cycle's
    domains, then the overall grade and the family's view."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    overall_grade = grade_field("Overall grade")
    overall_evidence = forms.CharField(
        label="Why this overall grade", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    family_view_possible = forms.TypedChoiceField(
        label="Was a conversation with the family possible?",
        choices=[("", "Not answered yet"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
    )
    family_view = forms.CharField(
        label="The family's view",
        help_text="What the family told you about the help they get, in their words.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    themes = forms.ModelMultipleChoiceField(
        label="Learning themes this audit found",
        queryset=Theme.objects.all(),
        required=False,
        **CHECKBOXES,
    )
    new_themes = forms.CharField(
        label="Other themes (optional)",
        help_text="Separate themes with commas.",
        required=False,
    )

    def __init__(self, *args: Any, domains: list[CycleDomain], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.domains = domains
        for domain in domains:
            self.fields[field(domain, "grade")] = grade_field(f"Grade for {domain.name}")
            self.fields[field(domain, "evidence")] = forms.CharField(
                label="Evidence",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
            self.fields[field(domain, "better")] = forms.CharField(
                label="What would make it better",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )

    def sections(self) -> list[tuple[CycleDomain, list[forms.BoundField]]]:
        return [
            (d, [self[field(d, name)] for name in ("grade", "evidence", "better")])
            for d in self.domains
        ]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "expected_version": data["version"],
            "answers": {
                d.pk: DomainAnswer(
                    data.get(field(d, "grade")),
                    data.get(field(d, "evidence"), ""),
                    data.get(field(d, "better"), ""),
                )
                for d in self.domains
            },
            "overall_grade": data.get("overall_grade"),
            "overall_evidence": data.get("overall_evidence", ""),
            "family_view_possible": data.get("family_view_possible"),
            "family_view": data.get("family_view", ""),
            "themes": list(data.get("themes") or []),
            "new_themes": data.get("new_themes", ""),
        }


class ModerateForm(forms.Form):
    overall_grade = grade_field("Your overall grade", required=True)
    note = forms.CharField(
        label="What you noticed (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, domains: list[CycleDomain], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.domains = domains
        for domain in domains:
            self.fields[field(domain, "grade")] = grade_field(
                f"Your grade for {domain.name}", required=True
            )
            self.fields[field(domain, "note")] = forms.CharField(
                label="Why (optional)", widget=forms.Textarea(attrs={"rows": 2}), required=False
            )

    def sections(self) -> list[tuple[CycleDomain, list[forms.BoundField]]]:
        return [(d, [self[field(d, "grade")], self[field(d, "note")]]) for d in self.domains]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "grades": {
                d.pk: (data.get(field(d, "grade")), data.get(field(d, "note"), ""))
                for d in self.domains
            },
            "overall_grade": data.get("overall_grade"),
            "note": data.get("note", ""),
        }


class ActionAddForm(ActionForm):
    what = forms.CharField(
        label="What needs to be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what needs to be done"},
    )
    owner = UserChoiceField(
        queryset=User.objects.none(),
        label="Who will do it",
        empty_label="Choose someone",
        error_messages={"required": "Choose who will do it"},
    )
    due = GovukDateField(label="Due date")

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class DoneForm(ActionForm):
    done_on = GovukDateField(label="Date it was done", not_future=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class DomainForm(ActionForm):
    name = forms.CharField(
        label="Domain", max_length=120, error_messages={"required": "Enter the domain's name"}
    )
    description = forms.CharField(
        label="What it looks at (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    in_use = forms.BooleanField(
        label="Audit this domain in the next cycles", required=False, initial=True
    )
