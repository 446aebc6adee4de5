"""Who may see the outcome measures, the evaluation report, and enter the council's figures.

One TABLE of role x scope -> actions. The head of service and performance analysts see the
whole service and every pod, read the report, and enter the child population and the
comparison figures; quality leads see the service and every pod and read the report; a pod
manager sees the figures of the pods they manage today, and nothing service-wide. Anyone else
is answered 404 by every outcomes page. The dashboard reads snapshots (counts and shares,
never a child's record), so no family-level check is involved.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from onestory.accounts.models import Role, User
from onestory.pods.access import managed_pods
from onestory.pods.models import Pod


class Action(StrEnum):
    DASHBOARD = "dashboard"  # the measures, their trends, the CSV
    REPORT = "report"  # the evaluation report
    ENTER_FIGURES = "enter_figures"  # the child population and the comparison figures


class Scope(StrEnum):
    SERVICE = "service"  # the whole service and every pod
    OWN_POD = "own_pod"  # the pods the user manages today


A = Action
EVERYTHING = frozenset(Action)

TABLE: dict[str, dict[Scope, frozenset[Action]]] = {
    Role.HEAD_OF_SERVICE: {Scope.SERVICE: EVERYTHING},
    Role.PERFORMANCE_ANALYST: {Scope.SERVICE: EVERYTHING},
    Role.QUALITY_LEAD: {Scope.SERVICE: frozenset({A.DASHBOARD, A.REPORT})},
    Role.POD_MANAGER: {Scope.OWN_POD: frozenset({A.DASHBOARD})},
}


def _rules(user: object) -> dict[Scope, frozenset[Action]]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return {}
    return TABLE.get(getattr(user, "role", ""), {})


def can(user: object, action: Action, scope: Scope | None = None) -> bool:
    """By role, with no query: whether the user may do `action` in some scope (or in
    `scope`)."""
    rules = _rules(user)
    scopes = [scope] if scope is not None else list(rules)
    return any(action in rules.get(s, frozenset()) for s in scopes)


def can_see_outcomes(user: object) -> bool:
    """For the navigation item "Outcomes" and the home page: no query."""
    return can(user, Action.DASHBOARD)


def sees_service(user: object) -> bool:
    return can(user, Action.DASHBOARD, Scope.SERVICE)


def pods_for(user: User, day: date | None = None) -> QuerySet[Pod]:
    """The pods whose figures the user may see: every pod for the service-wide roles, the
    pods they manage today for a pod manager, none for anyone else."""
    if sees_service(user):
        return Pod.objects.all()
    if can(user, Action.DASHBOARD, Scope.OWN_POD):
        return managed_pods(user, day or timezone.localdate())
    return Pod.objects.none()


def require(user: object, action: Action) -> None:
    """404 for a page the user may not use: the same answer as a page that does not exist."""
    if not can(user, action):
        raise Http404("No such page")


def get_scope(user: User, pod_id: int | None) -> Pod | None:
    """The pod the dashboard is asked for (None: the service), or 404 if the user may not see
    it. A pod manager asking for no pod gets the first pod they manage."""
    require(user, Action.DASHBOARD)
    if pod_id is None:
        if sees_service(user):
            return None
        pod = pods_for(user).order_by("name").first()
    else:
        pod = pods_for(user).filter(pk=pod_id).first()
    if pod is None:
        raise Http404("No such pod")
    return pod
