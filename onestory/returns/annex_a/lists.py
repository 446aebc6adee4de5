"""Each list of Annex A built from the records for the day Ofsted asks about.

A list is one query streamed from a server-side cursor: everything a row needs (the child,
their allocated worker and team, counts over the last twelve months) is a subquery of that one
query, so the cost in queries is the same for ten children or ten thousand. The lists that
show when a child was last seen add one query, `stories.visiting.last_visits`, the service's
one definition of a child's last visit, for all of the list's children at once.

Periods follow Ofsted's wording counted back from the day: "in the six months before" is
after the day six months earlier, up to and including the day itself.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any

from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Least
from django.utils import timezone

from onestory.families import codes
from onestory.families.models import (
    AdoptionDecision,
    AdoptionPlacement,
    Allocation,
    Assessment,
    CareEpisode,
    CareLeaverContact,
    CINEpisode,
    CINPlan,
    CPPlan,
    CPReview,
    InitialConference,
    MissingEpisode,
    Person,
    Review,
    Section47Enquiry,
    UASCPeriod,
)
from onestory.lib.dates import add_years, financial_year
from onestory.returns.annex_a import spec
from onestory.returns.collection import returned_as
from onestory.stories.models import SEEING_KINDS, EntrySeen
from onestory.stories.visiting import last_visits

CHUNK = 2000
Row = tuple[Any, ...]
# Episodes that begin a new placement (SSDA903 RNE): all but a change of legal status only.
NEW_PLACEMENT = ("S", "P", "T", "U", "B")
# Episodes that begin a new legal status.
NEW_LEGAL_STATUS = ("S", "L", "U", "B")
ADOPTION_PLACEMENTS = ("A3", "A4", "A5", "A6")
FOSTERING_FOR_ADOPTION = ("U2", "U5")


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it is shorter)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def ddmmyyyy(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return spec.YES if value else spec.NO


def age(born: date | None, expected: date | None, day: date) -> int | str:
    """Age in years at the last birthday; Ofsted asks for -1 for an unborn child."""
    if born is None or born > day:
        return -1 if expected is not None or born is not None else ""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def disability(recorded: Sequence[str] | None) -> str:
    """Yes with any disability, No when "no disability" is recorded, Unknown when nothing is."""
    if not recorded:
        return spec.UNKNOWN
    return spec.NO if list(recorded) == [codes.Disability.NONE] else spec.YES


# --- Pieces of every query ---------------------------------------------------------------------


def person_fields(path: str) -> list[Any]:
    """The child's columns: their record's id (for the last visits), what Annex A shows of
    them, and the id they are returned under, the same in Annex A as in the SSDA903 and the
    CIN census (`collection.returned_as`)."""
    return [
        f"{path}_id",
        f"{path}__sex",
        f"{path}__ethnicity",
        f"{path}__date_of_birth",
        f"{path}__expected_date_of_birth",
        f"{path}__disabilities",
        returned_as(path),
    ]


def person_cells(values: Sequence[Any], day: date) -> list[Any]:
    _, sex, ethnicity, born, expected, _, returned = values
    return [
        returned,
        spec.GENDER.get(sex, sex),
        spec.ETHNICITY.get(ethnicity, ethnicity),
        ddmmyyyy(born),
        age(born, expected, day),
    ]


def allocated(child: str, day: date) -> dict[str, Subquery]:
    """The child's allocated worker and their pod: the allocation open on the day, or for a
    child whose case has closed the last one before it."""
    latest = Allocation.objects.filter(child=OuterRef(child), start__lte=day).order_by("-start")
    return {
        "team": Subquery(latest.values("pod__name")[:1]),
        "worker": Subquery(
            latest.values(name=Concat("worker__first_name", Value(" "), "worker__last_name"))[:1],
            output_field=CharField(),
        ),
    }


def count(queryset: QuerySet[Any]) -> Coalesce:
    """How many rows the subquery finds, 0 for none, as a column of the outer query."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def latest(queryset: QuerySet[Any], field: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1], output_field=DateField())


def earliest(queryset: QuerySet[Any], field: str) -> Subquery:
    return Subquery(queryset.order_by(field).values(field)[:1], output_field=DateField())


def open_in(since: date, day: date) -> Q:
    """Periods open at some time after `since` and up to `day`."""
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=since))


def seen_on(children: list[int], day: date) -> dict[int, str]:
    """Each child's last visit on or before the day, as dd/mm/yyyy (one query)."""
    found = last_visits([Person(pk=child) for child in set(children)], day)
    return {child: ddmmyyyy(timezone.localdate(at)) for child, at in found.items()}


# --- The lists ---------------------------------------------------------------------------------


def referrals(day: date) -> Iterator[Row]:
    """List 3: every referral (the start of a CIN episode) in the six months."""
    since, year_ago = months_before(day, 6), months_before(day, 12)
    earlier = CINEpisode.objects.filter(
        child=OuterRef("child"), start__lt=OuterRef("start"), start__gte=year_ago
    )
    rows = (
        CINEpisode.objects.filter(start__gt=since, start__lte=day)
        .annotate(earlier=count(earlier), **allocated("child", day))
        .order_by("start", "pk")
        .values_list(
            *person_fields("child"),
            "start",
            "referral_source",
            "no_further_action",
            "earlier",
            "team",
            "worker",
        )
    )
    for row in rows.iterator(CHUNK):
        start, source, nfa, earlier_count, team, worker = row[7:]
        yield (
            *person_cells(row[:7], day),
            ddmmyyyy(start),
            spec.source(source),
            yes_no(nfa),
            earlier_count,
            team,
            worker,
        )


def assessments(day: date) -> Iterator[Row]:
    """List 4: assessments started or authorised in the six months, or still open on the
    day."""
    since = months_before(day, 6)
    # Seen during the assessment: on a visit or in direct work on the child's family's story
    # between its start and its authorisation (or the day, while it is open).
    until = Least(Coalesce(OuterRef("authorised"), Value(day)), Value(day))
    seen = EntrySeen.objects.filter(
        person=OuterRef("episode__child"),
        entry__kind__in=sorted(SEEING_KINDS),
        entry__occurred_at__date__gte=OuterRef("start"),
        entry__occurred_at__date__lte=until,
    )
    rows = (
        Assessment.objects.filter(start__lte=day)
        .filter(
            Q(start__gt=since)
            | Q(authorised__gt=since)
            # Still open: not authorised by the day, in an episode open on the day (one
            # whose episode closed without an authorisation is no longer in progress).
            | (
                (Q(authorised__isnull=True) | Q(authorised__gt=day))
                & (Q(episode__end__isnull=True) | Q(episode__end__gt=day))
            )
        )
        .annotate(seen=Exists(seen), **allocated("episode__child", day))
        .order_by("start", "pk")
        .values_list(
            *person_fields("episode__child"),
            "start",
            "seen",
            "authorised",
            "episode__closure_reason",
            "episode__end",
            "team",
            "worker",
        )
    )
    for row in rows.iterator(CHUNK):
        start, was_seen, authorised, closure, closed, team, worker = row[7:]
        if authorised is not None and authorised > day:
            authorised = None
        # The census has no outcome of an assessment: an authorised assessment whose episode
        # closed "after assessment" (RC8, RC9) needed no support; otherwise it did. Blank
        # while the assessment is open.
        if authorised is None:
            support = ""
        else:
            closed_after = closure in ("RC8", "RC9") and closed is not None and closed <= day
            support = spec.NO if closed_after else spec.YES
        yield (
            *person_cells(row[:7], day),
            disability(row[5]),
            ddmmyyyy(start),
            yes_no(was_seen),
            ddmmyyyy(authorised),
            support,
            team,
            worker,
        )


def section_47s(day: date) -> Iterator[Row]:
    """List 5: section 47 enquiries started in the six months."""
    since, year_ago = months_before(day, 6), months_before(day, 12)
    child = "episode__child"
    enquiries = Section47Enquiry.objects.filter(
        episode__child=OuterRef(child), start__gt=year_ago, start__lte=day
    )
    conferences = InitialConference.objects.filter(
        enquiry__episode__child=OuterRef(child), date__gt=year_ago, date__lte=day
    )
    rows = (
        Section47Enquiry.objects.filter(start__gt=since, start__lte=day)
        .annotate(
            enquiries=count(enquiries), conferences=count(conferences), **allocated(child, day)
        )
        .order_by("start", "pk")
        .values_list(
            *person_fields(child),
            "start",
            "conference_not_required",
            "conference__date",
            "conference__plan_made",
            "enquiries",
            "conferences",
            "team",
            "worker",
        )
    )
    for row in rows.iterator(CHUNK):
        start, not_required, held, plan, enquiry_count, conference_count, team, worker = row[7:]
        if held is not None and held > day:
            held = plan = None
        yield (
            *person_cells(row[:7], day),
            disability(row[5]),
            ddmmyyyy(start),
            yes_no(not_required),
            ddmmyyyy(held),
            yes_no(plan) if held else "",
            enquiry_count,
            conference_count,
            team,
            worker,
        )


def children_in_need(day: date) -> list[Row]:
    """List 6: CIN episodes open on the day or closed in the six months."""
    since = months_before(day, 6)
    child = OuterRef("child")
    status = Case(
        When(
            Exists(CareEpisode.objects.open_on(day).filter(child=child)),
            then=Value(spec.CASE_STATUS["Looked after child"]),
        ),
        When(
            Exists(CPPlan.objects.open_on(day).filter(child=child)),
            then=Value(spec.CASE_STATUS["Child Protection plan"]),
        ),
        When(
            Exists(CINPlan.objects.open_on(day).filter(episode=OuterRef("pk"))),
            then=Value(spec.CASE_STATUS["Child in need plan"]),
        ),
        When(
            Exists(
                Assessment.objects.filter(episode=OuterRef("pk"), start__lte=day).filter(
                    Q(authorised__isnull=True) | Q(authorised__gt=day)
                )
            ),
            then=Value(spec.CASE_STATUS["Open assessment"]),
        ),
        When(Q(end__isnull=False, end__lte=day), then=Value(spec.CASE_STATUS["Closed episode"])),
        # Open, with no plan and no assessment under way (a referral not yet assessed).
        default=Value(""),
        output_field=CharField(),
    )
    query = (
        CINEpisode.objects.filter(open_in(since, day))
        .annotate(status=status, **allocated("child", day))
        .order_by("start", "pk")
        .values_list(
            *person_fields("child"),
            "start",
            "primary_need",
            "end",
            "closure_reason",
            "status",
            "team",
            "worker",
        )
    )
    rows = list(query.iterator(CHUNK))
    seen = seen_on([row[0] for row in rows], day)
    found = []
    for row in rows:
        start, primary_need, end, reason, status_now, team, worker = row[7:]
        closed = end is not None and end <= day
        found.append(
            (
                *person_cells(row[:7], day),
                disability(row[5]),
                ddmmyyyy(start),
                spec.need(primary_need),
                seen.get(row[0], ""),
                ddmmyyyy(end) if closed else "",
                spec.closure(reason) if closed else "",
                status_now,
                team,
                worker,
            )
        )
    return found


def child_protection(day: date) -> list[Row]:
    """List 7: CP plans open on the day or ended in the six months."""
    since = months_before(day, 6)
    earlier = CPPlan.objects.filter(child=OuterRef("child"), start__lt=OuterRef("start"))
    reviews = CPReview.objects.filter(plan=OuterRef("pk"), date__lte=day)
    # An emergency protection order or police protection (SSDA903 legal statuses L2 and L1)
    # in the six months: One Story records them as the care they began.
    protected = CareEpisode.objects.filter(
        open_in(since, day), child=OuterRef("child"), legal_status__in=("L1", "L2")
    )
    query = (
        CPPlan.objects.filter(open_in(since, day))
        .annotate(
            previous=count(earlier),
            reviewed=latest(reviews, "date"),
            protected=Exists(protected),
            **allocated("child", day),
        )
        .order_by("start", "pk")
        .values_list(
            *person_fields("child"),
            "start",
            "initial_category",
            "latest_category",
            "reviewed",
            "end",
            "protected",
            "previous",
            "team",
            "worker",
        )
    )
    rows = list(query.iterator(CHUNK))
    seen = seen_on([row[0] for row in rows], day)
    found = []
    for row in rows:
        start, initial, latest_category, reviewed, end, was_protected, previous = row[7:14]
        team, worker = row[14:]
        found.append(
            (
                *person_cells(row[:7], day),
                disability(row[5]),
                ddmmyyyy(start),
                spec.CP_CATEGORY.get(initial, initial),
                spec.CP_CATEGORY.get(latest_category, latest_category),
                seen.get(row[0], ""),
                # Whether the child was seen alone on that visit is on the entry, but the
                # last visit is found by its date only (stories/visiting.py): left blank.
                "",
                ddmmyyyy(reviewed),
                ddmmyyyy(end) if end is not None and end <= day else "",
                yes_no(was_protected),
                previous,
                team,
                worker,
            )
        )
    return found


def children_in_care(day: date) -> list[Row]:
    """List 8: one row a child, from their latest care episode open on the day or ended in
    the six months."""
    since, year_ago = months_before(day, 6), months_before(day, 12)
    child = OuterRef("child")
    episodes = CareEpisode.objects.filter(child=child, start__lte=OuterRef("start"))
    twelve_months = CareEpisode.objects.filter(open_in(year_ago, day), child=child)
    missing = MissingEpisode.objects.filter(child=child, start__gt=year_ago, start__lte=day)
    query = (
        CareEpisode.objects.filter(open_in(since, day))
        .order_by("child_id", "-start")
        .distinct("child_id")
        .annotate(
            uasc=Exists(UASCPeriod.objects.filter(open_in(year_ago, day), child=child)),
            began=latest(episodes.filter(reason_new_episode="S"), "start"),
            legal_since=latest(episodes.filter(reason_new_episode__in=NEW_LEGAL_STATUS), "start"),
            placed_since=latest(episodes.filter(reason_new_episode__in=NEW_PLACEMENT), "start"),
            reviewed=latest(Review.objects.filter(child=child, date__lte=day), "date"),
            placements=count(twelve_months.filter(reason_new_episode__in=NEW_PLACEMENT)),
            missing=count(missing.filter(kind="M")),
            absent=count(missing.filter(kind="A")),
            **allocated("child", day),
        )
        .annotate(
            # Another period of care that ended in the twelve months before this one began.
            again=Exists(
                CareEpisode.objects.filter(
                    child=child, end__gt=year_ago, end__lte=OuterRef("began")
                ).exclude(reason_ceased="X1")
            ),
        )
        .values_list(
            *person_fields("child"),
            "uasc",
            "began",
            "category_of_need",
            "again",
            "legal_since",
            "legal_status",
            "reviewed",
            "placements",
            "end",
            "reason_ceased",
            "placed_since",
            "placement",
            "provider",
            "placement_postcode",
            "urn",
            "missing",
            "absent",
            "team",
            "worker",
        )
    )
    rows = list(query.iterator(CHUNK))
    seen = seen_on([row[0] for row in rows], day)
    legal = codes.LegalStatus.choices
    placement_types = codes.PlacementType.choices
    providers = codes.PlacementProvider.choices
    ceased_reasons = codes.ReasonEpisodeCeased.choices
    found = []
    for row in rows:
        (uasc, began, need, again, legal_since, legal_status, reviewed, placements, end) = row[7:16]
        (reason, placed_since, placement, provider, postcode, urn) = row[16:22]
        (missing_count, absent_count, team, worker) = row[22:]
        ceased = end is not None and end <= day
        found.append(
            (
                *person_cells(row[:7], day),
                yes_no(uasc),
                disability(row[5]),
                ddmmyyyy(began),
                spec.need(need),
                yes_no(again),
                ddmmyyyy(legal_since),
                spec.coded(legal_status, legal),
                ddmmyyyy(reviewed),
                seen.get(row[0], ""),
                # Not recorded in One Story (docs/decisions/0026-annex-a.md): the
                # permanence plan, IRO contact, health assessment and dental check.
                "",
                "",
                "",
                "",
                placements,
                ddmmyyyy(end) if ceased else "",
                spec.coded(reason, ceased_reasons) if ceased else "",
                ddmmyyyy(placed_since),
                spec.coded(placement, placement_types),
                spec.coded(provider, providers),
                postcode,
                urn,
                # In or out of the council's area, and which council: One Story holds no
                # boundary to tell from the postcode.
                "",
                "",
                missing_count,
                absent_count,
                # Return interviews are not recorded.
                "",
                "",
                team,
                worker,
            )
        )
    return found


def care_leavers(day: date) -> Iterator[Row]:
    """List 9: each young person aged 17 to 21 on the day whose circumstances as a care leaver
    (SSDA903 OC3) were recorded for the collection year the day is in or the one before, from
    the latest record, unless it says they have died. One Story records no eligibility
    category, personal adviser, pathway plan or date of contact: those columns are blank."""
    this_year = financial_year(day) + 1  # the collection is named by the year it ends in
    rows = (
        CareLeaverContact.objects.filter(
            year__gte=this_year - 1,
            year__lte=this_year,
            child__date_of_birth__lte=add_years(day, -17),
            child__date_of_birth__gt=add_years(day, -22),
        )
        .order_by("child_id", "-year")
        .distinct("child_id")
        .annotate(
            uasc=Exists(UASCPeriod.objects.filter(child=OuterRef("child"), start__lte=day)),
            **allocated("child", day),
        )
        .values_list(
            *person_fields("child"),
            "uasc",
            "team",
            "worker",
            "in_touch",
            "accommodation",
            "activity",
        )
    )
    for row in rows.iterator(CHUNK):
        uasc, team, worker, in_touch, accommodation, activity = row[7:]
        if in_touch == codes.InTouch.DIED:
            continue
        # ACCOM is the kind of accommodation and a digit: 1 suitable, 2 not suitable.
        kind, suitable = accommodation[:1], accommodation[1:]
        yield (
            *person_cells(row[:7], day),
            spec.YES if uasc else spec.NO,
            disability(row[5]),
            team or "",
            worker or "",
            "",  # personal adviser: not recorded
            "",  # eligibility category: not recorded
            "",  # latest pathway plan review: not recorded
            spec.coded(in_touch, codes.InTouch.choices),
            "",  # latest date of contact: OC3 says only "around their birthday"
            spec.coded(accommodation, codes.CareLeaverAccommodation.choices) if kind else "",
            {"1": "Suitable", "2": "Not suitable"}.get(suitable, ""),
            spec.coded(activity, codes.CareLeaverActivity.choices),
        )


def adoption(day: date) -> Iterator[Row]:
    """List 10: decisions that a child should be placed for adoption open at some time in the
    twelve months."""
    year_ago = months_before(day, 12)
    child = OuterRef("child")
    episodes = CareEpisode.objects.filter(child=child, start__lte=day)
    since_care = episodes.filter(start__gte=OuterRef("entered"))
    adopted = CareEpisode.objects.filter(
        child=child,
        end__gte=OuterRef("entered"),
        end__lte=day,
        reason_ceased__in=("E11", "E12"),
    )
    rows = (
        AdoptionPlacement.objects.filter(open_in(year_ago, day))
        .annotate(
            entered=latest(
                episodes.filter(reason_new_episode="S", start__lte=OuterRef("start")), "start"
            ),
        )
        .annotate(
            placement_order=earliest(since_care.filter(legal_status="E1"), "start"),
            matched=latest(
                AdoptionDecision.objects.filter(
                    child=child, matched__isnull=False, matched__lte=day
                ),
                "matched",
            ),
            placed=earliest(since_care.filter(placement__in=ADOPTION_PLACEMENTS), "start"),
            adopted=earliest(adopted, "end"),
            fostering=earliest(since_care.filter(placement__in=FOSTERING_FOR_ADOPTION), "start"),
        )
        .order_by("start", "pk")
        .values_list(
            *person_fields("child"),
            "entered",
            "start",
            "placement_order",
            "matched",
            "placed",
            "adopted",
            "end",
            "reason_ceased",
            "fostering",
        )
    )
    for row in rows.iterator(CHUNK):
        entered, decided, order, matched, placed, adopted_on, end, reason, fostering = row[7:]
        stopped = end is not None and end <= day
        cells = person_cells(row[:7], day)
        yield (
            cells[0],
            # Family identifier: for siblings placed together; One Story does not group
            # adoptions into sibling groups, so it is left blank.
            "",
            *cells[1:],
            disability(row[5]),
            ddmmyyyy(entered),
            ddmmyyyy(decided),
            ddmmyyyy(order),
            ddmmyyyy(matched),
            ddmmyyyy(placed),
            ddmmyyyy(adopted_on),
            ddmmyyyy(end) if stopped else "",
            spec.coded(reason, codes.ReasonPlacedCeased.choices) if stopped else "",
            ddmmyyyy(fostering),
        )


BUILDERS: dict[int, Callable[[date], Iterator[Row] | list[Row]]] = {
    3: referrals,
    4: assessments,
    5: section_47s,
    6: children_in_need,
    7: child_protection,
    8: children_in_care,
    9: care_leavers,
    10: adoption,
}
