"""The GOV.UK date input: a date typed as day, month and year boxes, with the design system's
plain error messages that name the field ("Date of birth must include a year").

Three boxes rather than a date picker because they are what the GOV.UK Design System
recommends for dates people already know, and they work with every assistive technology.
https://design-system.service.gov.uk/components/date-input/
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from onestory.lib.forms import lower_first

# (name, label, width in characters)
PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))


class GovukDateInput(forms.MultiWidget):
    template_name = "forms/govuk_date_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # inputmode brings up the numeric keypad on phones without the problems of type=number.
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            name: forms.TextInput(attrs={"inputmode": "numeric"}) for name, _, _ in PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[int | None]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        invalid = " govuk-input--error" if widget["attrs"].get("aria-invalid") else ""
        for index, (sub, (part, label, width)) in enumerate(
            zip(widget["subwidgets"], PARTS, strict=True)
        ):
            sub_attrs = sub["attrs"]
            # The day box carries the field's own id, so the error summary's link lands on it.
            if "id" in widget["attrs"]:
                own = widget["attrs"]["id"]
                sub_attrs["id"] = own if index == 0 else f"{own}_{part}"
            # The hint and error describe the fieldset, not each box.
            sub_attrs.pop("aria-describedby", None)
            sub_attrs["class"] = (
                f"govuk-input govuk-date-input__input govuk-input--width-{width}{invalid}"
            )
            sub["label"] = label
        return context


class GovukDateField(forms.MultiValueField):
    """A date typed in three boxes. `not_future` refuses dates after today, for events that
    must already have happened (a referral, the start of an episode, a review).

    The hint always ends with one example date: `example` chooses it (a date of birth reads
    better with a past year), and `help_text` is for anything else the hint must say, so the
    example is never given twice."""

    widget = GovukDateInput

    def __init__(
        self, *, not_future: bool = False, example: str = "27 3 2024", **kwargs: Any
    ) -> None:
        kwargs.setdefault("template_name", "forms/govuk_date_field.html")
        parts = tuple(forms.CharField(required=False) for _ in PARTS)
        super().__init__(parts, require_all_fields=False, **kwargs)
        self.not_future = not_future
        self.example = example

    @property
    def name(self) -> str:
        return str(self.label or "The date")

    def clean(self, value: Any) -> date | None:
        if self.disabled or isinstance(value, date):
            return value if isinstance(value, date) else None
        day, month, year = (str(part or "").strip() for part in (value or ["", "", ""]))
        if not (day or month or year):
            if self.required:
                raise ValidationError(f"Enter the {lower_first(self.name)}", code="required")
            return None
        missing = [
            part for (part, _, _), text in zip(PARTS, (day, month, year), strict=True) if not text
        ]
        if missing:
            raise ValidationError(
                f"{self.name} must include a {' and '.join(missing)}", code="incomplete"
            )
        if not (day.isascii() and month.isascii() and year.isascii()):
            raise ValidationError(f"{self.name} must be a real date", code="invalid")
        if year.isdigit() and len(year) != 4:
            raise ValidationError(
                f"{self.name} must have a year with 4 numbers, for example 2024", code="year"
            )
        try:
            result = date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{self.name} must be a real date", code="invalid") from None
        if self.not_future and result > timezone.localdate():
            raise ValidationError(f"{self.name} cannot be in the future", code="future")
        self.validate(result)
        self.run_validators(result)
        return result

    def validate(self, value: Any) -> None:
        # The parts were checked above; MultiValueField's own check expects a list.
        pass

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return bool(self.clean(data) != initial)
        except ValidationError:
            return True
