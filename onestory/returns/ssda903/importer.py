"""Past SSDA903 returns read into the records, for a council moving to One Story from another
system (issue 19, item 5; docs/decisions/0027-ssda903-import.md).

One folder a collection year, its CSV files named as spec.py names them. The import is all or
nothing: every file is read and every row checked first, each problem kept as "file, line,
column: reason" (up to MAX_PROBLEMS); then, only when there is none, the records are written in
one transaction. Running the same files again changes nothing: a child is matched by the id
their old system used (Person.return_id), each record by its natural key (the child and the
day it began). A later year extends an earlier one: an episode open on 31 March in one file
and closed in the next is closed, not duplicated.

Each table is one entry in KINDS (its columns, the model fields they fill and how the record is
keyed), so that a table One Story comes to hold records for plugs in with one entry.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models

from onestory.families import codes
from onestory.families.models import (
    AdoptionDecision,
    AdoptionPlacement,
    Allocation,
    CareEpisode,
    CareLeaverContact,
    DeprivationOfLiberty,
    Family,
    FamilyMember,
    HealthOutcomes,
    MemberRole,
    MissingEpisode,
    Person,
    PreviousPermanence,
    Review,
    UASCPeriod,
)
from onestory.lib.dates import add_years, long_date
from onestory.lib.history import Someone, lock, recorded
from onestory.lib.identifiers import validate_upn
from onestory.lib.spreadsheets import FORMULA_STARTS
from onestory.pods.models import Pod, Staff
from onestory.returns.collection import CollectionYear
from onestory.returns.ssda903 import spec

# Rows a statement: a council's years are a few hundred thousand rows, more than one INSERT
# should carry.
BATCH = 2000

# Past this many problems the files are plainly not ready; more would only bury the first.
MAX_PROBLEMS = 200


# --- Problems ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    file: str  # the folder's name and the file's, e.g. "2026/episodes.csv"
    line: int = 0  # the file's line (1 is the column names); 0 for the file as a whole

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}" if self.line else self.file


@dataclass(frozen=True)
class Problem:
    where: Where
    column: str
    reason: str

    def __str__(self) -> str:
        column = f", column {self.column}" if self.column else ""
        return f"{self.where}{column}: {self.reason}"


class Refused(Exception):
    """The files have problems: nothing was written."""

    def __init__(self, problems: list[Problem], more: bool) -> None:
        self.problems = problems
        self.more = more
        super().__init__(f"{len(problems)} problems{' (and more)' if more else ''}")

    def lines(self) -> list[str]:
        lines = [str(problem) for problem in self.problems]
        if self.more:
            lines.append(f"(Stopped after {MAX_PROBLEMS} problems: correct these and run again.)")
        return lines


class Bad(ValueError):
    """A cell that cannot be read: its message says why, in plain English."""


class Problems:
    def __init__(self) -> None:
        self.found: list[Problem] = []
        self.more = False

    def add(self, where: Where, column: str, reason: str) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(Problem(where, column, reason))
        else:
            self.more = True

    def __bool__(self) -> bool:
        return bool(self.found)

    def refuse_if_any(self) -> None:
        if self.found:
            raise Refused(self.found, self.more)


# --- Reading cells ----------------------------------------------------------------------------


Reader = Callable[[str], Any]


def text(cell: str) -> str:
    return cell


def a_date(cell: str) -> date | None:
    if not cell:
        return None
    try:
        return datetime.strptime(cell, spec.DATE_FORMAT).date()
    except ValueError:
        raise Bad(f"{cell!r} is not a date written as dd/mm/yyyy, such as 31/03/2026") from None


def a_flag(cell: str) -> bool | None:
    if not cell:
        return None
    if cell in ("1", "0"):
        return cell == "1"
    raise Bad(f"{cell!r} is not 1 (yes) or 0 (no)")


def a_number(cell: str) -> int | None:
    if not cell:
        return None
    if not cell.isdigit():
        raise Bad(f"{cell!r} is not a whole number")
    return int(cell)


def a_sex(cell: str) -> str:
    try:
        return codes.sex_from_legacy_code(cell).value
    except ValueError:
        raise Bad(f"{cell!r} is not a sex code: M, F or U (or 1 and 2 before 2024-25)") from None


def unformula(cell: str) -> str:
    """The cell as the other system meant it: a return written by One Story (collection.py's
    write_csv) put an apostrophe before a value that would start a spreadsheet formula."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


# --- The tables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    field: str  # the model field the column fills ("" when it only repeats the Header)
    read: Reader = text


@dataclass(frozen=True)
class Kind:
    """One SSDA903 table as records: which model, which fields, and how a record is known."""

    table: spec.Table
    model: type[models.Model] | None  # None: One Story holds no such records yet
    columns: dict[str, Column] = field(default_factory=dict)
    key: tuple[str, ...] = ()  # fields naming a child's record, besides the child
    # The field left blank while the record is open on 31 March, and those given only with it:
    # a later year's file may fill them in, and nothing else may change.
    end: str = ""
    given_with_end: tuple[str, ...] = ()
    starts: tuple[str, ...] = ()  # dates on or before the year's last day
    overlaps_refused: bool = False  # the model's no_overlap constraint (by child)
    # Fields a return leaves blank in some years though the record holds them (no postcodes
    # for a short break or a UASC child, rules 214, 392b): blank is no conflict with a value.
    may_be_left_out: tuple[str, ...] = ()
    # A record of the collection year itself (OC2, OC3): its `year` field is the file's year.
    yearly: bool = False
    # Care leavers (OC3) are mostly no longer looked after, so not in the year's Header.
    beyond_header: bool = False
    # PrevPerm belongs to the episode starting a period of care (RNE S) in the year.
    of_episode: bool = False

    @property
    def name(self) -> str:
        return self.table.name


def _codes(model: type[models.Model], name: str) -> Reader:
    """A reader refusing what the model field's choices do not hold."""
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    allowed = {str(value) for value, _ in model_field.choices or ()}

    def read(cell: str) -> str:
        if cell and cell not in allowed:
            raise Bad(f"{cell!r} is not one of the SSDA903 codes for this column")
        return cell

    return read


def _c(model: type[models.Model], name: str) -> Column:
    return Column(name, _codes(model, name))


HEADER = Kind(spec.HEADER, Person)  # read by _read_header: its columns fill the person

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        HEADER,
        Kind(
            spec.EPISODES,
            CareEpisode,
            {
                "DECOM": Column("start", a_date),
                "RNE": _c(CareEpisode, "reason_new_episode"),
                "LS": _c(CareEpisode, "legal_status"),
                "CIN": _c(CareEpisode, "category_of_need"),
                "PLACE": _c(CareEpisode, "placement"),
                "PLACE_PROVIDER": _c(CareEpisode, "provider"),
                "DEC": Column("end", a_date),
                "REC": _c(CareEpisode, "reason_ceased"),
                "REASON_PLACE_CHANGE": _c(CareEpisode, "reason_place_change"),
                "HOME_POST": Column("home_postcode"),
                "PL_POST": Column("placement_postcode"),
                "URN": Column("urn"),
            },
            key=("start",),
            end="end",
            given_with_end=("reason_ceased", "reason_place_change"),
            starts=("start",),
            overlaps_refused=True,
            may_be_left_out=("home_postcode", "placement_postcode", "urn"),
        ),
        Kind(
            spec.REVIEWS,
            Review,
            {
                "DOB": Column("", a_date),
                "REVIEW": Column("date", a_date),
                "REVIEW_CODE": _c(Review, "participation"),
            },
            key=("date",),
            starts=("date",),
        ),
        Kind(
            spec.UASC,
            UASCPeriod,
            {"SEX": Column("", a_sex), "DOB": Column("", a_date), "DUC": Column("end", a_date)},
            key=(),  # one row a child: their latest time as an unaccompanied asylum seeker
            end="end",
        ),
        Kind(
            spec.OC2,
            HealthOutcomes,
            {
                "DOB": Column("", a_date),
                "SDQ_SCORE": Column("sdq_score", a_number),
                "SDQ_REASON": _c(HealthOutcomes, "sdq_reason"),
                "CONVICTED": Column("convicted", a_flag),
                "HEALTH_CHECK": Column("health_check", a_flag),
                "IMMUNISATIONS": Column("immunisations", a_flag),
                "TEETH_CHECK": Column("teeth_check", a_flag),
                "HEALTH_ASSESSMENT": Column("health_assessment", a_flag),
                "SUBSTANCE_MISUSE": Column("substance_misuse", a_flag),
                "INTERVENTION_RECEIVED": Column("intervention_received", a_flag),
                "INTERVENTION_OFFERED": Column("intervention_offered", a_flag),
            },
            key=("year",),
            yearly=True,
        ),
        Kind(
            spec.OC3,
            CareLeaverContact,
            {
                "DOB": Column("", a_date),
                "IN_TOUCH": _c(CareLeaverContact, "in_touch"),
                "ACTIV": _c(CareLeaverContact, "activity"),
                "ACCOM": _c(CareLeaverContact, "accommodation"),
            },
            key=("year",),
            yearly=True,
            beyond_header=True,
        ),
        Kind(
            spec.AD1,
            AdoptionDecision,
            {
                "DOB": Column("", a_date),
                "DATE_INT": Column("decided", a_date),
                "DATE_MATCH": Column("matched", a_date),
                "FOSTER_CARE": Column("foster_carer_adoption", a_flag),
                "NB_ADOPTR": Column("number_of_adopters", a_number),
                "SEX_ADOPTR": _c(AdoptionDecision, "adopter_sex"),
                "LS_ADOPTR": _c(AdoptionDecision, "adopter_legal_status"),
            },
            key=("decided",),
            starts=("decided",),
        ),
        Kind(
            spec.PLACED_ADOPTION,
            AdoptionPlacement,
            {
                "DOB": Column("", a_date),
                "DATE_PLACED": Column("start", a_date),
                "DATE_PLACED_CEASED": Column("end", a_date),
                "REASON_PLACED_CEASED": _c(AdoptionPlacement, "reason_ceased"),
            },
            key=("start",),
            end="end",
            given_with_end=("reason_ceased",),
            starts=("start",),
        ),
        Kind(
            spec.PREV_PERM,
            PreviousPermanence,
            {
                "DOB": Column("", a_date),
                "PREV_PERM": _c(PreviousPermanence, "order"),
                "LA_PERM": Column("council"),
                "DATE_PERM": Column("order_date", a_date),
            },
            key=("care_episode",),  # the day the episode began, until it is written
            of_episode=True,
        ),
        Kind(
            spec.MISSING,
            MissingEpisode,
            {
                "DOB": Column("", a_date),
                "MISSING": _c(MissingEpisode, "kind"),
                "MIS_START": Column("start", a_date),
                "MIS_END": Column("end", a_date),
            },
            key=("start",),
            end="end",
            starts=("start",),
        ),
        Kind(
            spec.SW_EPISODES,
            Allocation,
            {
                "DOB": Column("", a_date),
                "SW_ID": Column("worker"),  # a Social Work England number, matched to Staff
                "SW_DECOM": Column("start", a_date),
                "SW_DEC": Column("end", a_date),
                "SW_REASON": _c(Allocation, "change_reason"),
            },
            key=("start",),
            end="end",
            starts=("start",),
            overlaps_refused=True,
        ),
        Kind(
            spec.DOLO,
            DeprivationOfLiberty,
            {
                "DOB": Column("", a_date),
                "DOLO_START": Column("start", a_date),
                "DOLO_END": Column("end", a_date),
            },
            key=("start",),
            end="end",
            starts=("start",),
            overlaps_refused=True,
        ),
    )
}

# The columns every row of a table must give (the model's required fields, and the key).
REQUIRED = {
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "REVIEW",
    "REVIEW_CODE",
    "DATE_INT",
    "DATE_PLACED",
    "MISSING",
    "MIS_START",
    "SW_ID",
    "SW_DECOM",
    "IN_TOUCH",
    "ACTIV",
    "ACCOM",
    "PREV_PERM",
    "DOLO_START",
}
# The model refuses an ended record without these.
REQUIRED_WITH_END = {"Episodes": ("reason_ceased", "REC")}


def not_imported() -> list[str]:
    """The tables whose rows One Story cannot import yet: it holds no such records, or they
    have no entry in KINDS. A file with rows in them is refused, never dropped."""
    return [name for name, kind in KINDS.items() if kind.model is None]


# --- What the files say -----------------------------------------------------------------------


@dataclass
class Seen:
    """A record as one file gives it."""

    child: str
    values: dict[str, Any]
    where: Where
    year: CollectionYear
    columns: dict[str, str]  # field -> the column it came from, for messages
    first: CollectionYear | None = None  # the earliest year's file giving it

    def __post_init__(self) -> None:
        if self.first is None:
            self.first = self.year


@dataclass
class Folder:
    path: Path
    year: CollectionYear
    label: str


@dataclass
class Reading:
    people: dict[str, Seen] = field(default_factory=dict)  # CHILD -> merged Header
    records: dict[str, dict[tuple[Any, ...], Seen]] = field(default_factory=dict)
    years_of: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    leavers: dict[str, Seen] = field(default_factory=dict)  # in OC3 and no year's Header
    # (table, child, year) of rows refused, so that what hangs on them is not refused again
    refused: set[tuple[str, str, int]] = field(default_factory=set)
    first_in_care: dict[str, date] = field(default_factory=dict)

    def person(self, child: str) -> Seen:
        return self.people.get(child) or self.leavers[child]

    def earlier_header(self, child: str, year: CollectionYear) -> bool:
        """Whether a year before `year` has the child in its Header."""
        return any(y < year.ending for y in self.years_of[child])


FOLDER_YEAR = re.compile(r"(?:^|\D)(\d{4})$")


def _year_of(path: Path, given: int | None, problems: Problems) -> CollectionYear | None:
    year: int | None = given
    if year is None:
        found = FOLDER_YEAR.search(path.name)
        year = _year_from_dates(path) if found is None else int(found.group(1))
        if year is None:
            problems.add(
                Where(path.name),
                "",
                "the collection year is not in the folder's name (such as 2026 for 2025-26) "
                "and no episode, review or social worker episode gives a date to tell it by",
            )
            return None
    if year not in spec.YEARS:
        try:
            spec.tables_for(year)
        except ValueError as error:
            problems.add(Where(path.name), "", str(error))
        return None
    return CollectionYear(year)


def _year_from_dates(path: Path) -> int | None:
    """The collection year holding the latest day in the folder's episodes, reviews and social
    worker episodes: a return holds nothing after its 31 March."""
    latest: date | None = None
    for table, columns in (
        (spec.EPISODES, ("DECOM", "DEC")),
        (spec.REVIEWS, ("REVIEW",)),
        (spec.SW_EPISODES, ("SW_DECOM", "SW_DEC")),
    ):
        file = path / table.file_name
        if not file.exists():
            continue
        with file.open(newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                for column in columns:
                    try:
                        day = a_date((row.get(column) or "").strip())
                    except Bad:
                        continue
                    if day is not None and (latest is None or day > latest):
                        latest = day
    if latest is None:
        return None
    return latest.year + 1 if latest.month >= 4 else latest.year


def _rows(
    folder: Folder, table: spec.Table, problems: Problems
) -> Iterable[tuple[Where, dict[str, str]]]:
    path = folder.path / table.file_name
    name = f"{folder.label}/{table.file_name}"
    if not path.exists():
        if table in (spec.HEADER, spec.EPISODES):
            problems.add(Where(name), "", f"the file is missing: every year has its {table.name}")
        return
    try:
        yield from _rows_of(path, name, table, problems)
    except (UnicodeDecodeError, csv.Error) as error:
        problems.add(Where(name), "", f"the file cannot be read as UTF-8 CSV ({error})")


def _rows_of(
    path: Path, name: str, table: spec.Table, problems: Problems
) -> Iterable[tuple[Where, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        columns = [c.strip() for c in next(reader, [])]
        missing = [c for c in table.columns if c not in columns]
        for column in missing:
            problems.add(Where(name, 1), column, "the column is missing")
        if missing:
            return
        index = {c: columns.index(c) for c in table.columns}
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            where = Where(name, reader.line_num)
            if len(cells) != len(columns):
                problems.add(
                    where,
                    "",
                    f"the row has {len(cells)} cells for the file's {len(columns)} columns",
                )
                continue
            yield where, {c: unformula(cells[i].strip()) for c, i in index.items()}


def read(folders: list[tuple[Path, int | None]]) -> Reading:
    """Everything the folders say, merged year by year; Refused with every problem found."""
    problems = Problems()
    dated: list[Folder] = []
    for path, given in folders:
        if not path.is_dir():
            problems.add(Where(str(path)), "", "there is no such folder")
            continue
        year = _year_of(path, given, problems)
        if year is not None:
            dated.append(Folder(path, year, path.name))
    years = [f.year.ending for f in dated]
    for folder in dated:
        if years.count(folder.year.ending) > 1:
            problems.add(
                Where(folder.label), "", f"two folders hold the {folder.year.label} return"
            )
    problems.refuse_if_any()
    reading = Reading(records={name: {} for name in KINDS if name != HEADER.name})
    for folder in sorted(dated, key=lambda f: f.year.ending):
        _read_folder(folder, reading, problems)
    for child in list(reading.leavers):
        if child in reading.people:
            del reading.leavers[child]
    problems.refuse_if_any()
    _check_overlaps(reading.records, problems)
    problems.refuse_if_any()
    return reading


def _read_folder(folder: Folder, reading: Reading, problems: Problems) -> None:
    tables = spec.YEARS[folder.year.ending]
    known = {t.file_name for t in tables.values()}
    for path in sorted(folder.path.glob("*.csv")):
        if path.name not in known:
            others = [
                y for y, ts in spec.YEARS.items() if path.name in {t.file_name for t in ts.values()}
            ]
            reason = (
                f"the {folder.year.label} return has no such table"
                + (
                    f" (it is part of the {CollectionYear(others[0]).label} return)"
                    if others
                    else ""
                )
                + ": is this the folder for the right year?"
            )
            problems.add(Where(f"{folder.label}/{path.name}"), "", reason)
    before = len(problems.found)
    header = _read_header(folder, reading, problems)
    if any(p.where.line <= 1 for p in problems.found[before:]):
        # Without a readable Header every other row would be "not in the Header": say only
        # what is wrong with it.
        return
    for name, table in tables.items():
        if name == HEADER.name:
            continue
        kind = KINDS[name]
        if kind.model is None:
            for where, _ in _rows(folder, table, problems):
                problems.add(
                    where,
                    "",
                    f"One Story holds no {name} records yet, so this table cannot be imported; "
                    "its rows are refused rather than left out",
                )
                break
            continue
        _read_table(folder, kind, header, reading, problems)


def _read_header(folder: Folder, reading: Reading, problems: Problems) -> dict[str, Seen]:
    header: dict[str, Seen] = {}
    for where, row in _rows(folder, spec.HEADER, problems):
        child = row["CHILD"]
        values: dict[str, Any] = {}
        ok = _cell(where, "CHILD", row, text, problems, required=True)
        if ok is None:
            continue
        if len(child) > 10:
            problems.add(where, "CHILD", "an id of more than 10 characters")
            continue
        if child in header:
            problems.add(
                where,
                "CHILD",
                f"{child} is already in the Header, at line {header[child].where.line}",
            )
            continue
        values["sex"] = _cell(where, "SEX", row, a_sex, problems, required=True)
        values["date_of_birth"] = _cell(where, "DOB", row, a_date, problems)
        values["ethnicity"] = _cell(where, "ETHNIC", row, _codes(Person, "ethnicity"), problems)
        upn = row["UPN"]
        values["upn"], values["no_upn_reason"] = "", ""
        if upn in codes.UPN_UNKNOWN_SSDA903:
            values["no_upn_reason"] = upn
        elif upn:
            try:
                validate_upn(upn)
                values["upn"] = upn
            except ValidationError as error:
                problems.add(where, "UPN", " ".join(error.messages))
        values["is_mother"] = _cell(where, "MOTHER", row, a_flag, problems)
        values["first_child_born"] = _cell(where, "MC_DOB", row, a_date, problems)
        if values["first_child_born"] and values["is_mother"] is not True:
            problems.add(where, "MC_DOB", "a first child's date of birth, but MOTHER is not 1")
        seen = Seen(child, values, where, folder.year, {})
        header[child] = seen
        reading.years_of[child].append(folder.year.ending)
        earlier = reading.people.get(child)
        if earlier is not None:
            for name, column in (("date_of_birth", "DOB"), ("sex", "SEX")):
                if earlier.values[name] != values[name]:
                    problems.add(
                        where,
                        column,
                        f"{row[column] or 'blank'}, but {earlier.where} gives "
                        f"{_shown(earlier.values[name])} for {child}",
                    )
        # A later year's Header says what is known now (a UPN found, a child born to her).
        merged = _said_since(earlier.values, values) if earlier is not None else values
        reading.people[child] = Seen(child, merged, where, folder.year, {})
    return header


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "blank"
    if isinstance(value, date):
        return value.strftime(spec.DATE_FORMAT)
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _cell(
    where: Where,
    column: str,
    row: dict[str, str],
    reader: Reader,
    problems: Problems,
    *,
    required: bool = False,
) -> Any:
    cell = row[column]
    if required and not cell:
        problems.add(where, column, "this column cannot be blank")
        return None
    try:
        return reader(cell)
    except Bad as error:
        problems.add(where, column, str(error))
        return None


def _read_table(
    folder: Folder, kind: Kind, header: dict[str, Seen], reading: Reading, problems: Problems
) -> None:
    assert kind.model is not None
    year = folder.year
    records = reading.records[kind.name]
    this_file: dict[tuple[Any, ...], Where] = {}
    episodes_begun: dict[str, list[date]] | None = None
    rows_of: dict[str, int] = defaultdict(int)  # the child's rows so far in this file
    for where, row in _rows(folder, kind.table, problems):
        child = row["CHILD"]
        person = header.get(child)
        if person is None and kind.beyond_header and child:
            person = reading.people.get(child) or reading.leavers.get(child)
            if person is None:
                person = _leaver(where, child, row, year, problems)
                if person is None:
                    continue
                reading.leavers[child] = person
        if person is None:
            problems.add(
                where,
                "CHILD",
                f"{child or 'a blank id'} is not in this year's Header ({spec.HEADER.file_name})",
            )
            continue
        values: dict[str, Any] = {}
        columns: dict[str, str] = {}
        fine = True
        for column, spec_column in kind.columns.items():
            before = len(problems.found)
            value = _cell(
                where, column, row, spec_column.read, problems, required=column in REQUIRED
            )
            if len(problems.found) > before or problems.more:
                fine = False
                continue
            if not spec_column.field:
                # DOB and SEX repeat the Header: they must agree with it.
                said = person.values["date_of_birth" if column == "DOB" else "sex"]
                if value != said:
                    problems.add(
                        where,
                        column,
                        f"{row[column] or 'blank'}, but the Header (line {person.where.line}) "
                        f"gives {_shown(said)}",
                    )
                    fine = False
                continue
            values[spec_column.field] = value
            columns[spec_column.field] = column
        if not fine or not _fits_the_year(kind, values, columns, where, year, problems):
            reading.refused.add((kind.name, child, year.ending))
            continue
        if kind.yearly:
            values["year"] = year.ending
        if kind.of_episode:
            if episodes_begun is None:
                episodes_begun = _periods_of_care_begun(reading, year)
            begun = episodes_begun.get(child, [])
            taken = rows_of[child]
            if (spec.EPISODES.name, child, year.ending) in reading.refused:
                continue
            if taken >= len(begun):
                problems.add(
                    where,
                    "CHILD",
                    f"no episode of {child}'s in this year's Episodes begins a period of care "
                    "(RNE S), which previous permanence belongs to",
                )
                continue
            values["care_episode"] = begun[taken]
            rows_of[child] += 1
            columns["care_episode"] = "CHILD"
        born = person.values["date_of_birth"]
        if kind.name == spec.UASC.name and born and values["end"] == add_years(born, 18):
            # DUC is the day UASC status ceased or will cease: the export writes an open
            # period as the 18th birthday, so that day is read back as open.
            values["end"] = None
        key = (child, *(values[name] for name in kind.key))
        if key in this_file:
            problems.add(
                where,
                columns.get(kind.key[0], "CHILD") if kind.key else "CHILD",
                f"{child} has this {kind.name} row already, at line {this_file[key].line}",
            )
            continue
        this_file[key] = where
        if kind.name == spec.EPISODES.name:
            known = reading.first_in_care.get(child)
            reading.first_in_care[child] = min(known or values["start"], values["start"])
        seen = Seen(child, values, where, year, columns)
        earlier = records.get(key)
        records[key] = seen if earlier is None else _merged(kind, earlier, seen, problems)


def _leaver(
    where: Where, child: str, row: dict[str, str], year: CollectionYear, problems: Problems
) -> Seen | None:
    """A care leaver in no year's Header: the person as OC3 gives them (their date of birth;
    the return says nothing else of someone no longer looked after)."""
    if len(child) > 10:
        problems.add(where, "CHILD", "an id of more than 10 characters")
        return None
    born = _cell(where, "DOB", row, a_date, problems)
    values: dict[str, Any] = {name: "" for name in PERSON_FIELDS}
    values.update(date_of_birth=born, is_mother=None, first_child_born=None)
    return Seen(child, values, where, year, {})


def _periods_of_care_begun(reading: Reading, year: CollectionYear) -> dict[str, list[date]]:
    """Each child's episodes beginning a period of care (RNE S) in the year, in order."""
    begun: dict[str, list[date]] = defaultdict(list)
    for seen in reading.records[spec.EPISODES.name].values():
        start = seen.values["start"]
        if seen.values["reason_new_episode"] == "S" and year.start <= start <= year.end:
            begun[seen.child].append(start)
    for starts in begun.values():
        starts.sort()
    return begun


def _fits_the_year(
    kind: Kind,
    values: dict[str, Any],
    columns: dict[str, str],
    where: Where,
    year: CollectionYear,
    problems: Problems,
) -> bool:
    fine = True
    for name in kind.starts:
        if values[name] is not None and values[name] > year.end:
            problems.add(
                where,
                columns[name],
                f"{_shown(values[name])} is after {long_date(year.end)}, the end of the "
                f"{year.label} return: is this file for another year?",
            )
            fine = False
    if kind.end and kind.name != spec.UASC.name:
        end = values[kind.end]
        if end is not None and not (year.start <= end <= year.end):
            problems.add(
                where,
                columns[kind.end],
                f"{_shown(end)} is outside the {year.label} return (1 April to 31 March): "
                "is this file for another year?",
            )
            fine = False
        elif end is not None and values.get("start") is not None and end < values["start"]:
            problems.add(where, columns[kind.end], "the end is before the start")
            fine = False
    required = REQUIRED_WITH_END.get(kind.name)
    if required and values[kind.end] is not None and not values[required[0]]:
        problems.add(where, required[1], "this column cannot be blank when the episode ended")
        fine = False
    return fine


def _merged(kind: Kind, earlier: Seen, later: Seen, problems: Problems) -> Seen:
    """One record given by two years' files: the later may close what the earlier left open on
    its 31 March; anything else that differs is a conflict naming both files."""
    for name, value in later.values.items():
        if name == kind.end or name in kind.given_with_end:
            continue
        if name in kind.may_be_left_out and "" in (value, earlier.values[name]):
            later.values[name] = value or earlier.values[name]
            continue
        if earlier.values[name] != value:
            problems.add(
                later.where,
                later.columns[name],
                f"{_shown(value)}, but {earlier.where} gives {_shown(earlier.values[name])} "
                f"for the same record of {later.child}",
            )
    if kind.end:
        _ends_agree(kind, earlier, later, problems)
    later.first = earlier.first
    if kind.end and later.values[kind.end] is None and earlier.values[kind.end] is not None:
        return earlier
    return later


def _ends_agree(kind: Kind, earlier: Seen, later: Seen, problems: Problems) -> None:
    before, after = earlier.values[kind.end], later.values[kind.end]
    if kind.name == spec.UASC.name:
        agree = before == after or before is None or after is None
    elif before is None:
        agree = after is None or after > earlier.year.end
    else:
        agree = after == before or (after is None and before > later.year.end)
    if not agree:
        problems.add(
            later.where,
            later.columns[kind.end],
            f"{_shown(after)}, but {earlier.where} gives {_shown(before)} for the same record "
            f"of {later.child}",
        )
        return
    if before is not None and after is not None:
        for name in kind.given_with_end:
            if earlier.values[name] != later.values[name]:
                problems.add(
                    later.where,
                    later.columns[name],
                    f"{_shown(later.values[name])}, but {earlier.where} gives "
                    f"{_shown(earlier.values[name])}",
                )


def _check_overlaps(records: dict[str, dict[tuple[Any, ...], Seen]], problems: Problems) -> None:
    for name, kind in KINDS.items():
        if not kind.overlaps_refused:
            continue
        by_child: dict[str, list[Seen]] = defaultdict(list)
        for seen in records[name].values():
            by_child[seen.child].append(seen)
        for child, seens in by_child.items():
            seens.sort(key=lambda s: s.values["start"])
            for one, two in itertools.pairwise(seens):
                end = one.values["end"]
                if end is None or end > two.values["start"]:
                    problems.add(
                        two.where,
                        two.columns["start"],
                        f"{_shown(two.values['start'])} overlaps {child}'s {kind.name} row from "
                        f"{_shown(one.values['start'])} ({one.where}), which "
                        + ("was still open" if end is None else f"ended {_shown(end)}"),
                    )


# --- Writing ----------------------------------------------------------------------------------


@dataclass
class Count:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Imported:
    counts: dict[str, Count]
    families: int = 0

    def lines(self) -> list[str]:
        return [
            f"{name}: {c.created} new, {c.updated} updated, {c.unchanged} unchanged"
            for name, c in self.counts.items()
        ] + [f"Families made for new children: {self.families}"]


def import_folders(*, by: Someone, folders: list[tuple[Path, int | None]], pod: Pod) -> Imported:
    """Read the folders and, when no file has a problem, write their records in one
    transaction. Refused (nothing written) with every problem otherwise."""
    reading = read(folders)
    try:
        with recorded(by, "returns.imported"):
            return _write(reading, pod)
    except IntegrityError as error:
        # The checks above mirror the database's constraints; one they missed still refuses
        # the whole import, in the database's words.
        raise Refused(
            [Problem(Where("the records"), "", f"the database refused a record: {error}")], False
        ) from error


def _child_order(child: str) -> tuple[int, int, str]:
    # Numeric ids in their number's order, so that children are created (and numbered) in the
    # order their old system gave them.
    return (0, int(child), "") if child.isdigit() else (1, 0, child)


def _write(reading: Reading, pod: Pod) -> Imported:
    problems = Problems()
    counts = {name: Count() for name, kind in KINDS.items() if kind.model is not None}
    children = sorted([*reading.people, *reading.leavers], key=_child_order)
    # Rows another import or a worker may change meanwhile are locked, so that what is compared
    # below is still what is there when it is written.
    lock(Person.objects.filter(return_id__in=children))
    existing = {p.return_id: p for p in Person.objects.filter(return_id__in=children)}
    people = _write_people(reading, existing, children, problems, counts["Header"])
    swe = {seen.values["worker"] for seen in reading.records[spec.SW_EPISODES.name].values()}
    staff = {s.swe_number: s.pk for s in Staff.objects.filter(swe_number__in=swe)}
    for seen in reading.records[spec.SW_EPISODES.name].values():
        if seen.values["worker"] not in staff:
            problems.add(
                seen.where,
                "SW_ID",
                f"no member of staff has the Social Work England number {seen.values['worker']}:"
                " add them to One Story first (pods: staff), with their dates of employment",
            )
    problems.refuse_if_any()
    families = _make_families(reading, people, existing, pod)
    for name, kind in KINDS.items():
        if kind.model is None or name == HEADER.name:
            continue
        _write_kind(kind, reading, people, staff, pod, problems, counts[name])
    problems.refuse_if_any()
    return Imported(counts, families)


# Header columns read together: the UPN or the reason there is none; MOTHER and MC_DOB.
SAID_TOGETHER = (("upn", "no_upn_reason"), ("is_mother", "first_child_born"), ("ethnicity",))


def _said_since(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The child's details as a later Header leaves them: what it says replaces what was said
    before, and what it leaves blank keeps it (a care leaver's Header leaves MOTHER blank:
    it is asked only of children looked after in the year)."""
    merged = dict(after)
    for group in SAID_TOGETHER:
        if all(after[name] in ("", None) for name in group):
            merged.update({name: before[name] for name in group})
    return merged


PERSON_FIELDS = (
    "sex",
    "date_of_birth",
    "ethnicity",
    "upn",
    "no_upn_reason",
    "is_mother",
    "first_child_born",
)


def _write_people(
    reading: Reading,
    existing: dict[str, Person],
    children: list[str],
    problems: Problems,
    count: Count,
) -> dict[str, int]:
    upns = {s.values["upn"]: c for c, s in reading.people.items() if s.values["upn"]}
    for upn, holder in Person.objects.filter(upn__in=upns).values_list("upn", "return_id"):
        if holder != upns[upn]:
            seen = reading.people[upns[upn]]
            problems.add(seen.where, "UPN", f"another person in One Story has the UPN {upn}")
    new, changed = [], []
    for child in children:
        seen = reading.person(child)
        person = existing.get(child)
        if person is None:
            # The return holds no names: the council's case records give them later.
            new.append(Person(first_name="Child", last_name=child, return_id=child, **seen.values))
            continue
        if child in reading.leavers:
            count.unchanged += 1  # OC3 says nothing of a care leaver One Story holds already
            continue
        for name, column in (("date_of_birth", "DOB"), ("sex", "SEX")):
            if getattr(person, name) != seen.values[name]:
                problems.add(
                    seen.where,
                    column,
                    f"One Story already holds {child} with {_shown(getattr(person, name))}",
                )
        held = {name: getattr(person, name) for name in PERSON_FIELDS}
        wanted = _said_since(held, seen.values)
        if wanted != held:
            for name in PERSON_FIELDS:
                setattr(person, name, wanted[name])
            changed.append(person)
        else:
            count.unchanged += 1
    problems.refuse_if_any()
    Person.objects.bulk_create(new, batch_size=BATCH)
    Person.objects.bulk_update(changed, PERSON_FIELDS, batch_size=BATCH)
    count.created, count.updated = len(new), len(changed)
    ids = {p.return_id: p.pk for p in existing.values()}
    ids.update({p.return_id: p.pk for p in new})
    return ids


def _make_families(
    reading: Reading, people: dict[str, int], existing: dict[str, Person], pod: Pod
) -> int:
    """A family for each new child, held by the pod named, so that need to know applies to
    them from the start (docs/decisions/0027-ssda903-import.md)."""
    first: dict[str, date] = {}
    for records in reading.records.values():
        for seen in records.values():
            start = (
                seen.values.get("start") or seen.values.get("date") or seen.values.get("decided")
            )
            if start is not None and (seen.child not in first or start < first[seen.child]):
                first[seen.child] = start
    new = [c for c in sorted(people, key=_child_order) if c not in existing]
    families = Family.objects.bulk_create(
        [
            Family(
                name=f"Child {child}'s family",
                pod=pod,
                opened=first.get(child) or reading.person(child).year.start,
            )
            for child in new
        ],
        batch_size=BATCH,
    )
    FamilyMember.objects.bulk_create(
        [
            FamilyMember(
                family=family,
                person_id=people[child],
                role=MemberRole.CHILD,
                start=reading.person(child).values["date_of_birth"] or family.opened,
            )
            for child, family in zip(new, families, strict=True)
        ],
        batch_size=BATCH,
    )
    return len(families)


def _write_kind(
    kind: Kind,
    reading: Reading,
    people: dict[str, int],
    staff: dict[str, int],
    pod: Pod,
    problems: Problems,
    count: Count,
) -> None:
    model = kind.model
    assert model is not None
    wanted = reading.records[kind.name]
    if not wanted:
        return
    db_fields = [c.field for c in kind.columns.values() if c.field]
    by_id = {pk: child for child, pk in people.items()}
    held: dict[tuple[Any, ...], models.Model] = {}
    # Locked until the import commits: a worker closing one of these records meanwhile would
    # otherwise be overwritten by what the files said.
    child = "care_episode__child_id" if kind.of_episode else "child_id"
    held_rows = model._default_manager.filter(**{f"{child}__in": people.values()})
    if kind.of_episode:
        held_rows = held_rows.select_related("care_episode")
    for record in held_rows.select_for_update().order_by("pk"):
        if kind.of_episode:
            episode = record.care_episode  # type: ignore[attr-defined]
            key = (by_id[episode.child_id], episode.start)
        else:
            key = (by_id[record.child_id], *(getattr(record, name) for name in kind.key))  # type: ignore[attr-defined]
        held.setdefault(key, record)
    episodes = _episode_ids(people) if kind.of_episode else {}
    new: list[models.Model] = []
    changed: list[models.Model] = []
    for key, seen in wanted.items():
        values = dict(seen.values)
        if "worker" in values:
            values["worker_id"] = staff[values.pop("worker")]
        if kind.of_episode:
            values["care_episode_id"] = episodes[(people[seen.child], values.pop("care_episode"))]
        if kind.name == spec.UASC.name:
            _uasc_values(values, seen, reading)
        found = held.get(key)
        if found is None:
            extra: dict[str, Any] = {"pod": pod} if model is Allocation else {}
            if not kind.of_episode:
                extra["child_id"] = people[seen.child]
            new.append(model(**values, **extra))
            continue
        update = _update_for(kind, found, values, seen, problems)
        if update:
            for name, value in update.items():
                setattr(found, name, value)
            changed.append(found)
        else:
            count.unchanged += 1
    if problems:
        return
    model._default_manager.bulk_create(new, batch_size=BATCH)
    if changed:
        model._default_manager.bulk_update(changed, db_fields, batch_size=BATCH)
    count.created, count.updated = len(new), len(changed)


def _episode_ids(people: dict[str, int]) -> dict[tuple[int, date], int]:
    """The care episodes, written by now, by child and start: previous permanence hangs on
    them."""
    rows = CareEpisode.objects.filter(child_id__in=people.values())
    return {(child, start): pk for pk, child, start in rows.values_list("pk", "child_id", "start")}


def _uasc_values(values: dict[str, Any], seen: Seen, reading: Reading) -> None:
    # The start is not in the return: the child's first day in care, or the first day of the
    # first year listing them as UASC when a year before it has them without (its return would
    # otherwise name them UASC too).
    first = seen.first or seen.year
    in_care = reading.first_in_care.get(seen.child, first.start)
    start = max(in_care, first.start) if reading.earlier_header(seen.child, first) else in_care
    if values["end"] is not None and values["end"] < start:
        start = values["end"]
    values["start"] = start


def _update_for(
    kind: Kind,
    record: models.Model,
    values: dict[str, Any],
    seen: Seen,
    problems: Problems,
) -> dict[str, Any]:
    """What to change on a record One Story holds already: an end the files now give; any other
    difference is a conflict (the record was changed in One Story, or the files disagree)."""
    update: dict[str, Any] = {}
    for name, value in values.items():
        if name == "start" and kind.name == spec.UASC.name:
            continue
        held = getattr(record, name)
        if held == value or (name in kind.may_be_left_out and value == ""):
            continue
        if name in kind.may_be_left_out and held == "":
            update[name] = value  # a year that left it out was imported first
            continue
        if name == kind.end and held is None:
            update[name] = value
            update.update({n: values[n] for n in kind.given_with_end})
            continue
        if name == kind.end and value is None and held > seen.year.end:
            continue  # open on the file's 31 March, ended since: both are right
        if name in kind.given_with_end and name in update:
            continue
        if name in kind.given_with_end and values[kind.end] is None:
            continue
        column = seen.columns.get("worker" if name == "worker_id" else name, name)
        problems.add(
            seen.where,
            column,
            f"{_shown(value)}, but One Story already holds {_shown(held)} for this record of "
            f"{seen.child}",
        )
    return update
