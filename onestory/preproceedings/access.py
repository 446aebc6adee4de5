"""Who may do what with a family's pre-proceedings records: the one place that decides it.

Pre-proceedings records are part of the family's record, so they are reached only through the
family (`onestory.families.access`): a page first gets the family with `get_family_for`, which
logs the look and answers 404 for a family the user may not see, and then asks `can` here.

`TABLE` says, for each role, which actions each *relation* to the family allows:

- `VIEWER`: the user may see the family's record (families.access, Action.VIEW): whoever may
  see the family may see its pre-proceedings.
- `POD`: the user is a member today of the family's pod and may change the family's record
  (families.access, Action.EDIT; so not a closed family, nor a restricted one they are not
  named on). The family's own social workers and pod manager record the steps.

The list filter (`periods_for`), the object check (`can`) and the generated matrix tests
(tests/test_access_matrix.py) are all built from it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet

from onestory.accounts.models import Role, User
from onestory.families import access as family_access
from onestory.families.models import Family
from onestory.preproceedings.models import PreProceedings


class Action(StrEnum):
    VIEW = "view"  # read the family's pre-proceedings and FGDM records
    RECORD = "record"  # start a period, record the meeting, the FGDM offer and the outcome


class Relation(StrEnum):
    VIEWER = "viewer"  # may see the family's record
    POD = "pod"  # a member today of the family's pod, who may change the family's record


A, R = Action, Relation
WORKING_THE_CASE = {R.POD: frozenset({A.VIEW, A.RECORD}), R.VIEWER: frozenset({A.VIEW})}
READING = {R.VIEWER: frozenset({A.VIEW})}

TABLE: dict[str, dict[Relation, frozenset[Action]]] = {
    Role.SOCIAL_WORKER: WORKING_THE_CASE,
    Role.SENIOR_SOCIAL_WORKER: WORKING_THE_CASE,
    Role.SOCIAL_WORKER_IN_TRAINING: WORKING_THE_CASE,
    Role.POD_MANAGER: WORKING_THE_CASE,
    # Business support keep the family's record tidy, but the steps of pre-proceedings are
    # the social workers' and the pod manager's to record.
    Role.BUSINESS_SUPPORT: READING,
    Role.HEAD_OF_SERVICE: READING,
    Role.QUALITY_LEAD: READING,
    Role.PRACTICE_LEAD: READING,
    # These roles see no family's record (families.access.TABLE), so nothing here either;
    # analysts see the measures on the outcomes dashboard.
    Role.INFORMATION_GOVERNANCE: {},
    Role.PERFORMANCE_ANALYST: {},
    Role.COMPLAINTS_OFFICER: {},
    Role.ADMINISTRATOR: {},
}
# By role, for the navigation and links (no query): who may ever record.
RECORDING_ROLES = frozenset(r for r, rules in TABLE.items() if A.RECORD in rules.get(R.POD, ()))


def rules_for(user: Any) -> dict[Relation, frozenset[Action]]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return {}
    return TABLE.get(user.role, {})


def relations(user: User, family: Family) -> set[Relation]:
    """What the user is to the family, worked out once per user and family object."""
    cache: dict[int, set[Relation]] = family.__dict__.setdefault("_preproceedings_for", {})
    if user.pk not in cache:
        found: set[Relation] = set()
        if family_access.can(user, family, family_access.Action.VIEW):
            found.add(R.VIEWER)
            in_pod = family_access.current_pod_ids(user).filter(pod_id=family.pod_id).exists()
            if in_pod and family_access.can(user, family, family_access.Action.EDIT):
                found.add(R.POD)
        cache[user.pk] = found
    return cache[user.pk]


def can(user: User, family: Family, action: Action) -> bool:
    """The object check: may the user take this action on this family's pre-proceedings?"""
    rules = rules_for(user)
    if not rules:
        return False
    return any(action in rules.get(relation, frozenset()) for relation in relations(user, family))


def families_for(user: User, action: Action) -> QuerySet[Family]:
    """The list filter on families: those on whose pre-proceedings the user may take this
    action."""
    condition = Q(pk__in=[])
    for relation, actions in rules_for(user).items():
        if action not in actions:
            continue
        if relation is R.VIEWER:
            condition |= Q(pk__in=family_access.families_for(user, family_access.Action.VIEW))
        else:
            editable = family_access.families_for(user, family_access.Action.EDIT)
            condition |= Q(pk__in=editable, pod__in=family_access.current_pod_ids(user))
    return Family.objects.filter(condition)


def periods_for(user: User, action: Action = Action.VIEW) -> QuerySet[PreProceedings]:
    """The list filter on pre-proceedings periods."""
    return PreProceedings.objects.filter(family__in=families_for(user, action))


def may_record(user: object) -> bool:
    """By role, with no query: whether the user may ever record pre-proceedings."""
    return getattr(user, "role", None) in RECORDING_ROLES


def sees_pre_proceedings(user: object) -> bool:
    """By role, with no query: for the navigation item "Pre-proceedings" (/pre-proceedings/).
    The list shows only families the user may see."""
    return bool(TABLE.get(getattr(user, "role", ""), {}))
