"""What is due and overdue against the standards, for a person, a supervisor and a pod.

A 1:1 is due a standard interval after the last one held (at the start of the supervision if
none has been held): weekly in the first weeks of a newly qualified worker's year (ASYE),
fortnightly to six months, then as the standards say (monthly by default). A session already
booked is due on its date. Every open family is due to be discussed a standard number of days
(42) after it was last discussed, or after it opened. These are the What's due sources
(`onestory.lib.due`), each in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet, Sum

from onestory.accounts.models import User
from onestory.families.access import Action as FamilyAction
from onestory.families.access import families_for
from onestory.families.models import Allocation, Family
from onestory.lib.dates import long_date
from onestory.lib.due import Task
from onestory.lib.urls import link
from onestory.pods.models import Pod, PodMembership
from onestory.supervision.models import Action, Arrangement, Standards

SOURCE = "Supervision"
# What's due shows what falls due within this many days, and everything overdue.
HORIZON_DAYS = 14


def interval_days(arrangement: Arrangement, on: date, standards: Standards) -> int:
    """Days to the next 1:1 after one held on `on`."""
    start = arrangement.asye_start
    if start is not None and on >= start:
        if on < start + timedelta(weeks=standards.asye_weekly_weeks):
            return 7
        months = standards.asye_fortnightly_months
        if on < _add_months(start, months):
            return 14
    return standards.one_to_one_days


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    last = [31, 29 if (day.year + year) % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return date(day.year + year, month + 1, min(day.day, last[month]))


def month_before(day: date) -> date:
    """The first day of the month to `day`: 3 April for 2 May."""
    return _add_months(day, -1) + timedelta(days=1)


@dataclass(frozen=True)
class Supervision:
    """One arrangement's standing at a date."""

    arrangement: Arrangement
    last_held: date | None
    booked: date | None
    booked_id: int | None
    minutes_last_month: int
    due: date

    def overdue_on(self, day: date) -> bool:
        return self.due < day


def with_dates(arrangements: QuerySet[Arrangement], day: date) -> QuerySet[Arrangement]:
    """The arrangements open on `day`, with their last session, next booking and minutes in
    the month to `day`, in one query."""
    held = Q(sessions__held_on__lte=day)
    found: QuerySet[Arrangement] = (
        arrangements.open_on(day)  # type: ignore[attr-defined]
        .select_related("supervisee", "supervisor")
        .annotate(
            last_held=Max("sessions__held_on", filter=held),
            booked=Min("sessions__scheduled_for", filter=Q(sessions__held_on__isnull=True)),
            booked_id=Min("sessions__pk", filter=Q(sessions__held_on__isnull=True)),
            month_minutes=Sum(
                "sessions__minutes", filter=held & Q(sessions__held_on__gte=month_before(day))
            ),
        )
        .order_by("supervisee__first_name", "supervisee__last_name", "pk")
    )
    return found


def standing(
    arrangements: QuerySet[Arrangement], day: date, standards: Standards
) -> list[Supervision]:
    found = []
    for a in with_dates(arrangements, day):
        last = a.last_held  # type: ignore[attr-defined]
        booked = a.booked  # type: ignore[attr-defined]
        if booked is not None:
            due = booked
        else:
            since = last or a.start
            due = since + timedelta(days=interval_days(a, since, standards))
        found.append(
            Supervision(
                arrangement=a,
                last_held=last,
                booked=booked,
                booked_id=a.booked_id,  # type: ignore[attr-defined]
                minutes_last_month=a.month_minutes or 0,  # type: ignore[attr-defined]
                due=due,
            )
        )
    return found


def _session_task(s: Supervision, *, for_supervisor: bool) -> Task:
    other = s.arrangement.supervisee if for_supervisor else s.arrangement.supervisor
    if s.booked_id is not None:
        href = link("supervision:session", [s.booked_id])
        what = "Record 1:1 supervision" if for_supervisor else "1:1 supervision booked"
    else:
        href = link("supervision:schedule", [s.arrangement.pk])
        what = "Book 1:1 supervision" if for_supervisor else "1:1 supervision due"
    return Task(what=what, due=s.due, href=href, about=f"With {other}", source=SOURCE)


def soon(task_due: date, day: date) -> bool:
    return task_due <= day + timedelta(days=HORIZON_DAYS)


def overdue_discussions(
    families: QuerySet[Family], day: date, standards: Standards
) -> QuerySet[Family]:
    """The open families among these not discussed within the standard by `day`, with the day
    they were last discussed. Worked out in the query, so a pod's hundreds of families that
    are on time are never read."""
    cutoff = day - timedelta(days=standards.family_days)
    return (
        families.filter(Q(closed__isnull=True) | Q(closed__gt=day), opened__lte=day)
        .annotate(last_discussed=Max("supervision__discussed_on"))
        .filter(Q(last_discussed__lt=cutoff) | Q(last_discussed__isnull=True, opened__lt=cutoff))
        .order_by("name", "pk")
    )


def _family_due(family: Family, standards: Standards) -> date:
    since = getattr(family, "last_discussed", None) or family.opened
    return since + timedelta(days=standards.family_days)


def personal_tasks(user: Any, day: date) -> list[Task]:
    """My 1:1s due or overdue (as supervisee and as supervisor), my open actions, and my
    families not discussed in supervision within the standard: four queries and the
    standards."""
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    standards = Standards.current()
    mine = Arrangement.objects.filter(Q(supervisee__user=user) | Q(supervisor=user))
    tasks = [
        _session_task(s, for_supervisor=s.arrangement.supervisor_id == user.pk)
        for s in standing(mine, day, standards)
        if soon(s.due, day)
    ]
    visible = families_for(user, FamilyAction.VIEW).filter(pk=OuterRef("record__family"))
    actions = (
        Action.objects.filter(
            owner=user, done_at__isnull=True, due__lte=day + timedelta(days=HORIZON_DAYS)
        )
        .select_related("record__family")
        .annotate(visible=Exists(visible))
    )
    for action in actions:
        family = action.record.family
        shown = getattr(action, "visible", False)
        about = family.name if shown else "A family you no longer work with"
        tasks.append(
            Task(
                what=f"Supervision action: {action.text[:80]}",
                due=action.due,
                href=link("supervision:casework", [action.record_id]),
                about=about,
                source=SOURCE,
            )
        )
    allocated = Allocation.objects.open_on(day).filter(worker__user=user).values("child")
    holding = (
        families_for(user, FamilyAction.VIEW)
        .filter(members__person__in=allocated, members__role="child")
        .distinct()
    )
    for family in overdue_discussions(
        Family.objects.filter(pk__in=holding.values("pk")), day, standards
    ):
        tasks.append(_discussion_task(family, _family_due(family, standards)))
    return tasks


def _discussion_task(family: Family, due: date) -> Task:
    return Task(
        what="Discuss in supervision",
        due=due,
        href=link("families:detail", [family.uuid]),
        about=family.name,
        source=SOURCE,
    )


def pod_tasks(pod: Any, day: date) -> list[Task]:
    """Supervision due or overdue for the pod's workers, and the pod's open families not
    discussed within the standard: two queries and the standards. The pod's What's due is for
    its members, who may see its families."""
    if not isinstance(pod, Pod):
        return []
    standards = Standards.current()
    members = PodMembership.objects.open_on(day).filter(pod=pod).values("staff")
    tasks = [
        Task(
            what="1:1 supervision overdue" if s.overdue_on(day) else "1:1 supervision due",
            due=s.due,
            href=link("supervision:pod", [pod.pk]),
            about=f"{s.arrangement.supervisee}, with {s.arrangement.supervisor}",
            source=SOURCE,
        )
        for s in standing(Arrangement.objects.filter(supervisee__in=members), day, standards)
        if soon(s.due, day)
    ]
    pod_families = Family.objects.filter(pod=pod, restricted=False)
    for family in overdue_discussions(pod_families, day, standards):
        tasks.append(_discussion_task(family, _family_due(family, standards)))
    return tasks


def when(day: date | None) -> str:
    return long_date(day) if day else "Never"
