"""This feature's measures for `make bench-measures` (scripts/bench_measures.py): drawing a
cycle's sample (the plan the draw writes, without writing it), building a cycle report and
learning over time, and the headline audit measures, at the date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from onestory.audits.learning import cycle_report, over_time
from onestory.audits.models import Audit, AuditStatus, Cycle
from onestory.audits.sampling import plan_sample
from onestory.outcomes import audit as outcomes


def measures(day: date) -> list[tuple[str, Callable[[], Any]]]:
    """(label, action) pairs, each timed and its queries counted against the 1 s budget."""
    found: list[tuple[str, Callable[[], Any]]] = [
        ("Audit: draw a sample, 2 a pod", lambda: plan_sample(day=day, seed=2015, per_pod=2)),
        ("Audit: draw a sample, 10 a pod", lambda: plan_sample(day=day, seed=2015, per_pod=10)),
        ("Audit: learning over time", over_time),
        ("Audit: % good or better, service", lambda: outcomes.good_or_better(day)),
        ("Audit: action completion, service", lambda: outcomes.action_completion(day)),
        ("Audit: audits finished, service", lambda: outcomes.audits_finished(day)),
    ]
    finished = Audit.objects.filter(status=AuditStatus.FINISHED).values("sample__cycle")
    cycle = Cycle.objects.filter(pk__in=finished).order_by("-starts").first()
    if cycle is not None:
        found.append((f"Audit: cycle report, {cycle.label}", lambda: cycle_report(cycle)))
    return found
