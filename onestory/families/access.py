"""Need to know: who may see which families. The one place that decides it.

`visible_families(user)` is the list filter and `can_view_family(user, family)` the object check;
both come from the same rule, so a page and a list can never disagree. A family a user may not
see answers 404, exactly as one that does not exist.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from onestory.accounts.models import Role, User
from onestory.families.models import Family
from onestory.pods.models import PodMembership

# Roles that see every family in the service they manage.
SERVICE_WIDE_ROLES = frozenset({Role.HEAD_OF_SERVICE})
# Roles that keep records (people, membership, episodes) for their pod's families.
RECORD_KEEPING_ROLES = frozenset(
    {
        Role.BUSINESS_SUPPORT,
        Role.POD_MANAGER,
        Role.SOCIAL_WORKER,
        Role.SENIOR_SOCIAL_WORKER,
        Role.SOCIAL_WORKER_IN_TRAINING,
    }
)


def current_pod_ids(user: User, day: date | None = None) -> QuerySet[Any, dict[str, Any]]:
    return (
        PodMembership.objects.open_on(day or date.today()).filter(staff__user=user).values("pod_id")
    )


def audit_family_ids(user: User) -> QuerySet[Family]:
    """Families in the user's current audit assignments: the audits feature fills this in."""
    return Family.objects.none()


def visible_families(user: User) -> QuerySet[Family]:
    if not user.is_authenticated or not user.is_active:
        return Family.objects.none()
    named = Family.restricted_to.through.objects.filter(family=OuterRef("pk"), user=user)
    if user.role in SERVICE_WIDE_ROLES:
        allowed = Q()
    else:
        allowed = Q(pod__in=current_pod_ids(user)) | Q(pk__in=audit_family_ids(user))
    # Restricted families are visible only to the people named on them, whatever their role.
    return Family.objects.alias(named_user=Exists(named)).filter(
        (Q(restricted=False) & allowed) | Q(restricted=True, named_user=True)
    )


def can_view_family(user: User, family: Family) -> bool:
    return visible_families(user).filter(pk=family.pk).exists()


def can_keep_records(user: User) -> bool:
    return user.role in RECORD_KEEPING_ROLES


def get_family_for(user: User, uuid: UUID | str, *, write: bool = False) -> Family:
    """The family with this UUID if the user may see it (and keep its records, for writes);
    otherwise 404, the same answer as for a family that does not exist."""
    if write and not can_keep_records(user):
        raise Http404("No such family")
    try:
        return visible_families(user).select_related("pod").get(uuid=uuid)
    except (Family.DoesNotExist, ValueError, TypeError):
        raise Http404("No such family") from None
