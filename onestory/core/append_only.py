"""Access and history tables are append-only in the database itself (docs/security.md,
promise 11; docs/decisions/0012-database-roles-and-append-only.md).

- A row trigger refuses UPDATE and DELETE on the access log and on every history (pghistory
  event) table, and a statement trigger refuses TRUNCATE, even for the tables' owner.
- The history context (`pghistory_context`: who did it, and what) may be written only by the
  transaction that made it: pghistory upserts it during that transaction, adding to it as the
  write goes on. Once committed it cannot be changed, deleted or truncated, so nobody can later
  say that someone else made a change.
- The triggers are (re)installed after every `migrate`, so a history table added later is covered
  without anyone remembering to add it.
- Dropping a trigger or altering a table are its owner's privileges: the application connects
  as a role that owns no tables, and the deploy check in onestory/core/checks.py refuses a role
  that does. When `ONESTORY_APP_ROLE` names that role (settings.APP_DATABASE_ROLE), every
  `migrate` grants it what it needs and no more (`grant_to_app_role`).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

# The application's database role in `make demo` and `make test` (scripts/stack.py).
APP_ROLE = "onestory_app"

FUNCTIONS = """
CREATE OR REPLACE FUNCTION onestory_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The table % is append-only: its rows cannot be changed or deleted.',
        TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

-- Only a superuser that asks for it may empty the tables: the test suite does, between
-- transactional tests (the test settings set onestory.truncate_append_only).
CREATE OR REPLACE FUNCTION onestory_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('onestory.truncate_append_only', true) = 'on'
        AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The table % is append-only: it cannot be truncated.',
        TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;

-- A context row may change only while the transaction that wrote it is still open (its own
-- savepoints included). xmin is the (sub)transaction that wrote the row version; widened to 64
-- bits with the current epoch, pg_xact_status says "in progress" only for ours: another open
-- transaction's row is not visible to us, and an upsert that meets it waits for its commit.
CREATE OR REPLACE FUNCTION onestory_context_is_kept() RETURNS trigger AS $$
DECLARE
    written_by bigint;
    now_in bigint := pg_current_xact_id()::text::bigint;
BEGIN
    EXECUTE format('SELECT xmin::text::bigint FROM %I WHERE id = $1', TG_TABLE_NAME)
        INTO written_by USING OLD.id;
    IF written_by IS NOT NULL AND written_by > 2 THEN
        written_by := (now_in >> 32 << 32) + written_by;
        IF written_by > now_in THEN
            written_by := written_by - 4294967296;
        END IF;
        IF written_by > 2 AND pg_xact_status(written_by::text::xid8) = 'in progress' THEN
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
    END IF;
    RAISE EXCEPTION 'The table % is append-only: a history context written by an earlier '
        'transaction cannot be changed or deleted.',
        TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""
ROW_TRIGGER = """
CREATE OR REPLACE TRIGGER onestory_append_only BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION {function}();
"""
TRUNCATE_TRIGGER = """
CREATE OR REPLACE TRIGGER onestory_no_truncate BEFORE TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION onestory_no_truncate();
"""


def append_only_tables() -> list[str]:
    import pghistory.models

    # Who looked at a record, and who read someone's personal supervision notes.
    tables = [
        apps.get_model("families", "AccessEvent")._meta.db_table,
        apps.get_model("supervision", "PersonalNotesLook")._meta.db_table,
    ]
    for model in apps.get_models():
        meta = model._meta
        if issubclass(model, pghistory.models.Event) and meta.managed and not meta.proxy:
            tables.append(meta.db_table)
    return sorted(set(tables))


def context_table() -> str:
    import pghistory.models

    return pghistory.models.Context._meta.db_table


def install(using: str = "default", **kwargs: Any) -> None:
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(FUNCTIONS)
        for table in append_only_tables():
            cursor.execute(ROW_TRIGGER.format(table=quote(table), function="onestory_append_only"))
            cursor.execute(TRUNCATE_TRIGGER.format(table=quote(table)))
        context = quote(context_table())
        cursor.execute(ROW_TRIGGER.format(table=context, function="onestory_context_is_kept"))
        cursor.execute(TRUNCATE_TRIGGER.format(table=context))
        role = settings.APP_DATABASE_ROLE
        if role:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise ImproperlyConfigured(
                    f"ONESTORY_APP_ROLE names the database role {role!r}, which does not exist. "
                    'Create it first (README, "Running in production").'
                )
            for statement in grant_to_app_role(role, database=connection.settings_dict["NAME"]):
                cursor.execute(statement)


def grant_to_app_role(role: str, *, database: str) -> list[str]:
    """The SQL, run as the tables' owner after every `migrate`, that lets `role` read and write
    the tables without owning them: no TRUNCATE, REFERENCES or TRIGGER, and no UPDATE or DELETE
    on the append-only tables at all (their triggers refuse them too). Default privileges cover
    the tables a later migration makes, until this runs again."""
    tables = ", ".join(quote_name(table) for table in append_only_tables())
    role = quote_name(role)
    return [
        f"GRANT CONNECT ON DATABASE {quote_name(database)} TO {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE ON {tables} FROM {role}",
        "ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
