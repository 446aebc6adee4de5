"""The survey's forms. The answer form is built from the wave's own questions; every form here
feeds one write function (`ActionForm.run`), which puts its errors on the field they are about."""

from __future__ import annotations

from typing import Any

from django import forms

from onestory.lib.govuk_dates import GovukDateField
from onestory.pods.forms import ActionForm
from onestory.surveys.models import Agreement, Kind, Question, RoleGroup, WaveQuestion
from onestory.surveys.responding import time_use_total_message


class AnswerForm(ActionForm):
    """One wave's questions. Time use is typed as whole percentages (blank counts as 0) that
    must add up to 100; each statement is answered on the scale, "don't know" included."""

    role_group = forms.ChoiceField(
        label="Which best describes your role?",
        choices=RoleGroup.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the group that best describes your role"},
    )
    free_text = forms.CharField(
        label="Is there anything else you want to tell us? (optional)",
        help_text="Do not name yourself or anyone else: only the quality lead reads this, "
        "after the survey closes.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, questions: list[WaveQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_questions = [q for q in questions if q.kind == Kind.TIME_USE]
        self.statements = [q for q in questions if q.kind == Kind.AGREEMENT]
        self.total_error = ""
        for q in self.time_questions:
            self.fields[f"time_{q.pk}"] = forms.IntegerField(
                label=q.text,
                required=False,
                min_value=0,
                max_value=100,
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}
                ),
                error_messages={
                    "invalid": f"{q.text}: enter a whole number, like 20",
                    "min_value": f"{q.text}: enter a percentage of 0 or more",
                    "max_value": f"{q.text}: enter a percentage of 100 or less",
                },
            )
        for q in self.statements:
            self.fields[f"agree_{q.pk}"] = forms.ChoiceField(
                label=q.text,
                choices=Agreement.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose how far you agree: {q.text}"},
            )
        # Fields in the order of the page, so the error summary follows it too.
        order = [f"time_{q.pk}" for q in self.time_questions]
        order += [f"agree_{q.pk}" for q in self.statements] + ["role_group", "free_text"]
        self.order_fields(order)

    def time_fields(self) -> list[forms.BoundField]:
        return [self[f"time_{q.pk}"] for q in self.time_questions]

    def statement_fields(self) -> list[forms.BoundField]:
        return [self[f"agree_{q.pk}"] for q in self.statements]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        names = [f"time_{q.pk}" for q in self.time_questions]
        if self.time_questions and not any(n in self.errors for n in names):
            total = sum(data.get(n) or 0 for n in names)
            if total != 100:
                # Shown above the time-use questions and in the summary, naming the total.
                self.total_error = time_use_total_message(total)
                raise forms.ValidationError(self.total_error, code="time_use_total")
        return data

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "role_group": data["role_group"],
            "free_text": data.get("free_text", ""),
            "time_use": {q.pk: data.get(f"time_{q.pk}") or 0 for q in self.time_questions},
            "agreement": {q.pk: data[f"agree_{q.pk}"] for q in self.statements},
        }


class OpenWaveForm(ActionForm):
    title = forms.CharField(
        label="Name of the wave",
        help_text="For example, Your Voice 2026",
        max_length=100,
        error_messages={"required": "Enter the name of the wave"},
    )
    opened = GovukDateField(label="Opening date", not_future=False)
    closes_on = GovukDateField(label="Planned closing date", help_text="For example 30 11 2026")


class CloseWaveForm(ActionForm):
    closed = GovukDateField(label="Closing date")


EXTRA_ROWS = 2


class QuestionsForm(ActionForm):
    """The default question set, one text box per question, plus blank ones to add more.
    Clearing a box removes the question. Each question keeps its key, so the measures follow a
    question that is reworded."""

    seen = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keys: dict[str, str] = {}
        for kind, prefix, noun in (
            (Kind.TIME_USE, "time_use", "Time use category"),
            (Kind.AGREEMENT, "statements", "Statement"),
        ):
            rows = [q for q in questions if q.kind == kind]
            for i in range(1, len(rows) + EXTRA_ROWS + 1):
                name = f"{prefix}_{i}"
                question = rows[i - 1] if i <= len(rows) else None
                self.fields[name] = forms.CharField(
                    label=f"{noun} {i}" if question else f"New {noun.lower()}",
                    max_length=300,
                    required=False,
                    initial=question.text if question else "",
                )
                self.keys[name] = question.key if question else ""

    def group(self, prefix: str) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(prefix + "_")]

    def pairs(self, prefix: str) -> list[tuple[str, str]]:
        return [
            (self.keys[name], self.cleaned_data.get(name, ""))
            for name in self.fields
            if name.startswith(prefix + "_")
        ]
