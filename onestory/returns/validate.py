"""Checking an export with the Data to Insight validators, the rules the DfE applies.

The validators pin pandas below 2, so they live in their own virtual environment,
var/validators (`make returns-validators`), and run in a subprocess: One Story's own
environment never imports them. The subprocess writes JSON (see ssda903/run_validator.py),
read back here as one Issue per failing row.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

VALIDATORS_PYTHON = Path(settings.VAR_DIR) / "validators" / "bin" / "python"
SSDA903_RUNNER = Path(__file__).resolve().parent / "ssda903" / "run_validator.py"
# The validator reads a large council's files in well under a minute; past this it has hung.
TIMEOUT_SECONDS = 600


class ValidatorUnavailable(Exception):
    """The validators' environment is missing, or the validator did not finish."""


@dataclass(frozen=True)
class Issue:
    child: str
    table: str
    rule: str
    message: str


@dataclass(frozen=True)
class Validation:
    issues: list[Issue]
    # Rules that raised an error on these files, and rules with no table to run on.
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def by_rule(self) -> list[tuple[str, str, int]]:
        """(rule, message, number of rows) for each rule that found something, most first."""
        counts = Counter((i.rule, i.message) for i in self.issues)
        return sorted(((r, m, n) for (r, m), n in counts.items()), key=lambda x: (-x[2], x[0]))


def plain(message: str) -> str:
    """The rule's message as one clean sentence: the validator's texts carry doubled spaces
    and full stops, and notes meant for its own developers in square brackets."""
    text = re.sub(r"\s*\[NOTE:.*?\]", "", message)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\.{2,}$", ".", text)


def run_validator(
    runner: Path, arguments: list[str], *, python: Path | None = None
) -> dict[str, Any]:
    """Runs one of the validators' scripts (`runner`, with `arguments`) in the validators' own
    environment and gives back what it wrote: {"issues": [...], "failed": [...], "skipped":
    [...]}. A missing environment, a timeout or a crash is a ValidatorUnavailable with the
    reason in plain words."""
    python = python or VALIDATORS_PYTHON
    if not python.exists():
        raise ValidatorUnavailable(
            f"The validators are not installed ({python} is missing): "
            "run `make returns-validators`."
        )
    with tempfile.TemporaryDirectory(prefix="onestory-returns-") as work:
        output = Path(work) / "issues.json"
        command = [str(python), str(runner), *arguments, "--output", str(output)]
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
        found: dict[str, Any] = json.loads(output.read_text())
        return found


def validate_ssda903(
    directory: Path, *, year: int, la_code: str, previous: Path | None = None
) -> Validation:
    """Run the year's SSDA903 rules on the CSV files in `directory`.

    `la_code` is the council's ONS code (for example E06000043): the rules on where a child is
    placed compare the placement's postcode with it. `previous` holds last year's files: the
    rules comparing the two years (a child's date of birth, the open episode carried over) run
    only with them."""
    arguments = [str(directory), "--year", str(year), "--la", la_code]
    if previous is not None:
        arguments += ["--previous", str(previous)]
    result = run_validator(SSDA903_RUNNER, arguments)
    issues = [
        Issue(
            child=item["child"],
            table=item["table"],
            rule=item["rule"],
            message=plain(item["message"]),
        )
        for item in result["issues"]
    ]
    issues.sort(key=lambda i: (i.rule, i.table, i.child))
    return Validation(issues=issues, failed=result["failed"], skipped=result["skipped"])
