"""The one question before the Annex A workbook is made: the day the lists are for."""

from __future__ import annotations

from datetime import date

from django import forms

from onestory.lib.govuk_dates import GovukDateField

# The records begin when the model did (October 2015): lists before it would be empty.
FIRST_DAY = date(2015, 10, 1)


class AnnexAForm(forms.Form):
    on = GovukDateField(
        label="Day the lists are for",
        help_text="Usually the day Ofsted told the council of the inspection.",
        example="29 11 2026",
        not_future=True,
    )

    def clean_on(self) -> date:
        day: date = self.cleaned_data["on"]
        if day < FIRST_DAY:
            raise forms.ValidationError(
                "Day the lists are for must be on or after 1 October 2015, when the records begin"
            )
        return day
