"""This feature's measures for `make bench-measures` (scripts/bench_measures.py): the SSDA903
export of the last complete collection year and of the year so far, the CIN census, and both
together, written to a throwaway folder; and Ofsted's Annex A workbook for the day, written to
memory. Issue 19's budget is 10 s for SSDA903 and CIN census together at the large scale; a
return is a background document, so each here has that budget rather than a page's 1 s."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from onestory.lib.dates import financial_year
from onestory.returns.annex_a.workbook import write as write_annex_a
from onestory.returns.cin.export import export as export_cin
from onestory.returns.ssda903 import spec
from onestory.returns.ssda903.export import export

RETURN_BUDGET_SECONDS = 10.0
# Annex A has no budget in the issue. It is a background document with progress on the page;
# at the large scale (68,000 rows) it took 15.8 s, three quarters of it openpyxl writing the
# sheets' XML. Half a minute keeps the bench honest about it growing.
ANNEX_A_BUDGET_SECONDS = 30.0


def _export(year: int) -> None:
    with tempfile.TemporaryDirectory(prefix="onestory-bench-903-") as folder:
        export(year, Path(folder))


def _census(year: int) -> None:
    with tempfile.TemporaryDirectory(prefix="onestory-bench-cin-") as folder:
        export_cin(year, Path(folder) / "cin.xml")


def _both(year: int) -> None:
    _export(year)
    _census(year)


def measures(day: date) -> list[tuple[str, Callable[[], Any], float]]:
    """(label, action, budget in seconds), each timed and its queries counted."""
    # The collection ending in the financial year `day` is in (named by its start year) is the
    # last complete one; the next is the year so far.
    last = financial_year(day)
    budget = RETURN_BUDGET_SECONDS
    return [
        (f"SSDA903: export {last - 1} to {last}", lambda: _export(last), budget),
        *(
            [(f"SSDA903: export {last} to {last + 1} so far", lambda: _export(last + 1), budget)]
            if last + 1 in spec.YEARS
            else []
        ),
        (f"CIN census: {last - 1} to {last}", lambda: _census(last), budget),
        (f"SSDA903 and CIN census: {last - 1} to {last}", lambda: _both(last), budget),
        (
            f"Annex A: the workbook on {day:%d/%m/%Y}",
            lambda: write_annex_a(day, BytesIO()),
            ANNEX_A_BUDGET_SECONDS,
        ),
    ]
