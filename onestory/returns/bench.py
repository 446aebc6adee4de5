"""This feature's measures for `make bench-measures` (scripts/bench_measures.py): the SSDA903
export of the last complete collection year and of the year so far, written to a throwaway
folder. Issue 19's budget is 10 s for SSDA903 and CIN census together at the large scale."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from onestory.lib.dates import financial_year
from onestory.returns.ssda903 import spec
from onestory.returns.ssda903.export import export


def _export(year: int) -> None:
    with tempfile.TemporaryDirectory(prefix="onestory-bench-903-") as folder:
        export(year, Path(folder))


def measures(day: date) -> list[tuple[str, Callable[[], Any]]]:
    """(label, action) pairs, each timed and its queries counted."""
    # The collection ending in the financial year `day` is in (named by its start year) is the
    # last complete one; the next is the year so far.
    last = financial_year(day)
    return [
        (f"SSDA903: export {last - 1} to {last}", lambda: _export(last)),
        *(
            [(f"SSDA903: export {last} to {last + 1} so far", lambda: _export(last + 1))]
            if last + 1 in spec.YEARS
            else []
        ),
    ]
