"""Forms for the pre-proceedings pages. Each hands its write function (records.py) what it
needs; an error the function raises goes on the field it names, with everything typed kept
(`ActionForm.run`). The step forms carry the version of the period the person loaded."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from onestory.families.models import CareProceedings, Person
from onestory.lib.dates import long_date
from onestory.lib.forms import CHECKBOXES
from onestory.lib.govuk_dates import GovukDateField
from onestory.pods.forms import ActionForm
from onestory.preproceedings.models import Outcome, PreProceedings, Response

TEXTAREA = forms.Textarea(attrs={"rows": 5})


class ChildrenField(forms.ModelMultipleChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


class ApplicationField(forms.ModelChoiceField[CareProceedings]):
    def label_from_instance(self, obj: CareProceedings) -> str:
        return f"{long_date(obj.application_date)}, {obj.court}"


class StartForm(ActionForm):
    children = ChildrenField(
        queryset=Person.objects.none(),
        label="Which children is the letter about?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the children the letter is about"},
        **CHECKBOXES,
    )
    letter_date = GovukDateField(label="Date of the letter before proceedings", not_future=True)
    fgdm_in_letter = forms.BooleanField(
        label="The letter offered a family group decision-making meeting",
        required=False,
        help_text="The law asks for this offer in the letter before proceedings.",
    )

    def __init__(self, *args: Any, children: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["children"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Person.objects.filter(pk__in=[p.pk for p in children]).order_by(
            "first_name"
        )


class StepForm(ActionForm):
    """A change to a period, made against the version the person loaded."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data: Any, *, period: PreProceedings, **kwargs: Any) -> None:
        initial = {
            name: getattr(period, name) for name in self.base_fields if name != "expected_version"
        }
        initial["expected_version"] = period.version
        super().__init__(data, initial=initial, **kwargs)
        self.period = period

    def lost_to(self, saved: PreProceedings) -> None:
        """Someone else saved first: what this person typed stays on screen, with a message,
        and saving again is made against the version now saved."""
        data = QueryDict(mutable=True)
        data.update(self.data)
        data["expected_version"] = str(saved.version)
        self.data = data
        self.add_error(
            None,
            "Someone else changed these records while you were working. What is saved now is "
            "shown on the family's pre-proceedings page; what you typed is below. Save again "
            "to replace what they saved.",
        )


class MeetingForm(StepForm):
    meeting_date = GovukDateField(label="Date of the pre-proceedings meeting", not_future=True)


YES_NO = [("", "Not yet known"), ("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class FGDMForm(StepForm):
    fgdm_in_letter = forms.BooleanField(
        label="Offered in the letter before proceedings", required=False
    )
    fgdm_offered_on = GovukDateField(
        label="Date the meeting was offered",
        required=False,
        help_text="Leave empty when the offer was in the letter: it is the letter's date.",
    )
    fgdm_response = forms.ChoiceField(
        label="The family's answer",
        choices=[("", "Not yet known"), *Response.choices],
        required=False,
    )
    fgdm_held_on = GovukDateField(label="Date the meeting was held", required=False)
    fgdm_plan_agreed = forms.TypedChoiceField(
        label="Was a family plan agreed?",
        choices=YES_NO,
        coerce=_yes_no,
        empty_value=None,
        required=False,
    )
    fgdm_plan = forms.CharField(
        label="The family's plan",
        required=False,
        widget=TEXTAREA,
        max_length=5000,
        help_text="In plain words, as the family agreed it. It goes on the family's story.",
    )

    def __init__(self, data: Any, *, period: PreProceedings, **kwargs: Any) -> None:
        super().__init__(data, period=period, **kwargs)
        agreed = period.fgdm_plan_agreed
        self.initial["fgdm_plan_agreed"] = "" if agreed is None else ("yes" if agreed else "no")


class OutcomeForm(StepForm):
    ended = GovukDateField(label="Date pre-proceedings ended", not_future=True)
    outcome = forms.ChoiceField(label="Outcome", choices=[("", "Choose one"), *Outcome.choices])
    proceedings = ApplicationField(
        queryset=CareProceedings.objects.none(),
        label="The care application",
        required=False,
        help_text="When a care application was made. Record it on the family's record first.",
    )
    outcome_note = forms.CharField(
        label="About the outcome",
        required=False,
        widget=TEXTAREA,
        max_length=5000,
        help_text="Required for another outcome: say what it was.",
    )

    def __init__(
        self,
        data: Any,
        *,
        period: PreProceedings,
        applications: list[CareProceedings],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, period=period, **kwargs)
        field = self.fields["proceedings"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = CareProceedings.objects.filter(pk__in=[a.pk for a in applications])
        field.empty_label = "None"
        self.initial["proceedings"] = period.proceedings_id
