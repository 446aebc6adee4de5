"""`field__any_of`: the same rows as `field__in`, with the ids as one array parameter."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onestory.families.models import Person
from onestory.test import Cast

pytestmark = pytest.mark.django_db


def test_any_of_finds_the_same_people_as_in(cast: Cast) -> None:
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:3])
    assert len(ids) == 3
    chosen = [ids[0], ids[2], 10**9]
    with CaptureQueriesContext(connection) as queries:
        found = sorted(Person.objects.filter(pk__any_of=chosen).values_list("pk", flat=True))
    assert found == sorted(Person.objects.filter(pk__in=chosen).values_list("pk", flat=True))
    assert found == [ids[0], ids[2]]
    assert "= ANY(" in queries.captured_queries[0]["sql"]


def test_any_of_through_a_foreign_key_and_an_empty_list(cast: Cast) -> None:
    lily = Person.objects.get(first_name="Lily")
    members = cast.nashes.members.filter(person__any_of=[lily.pk])
    assert [m.person_id for m in members] == [lily.pk]
    assert not Person.objects.filter(pk__any_of=[]).exists()
