from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections

logger = logging.getLogger("onestory.checks")


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


# PostgreSQL's settings that make a commit survive a crash of the server or the machine
# (docs/security.md, promise 26). `synchronous_commit = off` acknowledges a commit before its
# WAL is on disk, so a crash loses the last moments of acknowledged writes; `fsync = off` can
# corrupt the whole cluster. Either may be set for the server, the database, the role or the
# connection: SHOW reports what this connection actually runs with.
DURABILITY_SETTINGS = ("fsync", "synchronous_commit")


def durability_settings_off(using: str = "default") -> list[str]:
    """The durability settings that are off for the service's connection, as "name = value"."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT current_setting('fsync'), current_setting('synchronous_commit')")
        row = cursor.fetchone()
    values = dict(zip(DURABILITY_SETTINGS, row or ("", ""), strict=True))
    return [f"{name} = {value}" for name, value in values.items() if value == "off"]


def _durability_message(off: list[str]) -> str:
    return (
        f"PostgreSQL runs with {' and '.join(off)}: a crash of the database server would lose "
        "writes that One Story has already told people were saved, or corrupt the database. "
        "Turn it on (ALTER SYSTEM SET ... = on, or remove it from the role, the database or "
        "DATABASE_URL's options) before serving records."
    )


@register(Tags.database, deploy=True)
def commits_are_durable(app_configs: Any, **kwargs: Any) -> list[Error]:
    """In production, refuse a server that acknowledges commits before they are on disk."""
    if not settings.PRODUCTION:
        return []
    try:
        off = durability_settings_off()
    except DatabaseError as error:
        return [
            Error(
                f"Could not ask the database whether fsync and synchronous_commit are on: "
                f"{error}".strip(),
                hint="Check DATABASE_URL and that the database is running.",
                id="onestory.E005",
            )
        ]
    if not off:
        return []
    return [Error(_durability_message(off), id="onestory.E004")]


def refusal_to_start() -> str | None:
    """For the web server and the task worker as they start in production (gunicorn runs no
    system checks): why they must not start, or None.

    A database that does not answer is no reason to refuse: the processes must start during an
    outage and serve the "unavailable" page until it is back (onestory/core/unavailable.py).
    The check then runs at the next start, and in `manage.py check --deploy`."""
    if not settings.PRODUCTION:
        return None
    try:
        off = durability_settings_off()
    except (OperationalError, InterfaceError) as error:
        logger.warning(
            "Could not check fsync and synchronous_commit as One Story starts: the database "
            "did not answer (%s)",
            (str(error).strip().splitlines() or [""])[0],
        )
        return None
    finally:
        # Not a connection to carry into forked web workers.
        connections.close_all()
    return _durability_message(off) if off else None
