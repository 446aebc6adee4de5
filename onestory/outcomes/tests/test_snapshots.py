"""The monthly snapshots: rebuilt from the records, refreshed by the task, replaced whole,
with the code version and time that made them."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from onestory.lib.dates import month_start
from onestory.outcomes.models import Snapshot
from onestory.outcomes.registry import Measure, Section, Unit
from onestory.outcomes.snapshots import (
    code_version,
    current_months,
    next_run,
    rebuild,
    refresh_snapshots,
    schedule_refresh,
    store,
)
from onestory.outcomes.tests.helpers import DAY, nine_children
from onestory.test import Cast


def value(key: str, month: date, pod: int | None = None) -> float | None:
    return Snapshot.objects.get(measure=key, month=month, pod=pod).value


def test_rebuild_stores_every_measure_for_the_service_and_each_pod(cast: Cast) -> None:
    nine_children(cast)
    done: list[tuple[int, int]] = []
    written = rebuild(date(2024, 11, 15), DAY, progress=lambda d, t: done.append((d, t)))
    assert done == [(3, 3)]  # November, December, January: one batch
    assert Snapshot.objects.count() == written
    assert value("cp_plans", date(2024, 11, 1)) == 4  # A, B, D and E
    assert value("cp_plans", DAY) == 2
    assert value("cp_plans", DAY, cast.harbour.pk) == 1
    assert value("cp_plans", DAY, cast.downs.pk) == 0  # a count with nobody is 0
    assert value("in_care", DAY) == 2
    assert value("referrals", DAY) == 3
    assert value("cp_rate", DAY) is None  # no population entered
    # Service-only measures have no pod rows.
    assert not Snapshot.objects.filter(measure="referrals", pod__isnull=False).exists()
    one = Snapshot.objects.get(measure="cp_plans", month=DAY, pod=None)
    assert one.code_version == code_version() and one.code_version
    assert one.computed_at is not None


def test_rebuilding_replaces_a_month_rather_than_adding_to_it(cast: Cast) -> None:
    nine_children(cast)
    first = rebuild(DAY, DAY)
    assert rebuild(DAY, DAY) == first
    assert Snapshot.objects.count() == first


def test_a_measure_without_many_is_asked_month_by_month_and_pod_by_pod(cast: Cast) -> None:
    asked: list[tuple[date, int | None]] = []

    def sessions(day: date, *, pod: int | None = None) -> int:
        asked.append((day, pod))
        return 10 if pod is None else 3

    added = Measure(
        "sessions", "Sessions", Unit.COUNT, sessions, Section.IMPLEMENTATION, per_pod=True
    )
    store([DAY], [added])
    assert sorted(asked, key=str) == sorted(
        [(DAY, None), (DAY, cast.harbour.pk), (DAY, cast.downs.pk)], key=str
    )
    assert value("sessions", DAY) == 10
    assert value("sessions", DAY, cast.harbour.pk) == 3


def test_one_snapshot_per_measure_month_and_pod_even_for_the_service(cast: Cast) -> None:
    now = timezone.now()
    Snapshot.objects.create(measure="x", month=DAY, value=1, code_version="t", computed_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Snapshot.objects.create(measure="x", month=DAY, value=2, code_version="t", computed_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Snapshot.objects.create(
            measure="x", month=date(2025, 1, 2), value=2, code_version="t", computed_at=now
        )


def test_the_task_refreshes_this_month_and_last(cast: Cast) -> None:
    nine_children(cast)
    result = refresh_snapshots.enqueue()  # the tests' backend runs it at once
    this = month_start(timezone.localdate())
    months = set(Snapshot.objects.values_list("month", flat=True))
    assert months == set(current_months(timezone.localdate()))
    assert this in months
    assert result.return_value == Snapshot.objects.count()


def test_the_nightly_run_is_the_next_half_past_two() -> None:
    zone = timezone.get_current_timezone()
    evening = timezone.make_aware(datetime(2026, 3, 2, 21, 0), zone)
    assert timezone.localtime(next_run(evening)).isoformat().startswith("2026-03-03T02:30")
    night = timezone.make_aware(datetime(2026, 3, 3, 1, 0), zone)
    assert timezone.localtime(next_run(night)).isoformat().startswith("2026-03-03T02:30")


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_scheduling_queues_one_refresh_and_only_one(cast: Cast) -> None:
    from django_tasks_db.models import DBTaskResult

    assert schedule_refresh() is True
    assert schedule_refresh() is False
    (queued,) = DBTaskResult.objects.filter(task_path=refresh_snapshots.module_path)
    assert queued.status == "READY"
    assert queued.run_after > timezone.now()


def test_the_command_shows_its_progress(cast: Cast) -> None:
    nine_children(cast)
    out = StringIO()
    call_command("rebuild_snapshots", "--from", "2024-06", stdout=out)
    text = out.getvalue()
    months = len({m for m in Snapshot.objects.values_list("month", flat=True)})
    assert f"[{'#' * 30}] {months}/{months} months" in text
    assert "snapshots from June 2024 to" in text
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("rebuild_snapshots", "--from", "June")
