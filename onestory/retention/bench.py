"""This feature's timings for `make bench-measures` (scripts/bench_measures.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from onestory.families.models import Family
from onestory.retention.models import Rule
from onestory.retention.schedule import due_page_and_count, retention_of


def measures(day: date) -> list[tuple[str, Callable[[], Any]]]:
    """(label, action) pairs, each timed and its queries counted against the 1 s budget."""
    years = Rule.years_by_type()
    family = Family.objects.filter(closed__isnull=False).order_by("pk").first()
    pairs: list[tuple[str, Callable[[], Any]]] = [
        (
            "retention: records due, first page and count",
            lambda: due_page_and_count(day, years, offset=0, limit=50),
        ),
    ]
    if family is not None:
        closed: Family = family
        pairs.append(("retention: one family's date", lambda: retention_of(closed.pk, years)))
    return pairs
