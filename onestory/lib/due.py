"""Things a person or a pod has to do by a date, from every part of One Story, in one list.

Visits and reviews are worked out from the records (stories/visiting.py). Everything else that
falls due (supervision sessions and actions, audit actions, complaint responses) belongs to a
feature that comes later in the dependency order (docs/decisions/0010-one-way-dependencies.md),
so What's due and the homes cannot import it. Instead each feature registers its sources here
when its app is ready, and the pages ask `tasks_for` and `pod_tasks_for`.

A source is one function taking (user or pod, day) and returning `Task`s in one query or a few:
the pages pin their query counts, so a source must not query per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Task:
    """One thing due: what it is, by when, and a link to the page where it is done."""

    what: str
    due: date
    href: str
    # Who or what it is about, in plain words ("Supervision with Sam Okafor"); never a name
    # the person reading may not see: the source filters by need to know before it answers.
    about: str = ""
    # The feature it comes from, shown as a tag ("Supervision", "Audit", "Complaint").
    source: str = ""

    def overdue_on(self, day: date) -> bool:
        return self.due < day

    def due_within(self, day: date, days: int) -> bool:
        return not self.overdue_on(day) and (self.due - day).days <= days


Source = Callable[[Any, date], list[Task]]
_personal: list[Source] = []
_pod: list[Source] = []


def register(*, personal: Source | None = None, pod: Source | None = None) -> None:
    """Called from an AppConfig's `ready`. Registering the same function twice (the test
    runner may call `ready` again) keeps one."""
    if personal is not None and personal not in _personal:
        _personal.append(personal)
    if pod is not None and pod not in _pod:
        _pod.append(pod)


def _gather(sources: list[Source], subject: Any, day: date) -> list[Task]:
    found = [task for source in sources for task in source(subject, day)]
    return sorted(found, key=lambda t: (t.due, t.source, t.what, t.about))


def tasks_for(user: Any, day: date) -> list[Task]:
    """What this person has to do, from every registered feature, soonest (overdue) first."""
    return _gather(_personal, user, day)


def pod_tasks_for(pod: Any, day: date) -> list[Task]:
    """What is due in this pod as a whole (for its manager), soonest first."""
    return _gather(_pod, pod, day)
