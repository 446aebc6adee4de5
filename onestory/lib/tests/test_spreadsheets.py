"""docs/security.md, promise 20: a cell a spreadsheet would run as a formula is made harmless."""

from __future__ import annotations

import pytest

from onestory.lib.spreadsheets import safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+44", "-x", "@SUM(A1)", "\tx", "\rx"])
def test_formulas_are_made_text(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_plain_text_numbers_and_blanks_are_kept() -> None:
    assert safe_cell("Pod Harbour") == "Pod Harbour"
    assert safe_cell(-5) == "-5" and safe_cell(12.5) == "12.5"
    assert safe_cell(None) == ""
