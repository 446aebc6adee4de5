"""Checking the CIN census file with Data to Insight's validator (csc-validator-be-cin), in the
validators' own environment, as onestory.returns.validate does for the SSDA903 return."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from onestory.returns.validate import (
    TIMEOUT_SECONDS,
    VALIDATORS_PYTHON,
    Issue,
    Validation,
    ValidatorUnavailable,
    plain,
)

CIN_RUNNER = Path(__file__).resolve().parent / "run_validator.py"


def validate_cin(file: Path, *, year: int, python: Path = VALIDATORS_PYTHON) -> Validation:
    """Run the year's CIN census rules on the census file. `python` is the validators'
    environment's interpreter (it needs csc-validator-be-cin installed)."""
    if not python.exists():
        raise ValidatorUnavailable(
            f"The validators are not installed ({python} is missing): "
            "run `make returns-validators`."
        )
    with tempfile.TemporaryDirectory(prefix="onestory-cin-") as work:
        output = Path(work) / "issues.json"
        command = [str(python), str(CIN_RUNNER), str(file), "--year", str(year)]
        command += ["--output", str(output)]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            raise ValidatorUnavailable(
                f"The validator did not finish in {TIMEOUT_SECONDS} s."
            ) from None
        if done.returncode != 0 or not output.exists():
            tail = "\n".join(done.stderr.strip().splitlines()[-5:])
            raise ValidatorUnavailable(f"The validator stopped with an error:\n{tail}")
        result = json.loads(output.read_text())
    issues = sorted(
        {
            # The validator gives a row per field a rule names: one issue per child and rule.
            Issue(child=i["child"], table=i["table"], rule=i["rule"], message=plain(i["message"]))
            for i in result["issues"]
        },
        key=lambda i: (i.rule, i.table, i.child),
    )
    return Validation(issues=issues, failed=result["failed"], skipped=result["skipped"])
