"""`once`: kept for one request, made afresh outside one, never shared between requests."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onestory.lib.per_request import once, one_request
from onestory.test import Cast, signed_in


def test_within_a_request_it_is_made_once_and_outside_every_time() -> None:
    made: list[int] = []

    def make() -> int:
        made.append(1)
        return len(made)

    with one_request():
        assert [once("counter", make) for _ in range(3)] == [1, 1, 1]
        assert once("another key", make) == 2
    # A new request starts empty; outside any request nothing is kept.
    with one_request():
        assert once("counter", make) == 3
    assert [once("counter", make) for _ in range(2)] == [4, 5]


def test_two_threads_in_requests_at_once_keep_their_own() -> None:
    seen: dict[str, object] = {}
    ready = threading.Barrier(2)

    def request(name: str) -> None:
        with one_request():
            once("who", lambda: name)
            ready.wait(timeout=5)  # both requests are open at the same moment
            seen[name] = once("who", lambda: "made again")

    threads = [threading.Thread(target=request, args=(n,)) for n in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"first": "first", "second": "second"}


@pytest.mark.django_db
def test_a_pod_managers_home_reads_the_standards_and_pods_once(cast: Cast) -> None:
    client = signed_in(cast.priya)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    assert page.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "supervision_standards"' in s for s in sql) == 1
    managed = [s for s in sql if s.startswith('SELECT "pods_pod"."id" AS "pk" FROM "pods_pod"')]
    assert len(managed) == 1
    # The page still shows what the two features that asked for the standards found.
    assert "Supervision" in page.text


@pytest.mark.django_db
def test_after_its_first_request_a_process_has_frozen_its_long_lived_objects(cast: Cast) -> None:
    import gc

    signed_in(cast.sam).get("/accessibility/")
    # core/apps.py: what every request keeps alive is out of the collector's walk from now on.
    assert gc.get_freeze_count() > 1000
