"""Who is in a pod, in which role and for what FTE, over time.

A change of role or FTE ends the current membership the day the new one begins, like every
period here, so the pod's history reads as a chain of memberships. The model's
rules about a pod's shape are warnings (`composition.py`), except one: a pod never has two
full-time managers at once, which the database also refuses.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q

from onestory.accounts.models import Role, User
from onestory.lib.dates import long_date
from onestory.lib.history import lock, recorded
from onestory.pods.models import Pod, PodMembership, PodRole, Staff

FULL_TIME = Decimal("1.00")


def refuse_administrators(staff: Staff) -> None:
    """System administrators do no case work, so they are never members of a pod
    (docs/decisions/0011-admin-and-mfa-per-session.md)."""
    user = staff.user
    if staff.role == Role.ADMINISTRATOR or (user is not None and user.is_administrator):
        raise ValidationError(
            {
                "staff": f"{staff} is a system administrator, and administrators cannot be "
                "members of a pod. Give them a separate account for case work."
            }
        )


def _check(membership: PodMembership) -> None:
    """The rules a membership must keep, in the user's words; then the model's own."""
    staff, pod, start, end = membership.staff, membership.pod, membership.start, membership.end
    if end is not None and end <= start:
        raise ValidationError({"end": "The membership must end after the day it starts."})
    if start < pod.formed:
        raise ValidationError({"start": f"{pod} was formed on {long_date(pod.formed)}."})
    if pod.disbanded is not None and (end is None or end > pod.disbanded):
        raise ValidationError({"end": f"{pod} was disbanded on {long_date(pod.disbanded)}."})
    if start < staff.start:
        raise ValidationError({"start": f"{staff} started work on {long_date(staff.start)}."})
    if staff.end is not None and (end is None or end > staff.end):
        raise ValidationError(
            {"end": f"{staff} leaves on {long_date(staff.end)}: the membership must end by then."}
        )
    if membership.role == PodRole.POD_MANAGER and membership.fte == FULL_TIME:
        other = (
            PodMembership.objects.filter(pod=pod, role=PodRole.POD_MANAGER, fte=FULL_TIME)
            .exclude(pk=membership.pk)
            .filter(Q(end__isnull=True) | Q(end__gt=start))
            .select_related("staff")
        )
        if end is not None:
            other = other.filter(start__lt=end)
        clash = other.first()
        if clash is not None:
            raise ValidationError(
                {
                    "role": f"{pod} already has a full-time pod manager, {clash.staff}, from "
                    f"{long_date(clash.start)}. End their membership first, or record this one as "
                    "part-time."
                }
            )
    membership.full_clean()


def add_member(
    *,
    pod: Pod,
    staff: Staff,
    role: str,
    fte: Decimal,
    start: date,
    by: User,
    end: date | None = None,
) -> PodMembership:
    with recorded(by, "pods.add_member"):
        # The pod's row is the lock for its membership rules (one full-time manager).
        lock(Pod.objects.filter(pk=pod.pk))
        membership = PodMembership(staff=staff, pod=pod, role=role, fte=fte, start=start, end=end)
        refuse_administrators(staff)
        _check(membership)
        membership.save()
        return membership


def change_member(
    *, membership: PodMembership, day: date, role: str, fte: Decimal, by: User
) -> PodMembership:
    """From `day`, the member is in a new role or at a new FTE: the current membership ends
    that day and a new one begins, so the pod's history keeps both."""
    with recorded(by, "pods.change_member"):
        lock(Pod.objects.filter(pk=membership.pod_id))
        old = PodMembership.objects.select_related("staff", "pod").get(pk=membership.pk)
        if role == old.role and fte == old.fte:
            raise ValidationError({"fte": "Give a new role or FTE: these are the current ones."})
        if day <= old.start or (old.end is not None and day >= old.end):
            until = f" and before {long_date(old.end)}" if old.end else ""
            raise ValidationError(
                {
                    "day": f"The change must be after {long_date(old.start)}{until}, while they "
                    "are in this role."
                }
            )
        planned_end, old.end = old.end, day
        old.save(update_fields=["end"])
        new = PodMembership(
            staff=old.staff, pod=old.pod, role=role, fte=fte, start=day, end=planned_end
        )
        refuse_administrators(new.staff)
        _check(new)
        new.save()
        return new


def end_member(*, membership: PodMembership, end: date, by: User) -> PodMembership:
    """The member leaves the pod on `end` (the first day they are no longer in it)."""
    with recorded(by, "pods.end_member"):
        lock(Pod.objects.filter(pk=membership.pod_id))
        membership = PodMembership.objects.select_related("staff", "pod").get(pk=membership.pk)
        if end <= membership.start:
            raise ValidationError(
                {
                    "end": "The membership must end after it began, on "
                    f"{long_date(membership.start)}."
                }
            )
        membership.end = end
        _check(membership)
        membership.save(update_fields=["end"])
        return membership
