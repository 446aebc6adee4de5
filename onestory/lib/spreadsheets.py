"""Cells for CSV and spreadsheet downloads that a spreadsheet will not run as a formula."""

from __future__ import annotations

# Spreadsheets run a cell that starts with one of these as a formula (docs/security.md, 20).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as text, with a leading apostrophe when it would start a formula. Numbers
    are written as they are: a negative number is a number, not a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
