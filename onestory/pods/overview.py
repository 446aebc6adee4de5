"""What the pod pages show, gathered in a fixed number of queries however big the pod is.

`pod_overview` is one pod's page: members over time, composition, caseloads, cover, families
and children, and the pod's continuity and workforce figures. `pods_summary` is the list of
pods. `attention` is the pod manager's home: what needs looking at across their pods.
Families and children come only through the families' chokepoint (`visible_families`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from onestory.accounts.models import User
from onestory.families.access import visible_families
from onestory.families.models import Allocation, CINEpisode, Cover, Family, FamilyMember, MemberRole
from onestory.lib.dates import a_year_before, month_starts, twelve_months_to
from onestory.outcomes.continuity import (
    MANY_WORKERS,
    ChildContinuity,
    Continuity,
    Transfers,
    children_continuity,
    continuity_at,
    continuity_on,
    pod_transfers,
)
from onestory.outcomes.workforce import Workforce, WorkforceReport, workforce_at
from onestory.pods.access import (
    PodAccess,
    current,
    managed_pod_ids,
    managed_pods,
    oversees_every_pod,
)
from onestory.pods.caseload import Caseload, allocations_with_status, caseloads
from onestory.pods.composition import Composition, composition
from onestory.pods.models import (
    CASE_HOLDING_ROLES,
    CaseloadWeighting,
    ChildStatus,
    Pod,
    PodMembership,
    PodRole,
)

ROLE_ORDER = {role: index for index, role in enumerate(PodRole.values)}
# Cover ending within this many days is flagged, so there is time to extend it or plan the
# worker's return.
COVER_ENDING_SOON_DAYS = 14
# The attention page names this many children with many workers, most workers first.
MANY_WORKERS_SHOWN = 50


@dataclass
class MemberRow:
    membership: PodMembership
    caseload: Caseload | None
    covering: list[Cover] = field(default_factory=list)  # covers this member is doing
    away: list[Cover] = field(default_factory=list)  # covers for this member


@dataclass
class ChildRow:
    member: FamilyMember
    status: ChildStatus | None
    continuity: ChildContinuity | None
    cover: Cover | None


@dataclass
class FamilyRow:
    family: Family
    children: list[ChildRow]


# What the model says of each role, for the composition table.
RULES = {
    PodRole.POD_MANAGER: "1 FTE",
    PodRole.SENIOR_SOCIAL_WORKER: "Up to 2 FTE",
    PodRole.SOCIAL_WORKER: "Up to 5 FTE",
    PodRole.SOCIAL_WORKER_IN_TRAINING: "At least 1",
    PodRole.BUSINESS_SUPPORT: "A business support officer",
}


@dataclass
class PodOverview:
    access: PodAccess
    day: date
    composition: Composition
    warnings: list[str]
    weighting: CaseloadWeighting
    members: list[MemberRow]
    former: list[PodMembership]
    families: list[FamilyRow]
    covers: list[Cover]
    continuity: Continuity
    trend: list[Continuity]
    workforce: Workforce
    transfers: Transfers

    # For the template: which members hold cases (and can be covered for).
    case_roles = CASE_HOLDING_ROLES

    @property
    def pod(self) -> Pod:
        return self.access.pod

    @property
    def child_actions(self) -> bool:
        """Whether the families table has a column of actions on each child."""
        return self.access.manage or self.access.cover

    @property
    def child_count(self) -> int:
        return sum(len(row.children) for row in self.families)

    @property
    def composition_rows(self) -> list[tuple[str, str, Decimal, int, str]]:
        return [
            (
                role,
                label,
                self.composition.fte[role],
                self.composition.headcount.get(role, 0),
                RULES[PodRole(role)],
            )
            for role, label in PodRole.choices
        ]

    @property
    def visible_children(self) -> set[int]:
        return {child.member.person_id for row in self.families for child in row.children}

    @property
    def transfers_in(self) -> int:
        return self.transfers.into.get(self.pod.pk, 0)

    @property
    def transfers_out(self) -> int:
        return self.transfers.out_of.get(self.pod.pk, 0)


def _sorted_members(memberships: Iterable[PodMembership]) -> list[PodMembership]:
    return sorted(
        memberships, key=lambda m: (ROLE_ORDER[m.role], m.staff.first_name, m.staff.last_name)
    )


def _family_rows(
    user: User, pods: list[int], day: date, *, statuses: dict[int, ChildStatus], covers: list[Cover]
) -> list[FamilyRow]:
    """The open families in the pods that the user may see, with their children on `day`."""
    families = list(
        visible_families(user)
        .filter(closed__isnull=True)
        .filter(pod__in=pods)
        .order_by("name", "pk")
    )
    open_referral = CINEpisode.objects.open_on(day).filter(child=OuterRef("person"))
    members = list(
        FamilyMember.objects.open_on(day)
        .filter(family__in=families, role=MemberRole.CHILD)
        .annotate(open_referral=Exists(open_referral))
        .select_related("person")
        .order_by("person__date_of_birth", "person__first_name")
    )
    found = children_continuity(day, children={m.person_id for m in members})
    child_cover = {c.child_id: c for c in covers if c.child_id and c.is_open_on(day)}
    worker_cover = {c.absent_id: c for c in covers if not c.child_id and c.is_open_on(day)}
    by_family: dict[int, list[ChildRow]] = defaultdict(list)
    for member in members:
        now = found.get(member.person_id)
        cover = child_cover.get(member.person_id) or (
            worker_cover.get(now.worker_id) if now else None
        )
        by_family[member.family_id].append(
            ChildRow(member, statuses.get(member.person_id), now, cover)
        )
    return [FamilyRow(family, by_family.get(family.pk, [])) for family in families]


def pod_overview(access: PodAccess, user: User, day: date) -> PodOverview:
    pod = access.pod
    memberships = list(
        PodMembership.objects.filter(pod=pod).select_related("staff").order_by("-start")
    )
    now = _sorted_members(m for m in memberships if m.is_open_on(day))
    former = [m for m in memberships if not m.is_open_on(day)]
    weighting = CaseloadWeighting.in_force(day)
    allocated = allocations_with_status(day, pod=pod)
    loads = caseloads(
        day,
        pods=[pod.pk],
        members=[(m.staff_id, m.role, m.fte) for m in now if m.role in CASE_HOLDING_ROLES],
        weighting=weighting,
        rows=allocated,
    )
    covers = list(
        Cover.objects.filter(pod=pod, end__gt=day)
        .select_related("absent", "covering", "child")
        .order_by("start", "pk")
    )
    rows = []
    for m in now:
        rows.append(
            MemberRow(
                membership=m,
                caseload=loads.get(m.staff_id),
                covering=[c for c in covers if c.covering_id == m.staff_id],
                away=[c for c in covers if c.absent_id == m.staff_id],
            )
        )
    statuses = {child: status for _, child, status in allocated}
    # The monthly trend and today's figures in one pair of queries.
    months = month_starts(a_year_before(day), day)[-12:]
    reports = {r.day: r for r in continuity_on([*months, day], pods=[pod.pk])}
    shape = composition(memberships, day)
    running = pod.formed <= day and (pod.disbanded is None or pod.disbanded > day)
    return PodOverview(
        access=access,
        day=day,
        composition=shape,
        warnings=shape.warnings() if running else [],
        weighting=weighting,
        members=rows,
        former=former,
        families=_family_rows(user, [pod.pk], day, statuses=statuses, covers=covers),
        covers=covers,
        continuity=reports[day].pod(pod.pk),
        trend=[reports[month].pod(pod.pk) for month in months],
        workforce=workforce_at(day, pods=[pod.pk]).pod(pod.pk),
        transfers=pod_transfers(*twelve_months_to(day)),
    )


# --- The list of pods ---------------------------------------------------------------------


@dataclass
class PodSummary:
    pod: Pod
    warnings: list[str]
    families: int
    continuity: Continuity
    workforce: Workforce


@dataclass
class PodsSummary:
    day: date
    pods: list[PodSummary]
    continuity: Continuity
    workforce: Workforce
    disbanded: list[Pod]

    @property
    def families(self) -> int:
        return sum(row.families for row in self.pods)


def pods_summary(user: User, day: date) -> PodsSummary:
    pods = list(
        managed_pods(user, day)
        .prefetch_related(Prefetch("memberships", PodMembership.objects.open_on(day)))
        .order_by("name")
    )
    running = [p for p in pods if p.formed <= day and (p.disbanded is None or p.disbanded > day)]
    ids = [p.pk for p in running]
    families = dict(
        visible_families(user)
        .filter(closed__isnull=True, pod__in=ids)
        .values("pod")
        .annotate(n=Count("pk"))
        .values_list("pod", "n")
    )
    everything = oversees_every_pod(user)
    continuity = continuity_at(day, pods=None if everything else ids)
    workforce: WorkforceReport = workforce_at(day, pods=None if everything else ids)
    return PodsSummary(
        day=day,
        pods=[
            PodSummary(
                pod=pod,
                warnings=composition(pod.memberships.all(), day).warnings(),
                families=families.get(pod.pk, 0),
                continuity=continuity.pod(pod.pk),
                workforce=workforce.pod(pod.pk),
            )
            for pod in running
        ],
        continuity=continuity.total,
        workforce=workforce.total,
        disbanded=[p for p in pods if p not in running],
    )


# --- What needs attention -----------------------------------------------------------------


@dataclass
class OverCaseload:
    membership: PodMembership
    caseload: Caseload


@dataclass
class ManyWorkers:
    member: FamilyMember
    continuity: ChildContinuity


@dataclass
class Attention:
    day: date
    pods: list[Pod]
    outside_rules: list[tuple[Pod, list[str]]]
    over_caseload: list[OverCaseload]
    many_workers: list[ManyWorkers]
    many_workers_total: int
    cover_ending: list[tuple[Cover, str]]
    waiting: list[CINEpisode]

    @property
    def nothing(self) -> bool:
        return not (
            self.outside_rules
            or self.over_caseload
            or self.many_workers
            or self.cover_ending
            or self.waiting
        )


def attention(user: User, day: date) -> Attention:
    pods = _managed_today(user, day)
    ids = [p.pk for p in pods]
    families = _open_families(user, ids)
    many = {
        child: found
        for child, found in children_continuity(day, pods=ids).items()
        if found.many_workers
    }
    seen = list(
        FamilyMember.objects.open_on(day)
        .filter(role=MemberRole.CHILD, person__in=list(many), family__in=families)
        .select_related("person", "family")
    )
    named = sorted(
        (ManyWorkers(m, many[m.person_id]) for m in seen),
        key=lambda w: (-w.continuity.workers, w.member.person.last_name),
    )
    ending = list(_cover_ending(ids, day).select_related("absent", "covering", "child"))
    visible_children = set(
        FamilyMember.objects.filter(
            person__in=[c.child_id for c in ending if c.child_id], family__in=families
        ).values_list("person_id", flat=True)
    )
    return Attention(
        day=day,
        pods=pods,
        outside_rules=_outside_rules(pods, day),
        over_caseload=_over_caseload(pods, day),
        many_workers=named[:MANY_WORKERS_SHOWN],
        many_workers_total=len(named),
        cover_ending=[(c, _whom(c, visible_children)) for c in ending],
        waiting=list(
            _waiting(families, day)
            .select_related("child", "family__pod")
            .order_by("family__name", "child__first_name")
        ),
    )


@dataclass
class AttentionCounts:
    """How many of each thing the attention page lists, for a pod manager's home: the same
    pods, rules and need to know as `attention`, counted in a fixed few queries without
    working out each child's continuity."""

    pods: list[Pod]
    outside_rules: int
    over_caseload: int
    many_workers: int
    cover_ending: int
    waiting: int


def attention_counts(user: User, day: date) -> AttentionCounts:
    pods = _managed_today(user, day)
    ids = [p.pk for p in pods]
    families = _open_families(user, ids)
    return AttentionCounts(
        pods=pods,
        outside_rules=len(_outside_rules(pods, day)),
        over_caseload=len(_over_caseload(pods, day)),
        many_workers=_many_workers_count(ids, families, day),
        # Counted, not read: the home shows the numbers, the attention page the rows.
        cover_ending=_cover_ending(ids, day).count(),
        waiting=_waiting(families, day).count(),
    )


def _open_families(user: User, pods: list[int]) -> list[int]:
    """The pods' open families the user sees, as ids: read once and used by several counts, so
    the need-to-know rule is worked out once (at the `large` scale, inside each count the
    planner guessed its families across the whole council)."""
    visible = visible_families(user).filter(closed__isnull=True, pod__in=pods)
    return list(visible.values_list("pk", flat=True))


def _managed_today(user: User, day: date) -> list[Pod]:
    return list(
        Pod.objects.filter(pk__in=managed_pod_ids(user, day))
        .filter(current(day), formed__lte=day)
        .prefetch_related(
            Prefetch(
                "memberships",
                PodMembership.objects.open_on(day).select_related("staff"),
            )
        )
        .order_by("name")
    )


def _outside_rules(pods: list[Pod], day: date) -> list[tuple[Pod, list[str]]]:
    return [
        (pod, warnings)
        for pod in pods
        if (warnings := composition(pod.memberships.all(), day).warnings())
    ]


def _over_caseload(pods: list[Pod], day: date) -> list[OverCaseload]:
    members = [m for pod in pods for m in pod.memberships.all()]
    loads = caseloads(
        day,
        pods=[p.pk for p in pods],
        members=[(m.staff_id, m.role, m.fte) for m in members if m.role in CASE_HOLDING_ROLES],
        count_families=False,
    )
    return sorted(
        (
            OverCaseload(m, loads[m.staff_id])
            for m in members
            if m.staff_id in loads and loads[m.staff_id].over
        ),
        key=lambda o: -(o.caseload.weighted / (o.caseload.limit or 1)),
    )


def _many_workers_count(pods: list[int], families: list[int], day: date) -> int:
    """Children allocated in the pods today, in families the user sees, with MANY_WORKERS or
    more distinct workers among their allocations open in the year to `day`: the continuity
    measure's definition (outcomes/continuity.py), as one count, which the tests hold equal
    to the attention page's list."""
    current = Allocation.objects.open_on(day).filter(pod__in=pods)
    children = FamilyMember.objects.open_on(day).filter(
        role=MemberRole.CHILD, family__any_of=families
    )
    many: int = (
        Allocation.objects.filter(
            child__in=current.filter(child__in=children.values("person")).values("child"),
            start__lte=day,
        )
        .filter(Q(end__isnull=True) | Q(end__gt=a_year_before(day)))
        .values("child")
        .annotate(workers=Count("worker", distinct=True))
        .filter(workers__gte=MANY_WORKERS)
        .count()
    )
    return many


def _cover_ending(pods: list[int], day: date) -> QuerySet[Cover]:
    return Cover.objects.filter(
        pod__in=pods,
        start__lte=day,
        end__gt=day,
        end__lte=day + timedelta(days=COVER_ENDING_SOON_DAYS),
    ).order_by("end")


def _waiting(families: list[int], day: date) -> QuerySet[CINEpisode]:
    """A referral open in one of the pods' families, and no social worker."""
    allocated = Allocation.objects.open_on(day).filter(child=OuterRef("child"))
    return (
        CINEpisode.objects.open_on(day).filter(family__any_of=families).filter(~Exists(allocated))
    )


def _whom(cover: Cover, visible: set[int]) -> str:
    if cover.child_id is None:
        return f"{cover.absent}'s caseload"
    if cover.child_id in visible and cover.child is not None:
        return f"{cover.child.full_name}, for {cover.absent}"
    return f"one of {cover.absent}'s children"
