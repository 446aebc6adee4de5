"""Someone another pod holds joining a family: asked for by this family's pod, agreed by the
pod manager of a family the person belongs to now (docs/decisions/0005-need-to-know.md).

Each write is one keyword-only function inside `recorded`. Bad input raises `ValidationError`
keyed by the field at fault, and nothing is saved.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from onestory.accounts.models import Alert, User
from onestory.families.access import Action, families_for, pod_managers_of
from onestory.families.models import (
    Family,
    FamilyMember,
    MembershipRequest,
    Person,
)
from onestory.lib.history import lock, recorded


def current_families(person: Person) -> QuerySet[Family]:
    today = timezone.localdate()
    return Family.objects.filter(
        members__in=FamilyMember.objects.open_on(today).filter(person=person)
    )


def ask_to_join(
    *, by: User, family: Family, person: Person, role: str, start: date, reason: str
) -> MembershipRequest:
    """Records the request and tells the pod managers of the person's families today."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why they are joining this family"})
    holding = list(current_families(person).exclude(pk=family.pk).select_related("pod"))
    if not holding:
        raise ValidationError(
            {"start": f"{person.full_name} belongs to no family today: add them directly."}
        )
    with recorded(by, "families.ask_to_join"):
        request = MembershipRequest.objects.create(
            family=family,
            person=person,
            role=role,
            start=start,
            reason=reason,
            requested_by=by,
        )
        managers = pod_managers_of({f.pod_id for f in holding})
        Alert.objects.bulk_create(
            Alert(
                user=manager,
                text=(
                    f"{by} asks for {person.full_name} to join {family.name} ({family.pod}): "
                    "please agree or decline."
                ),
                link=f"/families/joining/{request.pk}/",
            )
            for manager in managers
        )
    return request


def decide(*, by: User, request: MembershipRequest, agree: bool) -> FamilyMember | None:
    """The pod manager agrees (the membership is made, by them) or declines. The asker is
    told either way."""
    with recorded(by, "families.agree_to_join" if agree else "families.decline_to_join"):
        # Locks the request: two managers deciding at once cannot both act on it.
        lock(MembershipRequest.objects.filter(pk=request.pk))
        request.refresh_from_db()
        if request.agreed is not None:
            raise ValidationError({"agree": "This request has already been decided."})
        if request.requested_by_id == by.pk:
            raise ValidationError({"agree": "Someone else must agree to your own request."})
        member = None
        if agree:
            member = FamilyMember(
                family=request.family,
                person=request.person,
                role=request.role,
                start=request.start,
            )
            member.full_clean()
            member.save()
        request.agreed = agree
        request.decided_by = by
        request.decided_at = timezone.now()
        request.save(update_fields=["agreed", "decided_by", "decided_at"])
        answer = "agreed" if agree else "declined"
        Alert.objects.create(
            user=request.requested_by,
            text=f"{by} {answer} that {request.person.full_name} joins {request.family.name}.",
            link=f"/families/{request.family.uuid}/",
        )
    return member


def requests_to_decide(user: User) -> QuerySet[MembershipRequest]:
    """Undecided requests for people in families this user may change and manages."""
    editable = families_for(user, Action.EDIT)
    today = timezone.localdate()
    theirs = FamilyMember.objects.open_on(today).filter(family__in=editable)
    return MembershipRequest.objects.filter(
        agreed__isnull=True, person__memberships__in=theirs
    ).distinct()
