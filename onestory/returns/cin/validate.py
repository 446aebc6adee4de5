"""Checking the CIN census file with Data to Insight's validator (csc-validator-be-cin), in the
validators' own environment, as onestory.returns.validate does for the SSDA903 return."""

from __future__ import annotations

from pathlib import Path

from onestory.returns.validate import VALIDATORS_PYTHON, Issue, Validation, plain, run_validator

CIN_RUNNER = Path(__file__).resolve().parent / "run_validator.py"


def validate_cin(file: Path, *, year: int, python: Path = VALIDATORS_PYTHON) -> Validation:
    """Run the year's CIN census rules on the census file. `python` is the validators'
    environment's interpreter (it needs csc-validator-be-cin installed)."""
    result = run_validator(CIN_RUNNER, [str(file), "--year", str(year)], python=python)
    issues = sorted(
        {
            # The validator gives a row per field a rule names: one issue per child and rule.
            Issue(child=i["child"], table=i["table"], rule=i["rule"], message=plain(i["message"]))
            for i in result["issues"]
        },
        key=lambda i: (i.rule, i.table, i.child),
    )
    return Validation(issues=issues, failed=result["failed"], skipped=result["skipped"])
