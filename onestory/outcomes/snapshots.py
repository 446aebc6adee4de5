"""Monthly snapshots of every measure: what the dashboard and the report read.

Each measure in the registry is computed on the first day of each month, for the service and
(when it has per-pod values) for each pod with a value, and stored with the version of the code
that computed it. A month's snapshots are replaced as a whole, in one transaction, so a page
never reads a half-refreshed month.

- `refresh_snapshots` (a django-tasks task, run by the worker) recomputes the current and the
  previous month: records for last month can still be entered late. It enqueues itself for the
  next night, so once one is queued the refresh runs every night; `schedule_refresh` queues the
  first one unless one is waiting (`manage.py schedule_snapshots`, run as the worker starts).
- `rebuild(first, last)` recomputes any span of history (`manage.py rebuild_snapshots`), a
  year of months at a time, so that the measures' `many` functions answer for twelve months in
  one query each.
"""

from __future__ import annotations

import functools
import os
import subprocess
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from onestory.lib.dates import month_start, month_starts
from onestory.outcomes.models import Snapshot
from onestory.outcomes.registry import MEASURES, Measure
from onestory.pods.models import Pod

# The model began in October 2015; history from 2014 shows where it started from.
HISTORY_STARTS = date(2014, 1, 1)
# Months computed together by `rebuild` (one query per measure for the lot).
BATCH_MONTHS = 12
# When the nightly refresh runs (council time): after the day's records, before the morning.
NIGHTLY_AT = time(2, 30)
ROOT = Path(__file__).resolve().parent.parent.parent


@functools.cache
def code_version() -> str:
    """The version of the code computing the snapshots: `ONESTORY_VERSION` when the deploy
    sets it, else the git commit of the checkout, else the package version in
    pyproject.toml."""
    configured = os.environ.get("ONESTORY_VERSION", "").strip()
    if configured:
        return configured[:60]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        if commit:
            return f"git {commit}"
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        import tomllib

        with open(ROOT / "pyproject.toml", "rb") as file:
            return f"onestory {tomllib.load(file)['project']['version']}"
    except (OSError, KeyError, ValueError):
        return "unknown"


def _pods_running(months: Sequence[date]) -> dict[date, list[int]]:
    """The pods running on each month's first day: one query."""
    pods = list(Pod.objects.values_list("pk", "formed", "disbanded"))
    return {
        month: [
            pk
            for pk, formed, disbanded in pods
            if formed <= month and (disbanded is None or disbanded > month)
        ]
        for month in months
    }


def compute(months: Sequence[date], measures: Sequence[Measure] = MEASURES) -> list[Snapshot]:
    """The snapshots for `months` (firsts of months), unsaved."""
    now, version = timezone.now(), code_version()
    running = _pods_running(months)
    every_pod = sorted({pk for pods in running.values() for pk in pods})
    made = []
    for measure in measures:
        if measure.many is not None:
            values = measure.values_on(months, every_pod)
        else:
            # Month by month, each for the pods running that month only: a council's pods
            # come and go, and a measure asked of a pod not yet formed is a wasted query.
            values = {}
            for month in months:
                values.update(measure.values_on([month], running[month]))
        for month in months:
            made.append(
                Snapshot(
                    measure=measure.key,
                    month=month,
                    pod_id=None,
                    value=values.get((month, None)),
                    code_version=version,
                    computed_at=now,
                )
            )
            if not measure.per_pod:
                continue
            for pod_id in running[month]:
                value = values.get((month, pod_id))
                # A count with no children in the pod that month is 0, not "no data".
                if value is None and measure.many is not None and measure.zero_when_empty:
                    value = 0
                made.append(
                    Snapshot(
                        measure=measure.key,
                        month=month,
                        pod_id=pod_id,
                        value=value,
                        code_version=version,
                        computed_at=now,
                    )
                )
    return made


def store(months: Sequence[date], measures: Sequence[Measure] = MEASURES) -> int:
    """Recomputes and replaces the snapshots of `months`, in one transaction: the rows
    written."""
    made = compute(months, measures)
    with transaction.atomic():
        Snapshot.objects.filter(
            month__in=list(months), measure__in=[m.key for m in measures]
        ).delete()
        Snapshot.objects.bulk_create(made, batch_size=5000)
    return len(made)


def rebuild(
    first: date,
    last: date,
    *,
    measures: Sequence[Measure] = MEASURES,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recomputes every month from the month of `first` to `last`, a year at a time, calling
    `progress(done, total)` after each batch. The rows written."""
    months = month_starts(first, last)
    written = 0
    for start in range(0, len(months), BATCH_MONTHS):
        batch = months[start : start + BATCH_MONTHS]
        written += store(batch, measures)
        if progress is not None:
            progress(start + len(batch), len(months))
    return written


def current_months(today: date) -> list[date]:
    this = month_start(today)
    return [month_start(this - timedelta(days=1)), this]


def next_run(now: datetime) -> datetime:
    """The next nightly run after `now`, in council time."""
    local = timezone.localtime(now)
    at = timezone.make_aware(datetime.combine(local.date(), NIGHTLY_AT))
    return at if at > local else at + timedelta(days=1)


@task()
def refresh_snapshots(reschedule: bool = True) -> int:
    """Recomputes the current and the previous month, then (unless told not to) queues the
    next night's run. The rows written."""
    written = store(current_months(timezone.localdate()))
    # A backend that cannot defer (the tests run tasks at once) would run it again forever.
    if reschedule and refresh_snapshots.get_backend().supports_defer:
        refresh_snapshots.using(run_after=next_run(timezone.now())).enqueue()
    return written


def schedule_refresh() -> bool:
    """Queues the nightly refresh unless one is already waiting: True when it queued one. Safe
    to run every time the worker starts."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=refresh_snapshots.module_path, status__in=["READY", "RUNNING"]
    )
    if waiting.exists():
        return False
    refresh_snapshots.using(run_after=next_run(timezone.now())).enqueue()
    return True


# --- Reading them --------------------------------------------------------------------------


def freshness() -> tuple[datetime | None, str]:
    """When the oldest current snapshot was computed, and by which code version."""
    latest = Snapshot.objects.order_by("-month", "computed_at").values_list(
        "computed_at", "code_version"
    )
    found = latest.first()
    return (found[0], found[1]) if found else (None, "")
