"""Change history and the one way to write: `recorded` and `lock`.

Every change to case data is kept by database triggers (django-pghistory), deletes included
(docs/security.md, promise 10). A write that touches several rows is one typed, keyword-only
function that runs inside `recorded(by, action)`: one transaction, with who did it and what
they did in the history of every row it writes. Within a request the history middleware
already records the user and the address; `recorded` adds the action, and covers writes made
outside a request (commands, the task worker) too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import pghistory
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
    the history of every row it writes. Nothing is saved unless everything is."""
    with transaction.atomic(), pghistory.context(user=by.pk, action=action):
        yield


def lock(queryset: QuerySet[Any]) -> None:
    """Takes row locks on the queryset's rows until the transaction ends. Call it inside
    `recorded`, before reading what the write depends on, and say in a comment which race the
    lock prevents."""
    list(queryset.select_for_update().values_list("pk", flat=True))
