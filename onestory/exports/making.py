"""Asking for a document, making it in the task worker, and forgetting it after 7 days.

`request_export` records the request and enqueues `make_export` in the same transaction, so
the worker never sees one without the other. The worker claims the request with a conditional
UPDATE (two workers cannot both make it), asks the feature's `may_ask` again, runs its builder
and keeps the file until the document expires. `forget_expired` deletes expired documents,
file and all: run by the nightly `expire_exports` task and by every `make_export`.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from onestory.accounts.models import User
from onestory.exports import registry
from onestory.exports.models import KEPT_FOR, Export, Status
from onestory.lib.history import lock, recorded

logger = logging.getLogger(__name__)

# What the person who asked reads when a builder fails for a reason it did not foresee. The
# details (the traceback) go to the log, never to the page.
SORRY = (
    "Sorry, the document could not be made. Try again; if it fails again, tell the service "
    "desk, giving the time you asked for it."
)
NO_LONGER_ALLOWED = "You may no longer have this document, so it was not made."
UNKNOWN_KIND = "One Story no longer makes this kind of document."


class NotAllowed(Exception):
    """The user may not ask for this kind of document with these parameters."""


def request_export(*, by: User, kind: str, parameters: dict[str, Any], title: str) -> Export:
    """The user's document of this kind and parameters that is still being made, or a new
    request for one, enqueued for the task worker. Asking twice while it is being made (a
    double click, a second tab) gives the same request; asking after it is ready makes a new
    one, since the records it reports on may have changed."""
    if not registry.may_ask(by, kind, parameters):
        raise NotAllowed(kind)
    with recorded(by=by, action="exports.request"):
        # The race: two requests from one double click, each finding nothing in progress and
        # each making a document. Locking the user's own row serialises their requests.
        lock(User.objects.filter(pk=by.pk))
        current = (
            Export.objects.defer("content")
            .filter(
                created_by=by,
                kind=kind,
                parameters=parameters,
                status__in=[Status.QUEUED, Status.MAKING],
                expires_at__gt=timezone.now(),
            )
            .first()
        )
        if current is not None:
            return current
        now = timezone.now()
        export = Export.objects.create(
            kind=kind,
            parameters=parameters,
            title=title[:200],
            created_by=by,
            created_at=now,
            expires_at=now + KEPT_FOR,
        )
        # In the same transaction as the request: the worker never sees one without the other.
        make_export.enqueue(export.pk)
    export.refresh_from_db(fields=["status", "progress", "error", "finished_at"])
    return export


def safe_filename(name: str) -> str:
    """A file name that is safe in a Content-Disposition header and on any disk."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return (cleaned or "document")[:120]


def _fail(export_id: int, error: str) -> None:
    Export.objects.filter(pk=export_id).update(
        status=Status.FAILED, error=error, finished_at=timezone.now()
    )


def progress_of(export_id: int) -> registry.Progress:
    """The callback a builder calls with how far it has got (0 to 100). Only a document being
    made moves on, and never backwards."""

    def progress(percent: int) -> None:
        percent = max(0, min(99, int(percent)))  # 100 is for the finished file
        Export.objects.filter(pk=export_id, status=Status.MAKING, progress__lt=percent).update(
            progress=percent
        )

    return progress


@task()
def make_export(export_id: int) -> str:
    """Make one document and keep it until it expires."""
    forget_expired()
    # Claim it: a conditional UPDATE, so a second worker (or a retry) finds nothing to do.
    claimed = Export.objects.filter(pk=export_id, status=Status.QUEUED).update(
        status=Status.MAKING, started_at=timezone.now(), progress=1
    )
    if not claimed:
        return "gone"
    export = Export.objects.select_related("created_by").defer("content").get(pk=export_id)
    kind = registry.kind(export.kind)
    if kind is None:
        _fail(export.pk, UNKNOWN_KIND)
        return "unknown"
    # Access is checked again at download; this saves making one nobody may have.
    if not registry.may_ask(export.created_by, export.kind, export.parameters):
        _fail(export.pk, NO_LONGER_ALLOWED)
        return "refused"
    try:
        # A savepoint: a database error inside the builder must not spoil the transaction
        # the failure is then written in (under the immediate backend, the request's own).
        with transaction.atomic():
            made = kind.build(export, progress_of(export.pk))
        if not made.content:
            raise ValueError("The builder made an empty file")
    except registry.CannotMake as reason:
        _fail(export.pk, str(reason) or SORRY)
        return "failed"
    except Exception:
        logger.exception("The document %s (%s) could not be made", export.pk, export.kind)
        _fail(export.pk, SORRY)
        return "failed"
    Export.objects.filter(pk=export.pk, status=Status.MAKING).update(
        status=Status.READY,
        progress=100,
        filename=safe_filename(made.filename),
        content_type=made.content_type[:100],
        content=made.content,
        size=len(made.content),
        finished_at=timezone.now(),
    )
    return "ready"


def forget_expired(now: datetime | None = None) -> int:
    """Delete every expired document, file and all: the number deleted."""
    deleted, _ = Export.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


# --- The nightly expiry --------------------------------------------------------------------

EXPIRY_HOUR = 2  # 2am: the quietest hour


def next_run(now: datetime) -> datetime:
    """The next 2am, local time."""
    local = timezone.localtime(now)
    run = local.replace(hour=EXPIRY_HOUR, minute=0, second=0, microsecond=0)
    return run if run > local else run + timedelta(days=1)


@task()
def expire_exports(reschedule: bool = True) -> int:
    """Delete expired documents, then queue the next night's run (under the database
    backend; the immediate backend used by tests cannot wait)."""
    deleted = forget_expired()
    if reschedule and expire_exports.get_backend().supports_defer:
        expire_exports.using(run_after=next_run(timezone.now())).enqueue()
    return deleted


def schedule_expiry() -> bool:
    """Queues the nightly expiry unless one is already waiting: True when it queued one. Safe
    to run every time the worker starts."""
    from django_tasks_db.models import DBTaskResult

    if not expire_exports.get_backend().supports_defer:
        return False
    waiting = DBTaskResult.objects.filter(
        task_path=expire_exports.module_path, status__in=["READY", "RUNNING"]
    )
    if waiting.exists():
        return False
    expire_exports.using(run_after=next_run(timezone.now())).enqueue()
    return True
