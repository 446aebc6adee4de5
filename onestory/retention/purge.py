"""The one sanctioned way to remove rows from the append-only tables: history (django-pghistory
event tables) and the access log (docs/decisions/0021-retention-and-legal-hold.md).

`retention_purge_history(disposal, targets)` is a SECURITY DEFINER function, owned by the
tables' owner and remade after every `migrate` (as the append-only triggers are), so that a
history table added later is covered. The application's role may call it but cannot do what it
does by itself: for each append-only table holding a row about a removed record, it disables
that table's append-only trigger, deletes the rows, and enables the trigger again, all inside
the caller's transaction (ALTER TABLE is transactional, and its lock keeps every other session
from writing to that table until the disposal commits, so nobody else ever sees the trigger
off).

It refuses unless the disposal it is given has been approved by a second officer and its
tombstone written, and unless every record it is asked to purge is already gone: it can remove
the history of a record that was disposed of, and nothing else. Each use leaves a tombstone that
nobody can remove.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections, models

from onestory.core.append_only import append_only_tables, quote_name
from onestory.retention.graph import edges

FUNCTION = "retention_purge_history"


def _ids(table: str, db_type: str) -> str:
    return f"ARRAY(SELECT jsonb_array_elements_text(targets -> '{table}'))::{db_type}[]"


def _purgeable() -> list[type[models.Model]]:
    """The append-only tables' models, except the disposal's own history (kept: it says who
    asked and who approved)."""
    tables = set(append_only_tables())
    disposal = apps.get_model("retention", "Disposal")
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.db_table not in tables or meta.proxy:
            continue
        if getattr(model, "pgh_tracked_model", None) is disposal:
            continue
        found.append(model)
    return found


def function_sql(connection: Any) -> str:
    family = apps.get_model("families", "Family")
    person = apps.get_model("families", "Person")
    removed = {family, person} | {model for model, _field in edges()}
    checks = []
    for model in sorted(removed, key=lambda m: m._meta.db_table):
        table = model._meta.db_table
        pk = model._meta.pk
        assert pk is not None
        checks.append(
            f"    IF EXISTS (SELECT 1 FROM {quote_name(table)} WHERE {quote_name(pk.column or '')}"  # noqa: S608
            f" = ANY({_ids(table, pk.db_type(connection) or 'bigint')})) THEN\n"
            f"        RAISE EXCEPTION 'Only the history of a record already removed can be "
            f"purged ({table}).' USING ERRCODE = 'insufficient_privilege';\n    END IF;"
        )
    purges = []
    for model in sorted(_purgeable(), key=lambda m: m._meta.db_table):
        conditions = []
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.ForeignKey) or field.related_model not in removed:
                continue
            target = field.related_model._meta
            target_pk = target.pk
            assert target_pk is not None
            db_type = target_pk.db_type(connection) or "bigint"
            conditions.append(f"{quote_name(field.column)} = ANY({_ids(target.db_table, db_type)})")
        if not conditions:
            continue
        table = quote_name(model._meta.db_table)
        where = " OR ".join(conditions)
        purges.append(
            f"    IF EXISTS (SELECT 1 FROM {table} WHERE {where}) THEN\n"  # noqa: S608
            f"        ALTER TABLE {table} DISABLE TRIGGER onestory_append_only;\n"
            f"        DELETE FROM {table} WHERE {where};\n"
            f"        GET DIAGNOSTICS n = ROW_COUNT;\n"
            f"        removed := removed + n;\n"
            f"        ALTER TABLE {table} ENABLE TRIGGER onestory_append_only;\n"
            f"    END IF;"
        )
    body = "\n".join(checks + purges)
    # Names come from the models, never from input; the ids are passed as a parameter.
    return f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(disposal bigint, targets jsonb) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    removed bigint := 0;
    n bigint;
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM retention_disposal d JOIN retention_tombstone t ON t.disposal_id = d.id
        WHERE d.id = disposal AND d.approved_by_id IS NOT NULL
          AND d.approved_by_id <> d.requested_by_id
    ) THEN
        RAISE EXCEPTION 'History can be purged only by an approved disposal with its tombstone.'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
{body}
    RETURN removed;
END
$$;
REVOKE ALL ON FUNCTION {FUNCTION}(bigint, jsonb) FROM PUBLIC;
"""  # noqa: S608


def install(using: str = "default", **kwargs: Any) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(function_sql(connection))
        role = settings.APP_DATABASE_ROLE
        if role:
            cursor.execute(
                f"GRANT EXECUTE ON FUNCTION {FUNCTION}(bigint, jsonb) TO {quote_name(role)}"
            )
