"""Who may do what with retention: the one place that decides it.

Retention is service-wide and about whole records, so the table is by role alone: the review
list, holds and disposals are the information governance officer's; a head of service sees the
list and may place or lift a hold (a claim or an inquiry often reaches them first), but never
disposes of a record. Nobody else has any of it. The pages show a family's reference and dates,
never its names; a family is still fetched through `onestory.families.access` (which logs the
look), with the `history` action both roles hold there.

The matrix tests (`tests/test_access.py`) are generated from `TABLE`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied

from onestory.accounts.models import Role


class Action(StrEnum):
    REVIEW = "review"  # the review list, the holds, the disposals and tombstones
    HOLD = "hold"  # place or lift a legal hold
    REQUEST = "request"  # ask for a family's record to be disposed of
    APPROVE = "approve"  # approve someone else's request (and so dispose of the record)
    RULES = "rules"  # change the retention rules


A = Action
EVERYTHING = frozenset(Action)

TABLE: dict[str, frozenset[Action]] = {
    **{role: frozenset() for role in Role},
    Role.INFORMATION_GOVERNANCE: EVERYTHING,
    Role.HEAD_OF_SERVICE: frozenset({A.REVIEW, A.HOLD}),
}


def actions_for(user: Any) -> frozenset[Action]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return frozenset()
    return TABLE.get(user.role, frozenset())


def can(user: Any, action: Action) -> bool:
    """By role, with no query: also for the navigation."""
    return action in actions_for(user)


def check(user: Any, action: Action) -> None:
    """For the write functions: refuses anyone the table does not allow."""
    if not can(user, action):
        raise PermissionDenied(f"Not allowed to {action.value} in retention.")


def sees_retention(user: Any) -> bool:
    """For the navigation item "Retention"."""
    return can(user, A.REVIEW)
