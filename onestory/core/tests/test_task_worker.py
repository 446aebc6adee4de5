"""Issue 18: the task worker rides out a database restart (onestory/core/management/commands/
task_worker.py): it waits, longer each time, starts its loop again, and queues again a task
that the outage cut off."""

from __future__ import annotations

import logging
import signal
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from onestory.core.management.commands import task_worker
from onestory.core.management.commands.task_worker import Backoff, requeue_cut_off_tasks, ride_out
from onestory.core.tests.unreachable import unreachable_connection


def refused() -> OperationalError:
    """A real "connection refused", as Django raises it."""
    try:
        unreachable_connection().ensure_connection()
    except OperationalError as error:
        return error
    raise AssertionError("the closed port answered")


def cancelled() -> OperationalError:
    """A real error a query caused (not an outage)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SAVEPOINT before_timeout")
            cursor.execute("SET LOCAL statement_timeout = 1")
            try:
                cursor.execute("SELECT pg_sleep(1)")
            finally:
                cursor.execute("ROLLBACK TO SAVEPOINT before_timeout")
    except OperationalError as error:
        return error
    raise AssertionError("the statement was not cancelled")


@pytest.fixture
def keep_signal_handlers() -> Iterator[None]:
    """db_worker installs its own handlers for SIGINT and SIGTERM: put pytest's back."""
    kept = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    kept[signal.SIGQUIT] = signal.getsignal(signal.SIGQUIT)
    yield
    for signum, handler in kept.items():
        signal.signal(signum, handler)


def test_waits_double_up_to_fifteen_seconds_and_start_again_after_a_healthy_run() -> None:
    backoff = Backoff()
    assert [backoff.next_wait(0.1) for _ in range(6)] == [1, 2, 4, 8, 15, 15]
    assert backoff.next_wait(30.0) == 1  # it ran for half a minute: a new outage


@pytest.mark.django_db
def test_the_loop_is_started_again_after_each_outage(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    error = refused()
    outcomes: list[Exception | None] = [error, error, error, None]
    runs: list[int] = []
    waits: list[float] = []
    after: list[int] = []

    def run() -> None:
        runs.append(1)
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise outcome

    restarts = ride_out(
        run, after_outage=lambda: after.append(1), backoff=Backoff(), sleep=waits.append
    )
    assert restarts == 3 and len(runs) == 4 and len(after) == 3
    assert waits == [1, 2, 4]
    lines = [r.getMessage() for r in caplog.records if r.name == "onestory.task_worker"]
    assert len(lines) == 3
    assert lines[0].startswith("The task worker lost the database (")
    assert lines[0].endswith("starting again in 1 s")
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.django_db
def test_an_error_a_task_or_query_caused_still_ends_the_worker() -> None:
    error = cancelled()

    def run() -> None:
        raise error

    waits: list[float] = []
    with pytest.raises(OperationalError):
        ride_out(run, after_outage=lambda: None, backoff=Backoff(), sleep=waits.append)
    assert waits == []
    with pytest.raises(RuntimeError):
        ride_out(
            lambda: (_ for _ in ()).throw(RuntimeError("bug")),
            after_outage=lambda: None,
            backoff=Backoff(),
            sleep=waits.append,
        )


def task_result(*, status: str, worker_ids: list[str]) -> DBTaskResult:  # type: ignore[type-arg]
    return DBTaskResult.objects.create(
        status=status,
        worker_ids=worker_ids,
        task_path="onestory.stories.copies.make_family_copy",
        args_kwargs={"args": [0], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        started_at=timezone.now() if status == "RUNNING" else None,
    )


@pytest.mark.django_db
def test_only_this_workers_cut_off_tasks_are_queued_again() -> None:
    ours = task_result(status="RUNNING", worker_ids=["other", "ours"])
    theirs = task_result(status="RUNNING", worker_ids=["other"])
    done = task_result(status="SUCCESSFUL", worker_ids=["ours"])
    assert requeue_cut_off_tasks("ours") == 1
    ours.refresh_from_db()
    theirs.refresh_from_db()
    done.refresh_from_db()
    assert (ours.status, ours.started_at) == ("READY", None)
    assert theirs.status == "RUNNING" and done.status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_for_the_database_then_runs_the_task_the_outage_cut_off(
    settings,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    keep_signal_handlers: None,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    caplog.set_level(logging.INFO)
    cut_off = task_result(status="RUNNING", worker_ids=["drill-worker"])
    real = connections["default"]
    waits: list[float] = []

    def the_database_comes_back(seconds: float) -> None:
        waits.append(seconds)
        connections["default"] = real

    monkeypatch.setattr(task_worker, "_pause", the_database_comes_back)
    connections["default"] = unreachable_connection()
    try:
        call_command("task_worker", "--batch", "--no-startup-delay", "--worker-id", "drill-worker")
    finally:
        connections["default"] = real
    assert waits == [1]
    cut_off.refresh_from_db()
    assert cut_off.status == "SUCCESSFUL"
    assert cut_off.return_value == "gone"  # the copy it was to make does not exist
    messages = [r.getMessage() for r in caplog.records if r.name == "onestory.task_worker"]
    assert messages[0].startswith("The task worker lost the database")
    assert "make_family_copy was cut off by the outage" in messages[1]
