"""Each worker's caseload on a day: children and families, weighted by the children's status.

A child's status is the most intensive of: in care (an open care episode other than a short
break, as `outcomes.measures.children_in_care` counts them), on a child protection plan, or
otherwise a child in need (allocated, so the service is working with them under section 17).
The weights and the caseload a full-time worker should hold are the council's, in
`CaseloadWeighting`, as in force on the day.

Caseloads count every child allocated to the worker, restricted families included: a workload
that left cases out would be wrong, and the figures name no one. The names are listed only
through the families' access chokepoint.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef

from onestory.families.codes import SHORT_BREAK_LEGAL_STATUSES
from onestory.families.models import Allocation, CareEpisode, CPPlan, FamilyMember, MemberRole
from onestory.pods.models import CaseloadWeighting, ChildStatus


@dataclass
class Caseload:
    worker_id: int
    limit: Decimal = Decimal(0)
    children: int = 0
    families: set[int] = field(default_factory=set)
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    weighted: Decimal = Decimal(0)

    @property
    def family_count(self) -> int:
        return len(self.families)

    @property
    def over(self) -> bool:
        return self.weighted > self.limit


def status_of(in_care: bool, on_plan: bool) -> ChildStatus:
    if in_care:
        return ChildStatus.IN_CARE
    if on_plan:
        return ChildStatus.CHILD_PROTECTION
    return ChildStatus.CHILD_IN_NEED


def allocations_with_status(day: date, **filters: object) -> list[tuple[int, int, ChildStatus]]:
    """(worker id, child id, status) for each allocation open on `day`: one query."""
    in_care = (
        CareEpisode.objects.open_on(day)
        .filter(child=OuterRef("child"))
        .exclude(legal_status__in=SHORT_BREAK_LEGAL_STATUSES)
    )
    on_plan = CPPlan.objects.open_on(day).filter(child=OuterRef("child"))
    rows = (
        Allocation.objects.open_on(day)
        .filter(**filters)
        .annotate(in_care=Exists(in_care), on_plan=Exists(on_plan))
        .values_list("worker_id", "child_id", "in_care", "on_plan")
    )
    return [(worker, child, status_of(care, plan)) for worker, child, care, plan in rows]


def caseloads(
    day: date,
    *,
    pods: Iterable[int],
    members: Iterable[tuple[int, str, Decimal]],
    weighting: CaseloadWeighting | None = None,
    rows: list[tuple[int, int, ChildStatus]] | None = None,
    count_families: bool = True,
) -> dict[int, Caseload]:
    """Caseloads on `day` of the allocations in `pods`, by worker (staff) id. `members` gives
    (staff id, role in pod, FTE) for each worker, for their expected caseload. Three queries,
    fewer when the weighting or the `allocations_with_status` rows are given."""
    weighting = weighting or CaseloadWeighting.in_force(day)
    found: dict[int, Caseload] = {
        staff: Caseload(worker_id=staff, limit=weighting.limit(role, fte))
        for staff, role, fte in members
    }
    pod_ids = list(pods)
    if rows is None:
        rows = allocations_with_status(day, pod__in=pod_ids)
    families_of: dict[int, set[int]] = defaultdict(set)
    members = (
        FamilyMember.objects.open_on(day)
        .filter(
            role=MemberRole.CHILD,
            person__in=Allocation.objects.open_on(day).filter(pod__in=pod_ids).values("child"),
        )
        .values_list("person_id", "family_id")
    )
    for person, family in members if count_families else ():
        families_of[person].add(family)
    for worker, child, status in rows:
        load = found.setdefault(worker, Caseload(worker_id=worker))
        load.children += 1
        load.by_status[status] += 1
        load.weighted += weighting.weight(status)
        load.families |= families_of.get(child, set())
    return found
