"""GOV.UK presentation in templates: form widgets with the design system's classes, and dates
written the GOV.UK way. A builtin (settings.TEMPLATES), so every template has them unloaded."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from onestory.lib.dates import long_date as _long_date

register = template.Library()

_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.FileInput: "govuk-file-upload",
}


@register.simple_tag
def govuk_widget(field: forms.BoundField) -> SafeString:
    """The field's widget with GOV.UK classes; its hint and error are tied to it for screen
    readers."""
    widget = field.field.widget
    css = next((c for kind, c in _CLASSES.items() if isinstance(widget, kind)), "govuk-input")
    if field.errors:
        css += f" {css.split()[0]}--error"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {"class": f"{css} {widget.attrs.get('class', '')}".strip()}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def govuk_error_message(field: forms.BoundField) -> SafeString:
    """The field's errors as a GOV.UK error message, with the id its widget's aria-describedby
    names; nothing when it has none."""
    if not field.errors:
        return SafeString("")
    errors = format_html_join(
        mark_safe("<br>"),
        '<span class="govuk-visually-hidden">Error:</span> {}',
        ((error,) for error in field.errors),
    )
    return format_html('<p id="{}-error" class="govuk-error-message">{}</p>', field.auto_id, errors)


@register.filter(expects_localtime=True, is_safe=False)
def long_date(value: Any) -> str:
    """ "1 October 2015", the same text as `date:"j F Y"` (and, like it, empty for no date)."""
    if not isinstance(value, date):
        return ""
    return _long_date(value)
