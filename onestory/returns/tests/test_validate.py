"""Reading the validator's messages, and saying plainly when it is not installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from onestory.returns import validate
from onestory.returns.validate import Issue, Validation, ValidatorUnavailable, plain


def test_messages_are_made_plain():
    assert plain("Postcode(s) provided are invalid.  ") == "Postcode(s) provided are invalid."
    assert (
        plain("Child is looked after but no distance is recorded. [NOTE: may be false.]")
        == "Child is looked after but no distance is recorded."
    )
    assert plain("Date is not a valid date..") == "Date is not a valid date."


def test_issues_are_counted_by_rule_most_first():
    result = Validation(
        issues=[
            Issue("1", "Header", "393", "Mother."),
            Issue("2", "Header", "393", "Mother."),
            Issue("2", "Episodes", "218", "URN."),
        ]
    )
    assert result.by_rule() == [("393", "Mother.", 2), ("218", "URN.", 1)]


def test_a_missing_environment_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(validate, "VALIDATORS_PYTHON", tmp_path / "no" / "python")
    with pytest.raises(ValidatorUnavailable, match="run `make returns-validators`"):
        validate.validate_ssda903(tmp_path, year=2026, la_code="E06000043")
