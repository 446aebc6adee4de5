"""The Annex A workbook: one sheet a list, its columns in the first row, then its rows.

openpyxl's write-only workbook streams each row to the file as it is appended, so memory stays
that of one chunk of rows however large the council. Every cell goes through `safe_cell`
(docs/security.md, promise 20): text that a spreadsheet would run as a formula starts with an
apostrophe. Counts are written as numbers, which are never formulas.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from onestory.lib.spreadsheets import safe_cell
from onestory.returns.annex_a import spec
from onestory.returns.annex_a.lists import BUILDERS, ddmmyyyy, months_before

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Written:
    day: date
    rows: dict[int, int]  # list number -> rows written (0 for a list with no records)


def cell(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return safe_cell(value)


def _header(sheet: WriteOnlyWorksheet, columns: tuple[str, ...]) -> None:
    bold = Font(bold=True)
    row = []
    for name in columns:
        header = WriteOnlyCell(sheet, value=safe_cell(name))
        header.font = bold
        row.append(header)
    sheet.append(row)


def _about(workbook: Workbook, day: date) -> None:
    sheet = workbook.create_sheet("About")
    sheet.append([safe_cell("Ofsted Annex A, written by One Story from its records")])
    sheet.append([safe_cell("Day of the lists"), safe_cell(ddmmyyyy(day))])
    sheet.append([safe_cell("Six months before"), safe_cell(ddmmyyyy(months_before(day, 6)))])
    sheet.append([safe_cell("Twelve months before"), safe_cell(ddmmyyyy(months_before(day, 12)))])
    sheet.append([])
    for found in spec.LISTS:
        sheet.append([safe_cell(found.sheet), safe_cell(found.not_held or found.who)])


def write(day: date, out: Path | IO[bytes]) -> Written:
    """Write the workbook for `day` to a path or an open binary file. One query a list (and
    one more for the lists showing when each child was last seen)."""
    workbook = Workbook(write_only=True)
    _about(workbook, day)
    counts: dict[int, int] = {}
    for found in spec.LISTS:
        sheet = workbook.create_sheet(found.sheet)
        _header(sheet, found.columns)
        builder = BUILDERS.get(found.number)
        if builder is None:
            # A list One Story holds no records for: its columns, and why it is empty.
            sheet.append([safe_cell(f"No rows: {found.not_held}")])
            counts[found.number] = 0
            continue
        rows = 0
        for row in builder(day):
            sheet.append([cell(value) for value in row])
            rows += 1
        counts[found.number] = rows
    if isinstance(out, Path):
        # Written beside the file and renamed when complete, so that a failure part way
        # never leaves a workbook that looks finished.
        part = out.with_name(out.name + ".part")
        workbook.save(part)
        os.replace(part, out)
    else:
        workbook.save(out)
    return Written(day, counts)
