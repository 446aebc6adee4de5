"""The small demo council's SSDA903 export, checked by Data to Insight's validator.

Every rule it breaks must be one whose cause is named here (and in
docs/decisions/0023-statutory-returns.md): records One Story does not hold yet, the demo
council's generated data, or a rule the validator itself cannot run. A rule outside this list
is an error of the export, and fails the test.
"""

from __future__ import annotations

from pathlib import Path

from onestory.returns.ssda903.export import export
from onestory.returns.validate import VALIDATORS_PYTHON, validate_ssda903

# The demo council's placements are around Brighton and Hove (postcodes BN1 to BN3).
DEMO_LA = "E06000043"

# Records the return needs that One Story does not hold yet (issue 19's list).
NOT_RECORDED = {
    "393": "Header MOTHER for a looked-after girl aged 12 or more",
    "607": "Header MOTHER for a girl who left care",
    "630": "PrevPerm for a child starting care",
    "191": "OC2 for a child looked after for 12 months",
    "442": "the reason a child has no UPN (UN1 to UN10)",
    "218": "the placement's Ofsted URN (left blank where the rules need it)",
}
# The demo council's generated records break these; the records are what is exported.
DEMO_DATA = {
    "392a": "made-up postcodes (no distance can be worked out)",
    "392c": "made-up postcodes",
    "169": "made-up placement postcodes (no LA found)",
    "179": "made-up placement postcodes (no location found)",
    "1015": "own provision (PR1) placed outside the council, or at a made-up postcode",
    "440": "review code PN0 for a child aged 4 or more",
    "441": "review code other than PN0 for a child under 4",
    "504": "category of need changed within a period of care",
    "434": "RNE L (legal status only) with a change of placement",
    "516": "a former foster carer placement type not matched by the episodes",
    "146": "placement type P2, withdrawn from 2025-26",
    "527": "provider PR1 with placement P1, R2 or R5",
    "530": "provider PR4 with placement P1",
    "531": "provider PR5 with placement P1",
    "378": "placed with parents under a single period of accommodation (V2)",
    "554": "placed-for-adoption decision after the placement order",
    "331": "matched with adopters after the adoption placement began",
    "514": "a single adopter (L0) recorded as a couple",
}
# Rules on social worker episodes that report closed cases (see the decision record).
SOCIAL_WORKER_EPISODES = {
    "SW11bSTG2": "the child's case closed before 31 March: no later allocation",
    "SW12STG2": "allocations before the child started or after they left care",
    "SW17STG2": "the child's case closed before 31 March: no allocation open on 31 March",
}
EXPLAINED = NOT_RECORDED | DEMO_DATA | SOCIAL_WORKER_EPISODES
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
