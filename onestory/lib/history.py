"""Change history and the one way to write: `recorded` and `lock`.

Every change to case data is kept by database triggers (django-pghistory), deletes included
(docs/security.md, promise 10). A write that touches several rows is one typed, keyword-only
function that runs inside `recorded(by, action)`: one transaction, with who did it and what
they did in the history of every row it writes. Within a request the history middleware
already records the user and the address; `recorded` adds the action, and covers writes made
outside a request (commands, the task worker) too.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import pghistory
import pghistory.runtime
from django.db import transaction
from django.db.models import QuerySet


class Someone(Protocol):
    pk: Any


def history() -> tuple[pghistory.Tracker, ...]:
    """A fresh set of trackers for each model: pghistory binds a tracker to the model it
    tracks."""
    return (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())


@contextmanager
def recorded(by: Someone, action: str) -> Iterator[None]:
    """One transaction, with who did it (`by`) and what (`action`, e.g. "pods.allocate") in
    the history of every row it writes. Nothing is saved unless everything is.

    Each call gets a history context of its own. Within a request the middleware's context is
    shared by the whole request, and the database refuses to rewrite a context that an earlier
    transaction committed (docs/decisions/0012-database-roles-and-append-only.md); so a second
    write in the same request, with another action, must not reuse it."""
    outer = getattr(pghistory.runtime._tracker, "value", None)
    with transaction.atomic():
        if outer is None:
            with pghistory.context(user=by.pk, action=action):
                yield
            return
        metadata = {**outer.metadata, "user": by.pk, "action": action}
        pghistory.runtime._tracker.value = pghistory.runtime.Context(uuid.uuid4(), metadata)
        try:
            yield
        finally:
            pghistory.runtime._tracker.value = outer


def lock(queryset: QuerySet[Any]) -> None:
    """Takes row locks on the queryset's rows until the transaction ends. Call it inside
    `recorded`, before reading what the write depends on, and say in a comment which race the
    lock prevents."""
    list(queryset.select_for_update().values_list("pk", flat=True))
