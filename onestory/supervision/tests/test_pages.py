"""Every supervision page in a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onestory.families.models import Allocation
from onestory.supervision.models import ReflectiveGroup
from onestory.supervision.tests.helpers import (
    action,
    booked,
    days_ago,
    discussed,
    held,
    supervise,
    today,
)
from onestory.test import child_of, make_family, signed_in, url_maker

url = url_maker("supervision")


def _more(cast, arrangement, n: int) -> None:
    for i in range(n):
        session = held(arrangement, days_ago(10 + i))
        family = make_family(f"Extra{n}{i}", cast.harbour, child=f"Kid{i}")
        Allocation.objects.create(
            child=child_of(family), worker=cast.sam.staff, pod=cast.harbour, start=days_ago(100)
        )
        record = discussed(session, family, by=cast.priya)
        action(record, cast.priya, today() + timedelta(days=i))
        group = ReflectiveGroup.objects.create(
            facilitator=cast.hana,
            held_on=days_ago(i + 1),
            minutes=60,
            themes="t",
            learning="l",
            recorded_on=today(),
        )
        group.attendees.set([cast.priya, cast.sam])


PAGES = {
    "mine": lambda cast, s: url("mine"),
    "session": lambda cast, s: url("session", s.pk),
    "pod": lambda cast, s: url("pod", cast.harbour.pk),
    "pod_discussed": lambda cast, s: url("pod_discussed", cast.harbour.pk),
    "rpgs": lambda cast, s: url("rpgs"),
    "standards": lambda cast, s: url("standards"),
    "record": lambda cast, s: url("record", s.booked.pk),
}
PINNED = {
    "mine": 9,
    "session": 7,
    "pod": 8,
    "pod_discussed": 7,  # the standards read once a request (lib/per_request.py)
    "rpgs": 4,
    "standards": 4,
    "record": 9,
}


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_take_a_pinned_number_of_queries(cast, name) -> None:
    arrangement = supervise(cast)
    session = held(arrangement, days_ago(3))
    discussed(session, cast.okafors, by=cast.priya)
    session.booked = booked(arrangement, today() + timedelta(days=1))  # type: ignore[attr-defined]
    client = signed_in(cast.priya)
    page = PAGES[name](cast, session)
    client.get(page)  # warm the session and caches
    counts = []
    for n in (1, 4):
        _more(cast, arrangement, n)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] == PINNED[name], counts
