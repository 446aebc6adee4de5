"""The access log, the history tables and the history context are append-only in the database
itself (docs/security.md, promise 11; onestory/core/append_only.py)."""

from __future__ import annotations

import pghistory
import pghistory.models
import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from onestory.families.models import AccessEvent, Person
from onestory.lib.history import recorded
from onestory.test import Cast, child_of, make_cast, signed_in

PersonEvent = apps.get_model("families", "PersonEvent")


def refuse_truncate(table: str) -> None:
    """TRUNCATE as the test's role, which owns the tables (and is a superuser), with the test
    suite's switch for flushing between transactional tests turned off."""
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL onestory.truncate_append_only = 'off'")
        # Django's foreign keys are checked at commit; TRUNCATE waits for no pending check.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {connection.ops.quote_name(table)}")


def test_the_access_log_and_history_refuse_truncate_even_for_their_owner(cast: Cast) -> None:
    signed_in(cast.sam).get(reverse("families:detail", args=[cast.okafors.uuid]))
    with pghistory.context(user=cast.ben.pk):
        Person.objects.filter(first_name="Jayden").update(preferred_name="Jay")
    person_events = PersonEvent
    kept = (AccessEvent.objects.count(), person_events.objects.count())
    assert kept[0] > 0 and kept[1] > 0
    for table in (
        AccessEvent._meta.db_table,
        person_events._meta.db_table,
        pghistory.models.Context._meta.db_table,
    ):
        refuse_truncate(table)
    assert (AccessEvent.objects.count(), person_events.objects.count()) == kept


@pytest.mark.django_db(transaction=True)
def test_a_context_written_by_an_earlier_transaction_cannot_be_rewritten() -> None:
    cast = make_cast()
    child = child_of(cast.okafors)
    with recorded(by=cast.sam, action="families.rename"):
        Person.objects.filter(pk=child.pk).update(preferred_name="Jay")
    event = PersonEvent.objects.filter(pgh_obj=child).latest("pgh_id")
    context = pghistory.models.Context.objects.get(pk=event.pgh_context_id)
    assert context.metadata["user"] == cast.sam.pk

    # Committed: nobody may now say someone else did it, or remove who did it.
    for change in (
        lambda: pghistory.models.Context.objects.filter(pk=context.pk).update(
            metadata={"user": cast.charlie.pk, "action": "families.rename"}
        ),
        lambda: pghistory.models.Context.objects.filter(pk=context.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    context.refresh_from_db()
    assert context.metadata["user"] == cast.sam.pk

    # pghistory's own upsert still works while the transaction that made the context is open,
    # savepoints included: here the action is added after the first write.
    with transaction.atomic(), pghistory.context(user=cast.priya.pk):
        Person.objects.filter(pk=child.pk).update(preferred_name="Jaydo")
        with transaction.atomic():
            pghistory.context(action="families.rename_again")
            Person.objects.filter(pk=child.pk).update(preferred_name="J")
    latest = PersonEvent.objects.filter(pgh_obj=child).latest("pgh_id")
    assert latest.pgh_context.metadata == {"user": cast.priya.pk, "action": "families.rename_again"}
