"""Supervision measures, for the service and per pod, at any date and by month (issue 12).

There is no national return for supervision; these follow the issue and the national employer
standard for social workers (Local Government Association, "Standards for employers of social
workers in England", standard 5: at least 90 minutes of regular, uninterrupted supervision a
month). At a date d:

- **Workers**: members of a pod on d (a membership open on d, docs/domain.md "Counting at a
  date") in a social-work post: pod manager, senior social worker, social worker, social worker
  in training. Business support officers are not counted. For a pod, its members.
- **Supervised in the last 4 weeks**: workers with a 1:1 session held in the 28 days to d,
  from d - 27 to d inclusive. As a percentage of workers.
- **Supervision minutes a month per worker**: the 1:1 minutes held by the workers in the month
  to d (from the day after the same date a month earlier, to d), divided by the workers.
- **Families discussed in the last 6 weeks**: open families on d (opened on or before d, not
  closed on or before d) with a casework record, 1:1 or group, in the 42 days to d, as a
  percentage of open families. For a pod, the families it holds today.
- **RPG attendance**: workers who went to a Reflective Practice Group in the month to d, as a
  percentage of workers.
- **Safe and stable ratings**: every child rating made in casework records in the 42 days to
  d, counted by point on the scale (`ratings`); the headline is the percentage rated "Safe and
  stable", the top of the scale.

Each headline is one query, whatever the number of rows (pinned in the tests), and answers
None when there is nothing to count. Percentages are rounded to one decimal place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.db.models import Count

from onestory.lib.dates import month_end, month_starts
from onestory.outcomes.measures import ByDayAndPod
from onestory.outcomes.sql import Counted, events_in, over_workers, rows
from onestory.pods.models import PodRole
from onestory.supervision.due import month_before
from onestory.supervision.models import ChildRating, Rating

WORKER_POSTS = (
    PodRole.POD_MANAGER,
    PodRole.SENIOR_SOCIAL_WORKER,
    PodRole.SOCIAL_WORKER,
    PodRole.SOCIAL_WORKER_IN_TRAINING,
)
FOUR_WEEKS = 28
SIX_WEEKS = 42

Measure = Callable[..., float | int | None]


def _share(part: int, whole: int) -> float | None:
    return None if not whole else round(100 * part / whole, 1)


# Each headline is asked for many days at once (`*_on`, for the snapshots) and for one day
# (the dashboard contract) through the same query (outcomes/sql.py).
_HELD = """
    SELECT {what} FROM supervision_session h
    JOIN supervision_arrangement a ON a.id = h.arrangement_id
    WHERE a.supervisee_id = m.staff_id AND h.held_on BETWEEN w.since AND w.day
"""
_SUPERVISED = "EXISTS (" + _HELD.format(what="1") + ")"
_MINUTES = "COALESCE((" + _HELD.format(what="sum(h.minutes)") + "), 0)"
_WENT_TO_RPG = """
    EXISTS (
        SELECT 1 FROM supervision_reflectivegroup_attendees t
        JOIN supervision_reflectivegroup g ON g.id = t.reflectivegroup_id
        WHERE t.user_id = s.user_id AND g.held_on BETWEEN w.since AND w.day
    )
"""


def _workers_with(per_worker: str, windows: list[tuple[date, date]]) -> Counted:
    return over_workers(per_worker, windows, [str(p) for p in WORKER_POSTS])


def supervised_on(days: Iterable[date]) -> ByDayAndPod:
    """`supervised_share` on each day, for the service and each pod: one query."""
    windows = [(day - timedelta(days=FOUR_WEEKS - 1), day) for day in days]
    found = _workers_with(_SUPERVISED, windows)
    return {key: _share(hits, n) for key, (n, hits) in found.items()}


def supervised_share(day: date, *, pod: int | None = None) -> float | None:
    """% of workers with a 1:1 held in the 28 days to `day`."""
    return supervised_on([day]).get((day, pod))


def minutes_on(days: Iterable[date]) -> ByDayAndPod:
    """`minutes_per_worker` on each day, for the service and each pod: one query."""
    found = _workers_with(_MINUTES, [(month_before(day), day) for day in days])
    return {key: round(minutes / n, 1) for key, (n, minutes) in found.items() if n}


def minutes_per_worker(day: date, *, pod: int | None = None) -> float | None:
    """1:1 minutes held by the workers in the month to `day`, per worker."""
    return minutes_on([day]).get((day, pod))


_FAMILIES_DISCUSSED = """
WITH w(day) AS (SELECT unnest(%(days)s::date[]))
SELECT w.day, f.pod_id, GROUPING(f.pod_id) AS total, count(*),
       count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM supervision_caseworkrecord r
           WHERE r.family_id = f.id AND r.discussed_on > w.day - %(six_weeks)s
             AND r.discussed_on <= w.day
       ))
FROM w JOIN families_family f ON f.opened <= w.day AND (f.closed IS NULL OR f.closed > w.day)
GROUP BY GROUPING SETS ((w.day, f.pod_id), (w.day))
"""


def families_discussed_on(days: Iterable[date]) -> ByDayAndPod:
    """`families_discussed_share` on each day, for the service and each pod: one query."""
    params = {"days": sorted(set(days)), "six_weeks": SIX_WEEKS}
    found: ByDayAndPod = {}
    for day, pod_id, total, n, discussed in rows(_FAMILIES_DISCUSSED, params):
        if total or pod_id is not None:
            found[(day, None if total else pod_id)] = _share(discussed, n)
    return found


def families_discussed_share(day: date, *, pod: int | None = None) -> float | None:
    """% of open families with a casework record in the 42 days to `day`."""
    return families_discussed_on([day]).get((day, pod))


def rpg_on(days: Iterable[date]) -> ByDayAndPod:
    """`rpg_attendance` on each day, for the service and each pod: one query."""
    found = _workers_with(_WENT_TO_RPG, [(month_before(day), day) for day in days])
    return {key: _share(went, n) for key, (n, went) in found.items()}


def rpg_attendance(day: date, *, pod: int | None = None) -> float | None:
    """% of workers who went to a Reflective Practice Group in the month to `day`."""
    return rpg_on([day]).get((day, pod))


def ratings(day: date, *, pod: int | None = None) -> dict[int, int]:
    """Child ratings made in the 42 days to `day`, by point on the scale (every point, worst
    first, zeros included)."""
    found = ChildRating.objects.filter(
        record__discussed_on__gt=day - timedelta(days=SIX_WEEKS), record__discussed_on__lte=day
    )
    if pod is not None:
        found = found.filter(record__family__pod=pod)
    counted = dict(found.values_list("rating").annotate(n=Count("pk")).values_list("rating", "n"))
    return {point: counted.get(point, 0) for point in Rating.values}


_RATINGS = """
    SELECT r.discussed_on, f.pod_id, c.rating = %(safe)s
    FROM supervision_childrating c
    JOIN supervision_caseworkrecord r ON r.id = c.record_id
    JOIN families_family f ON f.id = r.family_id
"""


def safe_and_stable_on(days: Iterable[date]) -> ByDayAndPod:
    """`safe_and_stable_share` on each day, for the service and each pod: one query."""
    windows = [(day - timedelta(days=SIX_WEEKS - 1), day) for day in days]
    found = events_in(_RATINGS, windows, {"safe": int(Rating.SAFE_AND_STABLE)})
    return {key: _share(hits, n) for key, (n, hits) in found.items()}


def safe_and_stable_share(day: date, *, pod: int | None = None) -> float | None:
    """% of child ratings in the 42 days to `day` that are "Safe and stable"."""
    return safe_and_stable_on([day]).get((day, pod))


HEADLINES: dict[str, Measure] = {
    "Workers supervised in the last 4 weeks (%)": supervised_share,
    "Supervision minutes a month per worker": minutes_per_worker,
    "Open families discussed in the last 6 weeks (%)": families_discussed_share,
    "Workers at a Reflective Practice Group in the last month (%)": rpg_attendance,
    "Children rated safe and stable (%)": safe_and_stable_share,
}


def monthly_trend(
    measure: Measure, first: date, last: date, *, pod: int | None = None
) -> list[tuple[date, float | int | None]]:
    """The measure at the end of each month from `first`'s month to `last`'s (at `last`
    itself for its month, if it is not the month's end): the measure's queries once a month."""
    days = [min(month_end(start), last) for start in month_starts(first, last)]
    return [(day, measure(day, pod=pod)) for day in days]
