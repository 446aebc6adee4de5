from __future__ import annotations

from decimal import Decimal

from django import template

from onestory.pods.composition import fte_text

register = template.Library()


@register.filter
def fte(value: Decimal | int | None) -> str:
    """FTE as people say it: 0.80 -> "0.8", 5.00 -> "5"."""
    return "" if value is None else fte_text(Decimal(value))
