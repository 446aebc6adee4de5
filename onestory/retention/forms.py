"""Forms for the retention pages. Each names its fields after the arguments of the write it
feeds, so `run` passes the cleaned data straight through and puts any error on its field."""

from __future__ import annotations

from django import forms

from onestory.pods.forms import ActionForm
from onestory.retention.models import HoldReason


class HoldForm(ActionForm):
    reason = forms.ChoiceField(
        label="Why must the record be kept?",
        choices=HoldReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the record must be kept"},
    )
    reference = forms.CharField(
        label="Reference",
        max_length=100,
        help_text="The claim, inquiry, request or crime reference number.",
        error_messages={"required": "Enter the reference of the claim, inquiry or request"},
    )


class LiftForm(ActionForm):
    lift_reason = forms.CharField(
        label="Why can the hold be lifted?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the claim was settled on 3 March 2026.",
        error_messages={"required": "Enter why the hold can be lifted"},
    )


class RuleForm(forms.Form):
    years = forms.IntegerField(
        label="Years",
        min_value=1,
        max_value=150,
        error_messages={
            "required": "Enter the number of years",
            "invalid": "Enter the number of years as a whole number, like 25",
            "min_value": "Enter a number of years from 1 to 150",
            "max_value": "Enter a number of years from 1 to 150",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
