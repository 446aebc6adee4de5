"""Documents made in the background: asked for, made by the task worker with its progress on
the page, downloaded only by the person who asked (each download logged as an export), and
deleted after 7 days. A builder that fails leaves a plain message, never a traceback."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from onestory.exports import making
from onestory.exports.models import KEPT_FOR, Export, Status
from onestory.exports.tests.helpers import REFUSED, STEPS, run_the_worker, url
from onestory.families.models import AccessAction, AccessEvent, AccessOutcome
from onestory.test import Cast, signed_in

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def ask(user: Any, kind: str = "tests.note", **parameters: Any) -> Export:
    return making.request_export(by=user, kind=kind, parameters=parameters, title="A note")


def exports_logged(**filters: Any) -> list[tuple[str, str, str]]:
    return list(
        AccessEvent.objects.filter(action=AccessAction.EXPORT, **filters)
        .order_by("at", "pk")
        .values_list("user__username", "outcome", "reason")
    )


def test_the_document_is_made_by_the_worker_with_its_progress(cast: Cast, settings: Any) -> None:
    settings.TASKS = DB_TASKS
    export = ask(cast.sam, say="hello")
    saved = Export.objects.get()
    assert (saved.status, saved.progress, bytes(saved.content)) == (Status.QUEUED, 0, b"")
    assert saved.created_by == cast.sam and saved.parameters == {"say": "hello"}
    assert saved.expires_at - saved.created_at == KEPT_FOR
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "onestory.exports.making.make_export"
    assert queued.task_result.args == [export.pk]

    client = signed_in(cast.sam)
    status = url("status", export.uuid)
    waiting = client.get(status).text
    assert "Your document is waiting to be made" in waiting
    # htmx asks again; without JavaScript, the link does the same.
    assert f'hx-get="{status}"' in waiting and f'href="{status}"' in waiting
    fragment = client.get(status, headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and 'hx-trigger="every 2s"' in fragment
    # Asking again while it waits gives the same request.
    assert ask(cast.sam, say="hello") == export and Export.objects.count() == 1

    run_the_worker()

    assert STEPS == [25, 50, 75]  # the progress was saved as the builder went
    saved.refresh_from_db()
    assert saved.status == Status.READY and saved.progress == 100
    assert saved.filename == "note-one.txt" and saved.size == len(bytes(saved.content))
    assert bytes(saved.content) == b"A note for Sam Okafor: hello"
    ready = client.get(status, headers={"HX-Request": "true"}).text
    assert "hx-get" not in ready  # the polling stops
    assert url("download", export.uuid) in ready and "Your document is ready" in ready
    assert exports_logged() == []  # nothing downloaded yet
    # Asked for again once it is ready: a new document, since the records may have changed.
    assert ask(cast.sam, say="hello") != export


def test_only_the_person_who_asked_may_download_it_and_each_download_is_logged(
    cast: Cast,
) -> None:
    export = ask(cast.sam, say="mine")
    assert export.status == Status.READY  # the immediate backend made it at once
    download = url("download", export.uuid)
    for other in (cast.priya, cast.hana, cast.charlie):
        client = signed_in(other)
        for address in (url("status", export.uuid), download):
            response = client.get(address)
            assert response.status_code == 404
            assert b"A note for" not in response.content
        assert "A note" not in client.get(url("documents")).text
    assert exports_logged() == [
        (name, AccessOutcome.DENIED, "") for name in ("priya", "hana", "charlie")
    ]

    sam = signed_in(cast.sam)
    for _ in range(2):
        response = sam.get(download)
        assert response.status_code == 200
        assert response.content == b"A note for Sam Okafor: mine"
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="note-one.txt"'
        assert response["Cache-Control"] == "no-store, private"
    allowed = exports_logged(outcome=AccessOutcome.ALLOWED)
    assert allowed == [("sam", AccessOutcome.ALLOWED, "A note")] * 2
    event = AccessEvent.objects.filter(outcome=AccessOutcome.ALLOWED).first()
    assert event is not None and event.family is None and event.path == download


def test_the_right_to_the_document_is_asked_again_at_download(cast: Cast) -> None:
    export = ask(cast.sam)
    REFUSED.add(cast.sam.pk)  # e.g. Sam moved to a role that may not see this report
    response = signed_in(cast.sam).get(url("download", export.uuid))
    assert response.status_code == 404
    assert exports_logged() == [("sam", AccessOutcome.DENIED, "A note")]


def test_someone_who_may_not_ask_gets_nothing(cast: Cast) -> None:
    with pytest.raises(making.NotAllowed):
        ask(cast.sam, kind="tests.nobody")
    with pytest.raises(making.NotAllowed):
        ask(cast.sam, kind="no.such.kind")
    assert Export.objects.count() == 0


def test_the_worker_does_not_make_one_for_someone_who_may_no_longer_have_it(
    cast: Cast, settings: Any
) -> None:
    settings.TASKS = DB_TASKS
    export = ask(cast.sam)
    REFUSED.add(cast.sam.pk)
    run_the_worker()
    export.refresh_from_db()
    assert export.status == Status.FAILED and bytes(export.content) == b""
    assert export.error == making.NO_LONGER_ALLOWED


def test_a_failing_builder_leaves_a_plain_message_not_a_traceback(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    export = ask(cast.sam, kind="tests.broken")
    export.refresh_from_db()
    assert export.status == Status.FAILED and export.finished_at is not None
    assert export.error == making.SORRY and bytes(export.content) == b""
    assert "ZeroDivisionError" in caplog.text  # the details are in the log
    page = signed_in(cast.sam).get(url("status", export.uuid))
    assert "The document could not be made" in page.text
    assert "Sorry, the document could not be made. Try again" in page.text
    assert "Traceback" not in page.text and "ZeroDivisionError" not in page.text
    assert "hx-get" not in page.text
    download = signed_in(cast.sam).get(url("download", export.uuid))
    assert download.status_code == 302 and download["Location"] == url("status", export.uuid)
    # A reason the builder gives is shown as it is.
    cannot = ask(cast.sam, kind="tests.cannot")
    cannot.refresh_from_db()
    assert cannot.error == "The cycle this report was for has been removed."
    assert cannot.error in signed_in(cast.sam).get(url("status", cannot.uuid)).text


def test_an_expired_document_is_gone(cast: Cast) -> None:
    export = ask(cast.sam)
    kept = ask(cast.sam)
    client = signed_in(cast.sam)
    Export.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - KEPT_FOR - timedelta(hours=1),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    # Past its expiry it is neither shown nor served, even before it is deleted.
    assert client.get(url("status", export.uuid)).status_code == 404
    assert client.get(url("download", export.uuid)).status_code == 404
    listed = client.get(url("documents")).text
    assert listed.count("Download A note") == 1
    out = StringIO()
    call_command("expire_exports", stdout=out)
    assert "1 expired document deleted." in out.getvalue()
    assert list(Export.objects.values_list("pk", flat=True)) == [kept.pk]
    # The immediate backend cannot wait until tonight: nothing is queued there.
    assert "already queued" in out.getvalue()


def test_the_nightly_expiry_queues_itself_once(cast: Cast, settings: Any) -> None:
    settings.TASKS = DB_TASKS
    assert making.schedule_expiry() is True
    assert making.schedule_expiry() is False
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "onestory.exports.making.expire_exports"
    assert queued.run_after is not None and timezone.localtime(queued.run_after).hour == 2


def test_the_database_refuses_inconsistent_documents(cast: Cast) -> None:
    now = timezone.now()
    base: dict[str, Any] = {"kind": "tests.note", "title": "A note", "created_by": cast.sam}
    bad: list[dict[str, Any]] = [
        {"progress": 101},
        {"status": Status.READY, "progress": 100, "finished_at": now},  # ready with no file
        {"status": Status.QUEUED, "content": b"x", "size": 1},  # a file before it is ready
        {"status": Status.FAILED, "started_at": now, "finished_at": now},  # failed, no reason
        {"status": Status.MAKING},  # being made but never started
        {"expires_at": now - timedelta(days=1), "created_at": now},
        {"status": "lost"},
        {"title": ""},
    ]
    for fields in bad:  # each breaks one rule
        with pytest.raises(IntegrityError), transaction.atomic():
            Export.objects.create(**{**base, **fields})


def test_the_documents_list_shows_the_users_own_unexpired_documents(cast: Cast) -> None:
    ask(cast.sam, say="one")
    ask(cast.sam, kind="tests.broken")
    ask(cast.priya)
    text = signed_in(cast.sam).get(url("documents")).text
    assert text.count("Download A note") == 1
    assert "Could not be made" in text
    assert "hx-get" not in text  # nothing in progress: no polling
    assert "You have no documents" in signed_in(cast.hana).get(url("documents")).text


def test_query_counts(cast: Cast, settings: Any, django_assert_num_queries: Any) -> None:
    client = signed_in(cast.sam)
    client.get(url("documents"))  # the session is warm
    for _ in range(2):
        ask(cast.sam)
    with django_assert_num_queries(4):
        assert client.get(url("documents")).status_code == 200
    for _ in range(5):
        ask(cast.sam)
    settings.TASKS = DB_TASKS
    waiting = ask(cast.sam, say="later")
    with django_assert_num_queries(4):  # the same with more documents, one being made
        assert "Check whether they are ready" in client.get(url("documents")).text
    with django_assert_num_queries(4):
        assert client.get(url("status", waiting.uuid)).status_code == 200
    with django_assert_num_queries(4):
        client.get(url("status", waiting.uuid), headers={"HX-Request": "1"})
    ready = Export.objects.filter(status=Status.READY).first()
    assert ready is not None
    with django_assert_num_queries(5):
        assert client.get(url("download", ready.uuid)).status_code == 200


def test_the_nightly_task_deletes_what_has_expired(cast: Cast) -> None:
    gone, kept = ask(cast.sam), ask(cast.priya)
    Export.objects.filter(pk=gone.pk).update(
        created_at=timezone.now() - KEPT_FOR - timedelta(hours=1),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    result = making.expire_exports.enqueue()
    assert result.return_value == 1
    assert list(Export.objects.values_list("pk", flat=True)) == [kept.pk]
