"""The SSDA903 tables, file names and columns for each collection year, in one place.

Sources (read 29 November 2026):
- the Data to Insight validator, csc-validator-be-903 0.1.17 on PyPI (package lac_validator):
  `config.column_names` is the column set it recognises each CSV by, and its rule packs
  lac2025_26 and lac2026_27 (the 2026-27 pack adds rules 700 to 710 on the deprivation of
  liberty orders table, DOLO_START and DOLO_END); rule 146 (2025-26) gives the placement codes,
  with Z11 to Z14 in place of Z1, and H5 and P2 gone;
- SocialFinanceDigitalLabs/liia-tools, liiatools/ssda903_pipeline/spec (SSDA903_schema_2024
  diff: the SWEpisodes table and its SW_REASON codes; dates as %d/%m/%Y throughout).
The DfE collects the return as XML through COLLECT; councils and Data to Insight's tools
exchange it as one CSV per table. The file names are the ones Data to Insight's tools use
(the validator's own offline runner and test data): the validator itself finds each table by
its set of columns, not by its name. See docs/decisions/0023-statutory-returns.md.

`--year` is the year the collection ends: 2026 is 1 April 2025 to 31 March 2026.
"""

from __future__ import annotations

from dataclasses import dataclass

# Dates in every SSDA903 CSV are written as the guidance gives them: dd/mm/yyyy.
DATE_FORMAT = "%d/%m/%Y"


@dataclass(frozen=True)
class Table:
    name: str  # the table's name in the DfE guide and the validator
    file_name: str
    columns: tuple[str, ...]


def _tables(*tables: Table) -> dict[str, Table]:
    return {table.name: table for table in tables}


HEADER = Table("Header", "header.csv", ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"))
EPISODES = Table(
    "Episodes",
    "episodes.csv",
    (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    ),
)
REVIEWS = Table("Reviews", "reviews.csv", ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"))
UASC = Table("UASC", "uasc.csv", ("CHILD", "SEX", "DOB", "DUC"))
OC2 = Table(
    "OC2",
    "oc2.csv",
    (
        "CHILD",
        "DOB",
        "SDQ_SCORE",
        "SDQ_REASON",
        "CONVICTED",
        "HEALTH_CHECK",
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    ),
)
OC3 = Table("OC3", "oc3.csv", ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"))
AD1 = Table(
    "AD1",
    "ad1.csv",
    (
        "CHILD",
        "DOB",
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
)
PLACED_ADOPTION = Table(
    "PlacedAdoption",
    "placed_for_adoption.csv",
    ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
)
PREV_PERM = Table(
    "PrevPerm", "previous_permanence.csv", ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM")
)
MISSING = Table("Missing", "missing.csv", ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"))
SW_EPISODES = Table(
    "SWEpisodes",
    "sw_episodes.csv",
    ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
)
# New in 2026-27: deprivation of liberty orders (the validator's DoLo table).
DOLO = Table("DoLo", "dolo.csv", ("CHILD", "DOB", "DOLO_START", "DOLO_END"))

_2025_26 = _tables(
    HEADER,
    EPISODES,
    REVIEWS,
    UASC,
    OC2,
    OC3,
    AD1,
    PLACED_ADOPTION,
    PREV_PERM,
    MISSING,
    SW_EPISODES,
)

# The tables of each collection year, by the year the collection ends.
YEARS: dict[int, dict[str, Table]] = {
    # 2024-25 has the same tables and columns (the validator's lac2024_25 pack reads the same
    # column sets): written so that 2025-26 can be checked against the year before it.
    2025: _2025_26,
    2026: _2025_26,
    2027: {**_2025_26, DOLO.name: DOLO},
}


def tables_for(year: int) -> dict[str, Table]:
    """The year's tables, or ValueError naming the years One Story can write."""
    try:
        return YEARS[year]
    except KeyError:
        names = [f"{y - 1} to {y}" for y in sorted(YEARS)]
        known = ", ".join(names[:-1]) + " and " + names[-1]
        raise ValueError(
            f"One Story writes the SSDA903 return for {known}, not for {year - 1} to {year}."
        ) from None
