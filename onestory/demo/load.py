"""Writes the generated demo council into an empty database with COPY, in one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pgtrigger
from django.apps import apps
from django.db import connection, transaction
from django.db.models import Model

from onestory.accounts.demo import create_demo_accounts
from onestory.demo.council import Council, DemoUser

# Parents before children, so foreign keys hold at every step.
ORDER = [
    "accounts.User",
    "pods.Pod",
    "pods.Staff",
    "pods.PodMembership",
    "families.Family",
    "families.Person",
    "families.FamilyMember",
    "families.Allocation",
    "families.CINEpisode",
    "families.Assessment",
    "families.Section47Enquiry",
    "families.InitialConference",
    "families.CINPlan",
    "families.CPPlan",
    "families.CareEpisode",
    "families.Review",
    "families.MissingEpisode",
    "families.UASCPeriod",
    "families.AdoptionDecision",
    "families.AdoptionPlacement",
    "families.CareProceedings",
    "families.CareProceedings_children",
    "families.Family_restricted_to",
    # Story entries join here when the One Story records exist.
]


# Many-to-many tables, named "<model>_<field>" in the generator.
THROUGH = {
    "families.CareProceedings_children": ("families.CareProceedings", "children"),
    "families.Family_restricted_to": ("families.Family", "restricted_to"),
}


def _model(label: str) -> type[Model]:
    if label in THROUGH:
        owner, field = THROUGH[label]
        through: type[Model] = apps.get_model(owner)._meta.get_field(field).remote_field.through
        return through
    return apps.get_model(label)


def copy_rows(model: type[Model], rows: list[dict[str, Any]]) -> None:
    fields = [f for f in model._meta.concrete_fields if f.attname == "id" or f.attname in rows[0]]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[f.attname] for f in fields])
        # Later inserts through the ORM continue after the ids we chose.
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{model._meta.db_table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


def load_demo_council(
    *, scale: str, seed: int, today: date, password: str, say: Callable[[str], None] = print
) -> dict[str, int]:
    """Creates the demo council; returns the number of rows written per model."""
    started = time.monotonic()
    counts: dict[str, int] = {}
    with transaction.atomic():
        demo_users = {
            u.username: DemoUser(u.pk, u.first_name, u.last_name)
            for u in create_demo_accounts(password=password, scale=scale, seed=seed)
        }
        first_user_id = max(u.id for u in demo_users.values()) + 1
        tables = Council(scale=scale, seed=seed, today=today).build(demo_users, first_user_id)
        say(f"Generated in {time.monotonic() - started:.1f}s")
        # The demo's starting state is not a change anyone made: skip the history triggers.
        with pgtrigger.ignore():
            for label in ORDER:
                table = tables.get(label)
                if table is None or not table.rows:
                    continue
                copy_rows(_model(label), table.rows)
                counts[label] = len(table.rows)
    say(f"Loaded in {time.monotonic() - started:.1f}s")
    return counts
