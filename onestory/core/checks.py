from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError, connection


@register(Tags.security, deploy=True)
def demo_mode_is_not_for_production(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Demo mode exempts demo accounts from MFA and shows a shared password: never in production."""
    if settings.DEMO_MODE:
        return [
            Error(
                "ONESTORY_DEMO is on. Demo mode is for the demo council only: unset ONESTORY_DEMO "
                "before serving real records.",
                id="onestory.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def app_role_owns_no_tables(app_configs: Any, **kwargs: Any) -> list[Error]:
    """The service's database role must not own the tables, nor act as their owner (a member of
    the owning role, or a superuser): an owner may truncate the access log or drop the triggers
    that keep it append-only (docs/security.md, promise 11; onestory/core/append_only.py)."""
    try:
        role, owned, names = _tables_owned()
    except DatabaseError as error:
        return [
            Error(
                f"Could not ask the database which tables its role owns: {error}".strip(),
                hint="Check DATABASE_URL and that the database is running.",
                id="onestory.E003",
            )
        ]
    if not owned:
        return []
    shown = names if len(names) <= 200 else names[:200].rsplit(", ", 1)[0] + ", ..."
    return [
        Error(
            f"The database role {role!r} in DATABASE_URL owns {owned} tables ({shown}), or acts "
            "as their owner. An owner can truncate the access log and drop the triggers that keep "
            "history append-only: run the service as a role that owns no tables, and migrate as "
            'the owner (README, "Running in production").',
            id="onestory.E002",
        )
    ]


def _tables_owned() -> tuple[str, int, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT current_user, count(*), string_agg(c.relname, ', ' ORDER BY c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
              AND pg_has_role(current_user, c.relowner, 'MEMBER')
            """
        )
        row = cursor.fetchone()
    return (row[0], row[1], row[2] or "") if row else ("", 0, "")
