"""This feature's measures for `make bench-measures` (scripts/bench_measures.py): each headline
supervision measure for the service, and for every pod, at the date; and What's due from
supervision for the demo social worker and their pod."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from onestory.accounts.models import User
from onestory.outcomes import supervision as outcomes
from onestory.pods.models import Pod
from onestory.supervision.due import personal_tasks, pod_tasks


def _every_pod(measure: outcomes.Measure, day: date) -> Callable[[], Any]:
    def run() -> list[Any]:
        return [
            measure(day, pod=pk) for pk in Pod.objects.order_by("pk").values_list("pk", flat=True)
        ]

    return run


def _service(measure: outcomes.Measure, day: date) -> Callable[[], Any]:
    return lambda: measure(day)


def measures(day: date) -> list[tuple[str, Callable[[], Any]]]:
    """(label, action) pairs, each timed and its queries counted against the 1 s budget."""
    found: list[tuple[str, Callable[[], Any]]] = []
    for label, measure in outcomes.HEADLINES.items():
        found.append((f"Supervision: {label}, service", _service(measure, day)))
        found.append((f"Supervision: {label}, every pod", _every_pod(measure, day)))
    found.append(("Supervision: ratings by point, service", lambda: outcomes.ratings(day)))
    sam = User.objects.filter(username="demo-social-worker").first()
    if sam is not None:
        found.append(
            ("Supervision: What's due for the demo social worker", lambda: personal_tasks(sam, day))
        )
        pod = Pod.objects.filter(memberships__staff__user=sam).order_by("pk").first()
        if pod is not None:
            found.append(("Supervision: What's due for their pod", lambda: pod_tasks(pod, day)))
    return found
