"""The outcome measures, each a function of the records at a date or over a period.

Definitions follow docs/domain.md ("The measures"), which follows the DfE (the CIN census,
the SSDA903 and their published statistics):

- **At a date d** a period counts when it started on or before d and has not ended by d
  (start <= d and (end is empty or end > d)); children are counted once however many periods
  they have open (a child on two plans at once is one child).
- **Over a period** from `first` to `last`, both days included: something that happened on
  `last` is in the period. The dashboard's contract functions (`name(day, *, pod=None)`) take
  the 12 months to `day` (`twelve_months_to`): from the day after a year before, to `day`.
- **Per pod**: a child belongs at d to the pod of their allocation open at d (one at a time:
  allocations never overlap). A child with no allocated worker is counted for the service only,
  so the pods' figures can add up to less than the service's.
- **Children on CP plans at d**: children with a CP plan open at d.
- **Children in care at d**: children with a care episode open at d other than a short break
  (legal status V3 or V4): a child whose only open episode is a short break is not in care.
- **Children in need at d**: children with a child in need episode (`CINEpisode`, from referral
  to closure) open at d. As in the CIN census, this includes children on CP plans and in care
  who have an open episode.
- **Rates per 10,000 children**: the count times 10,000 over the child population the council
  entered for the year of d, or the latest year before it (`ChildPopulation`); none when no
  population is entered. The population is the whole area's, so rates are for the service only.
- **Referrals** in a period: child in need episodes starting in it (the CIN census counts
  referrals, not children: a child referred twice is two referrals), including those that end
  with no further action.
- **Re-referrals within 12 months**: of those referrals, the ones whose child had an earlier
  referral starting on or after the day a year before this one (exactly a year before counts).
- **Second or subsequent CP plans**: of the CP plans starting in a period, those whose child had
  a CP plan that started earlier (a plan that started the same day is not earlier).
- **CP plans lasting 2 years or more**: of the CP plans that ended in the period, those whose
  end is on or after the second anniversary of their start.
- **Care applications**: section 31 applications, each counted once however many children it
  covers, by quarter of the financial year; at a date, the average a quarter over the 12 months
  to it.

Referrals, re-referrals, second plans, long plans and care applications are for the service
only: the pod that held a family when it was referred is not recorded.

Each `*_on(days)` function answers for many dates at once, for the service and every pod, in
one query; the dashboard's functions answer for one date in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear

from onestory.families.codes import SHORT_BREAK_LEGAL_STATUSES
from onestory.families.models import CareProceedings
from onestory.lib.dates import financial_quarter, financial_year_start, twelve_months_to
from onestory.outcomes.sql import rows

# A value for each (day, pod); pod None is the whole service.
ByDayAndPod = dict[tuple[date, int | None], float | int | None]

PER_10000 = 10_000


def _rows(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return rows(sql, params)


def _days(days: Iterable[date]) -> list[date]:
    return sorted(set(days))


# The children with a period open on each day, counted once, for the service and per pod of
# their allocation open that day. `periods` is a SELECT of (child_id, start, "end").
_CHILDREN_AT = """
WITH days AS (SELECT DISTINCT unnest(%(days)s::date[]) AS d),
counted AS (
    SELECT DISTINCT days.d, p.child_id
    FROM days
    JOIN ({periods}) p ON p.start <= days.d AND (p."end" IS NULL OR p."end" > days.d)
)
SELECT c.d, a.pod_id, GROUPING(a.pod_id) AS total, count(DISTINCT c.child_id)
FROM counted c
LEFT JOIN families_allocation a
  ON a.child_id = c.child_id AND a.start <= c.d AND (a."end" IS NULL OR a."end" > c.d)
GROUP BY GROUPING SETS ((c.d, a.pod_id), (c.d))
"""

_CP_PLANS = 'SELECT child_id, start, "end" FROM families_cpplan'
_CIN_EPISODES = 'SELECT child_id, start, "end" FROM families_cinepisode'
_IN_CARE = (
    'SELECT child_id, start, "end" FROM families_careepisode'
    " WHERE NOT (legal_status = ANY(%(short_breaks)s))"
)


def _children_at(periods: str, days: Iterable[date]) -> ByDayAndPod:
    """Counts for the service on every day asked (0 when nobody), and for each pod with at
    least one child that day."""
    days = _days(days)
    found: ByDayAndPod = {(day, None): 0 for day in days}
    if not days:
        return found
    params = {"days": days, "short_breaks": sorted(SHORT_BREAK_LEGAL_STATUSES)}
    for day, pod_id, total, children in _rows(_CHILDREN_AT.format(periods=periods), params):
        if total:
            found[(day, None)] = children
        elif pod_id is not None:
            found[(day, pod_id)] = children
    return found


def cp_plans_on(days: Iterable[date]) -> ByDayAndPod:
    """Children on CP plans on each day, for the service and per pod: one query."""
    return _children_at(_CP_PLANS, days)


def in_care_on(days: Iterable[date]) -> ByDayAndPod:
    """Children in care on each day (short breaks left out), service and per pod: one query."""
    return _children_at(_IN_CARE, days)


def children_in_need_on(days: Iterable[date]) -> ByDayAndPod:
    """Children with a child in need episode open on each day, service and per pod."""
    return _children_at(_CIN_EPISODES, days)


def _one(found: ByDayAndPod, day: date, pod: int | None) -> int:
    value = found.get((day, pod), 0)
    return int(value or 0)


def children_on_cp_plans(day: date, *, pod: int | None = None) -> int:
    """Children subject to a child protection plan at `day` (CIN census definition)."""
    return _one(cp_plans_on([day]), day, pod)


def children_in_care(day: date, *, pod: int | None = None) -> int:
    """Children looked after at `day`, leaving out those whose only open episode is a short
    break (legal status V3 or V4), as the DfE's SSDA903 statistics do."""
    return _one(in_care_on([day]), day, pod)


def children_in_need(day: date, *, pod: int | None = None) -> int:
    """Children in need at `day`: a child in need episode open (CIN census definition)."""
    return _one(children_in_need_on([day]), day, pod)


# --- Rates per 10,000 children ------------------------------------------------------------


def populations() -> dict[int, int]:
    """The child population the council entered, by year: one query."""
    from onestory.outcomes.models import ChildPopulation

    return dict(ChildPopulation.objects.values_list("year", "children"))


def population_for(day: date, entered: dict[int, int]) -> int | None:
    """The population of the year of `day`, or of the latest year entered before it."""
    years = [year for year in entered if year <= day.year]
    return entered[max(years)] if years else None


def rate(count: float | int | None, population: int | None) -> float | None:
    if count is None or not population:
        return None
    return round(PER_10000 * float(count) / population, 1)


def rates_on(counts: ByDayAndPod) -> ByDayAndPod:
    """The service's counts as rates per 10,000 children: one query for the population."""
    entered = populations()
    return {
        (day, None): rate(value, population_for(day, entered))
        for (day, pod), value in counts.items()
        if pod is None
    }


def cp_plan_rate(day: date, *, pod: int | None = None) -> float | None:
    """Children on CP plans at `day` per 10,000 children (the service only; None for a pod or
    when no population is entered). Two queries."""
    if pod is not None:
        return None
    return rate(children_on_cp_plans(day), population_for(day, populations()))


def in_care_rate(day: date, *, pod: int | None = None) -> float | None:
    """Children in care at `day` per 10,000 children (the service only). Two queries."""
    if pod is not None:
        return None
    return rate(children_in_care(day), population_for(day, populations()))


# --- Over a period ------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """How many of how many: `part` of `whole`, with the share as a percentage."""

    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return None if not self.whole else round(100 * self.part / self.whole, 1)


# Each period measure for many periods in one query: `periods` are (first, last) pairs, both
# days included, joined to the records by a VALUES list.
# Each starts with the periods, (first, last) pairs from two arrays of dates.

_REFERRALS = """
WITH periods(first, last) AS (SELECT * FROM unnest(%(firsts)s::date[], %(lasts)s::date[]))
SELECT p.first, p.last, count(r.id),
       count(r.id) FILTER (WHERE EXISTS (
           SELECT 1 FROM families_cinepisode e
           WHERE e.child_id = r.child_id AND e.id <> r.id
             AND e.start < r.start AND e.start >= (r.start - interval '1 year')::date
       ))
FROM periods p
LEFT JOIN families_cinepisode r ON r.start >= p.first AND r.start <= p.last
GROUP BY p.first, p.last
"""

_SECOND_PLANS = """
WITH periods(first, last) AS (SELECT * FROM unnest(%(firsts)s::date[], %(lasts)s::date[]))
SELECT p.first, p.last, count(c.id),
       count(c.id) FILTER (WHERE EXISTS (
           SELECT 1 FROM families_cpplan e WHERE e.child_id = c.child_id AND e.start < c.start
       ))
FROM periods p
LEFT JOIN families_cpplan c ON c.start >= p.first AND c.start <= p.last
GROUP BY p.first, p.last
"""

_LONG_PLANS = """
WITH periods(first, last) AS (SELECT * FROM unnest(%(firsts)s::date[], %(lasts)s::date[]))
SELECT p.first, p.last, count(c.id),
       count(c.id) FILTER (WHERE c."end" >= (c.start + interval '2 years')::date)
FROM periods p
LEFT JOIN families_cpplan c ON c."end" >= p.first AND c."end" <= p.last
GROUP BY p.first, p.last
"""

_APPLICATIONS = """
WITH periods(first, last) AS (SELECT * FROM unnest(%(firsts)s::date[], %(lasts)s::date[]))
SELECT p.first, p.last, count(c.id), count(c.id)
FROM periods p
LEFT JOIN families_careproceedings c
  ON c.application_date >= p.first AND c.application_date <= p.last
GROUP BY p.first, p.last
"""


def _parts(sql: str, periods: Sequence[tuple[date, date]]) -> dict[tuple[date, date], Part]:
    if not periods:
        return {}
    params = {"firsts": [p[0] for p in periods], "lasts": [p[1] for p in periods]}
    return {(first, last): Part(part, whole) for first, last, whole, part in _rows(sql, params)}


def referrals_in(periods: Sequence[tuple[date, date]]) -> dict[tuple[date, date], Part]:
    """For each period: the referrals in it (`whole`) and how many were re-referrals within
    12 months of an earlier referral of the same child (`part`). One query."""
    return _parts(_REFERRALS, periods)


def second_plans_in(periods: Sequence[tuple[date, date]]) -> dict[tuple[date, date], Part]:
    """For each period: CP plans starting in it, and how many were the child's second or
    subsequent plan. One query."""
    return _parts(_SECOND_PLANS, periods)


def long_plans_in(periods: Sequence[tuple[date, date]]) -> dict[tuple[date, date], Part]:
    """For each period: CP plans ending in it, and how many had lasted 2 years or more."""
    return _parts(_LONG_PLANS, periods)


def applications_in(periods: Sequence[tuple[date, date]]) -> dict[tuple[date, date], int]:
    """For each period: the section 31 applications made in it. One query."""
    return {key: part.whole for key, part in _parts(_APPLICATIONS, periods).items()}


def _year_to(days: Iterable[date]) -> dict[date, tuple[date, date]]:
    return {day: twelve_months_to(day) for day in _days(days)}


def referrals_on(days: Iterable[date]) -> ByDayAndPod:
    """Referrals in the 12 months to each day (the service): one query."""
    years = _year_to(days)
    found = referrals_in(list(years.values()))
    return {(day, None): found[period].whole for day, period in years.items()}


def rereferrals_on(days: Iterable[date]) -> ByDayAndPod:
    """The percentage of the referrals in the 12 months to each day that were re-referrals
    within 12 months (the service): one query."""
    years = _year_to(days)
    found = referrals_in(list(years.values()))
    return {(day, None): found[period].percent for day, period in years.items()}


def second_plans_on(days: Iterable[date]) -> ByDayAndPod:
    """The percentage of CP plans starting in the 12 months to each day that were second or
    subsequent plans: one query."""
    years = _year_to(days)
    found = second_plans_in(list(years.values()))
    return {(day, None): found[period].percent for day, period in years.items()}


def long_plans_on(days: Iterable[date]) -> ByDayAndPod:
    """The percentage of CP plans ending in the 12 months to each day that had lasted 2 years
    or more: one query."""
    years = _year_to(days)
    found = long_plans_in(list(years.values()))
    return {(day, None): found[period].percent for day, period in years.items()}


def applications_a_quarter_on(days: Iterable[date]) -> ByDayAndPod:
    """Care applications a quarter, averaged over the 12 months to each day: one query."""
    years = _year_to(days)
    found = applications_in(list(years.values()))
    return {(day, None): found[period] / 4 for day, period in years.items()}


def referrals(day: date, *, pod: int | None = None) -> int | None:
    """Referrals in the 12 months to `day` (the service only)."""
    return None if pod is not None else referrals_in([twelve_months_to(day)]).popitem()[1].whole


def rereferral_rate(day: date, *, pod: int | None = None) -> float | None:
    """The percentage of referrals in the 12 months to `day` that were re-referrals within 12
    months; None when there were none, or for a pod."""
    if pod is not None:
        return None
    return referrals_in([twelve_months_to(day)]).popitem()[1].percent


def second_plan_rate(day: date, *, pod: int | None = None) -> float | None:
    """The percentage of CP plans starting in the 12 months to `day` that were the child's
    second or subsequent plan; None when none started, or for a pod."""
    if pod is not None:
        return None
    return second_plans_in([twelve_months_to(day)]).popitem()[1].percent


def long_plan_rate(day: date, *, pod: int | None = None) -> float | None:
    """The percentage of CP plans ending in the 12 months to `day` that had lasted 2 years or
    more; None when none ended, or for a pod."""
    if pod is not None:
        return None
    return long_plans_in([twelve_months_to(day)]).popitem()[1].percent


def care_applications_a_quarter(day: date, *, pod: int | None = None) -> float | None:
    """Care applications a quarter, averaged over the 12 months to `day` (the service)."""
    if pod is not None:
        return None
    return applications_in([twelve_months_to(day)]).popitem()[1] / 4


# --- Care applications by financial year ---------------------------------------------------


def care_applications_by_quarter(year: int) -> list[int]:
    """Section 31 applications in each quarter of the financial year starting 1 April `year`,
    each application counted once however many children it covers."""
    start, end = financial_year_start(year), financial_year_start(year + 1)
    rows = (
        CareProceedings.objects.filter(application_date__gte=start, application_date__lt=end)
        .annotate(y=ExtractYear("application_date"), m=ExtractMonth("application_date"))
        .values("y", "m")
        .annotate(n=Count("id"))
    )
    quarters = [0, 0, 0, 0]
    for row in rows:
        quarters[financial_quarter(row["m"]) - 1] += row["n"]
    return quarters


def average_care_applications_a_quarter(year: int) -> float:
    return sum(care_applications_by_quarter(year)) / 4
