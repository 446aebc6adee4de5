"""Who works with each child: allocation, a change of worker, cover, and a move between pods.

Each write is one typed, keyword-only function, in one transaction, with who did it and what
they did in the history of every row it touches. Bad input raises `ValidationError` keyed by
the argument at fault, in words the user can act on, and nothing is saved.

A change of worker is an event with a date and a reason (SSDA903 SW_REASON): the current
allocation ends the day the new one begins, so the child's allocations follow each other with
no gap and no overlap, and the continuity measures can count the changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError

from onestory.accounts.models import User
from onestory.families.codes import SocialWorkerChangeReason
from onestory.families.models import (
    Allocation,
    Cover,
    Family,
    FamilyMember,
    MemberRole,
    Person,
    PodTransfer,
)
from onestory.lib.dates import long_date as when
from onestory.lib.history import lock, recorded
from onestory.pods.models import CASE_HOLDING_ROLES, Pod, PodMembership, PodRole, Staff

FIRST_CONTACT = SocialWorkerChangeReason.FCONTA
# Pod managers may step in to cover; business support officers hold no cases.
COVERING_ROLES = CASE_HOLDING_ROLES | {PodRole.POD_MANAGER}


def membership_on(staff: Staff, day: date) -> PodMembership | None:
    found: PodMembership | None = staff.memberships.open_on(day).select_related("pod").first()
    return found


def children_of(family: Family, day: date) -> list[Person]:
    return [
        member.person
        for member in FamilyMember.objects.open_on(day)
        .filter(family=family, role=MemberRole.CHILD)
        .select_related("person")
        .order_by("person__date_of_birth", "person__first_name")
    ]


def _case_holder(worker: Staff, day: date, *, field: str = "worker") -> PodMembership:
    membership = membership_on(worker, day)
    if membership is None:
        raise ValidationError({field: f"{worker} is not in a pod on {when(day)}."})
    if membership.role not in CASE_HOLDING_ROLES:
        raise ValidationError(
            {
                field: f"{worker} is the pod's {membership.get_role_display().lower()}. "
                "Children are allocated to its social workers."
            }
        )
    return membership


def _allocate(*, child: Person, worker: Staff, start: date, reason: str) -> Allocation:
    # Lock the child: two managers changing the same child's worker at the same moment must
    # go one after the other, or the second would end an allocation the first already ended.
    lock(Person.objects.filter(pk=child.pk))
    if reason and reason not in SocialWorkerChangeReason.values:
        raise ValidationError({"reason": "Choose a reason from the list."})
    pod = _case_holder(worker, start).pod
    in_pod = FamilyMember.objects.open_on(start).filter(
        person=child, role=MemberRole.CHILD, family__pod=pod
    )
    if not in_pod.exists():
        raise ValidationError(
            {
                "worker": f"{worker} works in {pod}, but {child.full_name}'s family is not in "
                f"{pod} on {when(start)}. Choose a worker in the family's pod, or transfer the "
                "family first."
            }
        )
    later = child.allocations.filter(start__gt=start).order_by("start").first()
    if later is not None:
        raise ValidationError(
            {
                "start": f"{child.full_name} already has a social worker from "
                f"{when(later.start)}, after this date. Record changes in date order."
            }
        )
    current: Allocation | None = child.allocations.open_on(start).first()
    if current is None:
        allocation = Allocation(
            child=child, worker=worker, pod=pod, start=start, change_reason=reason or FIRST_CONTACT
        )
    else:
        if current.worker_id == worker.pk:
            raise ValidationError(
                {"worker": f"{worker} is already {child.full_name}'s social worker."}
            )
        if not reason or reason == FIRST_CONTACT:
            raise ValidationError(
                {
                    "reason": f"Choose why {child.full_name}'s social worker is changing. "
                    "First contact or re-referral is for a child's first social worker."
                }
            )
        if current.start == start:
            # Changed on the day it was made: a correction, not a change the child lived.
            current.worker, current.pod = worker, pod
            current.save(update_fields=["worker", "pod"])
            return current
        planned_end, current.end = current.end, start
        current.save(update_fields=["end"])
        allocation = Allocation(
            child=child, worker=worker, pod=pod, start=start, end=planned_end, change_reason=reason
        )
    allocation.full_clean()
    allocation.save()
    return allocation


def allocate(
    *, child: Person, worker: Staff, start: date, reason: str = "", by: User
) -> Allocation:
    """Allocates the child to `worker` from `start`: a first allocation (reason FCONTA unless
    given), or a change of worker, which needs its reason and ends the current allocation the
    day the new one begins. Changing on the day the current allocation began corrects it."""
    with recorded(by, "pods.allocate"):
        return _allocate(child=child, worker=worker, start=start, reason=reason)


def allocate_family(
    *,
    family: Family,
    worker: Staff,
    start: date,
    reason: str = "",
    by: User,
    children: Iterable[Person] | None = None,
) -> list[Allocation]:
    """Siblings together by default: allocates every child in the family on `start` (or just
    `children`) to `worker`. Children who already have another worker change with `reason`;
    those with none get their first worker (FCONTA); those already with `worker` stay as they
    are. All of them or none."""
    with recorded(by, "pods.allocate_family"):
        chosen = list(children) if children is not None else children_of(family, start)
        if not chosen:
            raise ValidationError(
                {"children": f"There are no children in {family.name} on {when(start)}."}
            )
        current = {
            a.child_id: a.worker_id
            for a in Allocation.objects.open_on(start).filter(child__in=chosen)
        }
        return [
            _allocate(
                child=child,
                worker=worker,
                start=start,
                reason=reason if child.pk in current else FIRST_CONTACT,
            )
            for child in chosen
            if current.get(child.pk) != worker.pk
        ]


# --- Cover ---------------------------------------------------------------------------------


def arrange_cover(
    *,
    absent: Staff,
    covering: Staff,
    start: date,
    end: date,
    by: User,
    child: Person | None = None,
) -> Cover:
    """Another member of the pod covers for `absent` from `start` until `end` (the day the
    cover stops): their whole caseload, or only `child`."""
    with recorded(by, "pods.arrange_cover"):
        if end <= start:
            raise ValidationError({"end": "The cover must end after the day it starts."})
        if covering.pk == absent.pk:
            raise ValidationError(
                {
                    "covering": "A worker cannot cover for themselves: "
                    "choose someone else in the pod."
                }
            )
        # One cover decision for a worker at a time, so the overlap check below holds.
        lock(Staff.objects.filter(pk=absent.pk))
        away = membership_on(absent, start)
        if away is None:
            raise ValidationError({"absent": f"{absent} is not in a pod on {when(start)}."})
        pod = away.pod
        helper = membership_on(covering, start)
        if helper is None or helper.pod_id != pod.pk or (helper.end and helper.end < end):
            raise ValidationError(
                {
                    "covering": f"{covering} is not in {pod} for the whole of the cover. "
                    "Cover is by another member of the same pod."
                }
            )
        if helper.role not in COVERING_ROLES:
            raise ValidationError(
                {
                    "covering": f"{covering} is the pod's "
                    f"{helper.get_role_display().lower()}. Cover is by a social worker."
                }
            )
        if child is not None:
            allocated = Allocation.objects.open_on(start).filter(child=child, worker=absent)
            if not allocated.exists():
                raise ValidationError(
                    {"child": f"{child.full_name} is not allocated to {absent} on {when(start)}."}
                )
        cover = Cover(
            pod=pod,
            absent=absent,
            covering=covering,
            child=child,
            start=start,
            end=end,
            recorded_by=by,
        )
        cover.full_clean()
        cover.save()
        return cover


def change_cover_end(*, cover: Cover, end: date, by: User) -> Cover:
    """Ends the cover earlier, or extends it."""
    with recorded(by, "pods.change_cover_end"):
        cover = Cover.objects.select_for_update().get(pk=cover.pk)
        if end <= cover.start:
            raise ValidationError(
                {"end": f"The cover must end after the day it started, {when(cover.start)}."}
            )
        cover.end = end
        cover.full_clean()
        cover.save(update_fields=["end"])
        return cover


# --- Transfers between pods ---------------------------------------------------------------


def transfer_family(
    *,
    family: Family,
    to_pod: Pod,
    day: date,
    reason: str,
    by: User,
    worker: Staff | None = None,
    change_reason: str = SocialWorkerChangeReason.TSPROC,
) -> PodTransfer:
    """Moves the family to another pod from `day`. Its children's allocations and any cover
    for them end that day; with a `worker` in the new pod, the children are allocated to them
    (a change of worker with `change_reason`), and otherwise they wait for the new pod's
    manager to allocate them."""
    with recorded(by, "pods.transfer_family"):
        family = Family.objects.select_for_update().select_related("pod").get(pk=family.pk)
        from_pod = family.pod
        reason = reason.strip()
        if to_pod.pk == from_pod.pk:
            raise ValidationError({"to_pod": f"{family.name} is already in {to_pod}."})
        if to_pod.formed > day or (to_pod.disbanded is not None and to_pod.disbanded <= day):
            raise ValidationError({"to_pod": f"{to_pod} is not running on {when(day)}."})
        if day < family.opened:
            opened = when(family.opened)
            raise ValidationError(
                {"day": f"The transfer cannot be before the case opened, on {opened}."}
            )
        if not reason:
            raise ValidationError({"reason": "Say why the family is moving to another pod."})
        if worker is not None and change_reason == FIRST_CONTACT:
            raise ValidationError(
                {"change_reason": "Choose why the children's social worker is changing."}
            )
        children = children_of(family, day)
        lock(Person.objects.filter(pk__in=[child.pk for child in children]))
        for child in children:
            later = child.allocations.filter(start__gte=day).order_by("start").first()
            if later is not None:
                raise ValidationError(
                    {
                        "day": f"{child.full_name}'s social worker changes on "
                        f"{when(later.start)}. Transfer the family after that date."
                    }
                )
        if worker is not None:
            membership = _case_holder(worker, day)
            if membership.pod_id != to_pod.pk:
                raise ValidationError({"worker": f"{worker} is not in {to_pod} on {when(day)}."})
        for cover in Cover.objects.filter(child__in=children, end__gt=day):
            if cover.start >= day:
                cover.delete()
            else:
                cover.end = day
                cover.save(update_fields=["end"])
        family.pod = to_pod
        family.save(update_fields=["pod"])
        for child in children:
            if worker is not None:
                _allocate(child=child, worker=worker, start=day, reason=change_reason)
                continue
            for allocation in child.allocations.open_on(day):
                allocation.end = day
                allocation.save(update_fields=["end"])
        return PodTransfer.objects.create(
            family=family,
            from_pod=from_pod,
            to_pod=to_pod,
            transferred=day,
            reason=reason,
            recorded_by=by,
        )
