"""This feature's measures for `make bench-measures` (scripts/bench_measures.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from onestory.outcomes.your_voice import (
    by_wave,
    feeling_safe_and_supported,
    time_with_children_and_families,
)
from onestory.surveys.results import wave_results


def measures(day: date) -> list[tuple[str, Callable[[], Any]]]:
    """(label, action) pairs, each timed and its queries counted against the 1 s budget."""
    return [
        ("Your Voice: % feeling safe and supported", lambda: feeling_safe_and_supported(day)),
        (
            "Your Voice: % of time with children and families",
            lambda: time_with_children_and_families(day),
        ),
        ("Your Voice: results of every wave (suppressed)", lambda: wave_results(day=day)),
        ("Your Voice: both measures by wave", by_wave),
    ]
