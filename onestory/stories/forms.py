"""The forms for writing the story: each refuses bad input with a message that names the field."""

from __future__ import annotations

import re
from datetime import datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from onestory.families.models import Family, MemberRole, Person
from onestory.lib.forms import CHECKBOXES, lower_first
from onestory.lib.govuk_dates import GovukDateField
from onestory.stories.models import MAX_REASON, MAX_TEXT, SEEING_KINDS, TYPED_KINDS

TIME = re.compile(r"^([01]?\d|2[0-3])[:.]?([0-5]\d)$")
TEXT_FIELDS = ("story", "child_words", "reflection", "next_steps", "third_party")


class PersonChoice(forms.ModelMultipleChoiceField[Person]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


def _text(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=help_text,
        error_messages={
            "required": f"Enter {lower_first(label)}",
            "max_length": f"{label} must be {MAX_TEXT:,} characters or fewer "
            "(it has %(show_value)d)",
        },
    )


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of entry is this?",
        choices=TYPED_KINDS,
        error_messages={"required": "Select what kind of entry this is"},
    )
    occurred_on = GovukDateField(
        label="When it happened",
        not_future=True,
    )
    occurred_time = forms.CharField(
        label="Time (optional)",
        required=False,
        max_length=5,
        help_text="For example, 14:30",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    concerns = PersonChoice(
        label="Who this is about",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose people who are in this family"},
        **CHECKBOXES,
    )
    seen = PersonChoice(
        label="Who was seen (visits and direct work)",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose people who are in this family"},
        **CHECKBOXES,
    )
    seen_alone = PersonChoice(
        label="Which children were seen alone",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "A child seen alone must be a child in this family",
        },
        **CHECKBOXES,
    )
    story = _text(
        "What happened",
        required=True,
        help_text="Write to the family: they will read this. Use “you” and everyday words.",
    )
    child_words = _text(
        "The child's own words", help_text="What the child said or showed, as they put it."
    )
    reflection = _text("Reflection and analysis", help_text="What this means, and why.")
    next_steps = _text("What happens next", help_text="Who will do what, and by when.")
    third_party = _text(
        "Information not for sharing",
        help_text="Only information about other people that the family must not see. "
        "It is left out of the family's copy.",
    )
    not_for_sharing = forms.BooleanField(
        label="Leave this whole entry out of the family's copy", required=False
    )

    def __init__(self, *args: Any, family: Family, autosave_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.family = family
        people: QuerySet[Person] = Person.objects.in_family(family)
        for name in ("concerns", "seen"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]
        children = Person.objects.in_family(family, role=MemberRole.CHILD)
        self.fields["seen_alone"].queryset = children  # type: ignore[attr-defined]
        if autosave_url:
            # Drafts save themselves a few seconds after typing stops, and on every change.
            for field in (*TEXT_FIELDS, "occurred_time"):
                self.fields[field].widget.attrs.update(
                    {
                        "hx-post": autosave_url,
                        "hx-trigger": "keyup changed delay:3s, change",
                        "hx-include": "closest form",
                        "hx-target": "#autosave-status",
                        "hx-swap": "outerHTML",
                    }
                )

    def clean_occurred_time(self) -> time | None:
        value = self.cleaned_data["occurred_time"].strip()
        if not value:
            return None
        match = TIME.match(value)
        if not match:
            raise ValidationError("Enter the time as hours and minutes, for example 14:30")
        return time(int(match[1]), int(match[2]))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        day, at = data.get("occurred_on"), data.get("occurred_time")
        if day is not None:
            moment = timezone.make_aware(datetime.combine(day, at or time(12, 0)))
            if at is not None and moment > timezone.now():
                self.add_error("occurred_time", "The time it happened cannot be in the future")
            data["occurred_at"] = min(moment, timezone.now())
        if data.get("kind") not in SEEING_KINDS:
            data["seen"], data["seen_alone"] = [], []
        concerned = set(data.get("concerns") or [])
        for child in data.get("seen_alone") or []:
            if child not in concerned:
                self.add_error(
                    "seen_alone",
                    f"{child.full_name} was seen alone, so tick them under “Who this is about”",
                )
        # Seen alone means seen.
        data["seen"] = list({*(data.get("seen") or []), *(data.get("seen_alone") or [])})
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "occurred_at": data["occurred_at"],
            "not_for_sharing": data["not_for_sharing"],
            **{name: data[name] for name in TEXT_FIELDS},
            "concerns": data["concerns"],
            "seen": data["seen"],
            "seen_alone": data["seen_alone"],
        }


class DraftForm(EntryForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AmendmentForm(forms.Form):
    reason = forms.CharField(
        label="Why does it need correcting?",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Enter why the entry needs correcting",
            "max_length": f"The reason must be {MAX_REASON:,} characters or fewer",
        },
    )
    text = forms.CharField(
        label="The correction",
        max_length=MAX_TEXT,
        help_text="Write it to the family, as you wrote the entry. The original stays as it was.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter the correction",
            "max_length": f"The correction must be {MAX_TEXT:,} characters or fewer",
        },
    )
