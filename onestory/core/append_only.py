"""Access and history tables are append-only in the database itself (docs/security.md,
promise 11).

A trigger refuses UPDATE and DELETE on the access log and on every history (pghistory event)
table. It is (re)installed after every `migrate`, so a history table added later is covered
without anyone remembering to add it. TRUNCATE is a table owner's privilege: in production the
application's role should not own the tables (see README, "Running in production").
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connections

FUNCTION = """
CREATE OR REPLACE FUNCTION onestory_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The table % is append-only: its rows cannot be changed or deleted.',
        TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE OR REPLACE TRIGGER onestory_append_only BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION onestory_append_only();
"""


def append_only_tables() -> list[str]:
    import pghistory.models

    tables = [apps.get_model("families", "AccessEvent")._meta.db_table]
    for model in apps.get_models():
        meta = model._meta
        if issubclass(model, pghistory.models.Event) and meta.managed and not meta.proxy:
            tables.append(meta.db_table)
    return sorted(set(tables))


def install(using: str = "default", **kwargs: Any) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION)
        for table in append_only_tables():
            cursor.execute(TRIGGER.format(table=connection.ops.quote_name(table)))
