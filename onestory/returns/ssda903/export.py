"""The SSDA903 return written from the records: one CSV per table of the collection year.

Every value comes from a record (each field's comment in onestory/families/models names its
column); nothing is typed for the return. Each table is one query, streamed from a server-side
cursor, so the export's memory and query count do not grow with the number of children.

Which rows a year holds:
- a child is in the return when a care episode of theirs is open on any day of the year;
- their episodes open on any day of the year, with the end (DEC, REC, REASON_PLACE_CHANGE) left
  blank when the episode ended after 31 March: on that day it was open; no postcodes or URN
  for a short break (V3, V4), no home postcode for a child who is or was UASC;
- their reviews, missing episodes, adoption placements and social worker episodes in the year,
  likewise with ends after 31 March left blank;
- UASC: the child's latest period as an unaccompanied asylum-seeking child, DUC its end or,
  while open, their 18th birthday;
- AD1 for a child adopted during the year (an episode ended with E11 or E12 in the year);
- OC2: the year's health outcomes of a child in the return; OC3: the year's care leavers'
  circumstances; PrevPerm: the previous permanence of each period of care begun in the year;
  DoLo (2026-27): deprivation of liberty orders open in the year, ends after 31 March blank.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When

from onestory.families import codes
from onestory.families.models import (
    AdoptionDecision,
    AdoptionPlacement,
    Allocation,
    CareEpisode,
    CareLeaverContact,
    DeprivationOfLiberty,
    HealthOutcomes,
    MissingEpisode,
    Person,
    PreviousPermanence,
    Review,
    UASCPeriod,
)
from onestory.lib.dates import add_years
from onestory.returns.collection import CollectionYear, formatted, returned_as, write_csv
from onestory.returns.ssda903 import spec

# Rows fetched from the server-side cursor at a time: enough to keep round trips few, small
# enough that memory stays flat at any scale.
CHUNK = 2000

ADOPTED = (codes.ReasonEpisodeCeased.E11, codes.ReasonEpisodeCeased.E12)

Row = Sequence[object]


class NothingToReturn(Exception):
    """No child was looked after in the year: the return would be empty."""


@dataclass(frozen=True)
class Written:
    table: spec.Table
    path: Path
    rows: int


def _d(day: date | None) -> str:
    return formatted(day, spec.DATE_FORMAT)


def _overlapping(qs: QuerySet[Any], year: CollectionYear) -> QuerySet[Any]:
    """Periods open on any day of the year (their end, the day they stopped, on or after
    1 April)."""
    return qs.filter(Q(end__isnull=True) | Q(end__gte=year.start), start__lte=year.end)


def looked_after(year: CollectionYear) -> QuerySet[CareEpisode]:
    """Care episodes open on any day of the year."""
    return _overlapping(CareEpisode.objects.all(), year)


def _in_return(year: CollectionYear) -> Q:
    """For a query on a child's record: the child was looked after during the year. An IN over
    the year's few thousand episodes, so that the planner starts from them rather than test
    every row of a large table (Exists read all 800,000 people at the large scale)."""
    return Q(child_id__in=looked_after(year).values("child_id"))


# Short breaks: the guide collects no placement location for them (rules 214 and 398),
# nor ask whether a young woman on them is a mother (399).
SHORT_BREAKS = frozenset({codes.LegalStatus.V3, codes.LegalStatus.V4})


def header(year: CollectionYear) -> Iterator[Row]:
    # Every child of the return has a header: those looked after in the year, and the year's
    # care leavers (OC3), most of whom are not (validator check INT06).
    in_care = Q(pk__in=looked_after(year).values("child_id"))
    # Motherhood is asked of those looked after in the year other than only on short breaks
    # (rules 165 and 399).
    asked = Q(pk__in=looked_after(year).exclude(legal_status__in=SHORT_BREAKS).values("child_id"))
    leavers = Q(pk__in=CareLeaverContact.objects.filter(year=year.ending).values("child_id"))
    children = Person.objects.filter(in_care | leavers)
    rows = (
        children.annotate(
            returned=returned_as(""),
            asked=Case(When(asked, then=Value(True)), default=Value(False)),
        )
        .order_by("pk")
        .values_list(
            "returned",
            "sex",
            "date_of_birth",
            "ethnicity",
            "upn",
            "no_upn_reason",
            "is_mother",
            "first_child_born",
            "asked",
        )
    )
    for row in rows.iterator(CHUNK):
        child, sex, born, ethnicity, upn, no_upn, mother, first_born, asked_her = row
        if not asked_her:
            mother, first_born = None, None
        # Without a number, the UPN column takes the reason (UN1 to UN5; rule 168). The CIN
        # census's UN6 and UN7 have no SSDA903 equivalent and leave it blank.
        if not upn and no_upn in codes.UPN_UNKNOWN_SSDA903:
            upn = no_upn
        yield (
            child,
            sex,
            _d(born),
            ethnicity,
            upn,
            "" if mother is None else ("1" if mother else "0"),
            _d(first_born),
        )


def episodes(year: CollectionYear) -> Iterator[Row]:
    # A child who is or was an unaccompanied asylum-seeking child has no home postcode in the
    # return (rules 392b and 406: no distance from home is worked out for them).
    uasc = UASCPeriod.objects.filter(child=OuterRef("child"), start__lte=year.end)
    rows = (
        looked_after(year)
        .annotate(uasc=Exists(uasc))
        .order_by("child_id", "start")
        .annotate(returned=returned_as())
        .values_list(
            "returned",
            "start",
            "reason_new_episode",
            "legal_status",
            "category_of_need",
            "placement",
            "provider",
            "end",
            "reason_ceased",
            "reason_place_change",
            "home_postcode",
            "placement_postcode",
            "urn",
            "uasc",
        )
    )
    for row in rows.iterator(CHUNK):
        child, start, rne, ls, cin, place, provider, end, rec, change, home, pl, urn, was_uasc = row
        ended = year.within(end)
        if ls in SHORT_BREAKS:
            home, pl, urn = "", "", ""
        elif was_uasc:
            home = ""
        yield (
            child,
            _d(start),
            rne,
            ls,
            cin,
            place,
            provider,
            _d(ended),
            rec if ended else "",
            change if ended else "",
            home,
            pl,
            urn,
        )


def reviews(year: CollectionYear) -> Iterator[Row]:
    rows = (
        Review.objects.filter(_in_return(year), date__range=(year.start, year.end))
        .order_by("child_id", "date")
        .annotate(returned=returned_as())
        .values_list("returned", "child__date_of_birth", "date", "participation")
    )
    for child, born, day, code in rows.iterator(CHUNK):
        yield (child, _d(born), _d(day), code)


def uasc(year: CollectionYear) -> Iterator[Row]:
    # One row a child: their latest time as an unaccompanied asylum-seeking child begun by the
    # end of the year.
    rows = (
        UASCPeriod.objects.filter(_in_return(year), start__lte=year.end)
        .order_by("child_id", "-start")
        .distinct("child_id")
        .annotate(returned=returned_as())
        .values_list("returned", "child__sex", "child__date_of_birth", "end")
    )
    for child, sex, born, end in rows.iterator(CHUNK):
        # DUC is the day UASC status ceased or will cease: a child is unaccompanied and
        # asylum-seeking until they turn 18, so an open period gives the 18th birthday (the
        # validator's rule 205B expects last year's DUC to be it, and this year's the same).
        if end is None and born is not None:
            end = add_years(born, 18)
        yield (child, sex, _d(born), _d(end))


def missing(year: CollectionYear) -> Iterator[Row]:
    rows = (
        _overlapping(MissingEpisode.objects.filter(_in_return(year)), year)
        .order_by("child_id", "start")
        .annotate(returned=returned_as())
        .values_list("returned", "child__date_of_birth", "kind", "start", "end")
    )
    for child, born, kind, start, end in rows.iterator(CHUNK):
        yield (child, _d(born), kind, _d(start), _d(year.within(end)))


def ad1(year: CollectionYear) -> Iterator[Row]:
    adopted = looked_after(year).filter(
        child=OuterRef("child"), reason_ceased__in=ADOPTED, end__range=(year.start, year.end)
    )
    rows = (
        AdoptionDecision.objects.filter(Exists(adopted))
        .order_by("child_id", "-decided")
        .distinct("child_id")
        .annotate(returned=returned_as())
        .values_list(
            "returned",
            "child__date_of_birth",
            "decided",
            "matched",
            "foster_carer_adoption",
            "number_of_adopters",
            "adopter_sex",
            "adopter_legal_status",
        )
    )
    for child, born, decided, matched, foster, adopters, sex, legal in rows.iterator(CHUNK):
        yield (
            child,
            _d(born),
            _d(decided),
            _d(matched),
            "1" if foster else "0",
            "" if adopters is None else adopters,
            sex,
            legal,
        )


def placed_adoption(year: CollectionYear) -> Iterator[Row]:
    rows = (
        _overlapping(AdoptionPlacement.objects.filter(_in_return(year)), year)
        .order_by("child_id", "start")
        .annotate(returned=returned_as())
        .values_list("returned", "child__date_of_birth", "start", "end", "reason_ceased")
    )
    for child, born, start, end, reason in rows.iterator(CHUNK):
        ended = year.within(end)
        yield (child, _d(born), _d(start), _d(ended), reason if ended else "")


def sw_episodes(year: CollectionYear) -> Iterator[Row]:
    # Every social worker episode of the year for a child in the return, "even those whilst
    # they were not looked after" (validator rule SW12STG2, from the DfE's guide).
    rows = (
        _overlapping(Allocation.objects.filter(_in_return(year)), year)
        .order_by("child_id", "start")
        .annotate(returned=returned_as())
        .values_list(
            "returned",
            "child__date_of_birth",
            "worker__swe_number",
            "start",
            "end",
            "change_reason",
        )
    )
    for child, born, swe, start, end, reason in rows.iterator(CHUNK):
        yield (child, _d(born), swe, _d(start), _d(year.within(end)), reason)


def _yes_no(answer: bool | None) -> str:
    return "" if answer is None else ("1" if answer else "0")


def oc2(year: CollectionYear) -> Iterator[Row]:
    # The year's outcomes of a child in the return. Which children should have them (looked
    # after for 12 months at 31 March) is the validator's question (rules 190, 191): the
    # return writes what was recorded.
    rows = (
        HealthOutcomes.objects.filter(_in_return(year), year=year.ending)
        .order_by("child_id")
        .annotate(returned=returned_as())
        .values_list(
            "returned",
            "child__date_of_birth",
            "sdq_score",
            "sdq_reason",
            "convicted",
            "health_check",
            "immunisations",
            "teeth_check",
            "health_assessment",
            "substance_misuse",
            "intervention_received",
            "intervention_offered",
        )
    )
    for child, born, score, reason, *answers in rows.iterator(CHUNK):
        yield (
            child,
            _d(born),
            "" if score is None else score,
            reason,
            *(_yes_no(answer) for answer in answers),
        )


def oc3(year: CollectionYear) -> Iterator[Row]:
    # Care leavers are mostly no longer looked after: the year's records, whoever they are.
    rows = (
        CareLeaverContact.objects.filter(year=year.ending)
        .order_by("child_id")
        .annotate(returned=returned_as())
        .values_list("returned", "child__date_of_birth", "in_touch", "activity", "accommodation")
    )
    for child, born, in_touch, activity, accommodation in rows.iterator(CHUNK):
        yield (child, _d(born), in_touch, activity, accommodation)


def prev_perm(year: CollectionYear) -> Iterator[Row]:
    # For each period of care begun in the year (RNE S; rule 630).
    rows = (
        PreviousPermanence.objects.filter(
            care_episode__reason_new_episode=codes.ReasonNewEpisode.S,
            care_episode__start__range=(year.start, year.end),
        )
        .order_by("care_episode__child_id", "care_episode__start")
        .annotate(returned=returned_as("care_episode__child"))
        .values_list(
            "returned", "care_episode__child__date_of_birth", "order", "council", "order_date"
        )
    )
    for child, born, order, council, made in rows.iterator(CHUNK):
        yield (child, _d(born), order, council, _d(made))


def dolo(year: CollectionYear) -> Iterator[Row]:
    rows = (
        _overlapping(DeprivationOfLiberty.objects.filter(_in_return(year)), year)
        .order_by("child_id", "start")
        .annotate(returned=returned_as())
        .values_list("returned", "child__date_of_birth", "start", "end")
    )
    for child, born, start, end in rows.iterator(CHUNK):
        yield (child, _d(born), _d(start), _d(year.within(end)))


def _none(year: CollectionYear) -> Iterator[Row]:
    return iter(())


# Each table's rows; a table named in spec but missing here has no records in One Story yet.
BUILDERS: dict[str, Callable[[CollectionYear], Iterator[Row]]] = {
    spec.HEADER.name: header,
    spec.EPISODES.name: episodes,
    spec.REVIEWS.name: reviews,
    spec.UASC.name: uasc,
    spec.AD1.name: ad1,
    spec.PLACED_ADOPTION.name: placed_adoption,
    spec.MISSING.name: missing,
    spec.SW_EPISODES.name: sw_episodes,
    spec.OC2.name: oc2,
    spec.OC3.name: oc3,
    spec.PREV_PERM.name: prev_perm,
    spec.DOLO.name: dolo,
}


def export(year: int, out: Path) -> list[Written]:
    """Write the year's SSDA903 tables into `out` (made if need be). ValueError for a year
    One Story has no format for; NothingToReturn when no child was looked after in it."""
    tables = spec.tables_for(year)
    collection = CollectionYear(year)
    if not looked_after(collection).exists():
        raise NothingToReturn(
            f"No child was looked after between {collection.start:%-d %B %Y} and "
            f"{collection.end:%-d %B %Y}: there is no SSDA903 return for {collection.label}."
        )
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        rows = BUILDERS.get(name, _none)(collection)
        path = out / table.file_name
        written.append(Written(table, path, write_csv(path, table.columns, rows)))
    return written
