"""Kinds of document for the tests alone, registered the way a feature registers its own."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from onestory.exports import registry
from onestory.exports.models import Export

# Users who may no longer ask for the "tests.note" kind (a test adds to it, then clears it).
REFUSED: set[int] = set()
STEPS: list[int] = []


def build_note(export: Export, progress: registry.Progress) -> registry.Made:
    for step in (25, 50, 75):
        progress(step)
        STEPS.append(Export.objects.get(pk=export.pk).progress)
    text = f"A note for {export.created_by.get_full_name()}: {export.parameters.get('say', '')}"
    return registry.Made("note one.txt", "text/plain; charset=utf-8", text.encode())


def build_broken(export: Export, progress: registry.Progress) -> registry.Made:
    progress(10)
    return registry.Made("x.txt", "text/plain", str(1 // 0).encode())


def build_cannot(export: Export, progress: registry.Progress) -> registry.Made:
    raise registry.CannotMake("The cycle this report was for has been removed.")


def may_have_note(user: Any, parameters: dict[str, Any]) -> bool:
    return user.pk not in REFUSED


def register_test_kinds() -> None:
    registry.register("tests.note", label="Note", build=build_note, may_ask=may_have_note)
    registry.register("tests.broken", label="Broken", build=build_broken, may_ask=lambda u, p: True)
    registry.register("tests.cannot", label="Cannot", build=build_cannot, may_ask=lambda u, p: True)
    registry.register("tests.nobody", label="Nobody", build=build_note, may_ask=lambda u, p: False)


def url(name: str, *args: Any) -> str:
    return reverse(f"exports:{name}", args=args)


def run_the_worker() -> None:
    """What `manage.py db_worker` does with each task it claims, without closing the test's
    database connection as the worker does when it stops."""
    for queued in DBTaskResult.objects.ready():
        queued.claim("test-worker")
        queued.set_successful(queued.task.call(*queued.task_result.args))
