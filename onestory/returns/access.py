"""Who may make a statutory return, check it, and see what the check found: one TABLE of role
-> actions, driving every page's check (`may`, `require`), the navigation predicate
(`sees_returns`), the export kinds' `may_ask` and the generated matrix tests
(tests/test_access.py).

A return is the whole council's, not a family's: there is no relation to a record here. The
return's files hold every looked-after child's details, so making them is for the people who
send the returns: performance analysts (who own the statutory returns) and business support
(who keep the records the returns are written from, and fix what the check finds).

- The head of service may check a return and see its findings: they answer for the quality of
  the council's returns and should see the errors all year, not only in the summer. They do
  not send the returns, so they do not take the files (a copy of every child's details that
  nobody in their role needs).
- Information governance neither makes nor checks returns: their work is who saw what, which
  the access log holds (every download of a return is in it as an export); a bulk copy of the
  children's details is not needed for it.
- Everyone else (social workers, pod managers, quality and practice leads, the complaints
  officer, the system administrator) works with families or the system, not the returns.

Children's names on the findings list still come through the families' own chokepoint
(`onestory.families.access.people_for`): an analyst, who sees no family, reads CHILD ids only.
"""

from __future__ import annotations

from enum import StrEnum

from django.http import Http404

from onestory.accounts.models import Role


class Action(StrEnum):
    MAKE = "make"  # ask for a return's files (a background export)
    CHECK = "check"  # ask for a check by the DfE's rules
    SEE_FINDINGS = "see_findings"  # the returns page and what the checks found


A = Action

TABLE: dict[str, frozenset[Action]] = {
    Role.PERFORMANCE_ANALYST: frozenset({A.MAKE, A.CHECK, A.SEE_FINDINGS}),
    Role.BUSINESS_SUPPORT: frozenset({A.MAKE, A.CHECK, A.SEE_FINDINGS}),
    Role.HEAD_OF_SERVICE: frozenset({A.CHECK, A.SEE_FINDINGS}),
    Role.INFORMATION_GOVERNANCE: frozenset(),
    Role.SOCIAL_WORKER: frozenset(),
    Role.SENIOR_SOCIAL_WORKER: frozenset(),
    Role.SOCIAL_WORKER_IN_TRAINING: frozenset(),
    Role.POD_MANAGER: frozenset(),
    Role.PRACTICE_LEAD: frozenset(),
    Role.QUALITY_LEAD: frozenset(),
    Role.COMPLAINTS_OFFICER: frozenset(),
    Role.ADMINISTRATOR: frozenset(),
}


def actions_for(user: object) -> frozenset[Action]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return frozenset()
    return TABLE.get(getattr(user, "role", ""), frozenset())


def may(user: object, action: Action) -> bool:
    """By role, with no query."""
    return action in actions_for(user)


def require(user: object, action: Action) -> None:
    """404 for a user who may not: the same answer as for a page that does not exist."""
    if not may(user, action):
        raise Http404("No such page")


def sees_returns(user: object) -> bool:
    """For the navigation item "Statutory returns" and the home page links."""
    return may(user, Action.SEE_FINDINGS)
