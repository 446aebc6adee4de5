"""This feature's measures and lists for `make bench-measures` (scripts/bench_measures.py):
the two FGDM shares for the service and every pod at the date, and the demo social worker's
list of families with pre-proceedings (the list filter)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from onestory.accounts.models import User
from onestory.outcomes import preproceedings as outcomes
from onestory.preproceedings.access import Action, periods_for


def measures(day: date) -> list[tuple[str, Callable[[], Any]]]:
    """(label, action) pairs, each timed and its queries counted against the 1 s budget."""
    found: list[tuple[str, Callable[[], Any]]] = [
        ("Pre-proceedings: FGDM offered, service", lambda: outcomes.offered_share(day)),
        ("Pre-proceedings: FGDM offered, every pod", lambda: outcomes.offered_on([day])),
        ("Pre-proceedings: FGDM held, service", lambda: outcomes.held_share(day)),
        ("Pre-proceedings: FGDM held, every pod", lambda: outcomes.held_on([day])),
    ]
    sam = User.objects.filter(username="demo-social-worker").first()
    if sam is not None:
        found.append(
            (
                "Pre-proceedings: periods the demo social worker may record",
                lambda: list(periods_for(sam, Action.RECORD).values_list("pk", flat=True)),
            )
        )
    return found
