"""Continuity and consistency of the relationship between a child and their social worker.

Measures at any date, for the service and per pod, written for the pod pages and the outcomes
dashboard alike. Definitions (docs/domain.md, "Continuity of social worker": a change of worker
is an event with a reason and a date, and the number of changes a child experiences is the
continuity measure):

- **Allocated at d**: a child with an allocation open at d (start <= d < end), counted once.
  The child belongs to the pod of that allocation.
- **Workers in the last 12 months** at d: the distinct workers of the child's allocations open
  on any day from d minus one year to d, in any pod. Cover is not counted: the allocated
  worker stays the child's worker while someone covers.
- **Time with the current worker** at d: from the start of the current allocation, or of the
  unbroken run of allocations to the same worker it continues (one ending the day the next
  begins), to d. The median is over the children allocated at d.
- **A change of worker**: an allocation that follows an earlier allocation of the same child to
  a different worker, unless its SSDA903 reason (SW_REASON) is FCONTA, "first contact or
  re-referral": a new involvement rather than a change. A change **stays within the pod** when
  the new allocation is in the pod of the one before; per pod, changes are counted for the pod
  the child left. Changes are counted over the 12 months to d (start in (d - 1 year, d]).

The statutory form of this measure is the SSDA903 SWEpisodes table, one row per allocation
with its SW_REASON, for children in care.

Each figure is computed in PostgreSQL, so the number of queries does not grow with the number
of children: one query for the children's figures and one for the changes, whatever the
number of dates asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q

from onestory.families.codes import SocialWorkerChangeReason
from onestory.families.models import Allocation, Cover, Person, PodTransfer
from onestory.lib.dates import DAYS_IN_A_MONTH, a_year_before, long_date, month_starts
from onestory.outcomes.sql import rows

# Three or more workers in a year is what the continuity measure counts as many.
MANY_WORKERS = 3


@dataclass(frozen=True)
class Share:
    """A part of a whole, for percentages that say what they are a share of."""

    part: Decimal | int
    whole: Decimal | int

    @property
    def percent(self) -> float | None:
        return None if not self.whole else 100 * float(self.part) / float(self.whole)

    def __str__(self) -> str:
        percent = self.percent
        return "No data" if percent is None else f"{percent:.0f}%"


@dataclass(frozen=True)
class Continuity:
    """The continuity figures for a set of children (a pod, or the service) at a date."""

    day: date
    children: int = 0
    one_worker: int = 0
    three_or_more: int = 0
    median_days: float | None = None
    changes: int = 0
    changes_within_pod: int = 0

    @property
    def one_worker_share(self) -> Share:
        return Share(self.one_worker, self.children)

    @property
    def three_or_more_share(self) -> Share:
        return Share(self.three_or_more, self.children)

    @property
    def within_pod_share(self) -> Share:
        return Share(self.changes_within_pod, self.changes)

    @property
    def median_months(self) -> float | None:
        return None if self.median_days is None else self.median_days / DAYS_IN_A_MONTH


@dataclass(frozen=True)
class ContinuityReport:
    """`total` covers every child asked about (the service, unless `pods` narrowed it)."""

    day: date
    total: Continuity
    pods: dict[int, Continuity] = field(default_factory=dict)

    def pod(self, pod_id: int) -> Continuity:
        return self.pods.get(pod_id, Continuity(day=self.day))


# The children allocated on each day, the start of their run with the current worker, and the
# number of workers they had in the year to that day. Parameters: days, and pods and children
# to narrow it (NULL for all). The children's whole allocation history is numbered into runs
# with one worker (a run breaks where the worker changes or there is a gap), then each day is
# joined to the allocations open in the year to it.
_SEEN = """
WITH days AS (SELECT DISTINCT unnest(%(days)s::date[]) AS d),
kids AS (
    -- One scan of the index over the whole span is much quicker than one per day.
    SELECT DISTINCT a.child_id
    FROM families_allocation a
    WHERE daterange(a.start, a."end", '[)') && daterange(%(first)s, %(last)s, '[]')
      -- Implied by the overlap, but in a form a pod's index on (pod, end) can answer: a pod's
      -- history holds 60 ended allocations for each open one at the `large` scale.
      AND (a."end" IS NULL OR a."end" > %(first)s)
      AND EXISTS (SELECT 1 FROM days WHERE a.start <= d AND (a."end" IS NULL OR a."end" > d))
      AND (%(pods)s::bigint[] IS NULL OR a.pod_id = ANY(%(pods)s::bigint[]))
      AND (%(children)s::bigint[] IS NULL OR a.child_id = ANY(%(children)s::bigint[]))
),
marked AS (
    SELECT a.id, a.child_id, a.pod_id, a.worker_id, a.start, a."end",
           CASE WHEN lag(a.worker_id) OVER w = a.worker_id AND lag(a."end") OVER w = a.start
                THEN 0 ELSE 1 END AS new_run
    FROM families_allocation a
    WHERE a.child_id IN (SELECT child_id FROM kids)
    WINDOW w AS (PARTITION BY a.child_id ORDER BY a.start)
),
numbered AS (
    SELECT *, sum(new_run) OVER (PARTITION BY child_id ORDER BY start) AS run FROM marked
),
history AS (
    SELECT *, min(start) OVER (PARTITION BY child_id, run) AS since FROM numbered
),
year AS (
    SELECT days.d, h.child_id,
           max(h.id) FILTER (WHERE h."end" IS NULL OR h."end" > days.d) AS id,
           max(h.pod_id) FILTER (WHERE h."end" IS NULL OR h."end" > days.d) AS pod_id,
           max(h.worker_id) FILTER (WHERE h."end" IS NULL OR h."end" > days.d) AS worker_id,
           max(h.since) FILTER (WHERE h."end" IS NULL OR h."end" > days.d) AS since,
           count(DISTINCT h.worker_id) AS workers
    FROM days
    JOIN history h
      ON h.start <= days.d
     AND (h."end" IS NULL OR h."end" > (days.d - interval '1 year')::date)
    GROUP BY days.d, h.child_id
),
seen AS (
    SELECT * FROM year
    WHERE id IS NOT NULL
      AND (%(pods)s::bigint[] IS NULL OR pod_id = ANY(%(pods)s::bigint[]))
      AND (%(children)s::bigint[] IS NULL OR child_id = ANY(%(children)s::bigint[]))
)
"""

_FIGURES = (
    _SEEN
    + """
SELECT d, pod_id, GROUPING(pod_id) AS total,
       count(*) AS children,
       count(*) FILTER (WHERE workers = 1) AS one_worker,
       count(*) FILTER (WHERE workers >= %(many)s) AS three_or_more,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY d - since) AS median_days
FROM seen
GROUP BY GROUPING SETS ((d, pod_id), (d))
"""
)

# Each change of worker once (after `earliest`, up to `latest`), counted into the spans between
# the days asked about and the days a year before them (`bounds`, with `width_bucket`), so that
# the changes in the year to a day are the sum of a few spans. `{allocations}` is where the
# changes are looked for: every allocation, or (with `pods`) the allocations of children who
# were ever in those pods, found from the pods' own rows, with only changes away from them.
_CHANGE_COUNTS = """
SELECT width_bucket(b.start - 1, %(bounds)s::date[]) AS span,
       prev.pod_id AS from_pod,
       count(*) AS changes,
       count(*) FILTER (WHERE b.pod_id = prev.pod_id) AS within_pod
FROM {allocations}
CROSS JOIN LATERAL (
    SELECT p.worker_id, p.pod_id
    FROM families_allocation p
    WHERE p.child_id = b.child_id AND p.start < b.start
    ORDER BY p.start DESC
    LIMIT 1
) prev
WHERE b.start > %(earliest)s AND b.start <= %(latest)s
  AND b.change_reason <> %(first_contact)s
  AND prev.worker_id <> b.worker_id
  {away_from_pods}
GROUP BY span, from_pod
"""
_CHANGES = _CHANGE_COUNTS.format(allocations="families_allocation b", away_from_pods="")
# Two texts rather than one with "pods IS NULL OR ...": written as one, the planner could not
# start from the pods' children and read every allocation of the last two years instead (at
# the `large` scale a pod page's changes took 28 ms that way, 10 ms this way).
_CHANGES_IN_PODS = _CHANGE_COUNTS.format(
    allocations="""(
    SELECT DISTINCT child_id FROM families_allocation
    WHERE pod_id = ANY(%(pods)s::bigint[]) AND start < %(latest)s
) ever_in_pods
JOIN families_allocation b ON b.child_id = ever_in_pods.child_id""",
    away_from_pods="AND prev.pod_id = ANY(%(pods)s::bigint[])",
)


def _rows(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    return rows(sql, params)


def continuity_on(
    days: Sequence[date], *, pods: Iterable[int] | None = None
) -> list[ContinuityReport]:
    """The continuity figures on each of `days`, for the service and per pod (or only for the
    given pods). Two queries, however many days, pods and children."""
    days = sorted(set(days))
    if not days:
        return []
    pod_ids = None if pods is None else list(pods)
    bounds = sorted({*days, *(a_year_before(day) for day in days)})
    params: dict[str, Any] = {
        "days": days,
        "bounds": bounds,
        "first": days[0],
        "last": days[-1],
        "pods": pod_ids,
        "children": None,
        "many": MANY_WORKERS,
        "earliest": a_year_before(days[0]),
        "latest": days[-1],
        "first_contact": SocialWorkerChangeReason.FCONTA.value,
    }
    figures: dict[tuple[date, int | None], dict[str, Any]] = {}
    for day, pod_id, total, children, one, many, median in _rows(_FIGURES, params):
        figures.setdefault((day, None if total else pod_id), {}).update(
            children=children, one_worker=one, three_or_more=many, median_days=median
        )
    # Running totals of (changes, within the pod) over the spans, per pod and for all (None).
    running: dict[int | None, list[tuple[int, int]]] = {}
    counted: dict[tuple[int | None, int], tuple[int, int]] = {}
    changes_sql = _CHANGES if pod_ids is None else _CHANGES_IN_PODS
    for span, pod_id, changes, within in _rows(changes_sql, params):
        for key in ((pod_id, span), (None, span)):
            before = counted.get(key, (0, 0))
            counted[key] = (before[0] + changes, before[1] + within)
    for pod_id in {pod_id for pod_id, _ in counted}:
        total, totals = (0, 0), [(0, 0)]
        for span in range(1, len(bounds) + 1):
            found = counted.get((pod_id, span), (0, 0))
            total = (total[0] + found[0], total[1] + found[1])
            totals.append(total)
        running[pod_id] = totals
    place = {bound: index for index, bound in enumerate(bounds)}
    for day in days:
        # Spans are numbered from 1; span i runs from bounds[i - 1] up to bounds[i].
        lo, hi = place[a_year_before(day)], place[day]
        for pod_id, totals in running.items():
            changes, within = totals[hi][0] - totals[lo][0], totals[hi][1] - totals[lo][1]
            if changes:
                figures.setdefault((day, pod_id), {}).update(
                    changes=changes, changes_within_pod=within
                )
    reports = []
    for day in days:
        per_pod = {
            pod_id: Continuity(day=day, **values)
            for (when, pod_id), values in figures.items()
            if when == day and pod_id is not None
        }
        total = Continuity(day=day, **figures.get((day, None), {}))
        reports.append(ContinuityReport(day=day, total=total, pods=per_pod))
    return reports


def continuity_at(day: date, *, pods: Iterable[int] | None = None) -> ContinuityReport:
    return continuity_on([day], pods=pods)[0]


def continuity_by_month(
    first: date, last: date, *, pods: Iterable[int] | None = None
) -> list[ContinuityReport]:
    """The monthly trend: the figures on the first of each month from `first` to `last`."""
    return continuity_on(month_starts(first, last), pods=pods)


# --- Children ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChildContinuity:
    """A child's current worker on a day, since when, and how many workers in the year."""

    child_id: int
    allocation_id: int
    pod_id: int
    worker_id: int
    worker_first_name: str
    worker_last_name: str
    since: date
    workers: int

    @property
    def worker_name(self) -> str:
        return f"{self.worker_first_name} {self.worker_last_name}"

    @property
    def many_workers(self) -> bool:
        return self.workers >= MANY_WORKERS

    @property
    def since_month(self) -> str:
        """ "Mar 2025": written here rather than by the template's date filter, which cost a
        tenth of the pod page's time over its couple of hundred children. (Python's time
        names are English whatever the server's locale, as Django's are here.)"""
        return f"{self.since:%b %Y}"


def children_continuity(
    day: date, *, children: Iterable[int] | None = None, pods: Iterable[int] | None = None
) -> dict[int, ChildContinuity]:
    """Each allocated child's figures on `day`, by child id: one query for any number."""
    params: dict[str, Any] = {
        "days": [day],
        "first": day,
        "last": day,
        "pods": None if pods is None else list(pods),
        "children": None if children is None else list(children),
    }
    sql = (
        _SEEN
        + """
SELECT seen.child_id, seen.id, seen.pod_id, seen.worker_id, s.first_name, s.last_name,
       seen.since, seen.workers
FROM seen JOIN pods_staff s ON s.id = seen.worker_id
"""
    )
    return {row[0]: ChildContinuity(*row) for row in _rows(sql, params)}


@dataclass(frozen=True)
class Spell:
    """A time with one worker, as the child lived it."""

    worker: str
    pod: str
    start: date
    end: date | None
    reason: str


def workers_in_last_year(child: Person, day: date) -> list[Spell]:
    """The child's allocations open on any day of the year to `day`, oldest first."""
    allocations = (
        Allocation.objects.filter(child=child, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gt=a_year_before(day)))
        .select_related("worker", "pod")
        .order_by("start")
    )
    return [
        Spell(
            worker=str(a.worker),
            pod=a.pod.name,
            start=a.start,
            end=a.end if a.end is None or a.end <= day else None,
            reason=a.get_change_reason_display(),
        )
        for a in allocations
    ]


def worker_since_sentences(
    children: Iterable[Person], day: date, *, whose: str = "your"
) -> dict[int, str]:
    """For each allocated child, by id, who their social worker is and since when, said
    plainly to the family: "Sam has been your social worker since March 2024." When someone
    is covering on `day` it says so too. Two queries for any number of children."""
    found = children_continuity(day, children=[child.pk for child in children])
    if not found:
        return {}
    covers = (
        Cover.objects.open_on(day)
        .filter(
            Q(child__in=list(found))
            | Q(child__isnull=True, absent__in={c.worker_id for c in found.values()})
        )
        .select_related("covering")
        .order_by("child", "start")
    )
    for_child = {c.child_id: c for c in covers if c.child_id is not None}
    for_worker = {c.absent_id: c for c in covers if c.child_id is None}
    sentences = {}
    for child_id, now in found.items():
        sentence = (
            f"{now.worker_first_name} has been {whose} social worker since {now.since:%B %Y}."
        )
        cover = for_child.get(child_id) or for_worker.get(now.worker_id)
        if cover is not None:
            sentence += (
                f" {now.worker_first_name} is away until {long_date(cover.end)},"
                f" and {cover.covering.first_name} is covering."
            )
        sentences[child_id] = sentence
    return sentences


def worker_since_sentence(child: Person, day: date, *, whose: str = "your") -> str | None:
    """ "Sam has been your social worker since March 2024.", or None when the child has no
    allocated worker on `day`. For several children use `worker_since_sentences`."""
    return worker_since_sentences([child], day, whose=whose).get(child.pk)


# --- Transfers between pods ---------------------------------------------------------------


@dataclass(frozen=True)
class Transfers:
    total: int
    into: dict[int, int]
    out_of: dict[int, int]


def pod_transfers(first: date, last: date) -> Transfers:
    """Families transferred between pods with a transfer date from `first` to `last`
    inclusive: rare by design, so each one is counted."""
    rows = list(
        PodTransfer.objects.filter(transferred__gte=first, transferred__lte=last).values_list(
            "from_pod_id", "to_pod_id"
        )
    )
    into: dict[int, int] = {}
    out_of: dict[int, int] = {}
    for from_pod, to_pod in rows:
        out_of[from_pod] = out_of.get(from_pod, 0) + 1
        into[to_pod] = into.get(to_pod, 0) + 1
    return Transfers(total=len(rows), into=into, out_of=out_of)
