"""Who may do what with Your Voice. The one place that decides it.

`TABLE` gives each role its actions. Every member of staff may answer; the quality lead runs
the survey (opens and closes waves, edits the questions); the head of service, performance
analysts and the quality lead see the results, which are anonymous and suppressed. Free text is
the one thing that could name someone in their own words, so only the quality lead reads it, and
only once the wave has closed, when no more answers can be added to single anyone out.

Nothing here looks at a response's author: there is none to look at (models.py).
"""

from __future__ import annotations

from enum import StrEnum

from django.http import Http404

from onestory.accounts.models import Role, User
from onestory.surveys.models import Wave


class Action(StrEnum):
    RESPOND = "respond"
    MANAGE_WAVES = "manage_waves"
    EDIT_QUESTIONS = "edit_questions"
    SEE_RESULTS = "see_results"
    READ_FREE_TEXT = "read_free_text"


A = Action
RESULTS = frozenset({A.RESPOND, A.SEE_RESULTS})

TABLE: dict[str, frozenset[Action]] = {
    Role.SOCIAL_WORKER: frozenset({A.RESPOND}),
    Role.SENIOR_SOCIAL_WORKER: frozenset({A.RESPOND}),
    Role.SOCIAL_WORKER_IN_TRAINING: frozenset({A.RESPOND}),
    Role.POD_MANAGER: frozenset({A.RESPOND}),
    Role.BUSINESS_SUPPORT: frozenset({A.RESPOND}),
    Role.PRACTICE_LEAD: frozenset({A.RESPOND}),
    Role.QUALITY_LEAD: RESULTS | {A.MANAGE_WAVES, A.EDIT_QUESTIONS, A.READ_FREE_TEXT},
    Role.HEAD_OF_SERVICE: RESULTS,
    Role.PERFORMANCE_ANALYST: RESULTS,
    Role.INFORMATION_GOVERNANCE: frozenset({A.RESPOND}),
    Role.COMPLAINTS_OFFICER: frozenset({A.RESPOND}),
    # System administrators run the system: their accounts are for the admin, not the service.
    Role.ADMINISTRATOR: frozenset(),
}


def can(user: object, action: Action) -> bool:
    """By role, with no query: for pages, the navigation and the home page."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return action in TABLE.get(getattr(user, "role", ""), frozenset())


def require(user: User, action: Action) -> None:
    """404 for a page the user may not use, the same as for one that does not exist."""
    if not can(user, action):
        raise Http404("No such page")


def can_read_free_text(user: object, wave: Wave) -> bool:
    return can(user, A.READ_FREE_TEXT) and not wave.is_open


def uses_your_voice(user: object) -> bool:
    """For the navigation item "Your Voice": anyone who may answer or see the results."""
    return can(user, A.RESPOND) or can(user, A.SEE_RESULTS)


def sees_results(user: object) -> bool:
    return can(user, A.SEE_RESULTS)


def manages_waves(user: object) -> bool:
    return can(user, A.MANAGE_WAVES)
