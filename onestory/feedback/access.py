"""Who may do what with the log of compliments and complaints. The one place that decides it.

`TABLE` says, for each role, which actions each *relation* to an item allows:

- `SERVICE`: every item; the complaints officer keeps the log, the head of service oversees it;
- `FAMILY`: the item is about a family the user may see (`onestory.families.access`): a
  complaint about a family is part of what those working with the family need to know;
- `POD`: the item names a pod the user manages today.

Reports are counts with no record in them, so they follow the role alone (`REPORT_ROLES`). The
list filter (`items_for`), the object check (`can`) and the matrix tests
(`tests/test_access.py`) are all built from the table, so they cannot disagree. An item the
user may not see answers 404, the same as one that does not exist.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from onestory.accounts.models import Role, User
from onestory.families import access as families
from onestory.feedback.models import Item
from onestory.pods.models import PodMembership, PodRole


class Action(StrEnum):
    VIEW = "view"  # see the item and its stages
    MANAGE = "manage"  # start, extend, answer and close its stages


class Relation(StrEnum):
    SERVICE = "service"
    FAMILY = "family"
    POD = "pod"


A = Action
R = Relation
SEE = frozenset({A.VIEW})
KEEP = frozenset({A.VIEW, A.MANAGE})

# Roles that see families' records see the items about those families; nobody else does.
_FAMILY_READERS = {
    role: {R.FAMILY: SEE}
    for role, rules in families.TABLE.items()
    if any(families.Action.VIEW in actions for actions in rules.values())
}

TABLE: dict[str, dict[Relation, frozenset[Action]]] = {
    **{role: {} for role in Role},
    **_FAMILY_READERS,
    Role.COMPLAINTS_OFFICER: {R.SERVICE: KEEP},
    Role.HEAD_OF_SERVICE: {R.SERVICE: SEE},
    Role.POD_MANAGER: {R.FAMILY: SEE, R.POD: SEE},
}
# Who logs what arrives by phone, letter, email or in person.
LOGGING_ROLES = frozenset({Role.COMPLAINTS_OFFICER})
# Who sees the reports: counts by year, source, stage and outcome, with no names in them.
REPORT_ROLES = frozenset(
    {
        Role.COMPLAINTS_OFFICER,
        Role.HEAD_OF_SERVICE,
        Role.PERFORMANCE_ANALYST,
        Role.PRACTICE_LEAD,
        Role.QUALITY_LEAD,
    }
)


def rules_for(user: Any) -> dict[Relation, frozenset[Action]]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return {}
    return TABLE.get(user.role, {})


def managed_pod_ids(user: User) -> QuerySet[Any, dict[str, Any]]:
    return (
        PodMembership.objects.open_on(timezone.localdate())
        .filter(staff__user=user, role=PodRole.POD_MANAGER)
        .values("pod_id")
    )


NOTHING = Q(pk__in=[])


def items_for(user: User, action: Action = Action.VIEW) -> QuerySet[Item]:
    """The list filter: the items on which the user may take this action."""
    condition = NOTHING
    for relation, actions in rules_for(user).items():
        if action not in actions:
            continue
        if relation is R.SERVICE:
            return Item.objects.all()
        if relation is R.FAMILY:
            condition |= Q(family__in=families.families_for(user, families.Action.VIEW))
        if relation is R.POD:
            condition |= Q(pod__in=managed_pod_ids(user))
    return Item.objects.filter(condition)


def relations(user: User, item: Item) -> set[Relation]:
    """The object check's view of the same relations, for one item. A relation the user's role
    has no rule for is not looked up: it could change nothing."""
    rules = rules_for(user)
    found = {R.SERVICE}
    family = item.family if item.family_id is not None else None
    if (
        R.FAMILY in rules
        and family is not None
        and families.can(user, family, families.Action.VIEW)
    ):
        found.add(R.FAMILY)
    if (
        R.POD in rules
        and item.pod_id is not None
        and managed_pod_ids(user).filter(pod_id=item.pod_id).exists()
    ):
        found.add(R.POD)
    return found


def can(user: User, item: Item, action: Action) -> bool:
    rules = rules_for(user)
    if not any(action in actions for actions in rules.values()):
        return False
    if any(action in actions for relation, actions in rules.items() if relation is R.SERVICE):
        return True
    return any(action in rules.get(relation, frozenset()) for relation in relations(user, item))


def get_item_for(user: User, uuid: UUID | str, action: Action = Action.VIEW) -> Item:
    """The item if the user may take this action on it; otherwise 404, the same answer as for
    an item that does not exist."""
    try:
        item = Item.objects.select_related("family", "pod", "worker", "logged_by").get(uuid=uuid)
    except (Item.DoesNotExist, ValueError, ValidationError):
        raise Http404("No such item") from None
    if not can(user, item, action):
        raise Http404("No such item")
    return item


# --- By role, with no query: for the navigation, the home page and the service pages -------


def keeps_the_log(user: object) -> bool:
    """May log what arrives and see the whole log: the complaints officer."""
    return getattr(user, "role", None) in LOGGING_ROLES


def sees_complaints(user: object) -> bool:
    """Offered the "Complaints" navigation item: those who keep or oversee the log, and pod
    managers, who see the complaints naming their pods. Each item is still checked."""
    rules = TABLE.get(getattr(user, "role", ""), {})
    return R.SERVICE in rules or R.POD in rules or keeps_the_log(user)


def sees_reports(user: object) -> bool:
    return getattr(user, "role", None) in REPORT_ROLES


def manages_stages(user: object) -> bool:
    """May manage stages somewhere (each item is still checked)."""
    rules = TABLE.get(getattr(user, "role", ""), {})
    return any(A.MANAGE in actions for actions in rules.values())
