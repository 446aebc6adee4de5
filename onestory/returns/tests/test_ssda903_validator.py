"""The small demo council's SSDA903 export, checked by Data to Insight's validator.

Every rule it breaks must be one that cannot apply to one council's files, named with its
reason where the returns page shows it apart (`making.CANNOT_APPLY`; decision 0023), or one
the validator itself cannot run. Any other rule is an error of the export, of the records, or
of the demo council's generated data, and fails the test.
"""

from __future__ import annotations

from pathlib import Path

from onestory.returns.making import CANNOT_APPLY
from onestory.returns.models import Return
from onestory.returns.ssda903.export import export
from onestory.returns.validate import VALIDATORS_PYTHON, validate_ssda903

# The demo council's placements are around Brighton and Hove (postcodes BN1 to BN3).
DEMO_LA = "E06000043"

# One list, shared with the page: what the test excuses is what users are told cannot apply.
EXPLAINED = CANNOT_APPLY[Return.SSDA903]
# Rules that raise an error inside the validator 0.1.17 on any file (KeyError
# DATE_EPISODE_CEASED): not about our data.
CANNOT_RUN = {"231", "233"}


# `make test` installs the validators first; run alone, the test fails with what to do rather
# than skipping.
def test_the_small_councils_export_breaks_only_explained_rules(
    small_council: dict[str, int], tmp_path: Path
) -> None:
    assert VALIDATORS_PYTHON.exists(), (
        f"{VALIDATORS_PYTHON} is missing: run `make returns-validators`"
    )
    this_year, last_year = tmp_path / "2026", tmp_path / "2025"
    export(2026, this_year)
    # Last year's files from the same records: the rules comparing the two years run too.
    export(2025, last_year)
    result = validate_ssda903(this_year, year=2026, la_code=DEMO_LA, previous=last_year)
    found = {issue.rule for issue in result.issues}
    assert found - EXPLAINED.keys() == set(), result.by_rule()
    assert set(result.failed) <= CANNOT_RUN
    # Every issue names a child of the export, its table and a message in words.
    children = {line.split(",")[0] for line in (this_year / "header.csv").read_text().splitlines()}
    assert all(issue.child in children for issue in result.issues)
    assert all(
        issue.table and issue.message and "[NOTE" not in issue.message for issue in result.issues
    )
