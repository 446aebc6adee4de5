"""The task worker, riding out a database restart (issue 18; docs/decisions/0020).

`manage.py db_worker` (django-tasks-db) ends at the first error it does not expect, and a lost
connection is one: its loop claims the next task inside a transaction and lets the
OperationalError out. This command runs the same worker, with the same options, and when the
database goes away it waits and starts the loop again, each wait twice the last (1 s up to
15 s), with one plain line in the log each time. Any other error still ends it, as before.

A task the outage cut off is left "running" by the library for ever (its result could not be
written), which would stop the nightly snapshot chain (onestory/outcomes/snapshots.py only
queues a refresh when none is waiting or running). Only this process runs tasks under its
worker id, so once the database answers again, its tasks still marked running are queued again.
A task may therefore run twice (once cut off): tasks here must be safe to re-run.

In production it first refuses a database that runs with fsync or synchronous_commit off
(onestory/core/checks.py), as the web server does in onestory/wsgi.py.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.management.base import CommandError
from django.db import DatabaseError, connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from onestory.core.checks import refusal_to_start
from onestory.core.unavailable import DATABASE_ERRORS, is_database_unavailable

logger = logging.getLogger("onestory.task_worker")


@dataclass
class Backoff:
    """Waits that double after each failure, from `first` to at most `most` seconds; a run
    that lasted `healthy` seconds or more was a recovery, so the next outage starts again from
    `first`. At most 15 s: a database restart takes seconds, and a probe costs one attempt to
    connect."""

    first: float = 1.0
    most: float = 15.0
    healthy: float = 10.0
    current: float = 0.0

    def next_wait(self, ran_for: float) -> float:
        if self.current == 0.0 or ran_for >= self.healthy:
            self.current = self.first
        else:
            self.current = min(self.most, self.current * 2)
        return self.current


def ride_out(
    run: Callable[[], None],
    *,
    after_outage: Callable[[], object],
    backoff: Backoff,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Runs `run` until it returns, starting it again after each error that means the database
    is away. Returns how many times it was started again."""
    sleep = sleep or _pause
    restarts = 0
    while True:
        started = clock()
        try:
            run()
            return restarts
        except DATABASE_ERRORS as error:
            if not is_database_unavailable(error):
                raise
            wait = backoff.next_wait(clock() - started)
            logger.warning(
                "The task worker lost the database (%s); starting again in %.0f s",
                (str(error).strip().splitlines() or [type(error).__name__])[0],
                wait,
            )
            _close_connections()
            sleep(wait)
            restarts += 1
            try:
                after_outage()
            except DATABASE_ERRORS as again:
                if not is_database_unavailable(again):
                    raise
                # Still away: the next run finds out, and waits longer.
                _close_connections()


def _pause(seconds: float) -> None:
    # Ctrl-C or SIGTERM during the wait ends the worker: db_worker's signal handlers are still
    # installed, and exit at once when no task is running.
    time.sleep(seconds)


def _close_connections() -> None:
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DatabaseError:
            connection.connection = None


def requeue_cut_off_tasks(worker_id: str) -> int:
    """Puts back in the queue the tasks this worker was running when the database went away."""
    from django_tasks_db.models import DBTaskResult

    cut_off = DBTaskResult.objects.filter(status="RUNNING", worker_ids__contains=[worker_id])
    names = list(cut_off.values_list("task_path", flat=True))
    count = cut_off.update(status="READY", started_at=None)
    for name in names:
        logger.warning("Task %s was cut off by the outage; it is queued to run again", name)
    return count


class Command(DbWorkerCommand):
    help = (
        "Run the database task worker, waiting and starting again when the database is away "
        "(db_worker's options)."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        # The reloader runs the loop in a thread of a child process, out of reach of the retry.
        parser.set_defaults(reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        reason = refusal_to_start()
        if reason:
            raise CommandError(f"The task worker cannot start: {reason}")
        if options.get("reload"):
            raise CommandError("task_worker does not reload: use db_worker --reload instead.")
        worker_id = options["worker_id"]
        ride_out(
            lambda: super(Command, self).handle(*args, **options),
            after_outage=lambda: requeue_cut_off_tasks(worker_id),
            backoff=Backoff(),
        )
