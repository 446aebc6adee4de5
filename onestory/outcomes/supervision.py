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

from collections.abc import Callable
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from onestory.families.models import Family
from onestory.lib.dates import month_end, month_starts
from onestory.pods.models import PodMembership, PodRole, Staff
from onestory.supervision.due import month_before
from onestory.supervision.models import ChildRating, Rating, ReflectiveGroup, Session

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


def workers(day: date, pod: int | None = None) -> QuerySet[Staff]:
    """Members of a pod on `day` in a social-work post (of `pod`, when given)."""
    posts = PodMembership.objects.open_on(day).filter(role__in=WORKER_POSTS)
    if pod is not None:
        posts = posts.filter(pod=pod)
    return Staff.objects.filter(pk__in=posts.values("staff"))


def _held_between(first: date, last: date) -> QuerySet[Session]:
    return Session.objects.filter(held_on__gte=first, held_on__lte=last)


def supervised_share(day: date, *, pod: int | None = None) -> float | None:
    """% of workers with a 1:1 held in the 28 days to `day`."""
    held = _held_between(day - timedelta(days=FOUR_WEEKS - 1), day).filter(
        arrangement__supervisee=OuterRef("pk")
    )
    counts = workers(day, pod).aggregate(
        total=Count("pk"), supervised=Count("pk", filter=Q(Exists(held)))
    )
    return _share(counts["supervised"], counts["total"])


def minutes_per_worker(day: date, *, pod: int | None = None) -> float | None:
    """1:1 minutes held by the workers in the month to `day`, per worker."""
    minutes = (
        _held_between(month_before(day), day)
        .filter(arrangement__supervisee=OuterRef("pk"))
        .values("arrangement__supervisee")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    counts = workers(day, pod).aggregate(
        total=Count("pk"), minutes=Coalesce(Sum(Subquery(minutes)), 0)
    )
    if not counts["total"]:
        return None
    return round(int(counts["minutes"]) / int(counts["total"]), 1)


def open_families(day: date, pod: int | None = None) -> QuerySet[Family]:
    families = Family.objects.filter(Q(closed__isnull=True) | Q(closed__gt=day), opened__lte=day)
    return families if pod is None else families.filter(pod=pod)


def families_discussed_share(day: date, *, pod: int | None = None) -> float | None:
    """% of open families with a casework record in the 42 days to `day`."""
    window = Q(
        supervision__discussed_on__gt=day - timedelta(days=SIX_WEEKS),
        supervision__discussed_on__lte=day,
    )
    counts = open_families(day, pod).aggregate(
        total=Count("pk", distinct=True), discussed=Count("pk", filter=window, distinct=True)
    )
    return _share(counts["discussed"], counts["total"])


def rpg_attendance(day: date, *, pod: int | None = None) -> float | None:
    """% of workers who went to a Reflective Practice Group in the month to `day`."""
    went = ReflectiveGroup.attendees.through.objects.filter(
        user=OuterRef("user"),
        reflectivegroup__held_on__gte=month_before(day),
        reflectivegroup__held_on__lte=day,
    )
    counts = workers(day, pod).aggregate(
        total=Count("pk"), went=Count("pk", filter=Q(Exists(went)))
    )
    return _share(counts["went"], counts["total"])


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


def safe_and_stable_share(day: date, *, pod: int | None = None) -> float | None:
    """% of child ratings in the 42 days to `day` that are "Safe and stable"."""
    counts = ratings(day, pod=pod)
    return _share(counts[Rating.SAFE_AND_STABLE], sum(counts.values()))


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
