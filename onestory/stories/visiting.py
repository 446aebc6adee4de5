"""Visiting standards, each child's status and what is due next.

The defaults are those of docs/domain.md ("Visiting and review standards"): a child in care is
visited within a week of placement, then at least every 6 weeks in the first year (and every 3
months after, a common local policy); a child on a child protection plan every 10 working days;
a child in need every 20 working days. Reviews: a child in care's within 20 working days, then
after 3 months, then every 6 months; a child protection plan's first review conference within 3
months of the initial conference (the plan's start), then at intervals of not more than 6
months (Working Together 2023). A council changes
them in settings (`ONESTORY_VISITING`), not in code.

Everything here works on a set of children in a fixed number of queries, so the family page,
the worker's list and the pod's list cost the same however many children they show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Value
from django.utils import timezone

from onestory.families.models import CareEpisode, CINEpisode, CPPlan, CPReview, Person, Review
from onestory.lib.working_days import add_working_days
from onestory.stories.models import SEEING_KINDS

DEFAULTS: dict[str, int] = {
    "care_first_visit_days": 7,
    "care_first_year_every_days": 42,
    "care_after_first_year_every_days": 91,
    "cp_every_working_days": 10,
    "cin_every_working_days": 20,
    # Children in care reviews: within 20 working days, then 3 months, then every 6 months.
    "care_first_review_working_days": 20,
    "care_second_review_days": 91,
    "care_later_reviews_days": 182,
    # Child protection review conferences: within 3 months of the plan, then every 6 months.
    "cp_first_review_days": 91,
    "cp_later_reviews_days": 182,
}
# Short breaks (V3, V4) are not "in care" for the measures, and have no visiting standard here.
SHORT_BREAKS = ("V3", "V4")


def standard(name: str) -> int:
    configured: dict[str, Any] = getattr(settings, "ONESTORY_VISITING", {})
    return int(configured.get(name, DEFAULTS[name]))


@dataclass(frozen=True)
class ChildStatus:
    label: str  # "Child in need", "Child protection plan (Neglect)", "In care (Full care order)"
    kind: str  # "care", "cp", "cin" or ""
    since: date | None


@dataclass(frozen=True)
class Due:
    child: Person
    what: str  # "Visit" or "Review"
    due: date
    reason: str
    # The day the list was worked out for: overdue means overdue then, not today.
    on: date | None = None

    @property
    def overdue(self) -> bool:
        return self.due < (self.on or timezone.localdate())


def statuses(children: Iterable[Person], day: date) -> dict[int, ChildStatus]:
    """Each child's current status at `day`: in care beats a CP plan beats child in need.
    One query for any number of children."""
    ids = [c.pk for c in children]
    cin = (
        CINEpisode.objects.open_on(day)
        .filter(child__any_of=ids)
        .values_list("child", "start", Value("cin"), Value(""), Value(""))
    )
    cp = (
        CPPlan.objects.open_on(day)
        .filter(child__any_of=ids)
        .values_list("child", "start", Value("cp"), "latest_category", Value(""))
    )
    care = (
        CareEpisode.objects.open_on(day)
        .filter(child__any_of=ids)
        .exclude(legal_status__in=SHORT_BREAKS)
        .values_list("child", "start", Value("care"), Value(""), "legal_status")
    )
    rank = {"cin": 0, "cp": 1, "care": 2}
    rows = sorted(
        cin.order_by().union(cp.order_by(), care.order_by(), all=True),
        key=lambda row: (rank[row[2]], row[1]),
    )
    categories = dict(CPPlan._meta.get_field("latest_category").flatchoices)
    legal = dict(CareEpisode._meta.get_field("legal_status").flatchoices)
    found: dict[int, ChildStatus] = {}
    for child_id, start, kind, category, legal_status in rows:
        if kind == "cin":
            found[child_id] = ChildStatus("Child in need", "cin", start)
        elif kind == "cp":
            label = categories.get(category, category)
            found[child_id] = ChildStatus(f"Child protection plan ({label})", "cp", start)
        else:
            label = legal.get(legal_status, legal_status)
            found[child_id] = ChildStatus(f"In care ({label})", "care", start)
    return found


# Each child's last visit: for each family the child has been in, the family's visits newest
# first (the story's own index) until one saw the child. A visit is written on a family's
# story and who was seen is one of that family's people (stories/forms.py offers no one else),
# so this finds the same visit as reading every entry the child was seen in, without doing
# so: at the `large` scale a pod's 121 children took 100 to 170 ms that way, 5 to 11 ms this
# one. The ARRAY keeps the test of who was seen per entry, so the walk stops at the first
# match instead of joining every entry the child was ever seen in.
_LAST_SEEN = """
SELECT m.person_id, max(last.occurred_at)
FROM families_familymember m
CROSS JOIN LATERAL (
    SELECT e.occurred_at FROM stories_entry e
    WHERE e.family_id = m.family_id AND e.kind = ANY(%s) AND e.occurred_at < %s
      AND m.person_id = ANY(ARRAY(SELECT s.person_id FROM stories_entry_seen s
                                  WHERE s.entry_id = e.id))
    ORDER BY e.occurred_at DESC, e.id DESC
    LIMIT 1
) last
WHERE m.person_id = ANY(%s)
GROUP BY m.person_id
"""


def last_visits(children: Iterable[Person], day: date) -> dict[int, datetime]:
    """When each child was last seen on a visit or in direct work, on or before `day` (drafts
    count: the visit happened whether or not its write-up is finished). A visit after `day`
    did not happen yet on that day, so checking a past date leaves it out. One query."""
    ids = [c.pk for c in children]
    if not ids:
        return {}
    before = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    with connection.cursor() as cursor:
        cursor.execute(_LAST_SEEN, [sorted(SEEING_KINDS), before, ids])
        return dict(cursor.fetchall())


def next_visit(status: ChildStatus, last: date | None) -> tuple[date, str] | None:
    if status.since is None or not status.kind:
        return None
    if status.kind == "care":
        if last is None or last < status.since:
            return status.since + timedelta(standard("care_first_visit_days")), (
                "First visit after coming into care"
            )
        first_year = last < status.since + timedelta(days=365)
        every = standard(
            "care_first_year_every_days" if first_year else "care_after_first_year_every_days"
        )
        return last + timedelta(days=every), f"In care: visit every {every // 7} weeks"
    working = standard("cp_every_working_days" if status.kind == "cp" else "cin_every_working_days")
    start = last if last is not None and last >= status.since else status.since
    what = "Child protection plan" if status.kind == "cp" else "Child in need"
    return add_working_days(start, working), f"{what}: visit every {working} working days"


def next_review(status: ChildStatus, reviews: list[date]) -> tuple[date, str] | None:
    """The next statutory review: `reviews` are the child's child in care reviews when in
    care, or the review conferences of their current plan when on a child protection plan."""
    if status.since is None:
        return None
    since = [r for r in reviews if r >= status.since]
    if status.kind == "care":
        if not since:
            first = add_working_days(status.since, standard("care_first_review_working_days"))
            return first, "Child in care review"
        gap = "care_second_review_days" if len(since) == 1 else "care_later_reviews_days"
        return max(since) + timedelta(days=standard(gap)), "Child in care review"
    if status.kind == "cp":
        if not since:
            first = status.since + timedelta(days=standard("cp_first_review_days"))
            return first, "Child protection review"
        later = max(since) + timedelta(days=standard("cp_later_reviews_days"))
        return later, "Child protection review"
    return None


def reviews_of(children: Iterable[Person], day: date) -> dict[tuple[int, str], list[date]]:
    """Each child's review dates by the status they belong to: their child in care reviews
    ("care"), and the review conferences of the CP plan open at `day` ("cp"). One query."""
    ids = [c.pk for c in children]
    # Only reviews held by `day`: one held later had not happened on the day being checked.
    care = Review.objects.filter(child__any_of=ids, date__lte=day).values_list(
        "child", "date", Value("care")
    )
    plans = CPPlan.objects.open_on(day).filter(child__any_of=ids)
    cp = CPReview.objects.filter(plan__in=plans, date__lte=day).values_list(
        "plan__child", "date", Value("cp")
    )
    found: dict[tuple[int, str], list[date]] = {}
    for child_id, reviewed, kind in care.order_by().union(cp.order_by(), all=True):
        found.setdefault((child_id, kind), []).append(reviewed)
    return found


def due_for(
    children: Iterable[Person],
    day: date | None = None,
    *,
    status: dict[int, ChildStatus] | None = None,
) -> list[Due]:
    """What is due for these children, overdue and soonest first: five queries, or two when
    their statuses are already known."""
    day = day or timezone.localdate()
    children = list(children)
    if status is None:
        status = statuses(children, day)
    visits = last_visits(children, day)
    reviews = reviews_of(children, day)
    found = []
    for child in children:
        now = status.get(child.pk)
        if now is None:
            continue
        last = visits.get(child.pk)
        visit = next_visit(now, timezone.localdate(last) if last else None)
        if visit is not None:
            found.append(Due(child, "Visit", visit[0], visit[1], day))
        review = next_review(now, reviews.get((child.pk, now.kind), []))
        if review is not None:
            found.append(Due(child, "Review", review[0], review[1], day))
    return sorted(found, key=lambda d: (d.due, d.child.last_name, d.child.first_name, d.what))
