"""The forms of the figures page, named after the arguments of the writes they feed."""

from __future__ import annotations

from typing import Any

from django import forms

from onestory.lib.forms import plain_english
from onestory.outcomes.models import FIRST_YEAR, LAST_YEAR, Group
from onestory.outcomes.registry import MEASURES
from onestory.pods.forms import ActionForm


class _Form(ActionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            plain_english(field)


class PopulationForm(_Form):
    year = forms.IntegerField(
        label="Year",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text="The year of the ONS mid-year estimate, for example 2019",
        error_messages={
            "invalid": "Enter the year as a number, like 2019",
            "min_value": f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}",
            "max_value": f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}",
        },
    )
    children = forms.IntegerField(
        label="Children under 18",
        min_value=1,
        error_messages={
            "invalid": "Enter the number of children as a whole number, like 52000",
            "min_value": "Enter a number of children greater than 0",
        },
    )
    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ComparisonForm(_Form):
    measure = forms.ChoiceField(
        label="Measure", choices=[("", "")] + [(m.key, m.label) for m in MEASURES]
    )
    group = forms.ChoiceField(label="Compared with", choices=[("", ""), *Group.choices])
    year = forms.IntegerField(
        label="Year",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text="The year the figure is published for, for example 2019 for 31 March 2019",
        error_messages={
            "invalid": "Enter the year as a number, like 2019",
            "min_value": f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}",
            "max_value": f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}",
        },
    )
    value = forms.FloatField(
        label="Figure",
        help_text="As published: a rate per 10,000 children, a percentage or a number",
        error_messages={"invalid": "Enter the figure as a number, like 42.5"},
    )
