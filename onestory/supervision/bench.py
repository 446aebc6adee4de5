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

# Every pod at once is one query (outcomes/supervision.py, the `*_on` forms), as the
# snapshots ask it; the dashboard asks one pod at a time with the functions for one day.
EVERY_POD = {
    outcomes.supervised_share: outcomes.supervised_on,
    outcomes.minutes_per_worker: outcomes.minutes_on,
    outcomes.families_discussed_share: outcomes.families_discussed_on,
    outcomes.rpg_attendance: outcomes.rpg_on,
    outcomes.safe_and_stable_share: outcomes.safe_and_stable_on,
}


def _every_pod(measure: outcomes.Measure, day: date) -> Callable[[], Any]:
    return lambda: EVERY_POD[measure]([day])


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
