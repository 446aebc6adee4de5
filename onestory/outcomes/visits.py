"""Visits within standard: of the children who have a visiting standard at a date, the share
whose next visit is not overdue that day.

The standards and each child's status are those of `onestory/stories/visiting.py`
(docs/domain.md, "Visiting and review standards"): the most intensive status open at d (in
care, then CP plan, then child in need; short breaks have no standard), with the start of that
status; the last visit is the latest visit or direct work entry in which the child was seen,
on or before d (drafts count: the visit happened). Only visits within `window()` days before d
are read: an older last visit leaves the child overdue whatever its date, exactly as no visit
does. A child is **within standard** at d when the next visit `next_visit` gives is due on or
after d, as the What's due page would not show it overdue.

Per pod: the pod of the child's allocation open at d. One query for any number of days, then
the due dates in Python with the council's configured standards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from onestory.outcomes.measures import ByDayAndPod, Part, _days, _rows
from onestory.stories.models import SEEING_KINDS
from onestory.stories.visiting import SHORT_BREAKS, ChildStatus, next_visit, standard

_KINDS = {3: "care", 2: "cp", 1: "cin"}

_STATUSES = """
WITH days AS (SELECT DISTINCT unnest(%(days)s::date[]) AS d),
open AS (
    SELECT days.d, e.child_id, 3 AS rank, max(e.start) AS since
    FROM days JOIN families_careepisode e
      ON e.start <= days.d AND (e."end" IS NULL OR e."end" > days.d)
     AND NOT (e.legal_status = ANY(%(short_breaks)s))
    GROUP BY days.d, e.child_id
    UNION ALL
    SELECT days.d, p.child_id, 2, max(p.start)
    FROM days JOIN families_cpplan p
      ON p.start <= days.d AND (p."end" IS NULL OR p."end" > days.d)
    GROUP BY days.d, p.child_id
    UNION ALL
    SELECT days.d, c.child_id, 1, max(c.start)
    FROM days JOIN families_cinepisode c
      ON c.start <= days.d AND (c."end" IS NULL OR c."end" > days.d)
    GROUP BY days.d, c.child_id
),
best AS (
    SELECT DISTINCT ON (d, child_id) d, child_id, rank, since
    FROM open ORDER BY d, child_id, rank DESC
),
recent AS (
    -- The latest visit in the window before each day, for each child seen: through the index
    -- on occurred_at, so the cost follows the window, not the whole story.
    SELECT days.d, s.person_id AS child_id,
           max((e.occurred_at AT TIME ZONE %(zone)s)::date) AS day
    FROM days
    JOIN stories_entry e
      ON e.occurred_at >= ((days.d - %(window)s::int)::timestamp AT TIME ZONE %(zone)s)
     AND e.occurred_at < ((days.d + 1)::timestamp AT TIME ZONE %(zone)s)
     AND e.kind = ANY(%(kinds)s)
     AND e.occurred_at >= %(first)s AND e.occurred_at < %(last)s
    JOIN stories_entry_seen s ON s.entry_id = e.id
    GROUP BY days.d, s.person_id
)
SELECT b.d, b.rank, b.since, r.day, a.pod_id
FROM best b
LEFT JOIN recent r ON r.d = b.d AND r.child_id = b.child_id
LEFT JOIN families_allocation a
  ON a.child_id = b.child_id AND a.start <= b.d AND (a."end" IS NULL OR a."end" > b.d)
"""


def window() -> int:
    """How far back a visit can matter, in days: a child whose last visit is older than the
    longest interval between visits is overdue whatever its date, so only visits in this
    window are read. Working days are at most twice as long in calendar days (Christmas and a
    weekend), plus a week."""
    return max(
        standard("care_first_visit_days"),
        standard("care_first_year_every_days"),
        standard("care_after_first_year_every_days"),
        2 * standard("cp_every_working_days") + 7,
        2 * standard("cin_every_working_days") + 7,
    )


def _bounds(days: list[date]) -> tuple[datetime, datetime]:
    """The visits one day's window can read, as constants: the planner cannot see the window
    through the join with the days, guesses a third of the story table, and reads every entry
    seen (at the `large` scale 1.3 s for a date; 0.4 s with the window given). For many days
    the bounds are left wide open, which keeps the plan that suits them (4.7 s for twelve
    months against 6.1 s with their whole span given)."""
    if len(days) != 1:
        return datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
    start = timezone.make_aware(datetime.combine(days[0] - timedelta(days=window()), time.min))
    return start, timezone.make_aware(datetime.combine(days[0] + timedelta(days=1), time.min))


def visits_within_standard(days: Iterable[date]) -> dict[tuple[date, int | None], Part]:
    """For each day, for the service (pod None) and each pod: the children with a visiting
    standard (`whole`) and how many were within it (`part`). One query."""
    from django.conf import settings

    days = _days(days)
    counts: dict[tuple[date, int | None], list[int]] = defaultdict(lambda: [0, 0])
    for day in days:
        counts[(day, None)]  # every day has a service figure, even with nobody to visit
    if not days:
        return {}
    first, last = _bounds(days)
    params = {
        "first": first,
        "last": last,
        "window": window(),
        "days": days,
        "short_breaks": list(SHORT_BREAKS),
        "kinds": sorted(SEEING_KINDS),
        "zone": settings.TIME_ZONE,
    }
    for day, rank, since, last, pod_id in _rows(_STATUSES, params):
        due = next_visit(ChildStatus("", _KINDS[rank], since), last)
        if due is None:
            continue
        within = due[0] >= day
        for key in ((day, None), (day, pod_id)) if pod_id is not None else ((day, None),):
            counts[key][0] += within
            counts[key][1] += 1
    return {key: Part(part, whole) for key, (part, whole) in counts.items()}


def visits_within_standard_on(days: Iterable[date]) -> ByDayAndPod:
    """The percentage within standard, for the service and each pod: one query."""
    return {key: part.percent for key, part in visits_within_standard(days).items()}


def visits_within_standard_rate(day: date, *, pod: int | None = None) -> float | None:
    """The percentage of children with a visiting standard at `day` (in the pod, if given)
    whose next visit was not overdue that day; None when no child had a standard."""
    found = visits_within_standard([day]).get((day, pod))
    return None if found is None else found.percent
