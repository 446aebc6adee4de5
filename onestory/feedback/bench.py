"""This feature's measures for `make bench-measures` (scripts/bench_measures.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from onestory.accounts.models import Role, User
from onestory.feedback.log import log_page, personal_tasks
from onestory.feedback.reports import report
from onestory.outcomes.feedback import complaints_projected, compliments, stage_1_in_time


def measures(day: date) -> list[tuple[str, Callable[[], Any]]]:
    """(label, action) pairs, each timed and its queries counted against the 1 s budget."""
    officer = User.objects.filter(role=Role.COMPLAINTS_OFFICER, is_active=True).first()
    pairs: list[tuple[str, Callable[[], Any]]] = [
        ("feedback: compliments this financial year", lambda: compliments(day)),
        ("feedback: complaints projected", lambda: complaints_projected(day)),
        ("feedback: stage 1 responses in time", lambda: stage_1_in_time(day)),
        ("feedback: reports page (all years)", lambda: report(day)),
    ]
    if officer is not None:
        keeper: User = officer
        pairs += [
            ("feedback: the log, overdue", lambda: log_page(keeper, {"overdue": True}, day)),
            ("feedback: the officer's What's due", lambda: personal_tasks(keeper, day)),
        ]
    return pairs
