"""The application runs as a database role that owns no tables, so it cannot truncate the
access log, drop its triggers or alter it (docs/security.md, promise 11;
docs/decisions/0012-database-roles-and-append-only.md).

The test suite itself connects as the role that owns the tables (it must create the test
database); these tests switch to the application's role, `onestory_app`, for their assertions.
`make test` and `make demo` create that role (scripts/stack.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from onestory.core.append_only import APP_ROLE
from onestory.core.checks import app_role_owns_no_tables
from onestory.families.models import AccessEvent
from onestory.test import Cast, signed_in


@pytest.fixture
def as_app_role(db: None) -> Iterator[None]:
    """The rest of the test's transaction runs as the application's role, with the grants that
    `migrate` gave it when it made the test database (settings.APP_DATABASE_ROLE)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if cursor.fetchone() is None:
            pytest.fail(
                f"The database role {APP_ROLE} does not exist: run the tests through `make test` "
                "(scripts/stack.py with-db creates it), or create it as the README says."
            )
        cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def refused(sql: str) -> str:
    with (
        pytest.raises(DatabaseError) as raised,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    return str(raised.value)


def test_the_app_role_cannot_truncate_drop_the_trigger_or_alter_the_access_log(
    cast: Cast, as_app_role: None
) -> None:
    signed_in(cast.sam).get(reverse("families:detail", args=[cast.okafors.uuid]))
    logged = AccessEvent.objects.count()
    assert logged > 0
    table = AccessEvent._meta.db_table
    assert "permission denied" in refused(f"TRUNCATE {table}")
    assert "must be owner" in refused(f"DROP TRIGGER onestory_append_only ON {table}")
    assert "must be owner" in refused(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
    assert "must be owner" in refused(f"ALTER TABLE {table} ADD COLUMN note text")
    assert "permission denied" in refused(f"DELETE FROM {table}")  # noqa: S608
    assert "permission denied" in refused(f"UPDATE {table} SET reason = 'edited'")  # noqa: S608
    assert AccessEvent.objects.count() == logged


def test_the_app_role_can_do_the_work_of_the_service(cast: Cast, as_app_role: None) -> None:
    before = AccessEvent.objects.count()
    page = signed_in(cast.sam).get(reverse("families:detail", args=[cast.okafors.uuid]))
    assert page.status_code == 200
    assert AccessEvent.objects.count() == before + 1


def test_the_deploy_check_refuses_a_role_that_owns_tables(db: None) -> None:
    # The test suite's own role made the test database's tables, so it owns them.
    errors = app_role_owns_no_tables(None)
    assert [error.id for error in errors] == ["onestory.E002"]
    assert "owns" in errors[0].msg and "Running in production" in errors[0].msg


def test_the_deploy_check_passes_the_app_role(as_app_role: None) -> None:
    assert app_role_owns_no_tables(None) == []
