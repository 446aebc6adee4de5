"""Who may see a pod's page and who may change its members, allocations and cover.

Heads of service oversee every pod; a pod manager manages the pod they manage today. Members of
a pod see its page (a pod is a team whose members know each other's cases) but change nothing,
except that senior social workers may arrange cover, which is part of their role. A pod the
user may not see answers 404, the same as one that does not exist. The families and children
on a pod's pages still come through the families' own chokepoint (`visible_families`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from onestory.accounts.models import Role, User
from onestory.lib.per_request import once
from onestory.pods.models import Pod, PodMembership, PodRole

# Roles offered the pods list, the attention page and the "Pods" navigation item.
POD_OVERVIEW_ROLES = frozenset({Role.POD_MANAGER, Role.HEAD_OF_SERVICE})
SERVICE_WIDE_ROLES = frozenset({Role.HEAD_OF_SERVICE})


@dataclass(frozen=True)
class PodAccess:
    pod: Pod
    manage: bool  # members, allocation, transfers
    cover: bool  # arranging cover


def _memberships_today(user: User, day: date) -> QuerySet[PodMembership]:
    return PodMembership.objects.open_on(day).filter(staff__user=user)


def visible_pods(user: User, day: date | None = None) -> QuerySet[Pod]:
    if not user.is_authenticated or not user.is_active:
        return Pod.objects.none()
    if oversees_every_pod(user):
        return Pod.objects.all()
    day = day or timezone.localdate()
    return Pod.objects.filter(pk__in=_memberships_today(user, day).values("pod"))


def managed_pods(user: User, day: date | None = None) -> QuerySet[Pod]:
    """The pods whose overview (list, attention page) the user is responsible for."""
    if not user.is_authenticated or not user.is_active:
        return Pod.objects.none()
    if oversees_every_pod(user):
        return Pod.objects.all()
    day = day or timezone.localdate()
    managing = _memberships_today(user, day).filter(role=PodRole.POD_MANAGER)
    return Pod.objects.filter(pk__in=managing.values("pod"))


def managed_pod_ids(user: User, day: date | None = None) -> list[int]:
    """The ids of `managed_pods`, read once a request (`lib/per_request.py`): a pod manager's
    home asks from four features. As a list, not a subquery, the planner reads the pods'
    allocations through their index: 0.2 ms instead of 3 ms at the `large` scale, where it had
    guessed across every pod. Which pods to list, not who may see what: the families and
    children in them still come through the families' own chokepoint."""
    day = day or timezone.localdate()
    return once(
        ("pods.managed", user.pk, day),
        lambda: list(managed_pods(user, day).values_list("pk", flat=True)),
    )


def oversees_every_pod(user: object) -> bool:
    """By role, with no query: heads of service see every pod and every pod's figures."""
    return getattr(user, "role", None) in SERVICE_WIDE_ROLES


def get_own_pod(user: User, pk: int, day: date | None = None) -> Pod:
    """A pod the user is a member of on `day` (today by default); 404 for any other pod, the
    same as for one that does not exist. A pod's What's due is for the people in it."""
    pod = Pod.objects.filter(
        pk=pk, pk__in=_memberships_today(user, day or timezone.localdate()).values("pod")
    ).first()
    if pod is None:
        raise Http404("No such pod")
    return pod


def can_see_overview(user: object) -> bool:
    """By role, with no query: for the navigation and the home page."""
    return getattr(user, "role", None) in POD_OVERVIEW_ROLES


def get_pod_for(
    user: User, pk: int, *, manage: bool = False, cover: bool = False, day: date | None = None
) -> PodAccess:
    """The pod and what the user may do with it, in one query; 404 if they may not see it, or
    may not do what the page is for."""
    day = day or timezone.localdate()
    mine = _memberships_today(user, day).filter(pod=OuterRef("pk"))
    pod = (
        visible_pods(user, day)
        .annotate(
            managing=Exists(mine.filter(role=PodRole.POD_MANAGER)),
            senior=Exists(mine.filter(role=PodRole.SENIOR_SOCIAL_WORKER)),
        )
        .filter(pk=pk)
        .first()
    )
    if pod is None:
        raise Http404("No such pod")
    service_wide = oversees_every_pod(user)
    may_manage = service_wide or bool(getattr(pod, "managing", False))
    access = PodAccess(
        pod=pod,
        manage=may_manage,
        cover=may_manage or bool(getattr(pod, "senior", False)),
    )
    if (manage and not access.manage) or (cover and not access.cover):
        raise Http404("No such pod")
    return access


def current(day: date) -> Q:
    """Pods not disbanded by `day`."""
    return Q(disbanded__isnull=True) | Q(disbanded__gt=day)
