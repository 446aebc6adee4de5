"""What every statutory return shares: its collection year and how its CSV files are written.

The DfE names a collection by the year it ends in (the 2026 SSDA903 covers 1 April 2025 to
31 March 2026); One Story's financial years are named by the year they start in, so the
translation lives here, once.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db.models import CharField, F, Func, Value
from django.db.models.functions import Cast, Coalesce, NullIf

from onestory.lib.dates import financial_year_end, financial_year_label, financial_year_start
from onestory.lib.spreadsheets import safe_cell


@dataclass(frozen=True)
class CollectionYear:
    """A collection year, named by the year it ends in."""

    ending: int

    @property
    def start(self) -> date:
        return financial_year_start(self.ending - 1)

    @property
    def end(self) -> date:
        """31 March: the last day of the year, inside it."""
        return financial_year_end(self.ending - 1)

    @property
    def label(self) -> str:
        return financial_year_label(self.ending - 1)

    def within(self, day: date | None) -> date | None:
        """`day` when it falls on or before the year's last day, else None: an end after the
        year is not known to the return, which reports the period as still open."""
        return day if day is not None and day <= self.end else None


def returned_as(person: str = "child") -> Func:
    """The id a child is returned under (SSDA903 CHILD, CIN census LAchildID), for a query on
    `person`'s record ("" for a query on Person itself): the id a council's earlier system used,
    kept when the child was imported from its returns (Person.return_id), else One Story's own
    number for them. One expression, so every table and both returns name a child the same way."""
    prefix, own = (f"{person}__", f"{person}_id") if person else ("", "pk")
    return Coalesce(NullIf(F(f"{prefix}return_id"), Value("")), Cast(own, CharField()))


def formatted(day: date | None, date_format: str) -> str:
    return "" if day is None else day.strftime(date_format)


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write a header and the rows, every cell through safe_cell (docs/security.md, promise 20:
    a value starting with =, +, -, @, tab or carriage return is not run as a formula by the
    spreadsheet it is opened in). Returns the number of rows written."""
    count = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            if len(row) != len(columns):
                raise ValueError(f"{path.name}: a row of {len(row)} cells for {len(columns)}")
            writer.writerow([safe_cell(cell) for cell in row])
            count += 1
    return count
