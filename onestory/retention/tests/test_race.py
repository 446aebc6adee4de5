"""The race between placing a legal hold and approving a disposal: both lock the family's row,
so a hold placed (and not yet committed) while the approval starts is seen by the approval,
which waits for it and then refuses. Real transactions, on two connections."""

from __future__ import annotations

import threading

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from onestory.families.models import Family
from onestory.retention import records
from onestory.retention.models import Tombstone
from onestory.retention.tests.helpers import close, keep_for_a_year, officers
from onestory.test import make_cast, make_family

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_hold_placed_while_the_disposal_starts_stops_it() -> None:
    cast = make_cast()
    iris, owen = officers()
    keep_for_a_year()
    family = close(make_family("Raced", cast.harbour))
    disposal = records.request_disposal(by=iris, family=family)
    settings = connection.get_connection_params()
    other = psycopg.connect(**settings)  # a second session: the officer placing the hold
    outcome: list[BaseException | None] = []

    def approve() -> None:
        try:
            records.approve_disposal(by=owen, disposal=disposal)
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)
        finally:
            connections.close_all()

    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT id FROM families_family WHERE id = %s FOR UPDATE", [family.pk])
            cursor.execute(
                "INSERT INTO retention_legalhold (family_id, reason, reference, placed_by_id,"
                " placed_at, lift_reason) VALUES (%s, 'police', 'RACE/1', %s, now(), '')",
                [family.pk, iris.pk],
            )
            worker = threading.Thread(target=approve)
            worker.start()
            worker.join(timeout=2)
            assert worker.is_alive(), "the approval must wait for the family's row lock"
        other.commit()
        worker.join(timeout=30)
    finally:
        other.close()
    (error,) = outcome
    assert isinstance(error, ValidationError)
    assert "under a legal hold (RACE/1)" in error.messages[0]
    assert Family.objects.filter(pk=family.pk).exists()
    assert not Tombstone.objects.exists()
