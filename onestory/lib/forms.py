"""GOV.UK forms in one place: every Django form renders with GOV.UK Frontend markup, with no
per-form template work, and speaks the design system's plain English.

- `GovukFormRenderer` (settings.FORM_RENDERER) lays out forms and fields with the templates in
  `templates/forms/`; `core/templatetags/govuk_forms.py` gives them the widget classes and the
  error messages.
- `CHECKBOXES` makes a multiple-choice field GOV.UK checkboxes in a fieldset.
- `plain_english` and `lower_first` word the messages: "Enter the last name", not "This field
  is required".
- Dates are typed in three boxes: `onestory.lib.govuk_dates.GovukDateField`.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms.renderers import TemplatesSetting

# Passed as keyword arguments because django-stubs does not yet know Field(template_name=...).
CHECKBOXES: dict[str, Any] = {"template_name": "forms/govuk_checkboxes_field.html"}


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


def lower_first(label: str) -> str:
    """A label as it reads mid-sentence: "Date of birth" becomes "date of birth", but "NHS
    number" stays as it is."""
    if label[:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def plain_english(field: forms.Field) -> None:
    """GOV.UK wording in place of Django's defaults: "Enter the last name" rather than "This
    field is required", and a select that says what its empty choice means."""
    choosing = isinstance(field, forms.ChoiceField)
    if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
        verb = "Choose" if choosing else "Enter"
        field.error_messages["required"] = f"{verb} the {lower_first(str(field.label))}"
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = "Choose one"
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
        # ChoiceField keeps its choices as a list once set; the stubs allow any iterable.
        choices = cast("list[tuple[Any, Any]]", field.choices)
        if choices and choices[0][0] == "":
            field.choices = [("", "Choose one" if field.required else "Not recorded"), *choices[1:]]
