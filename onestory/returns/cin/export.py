"""The children in need census written from the records: one XML file for the collection year.

Sources (read 29 November 2026):
- DfE, "Children in need census 2025 to 2026: specification" (gov.uk, business and technical
  specification and validation rules): the census covers 1 April 2025 to 31 March 2026, with
  the 31 March as its reference date; from 2024-25 <Sex> (M, F or U) replaces <GenderCurrent>;
- the DfE XML schema as kept in SocialFinanceDigitalLabs/liia-tools,
  liiatools/cin_census_pipeline/spec/CIN_schema_2024.xsd (the order of every element below, the
  yes/no type "1"/"0"/"true"/"false", dates as xs:date, YYYY-MM-DD) and its sample
  spec/samples/cin-2022.xml (the header: <Year> is the year the collection ends);
- Data to Insight's validator, csc-validator-be-cin 0.1.13 on PyPI (package cin_validator):
  ingress.py names the elements it reads, and its rules (cin2022_23 to cin2025_26) say which
  rows the year holds: 2884 (an initial conference is recorded in <Section47> or in
  <CINdetails>, never both), 8715 (a conference date falls in the year), 8736 and 8740 (an
  unfinished assessment or enquiry started in the year), 8750 (an unborn child's sex is U),
  1570 and 1580 (LAchildID: up to 20 letters and digits).

Which records a year holds:
- a child is in the census when a CIN episode (referral) of theirs is open on any day of the
  year: referred by 31 March and not closed before 1 April;
- each such episode is a <CINdetails>, its closure left out when it closed after 31 March (on
  that day it was open);
- its assessments begun by 31 March and not authorised before 1 April; the authorisation (set
  by the pod manager's sign-off, stories/census.py) and the factors found, when authorised in
  the year;
- its section 47 enquiries begun in the year, or whose initial conference was in the year; the
  conference's date, when in the year; its target date, 15 working days after the enquiry
  began (Working Together 2023: the conference within 15 working days of the strategy
  discussion that starts the enquiry, which One Story records as the enquiry's start);
- its CIN and CP plans open on any day of the year, ends after 31 March left out; a CP plan's
  number of previous plans counts the child's plans that started before it, in any episode;
- the CP plan's review conferences held in the year.
- an initial conference held without a section 47 enquiry in the same episode, when in the
  year: <CINdetails><DateOfInitialCPC> (the first, if there were two).
Not held by One Story yet, so not written (the report names them):
AssessmentInternalReviewDate. The 2026-27 census adds a pre-proceedings module; One Story
records pre-proceedings and the FGDM offer (onestory/preproceedings), but the module's item
names and codes were not to hand (docs/decisions/0024-pre-proceedings-and-fgdm.md): 2027 is
refused until they are.

Every table is one query, streamed from a server-side cursor and ordered by child, and the
child's elements are put together as the queries advance: a constant number of queries and a
memory use that does not grow with the number of children.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from onestory.families.models import (
    Assessment,
    CINEpisode,
    CINPlan,
    CPPlan,
    CPReview,
    InitialConference,
    Person,
    Section47Enquiry,
)
from onestory.lib.working_days import add_working_days
from onestory.returns.collection import CollectionYear, formatted, returned_as

# The census years this export writes: the structure has been the same since 2024-25, when
# <Sex> replaced <GenderCurrent>. 2026-27 adds the pre-proceedings module (not written yet).
YEARS = frozenset({2025, 2026})

DATE_FORMAT = "%Y-%m-%d"

# The council's three-digit LA number (the DfE's "LEA" in the header). Brightwater is a made-up
# council, so the default is no real council's number: set COUNCIL_LA_NUMBER for a real return.
DEFAULT_LA_NUMBER = "999"

# Working Together 2023: the initial conference within 15 working days of the strategy
# discussion that began the section 47 enquiry.
ICPC_TARGET_WORKING_DAYS = 15

# Rows fetched from each server-side cursor at a time (as the SSDA903 export does).
CHUNK = 2000

# How the census writes yes and no: the schema allows 1/0 or true/false, and rule 8740 of the
# validator reads ICPCnotRequired as "0" for no, so 1/0 lets every rule run.
YES, NO = "1", "0"

Row = Sequence[Any]


class NoChildInNeed(Exception):
    """No child had an open CIN episode in the year: the census would be empty."""


@dataclass(frozen=True)
class Written:
    path: Path
    children: int


def la_number() -> str:
    """The council's LA number from settings (COUNCIL_LA_NUMBER), three digits."""
    number = str(getattr(settings, "COUNCIL_LA_NUMBER", "") or DEFAULT_LA_NUMBER)
    if not re.fullmatch(r"\d{3}", number):
        raise ValueError(
            f"COUNCIL_LA_NUMBER must be the council's three-digit LA number, not {number!r}."
        )
    return number


def _d(day: date | None) -> str:
    return formatted(day, DATE_FORMAT)


def _in_year(year: CollectionYear, prefix: str = "") -> Q:
    """Periods open on any day of the year (begun by 31 March, not ended before 1 April)."""
    return Q(**{f"{prefix}start__lte": year.end}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": year.start})
    )


def episodes(year: CollectionYear) -> QuerySet[CINEpisode]:
    """CIN episodes open on any day of the year."""
    return CINEpisode.objects.filter(_in_year(year))


def _children(year: CollectionYear) -> Iterator[Row]:
    return (
        # An IN over the year's episodes, not a correlated EXISTS: the planner then starts from
        # the year's children rather than test every person (1.2 s to 0.6 s at large).
        Person.objects.filter(pk__in=episodes(year).values("child_id"))
        .annotate(returned=returned_as(""))
        .order_by("pk")
        .values_list(
            "pk",
            "upn",
            "date_of_birth",
            "expected_date_of_birth",
            "sex",
            "ethnicity",
            "disabilities",
            "returned",
            "former_upn",
            "no_upn_reason",
            "date_of_death",
        )
        .iterator(CHUNK)
    )


def _episodes(year: CollectionYear) -> Iterator[Row]:
    # An initial conference held without a section 47 enquiry in the episode belongs to the
    # episode (<CINdetails><DateOfInitialCPC>; rule 2884: there, or in <Section47>, never
    # both). The first in the year, as a column of the episode's row: no query of its own.
    conference = InitialConference.objects.filter(
        episode=OuterRef("pk"), date__range=(year.start, year.end)
    ).order_by("date")
    return (
        episodes(year)
        .annotate(conference=Subquery(conference.values("date")[:1]))
        .order_by("child_id", "start", "pk")
        .values_list(
            "child_id",
            "pk",
            "start",
            "referral_source",
            "primary_need",
            "end",
            "closure_reason",
            "no_further_action",
            "conference",
        )
        .iterator(CHUNK)
    )


def _assessments(year: CollectionYear) -> Iterator[Row]:
    rows = Assessment.objects.filter(
        _in_year(year, "episode__"),
        Q(authorised__isnull=True) | Q(authorised__gte=year.start),
        start__lte=year.end,
    )
    return (
        rows.order_by("episode__child_id", "episode_id", "start", "pk")
        .values_list("episode__child_id", "episode_id", "start", "authorised", "factors")
        .iterator(CHUNK)
    )


def _enquiries(year: CollectionYear) -> Iterator[Row]:
    in_year = (year.start, year.end)
    rows = Section47Enquiry.objects.filter(
        Q(start__range=in_year) | Q(conference__date__range=in_year),
        _in_year(year, "episode__"),
    )
    return (
        rows.order_by("episode__child_id", "episode_id", "start", "pk")
        .values_list(
            "episode__child_id",
            "episode_id",
            "start",
            "conference__date",
            "conference_not_required",
        )
        .iterator(CHUNK)
    )


def _cin_plans(year: CollectionYear) -> Iterator[Row]:
    rows = CINPlan.objects.filter(_in_year(year), _in_year(year, "episode__"))
    return (
        rows.order_by("episode__child_id", "episode_id", "start", "pk")
        .values_list("episode__child_id", "episode_id", "start", "end")
        .iterator(CHUNK)
    )


def _cp_plans(year: CollectionYear) -> Iterator[Row]:
    # The child's plans that started before this one, in any episode: one correlated count.
    earlier = (
        CPPlan.objects.filter(child=OuterRef("child"), start__lt=OuterRef("start"))
        .order_by()
        .values("child")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = CPPlan.objects.filter(_in_year(year), _in_year(year, "episode__")).annotate(
        previous=Coalesce(Subquery(earlier), 0)
    )
    plans: Iterator[Row] = (
        rows.order_by("episode__child_id", "episode_id", "start", "pk")
        .values_list(
            "episode__child_id",
            "episode_id",
            "pk",
            "start",
            "end",
            "initial_category",
            "latest_category",
            "previous",
        )
        .iterator(CHUNK)
    )
    return plans


def _reviews(year: CollectionYear) -> Iterator[Row]:
    rows = CPReview.objects.filter(
        _in_year(year, "plan__"),
        _in_year(year, "plan__episode__"),
        date__range=(year.start, year.end),
    )
    return (
        rows.order_by("plan__episode__child_id", "plan_id", "date")
        .values_list("plan__episode__child_id", "plan_id", "date")
        .iterator(CHUNK)
    )


class ByChild:
    """Rows ordered by child (their first column), handed out one child at a time."""

    def __init__(self, rows: Iterator[Row]) -> None:
        self.rows = rows
        self.next: Row | None = next(rows, None)

    def take(self, child: int) -> list[Row]:
        taken = []
        while self.next is not None and self.next[0] <= child:
            if self.next[0] == child:
                taken.append(self.next)
            self.next = next(self.rows, None)
        return taken


def _grouped(rows: list[Row], index: int) -> dict[Any, list[Row]]:
    groups: dict[Any, list[Row]] = {}
    for row in rows:
        groups.setdefault(row[index], []).append(row)
    return groups


def _add(parent: ET.Element, tag: str, text: object) -> None:
    """A child element holding `text`; nothing when there is nothing to say."""
    if text not in (None, ""):
        ET.SubElement(parent, tag).text = str(text)


def header(year: CollectionYear, *, la: str, made: datetime) -> ET.Element:
    message_header = ET.Element("Header")
    details = ET.SubElement(message_header, "CollectionDetails")
    _add(details, "Collection", "CIN")
    _add(details, "Year", year.ending)
    _add(details, "ReferenceDate", _d(year.end))
    source = ET.SubElement(message_header, "Source")
    _add(source, "SourceLevel", "L")
    _add(source, "LEA", la)
    _add(source, "SoftwareCode", "One Story")
    _add(source, "SerialNo", "001")
    _add(source, "DateTime", made.strftime("%Y-%m-%dT%H:%M:%S"))
    return message_header


def child_element(
    year: CollectionYear,
    person: Row,
    episode_rows: list[Row],
    *,
    assessments: list[Row],
    enquiries: list[Row],
    cin_plans: list[Row],
    cp_plans: list[Row],
    reviews: list[Row],
) -> ET.Element:
    (_, upn, born, expected, sex, ethnicity, disabilities, returned, former, no_upn, died) = person
    child = ET.Element("Child")
    ids = ET.SubElement(child, "ChildIdentifiers")
    # LAchildID: the same id as the SSDA903 return's CHILD (collection.returned_as), so the
    # two returns name a child the same way.
    _add(ids, "LAchildID", returned)
    _add(ids, "UPN", upn)
    _add(ids, "FormerUPN", former)
    _add(ids, "UPNunknown", "" if upn else no_upn)
    # The census sees the child as they were on 31 March: one born after it was unborn then
    # (validator rule 8520: a date of birth after the year is refused). The record keeps the
    # birth date in place of the expected one, so it stands for it.
    if born is not None and born > year.end:
        born, expected = None, born
    _add(ids, "PersonBirthDate", _d(born))
    _add(ids, "ExpectedPersonBirthDate", _d(expected))
    # An unborn child's sex is U (the DfE's specification, validator rule 8750).
    unborn = born is None and expected is not None
    _add(ids, "Sex", "U" if unborn else sex)
    _add(ids, "PersonDeathDate", _d(year.within(died)))
    traits = ET.SubElement(child, "ChildCharacteristics")
    _add(traits, "Ethnicity", ethnicity)
    if disabilities:
        listed = ET.SubElement(traits, "Disabilities")
        for code in disabilities:
            _add(listed, "Disability", code)

    assessments_of = _grouped(assessments, 1)
    enquiries_of = _grouped(enquiries, 1)
    cin_plans_of = _grouped(cin_plans, 1)
    cp_plans_of = _grouped(cp_plans, 1)
    reviews_of = _grouped(reviews, 1)
    for _, episode, start, source, need, end, reason, nfa, conference in episode_rows:
        closed = year.within(end)
        details = ET.SubElement(child, "CINdetails")
        _add(details, "CINreferralDate", _d(start))
        _add(details, "ReferralSource", source)
        _add(details, "PrimaryNeedCode", need)
        _add(details, "CINclosureDate", _d(closed))
        _add(details, "ReasonForClosure", reason if closed else "")
        _add(details, "DateOfInitialCPC", _d(conference))
        for _, _, begun, authorised, factors in assessments_of.get(episode, []):
            done = year.within(authorised)
            block = ET.SubElement(details, "Assessments")
            _add(block, "AssessmentActualStartDate", _d(begun))
            _add(block, "AssessmentAuthorisationDate", _d(done))
            # Factors are those identified at the assessment's end: reported with it.
            if done and factors:
                found = ET.SubElement(block, "FactorsIdentifiedAtAssessment")
                for code in factors:
                    _add(found, "AssessmentFactors", code)
        for _, _, plan_start, plan_end in cin_plans_of.get(episode, []):
            block = ET.SubElement(details, "CINPlanDates")
            _add(block, "CINPlanStartDate", _d(plan_start))
            _add(block, "CINPlanEndDate", _d(year.within(plan_end)))
        for _, _, begun, conference, not_required in enquiries_of.get(episode, []):
            block = ET.SubElement(details, "Section47")
            _add(block, "S47ActualStartDate", _d(begun))
            target = add_working_days(begun, ICPC_TARGET_WORKING_DAYS)
            _add(block, "InitialCPCtarget", _d(target))
            _add(block, "DateOfInitialCPC", _d(year.within(conference)))
            _add(block, "ICPCnotRequired", YES if not_required else NO)
        _add(details, "ReferralNFA", YES if nfa else NO)
        for _, _, plan, plan_start, plan_end, first, latest, previous in cp_plans_of.get(
            episode, []
        ):
            block = ET.SubElement(details, "ChildProtectionPlans")
            _add(block, "CPPstartDate", _d(plan_start))
            _add(block, "CPPendDate", _d(year.within(plan_end)))
            _add(block, "InitialCategoryOfAbuse", first)
            _add(block, "LatestCategoryOfAbuse", latest)
            _add(block, "NumberOfPreviousCPP", previous)
            held = [row[2] for row in reviews_of.get(plan, [])]
            if held:
                listed = ET.SubElement(block, "Reviews")
                for day in held:
                    _add(listed, "CPPreviewDate", _d(day))
    return child


def _write(file: IO[str], element: ET.Element, level: int) -> None:
    """The element indented two spaces a level, as ElementTree's indent and tostring write it.
    Written here because the census's elements are plain (no attributes, no namespaces, text
    only in leaves): ElementTree's general serialiser was four fifths of the export's time."""
    lines: list[str] = []
    _lines(element, level, lines)
    file.write("".join(lines))


def _lines(element: ET.Element, level: int, out: list[str]) -> None:
    pad, tag = "  " * level, element.tag
    if len(element):
        out.append(f"{pad}<{tag}>\n")
        for child in element:
            _lines(child, level + 1, out)
        out.append(f"{pad}</{tag}>\n")
    elif element.text is None:
        out.append(f"{pad}<{tag} />\n")
    else:
        out.append(f"{pad}<{tag}>{escape(element.text)}</{tag}>\n")


def write(year: CollectionYear, file: IO[str], *, la: str, made: datetime) -> int:
    """Write the census to an open text file; returns the number of children."""
    children = _children(year)
    first = next(children, None)
    if first is None:
        raise NoChildInNeed(f"No child had an open child in need episode in {year.label}.")
    parts = [
        ByChild(rows)
        for rows in (
            _episodes(year),
            _assessments(year),
            _enquiries(year),
            _cin_plans(year),
            _cp_plans(year),
            _reviews(year),
        )
    ]
    file.write('<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n')
    _write(file, header(year, la=la, made=made), 1)
    file.write("  <Children>\n")
    count = 0
    person: Row | None = first
    while person is not None:
        episode_rows, assessments, enquiries, cin_plans, cp_plans, reviews = (
            part.take(person[0]) for part in parts
        )
        element = child_element(
            year,
            person,
            episode_rows,
            assessments=assessments,
            enquiries=enquiries,
            cin_plans=cin_plans,
            cp_plans=cp_plans,
            reviews=reviews,
        )
        _write(file, element, 2)
        count += 1
        person = next(children, None)
    file.write("  </Children>\n</Message>\n")
    return count


def export(ending: int, out: Path, *, made: datetime | None = None) -> Written:
    """Write the census for the year ending on 31 March `ending` to the file `out`."""
    if ending not in YEARS:
        known = ", ".join(str(y) for y in sorted(YEARS))
        raise ValueError(
            f"One Story writes the CIN census for the years ending in {known}; {ending} is not "
            "one of them (the 2026 to 2027 census's pre-proceedings module is not written yet)."
        )
    if not out.parent.is_dir():
        raise ValueError(f"There is no folder {out.parent} to write the census to.")
    year = CollectionYear(ending)
    la = la_number()
    made = made or timezone.localtime().replace(tzinfo=None)
    partial = out.with_name(out.name + ".part")
    # One transaction, so the cursors stay open while the file is written (outside one, Django
    # declares them WITH HOLD and PostgreSQL copies each result out first). They are declared
    # within milliseconds of each other but each reads its own snapshot (read committed): a
    # record saved in between may show in one table and not another, as in any live export.
    # The file appears under its name only when complete.
    try:
        with transaction.atomic(), partial.open("w", encoding="utf-8") as file:
            count = write(year, file, la=la, made=made)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(out)
    return Written(path=out, children=count)
