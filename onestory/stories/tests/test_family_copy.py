"""The family's copy of their story: made by the task worker, downloaded only by the person who
asked, until it expires, with access checked again and the download logged as a print
(docs/security.md, promise 6). WeasyPrint reads only our own static files."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from onestory.families.models import AccessAction, AccessEvent, AccessOutcome
from onestory.stories import copies
from onestory.stories.models import CopyStatus, FamilyCopy
from onestory.stories.tests.helpers import make_entry, url
from onestory.test import Cast, assert_accessible, browser_signed_in, make_cast, signed_in


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def prints(cast: Cast, **filters: Any) -> int:
    return AccessEvent.objects.filter(
        family=cast.okafors, action=AccessAction.PRINT, **filters
    ).count()


def ask(client: Client, cast: Cast) -> FamilyCopy:
    response = client.post(url("copy", cast.okafors.uuid))
    assert response.status_code == 302
    copy = FamilyCopy.objects.get()
    assert response["Location"] == url("copy_status", cast.okafors.uuid, copy.uuid)
    return copy


def run_the_worker() -> None:
    """What `manage.py db_worker` does with each task it claims, without closing the test's
    database connection as the worker does when it stops."""
    for queued in DBTaskResult.objects.ready():
        queued.claim("test-worker")
        queued.set_successful(queued.task.call(*queued.task_result.args))


def test_the_copy_is_made_by_the_task_worker_not_the_request(cast: Cast, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_entry(cast.okafors, cast.sam, story="Shared story.")
    client = signed_in(cast.sam)
    page = client.get(url("copy", cast.okafors.uuid))
    assert "Make the family's copy" in page.text
    assert FamilyCopy.objects.count() == 0  # looking at the page asks for nothing

    copy = ask(client, cast)
    assert copy.status == CopyStatus.WAITING and copy.pdf == b""
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "onestory.stories.copies.make_family_copy"
    assert queued.task_result.args == [copy.pk]
    status = url("copy_status", cast.okafors.uuid, copy.uuid)
    waiting = client.get(status).text
    assert "The copy is being made" in waiting
    # htmx polls the progress; without JavaScript, the link does the same.
    assert f'hx-get="{status}"' in waiting and f'href="{status}"' in waiting
    fragment = client.get(status, headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and 'hx-trigger="every 2s"' in fragment

    run_the_worker()

    copy.refresh_from_db()
    assert copy.status == CopyStatus.READY and copy.finished_at is not None
    assert bytes(copy.pdf).startswith(b"%PDF")
    ready = client.get(status, headers={"HX-Request": "true"}).text
    assert "hx-get" not in ready  # the polling stops
    assert url("copy_download", cast.okafors.uuid, copy.uuid) in ready
    assert prints(cast) == 0  # nothing shown yet, nothing printed


def test_only_the_person_who_asked_may_download_it_and_it_is_logged_as_a_print(
    cast: Cast,
) -> None:
    make_entry(cast.okafors, cast.sam, story="Shared story.")
    copy = ask(signed_in(cast.sam), cast)
    download = url("copy_download", cast.okafors.uuid, copy.uuid)
    status = url("copy_status", cast.okafors.uuid, copy.uuid)

    # Priya may print the Okafors' record herself, but this copy is Sam's.
    priya = signed_in(cast.priya)
    for address in (status, download):
        response = priya.get(address)
        assert response.status_code == 404
        assert b"%PDF" not in response.content
    # Charlie may not print the Okafors at all: refused, and the refusal logged.
    assert signed_in(cast.charlie).get(download).status_code == 404
    assert prints(cast, user=cast.charlie, outcome=AccessOutcome.DENIED) == 1
    # Under another family's address, the copy is not found either.
    assert (
        signed_in(cast.sam).get(url("copy_download", cast.nashes.uuid, copy.uuid)).status_code
        == 404
    )

    response = signed_in(cast.sam).get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private"
    assert "Shared story." in pdf_text(response.content)
    assert prints(cast, user=cast.sam, outcome=AccessOutcome.ALLOWED) == 1


def test_access_is_checked_again_at_download(cast: Cast) -> None:
    copy = ask(signed_in(cast.sam), cast)
    assert FamilyCopy.objects.get().status == CopyStatus.READY
    # The family moves to another pod after Sam asked: Sam may no longer print it.
    cast.okafors.pod = cast.downs
    cast.okafors.save()
    response = signed_in(cast.sam).get(url("copy_download", cast.okafors.uuid, copy.uuid))
    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert prints(cast, user=cast.sam, outcome=AccessOutcome.DENIED) == 1
    assert prints(cast, outcome=AccessOutcome.ALLOWED) == 0


def test_a_copy_expires(cast: Cast) -> None:
    client = signed_in(cast.sam)
    copy = ask(client, cast)
    FamilyCopy.objects.filter(pk=copy.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(url("copy_download", cast.okafors.uuid, copy.uuid))
    assert response.status_code == 302
    assert response["Location"] == url("copy_status", cast.okafors.uuid, copy.uuid)
    assert "This copy has expired" in client.get(response["Location"]).text
    # The next copy the worker makes empties the expired one.
    assert copies.forget_expired_copies() == 1
    assert bytes(FamilyCopy.objects.get(pk=copy.pk).pdf) == b""
    # Asking again makes a new copy.
    client.post(url("copy", cast.okafors.uuid))
    assert (
        FamilyCopy.objects.filter(status=CopyStatus.READY, expires_at__gt=timezone.now()).count()
        == 1
    )


def test_asking_twice_gives_the_same_copy(cast: Cast) -> None:
    client = signed_in(cast.sam)
    first = ask(client, cast)
    client.post(url("copy", cast.okafors.uuid))
    assert FamilyCopy.objects.get() == first


def test_a_copy_is_not_made_for_someone_who_may_no_longer_print(cast: Cast, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    copy = ask(signed_in(cast.sam), cast)
    cast.okafors.pod = cast.downs
    cast.okafors.save()
    run_the_worker()
    copy.refresh_from_db()
    assert copy.status == CopyStatus.FAILED and bytes(copy.pdf) == b""


def test_query_counts(cast: Cast, django_assert_num_queries: Any) -> None:
    client = signed_in(cast.sam)
    client.get(url("copy", cast.okafors.uuid))  # the session is warm
    with django_assert_num_queries(6):
        assert client.get(url("copy", cast.okafors.uuid)).status_code == 200
    copy = ask(client, cast)
    with django_assert_num_queries(7):
        client.get(url("copy_status", cast.okafors.uuid, copy.uuid))
    with django_assert_num_queries(7):
        client.get(url("copy_status", cast.okafors.uuid, copy.uuid), headers={"HX-Request": "1"})
    with django_assert_num_queries(8):
        assert client.get(url("copy_download", cast.okafors.uuid, copy.uuid)).status_code == 200


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_the_page_follows_the_worker_and_passes_axe(
    page: Any, live_server: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cast = make_cast()
    make_entry(cast.okafors, cast.sam, story="Shared story.")
    browser_signed_in(page, live_server, cast.sam)
    page.goto(f"/families/{cast.okafors.uuid}/")
    page.get_by_role("link", name="The family's copy of their story (PDF)").click()
    assert page.get_by_role("heading", level=1).inner_text() == "The family's copy of their story"
    assert_accessible(page)

    page.get_by_role("button", name="Make the family's copy").click()
    assert "The copy is being made" in page.inner_text("main")
    assert_accessible(page)

    run_the_worker()
    # htmx asks again every two seconds and swaps in the link.
    link = page.get_by_role("link", name="Download the family's copy (PDF)")
    link.wait_for(timeout=10_000)
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"story-{cast.okafors.reference}.pdf"
    assert page.console_errors == []
