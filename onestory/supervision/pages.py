"""What the supervision pages show, each in a fixed number of queries whatever the rows.

Families come through the families' chokepoint (`families_for`): a page lists a casework
record, or a family the pod has discussed, only when the reader may see that family. Personal
supervision notes are on no page here: only `access.read_personal_notes` reads them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from onestory.accounts.models import User
from onestory.families.access import Action as FamilyAction
from onestory.families.access import families_for
from onestory.families.models import Allocation, Family, FamilyMember, MemberRole, Person
from onestory.pods.models import Pod, PodMembership
from onestory.supervision import access
from onestory.supervision.due import Supervision, standing
from onestory.supervision.models import (
    Action,
    Arrangement,
    CaseworkRecord,
    GroupSession,
    Session,
    Standards,
)


@dataclass
class MyPage:
    supervised: list[Supervision]  # my own supervision (as supervisee)
    supervising: list[Supervision]  # those I supervise
    upcoming: list[Session]
    history: list[Session]
    actions: list[Action]
    standards: Standards
    pods: list[Pod]  # pods whose group supervision the user may see


def my_page(user: User, day: date) -> MyPage:
    standards = Standards.current()
    mine = Arrangement.objects.filter(Q(supervisee__user=user) | Q(supervisor=user))
    both = standing(mine, day, standards)
    sessions = (
        Session.objects.filter(arrangement__in=mine)
        .select_related("arrangement__supervisee", "arrangement__supervisor")
        .order_by("-scheduled_for", "-pk")
    )
    visible = families_for(user, FamilyAction.VIEW)
    actions = (
        Action.objects.filter(owner=user, done_at__isnull=True, record__family__in=visible)
        .select_related("record__family")
        .order_by("due", "pk")
    )
    return MyPage(
        supervised=[s for s in both if s.arrangement.supervisor_id != user.pk],
        supervising=[s for s in both if s.arrangement.supervisor_id == user.pk],
        upcoming=list(sessions.filter(held_on__isnull=True).order_by("scheduled_for", "pk")),
        history=list(sessions.filter(held_on__isnull=False)[:50]),
        actions=list(actions),
        standards=standards,
        pods=list(access.pods_for(user, access.Action.VIEW_GROUP).order_by("name")),
    )


def casework_for(user: User, **where: Any) -> list[CaseworkRecord]:
    """Casework records matching `where` for families the user may see."""
    return list(
        CaseworkRecord.objects.filter(family__in=families_for(user, FamilyAction.VIEW), **where)
        .select_related("family")
        .order_by("family__name", "pk")
    )


def children_by_family(families: list[Family], day: date) -> dict[int, list[Person]]:
    found: dict[int, list[Person]] = defaultdict(list)
    members = (
        FamilyMember.objects.open_on(day)
        .filter(family__in=families, role=MemberRole.CHILD)
        .select_related("person")
        .order_by("person__date_of_birth", "person__first_name", "pk")
    )
    for member in members:
        found[member.family_id].append(member.person)
    return found


def supervisees_families(
    session: Session, user: User, day: date
) -> list[tuple[Family, list[Person]]]:
    """The families the supervisee holds today that the supervisor may see, with their
    children: the families a 1:1 usually discusses."""
    allocated = Allocation.objects.open_on(day).filter(worker=session.arrangement.supervisee_id)
    families = list(
        families_for(user, FamilyAction.VIEW)
        .filter(
            members__person__in=allocated.values("child"),
            members__role=MemberRole.CHILD,
        )
        .distinct()
        .order_by("name", "pk")
    )
    children = children_by_family(families, day)
    return [(f, children[f.pk]) for f in families]


def pod_families(pod: Pod, user: User, day: date) -> list[tuple[Family, list[Person]]]:
    families = list(
        families_for(user, FamilyAction.VIEW)
        .filter(Q(closed__isnull=True) | Q(closed__gt=day), pod=pod)
        .order_by("name", "pk")
    )
    children = children_by_family(families, day)
    return [(f, children[f.pk]) for f in families]


def people_around(arrangement: Arrangement, day: date) -> QuerySet[User]:
    """Who may be at a 1:1 or own one of its actions: the supervisee, the supervisor and the
    supervisee's pod today."""
    pods = PodMembership.objects.open_on(day).filter(staff=arrangement.supervisee_id).values("pod")
    in_pod = PodMembership.objects.open_on(day).filter(pod__in=pods).values("staff__user")
    return User.objects.filter(
        Q(pk__in=in_pod) | Q(pk=arrangement.supervisor_id) | Q(staff=arrangement.supervisee_id),
        is_active=True,
    ).order_by("first_name", "last_name")


def pod_people(pod: Pod, day: date) -> QuerySet[User]:
    in_pod = PodMembership.objects.open_on(day).filter(pod=pod).values("staff__user")
    return User.objects.filter(pk__in=in_pod, is_active=True).order_by("first_name", "last_name")


@dataclass
class PodPage:
    pod: Pod
    workers: list[Supervision] | None  # None: the reader may not see the pod's overview
    groups: Sequence[GroupSession]
    may_record_group: bool
    standards: Standards


def pod_page(user: User, pod: Pod, day: date) -> PodPage:
    standards = Standards.current()
    workers = None
    if access.can(user, pod, access.Action.POD_OVERVIEW):
        members = PodMembership.objects.open_on(day).filter(pod=pod).values("staff")
        workers = standing(Arrangement.objects.filter(supervisee__in=members), day, standards)
    groups = list(
        GroupSession.objects.filter(pod=pod)
        .select_related("led_by")
        .annotate(
            people=Count("attendees", distinct=True), families=Count("casework", distinct=True)
        )
        .order_by("-held_on", "-pk")[:24]
    )
    return PodPage(
        pod=pod,
        workers=workers,
        groups=groups,
        may_record_group=access.can(user, pod, access.Action.RECORD_GROUP),
        standards=standards,
    )


@dataclass
class Discussed:
    family: Family
    last: date | None
    last_one_to_one: date | None
    last_group: date | None
    times: int
    overdue: bool


def discussed(user: User, pod: Pod, day: date) -> list[Discussed]:
    """The pod's open families the reader may see, with when each was last discussed in 1:1
    and in group supervision: one query."""
    standards = Standards.current()
    families = (
        families_for(user, FamilyAction.VIEW)
        .filter(Q(closed__isnull=True) | Q(closed__gt=day), pod=pod, opened__lte=day)
        .annotate(
            last=Max("supervision__discussed_on"),
            last_one=Max("supervision__discussed_on", filter=Q(supervision__session__isnull=False)),
            last_group=Max("supervision__discussed_on", filter=Q(supervision__group__isnull=False)),
            times=Count("supervision"),
        )
        .order_by("last", "name", "pk")
    )
    found = []
    for f in families:
        since = f.last or f.opened
        overdue = (day - since).days > standards.family_days
        found.append(Discussed(f, f.last, f.last_one, f.last_group, f.times, overdue))
    return found


def staff_with_accounts() -> QuerySet[User]:
    """Who may be at a Reflective Practice Group: anyone on the staff who signs in."""
    return User.objects.filter(is_active=True, staff__isnull=False).order_by(
        "first_name", "last_name"
    )
