"""Writes the generated demo council into an empty database with COPY, in one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pgtrigger
from django.apps import apps
from django.db import connection, transaction
from django.db.models import Model

from onestory.demo import audits, feedback, outcomes, returns_records, stories, supervision, surveys
from onestory.demo import preproceedings as preproceedings_seed
from onestory.demo import retention as retention_seed
from onestory.demo.accounts import create_demo_accounts
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
    "families.CPReview",
    "families.CareEpisode",
    "families.Review",
    "families.MissingEpisode",
    "families.UASCPeriod",
    "families.AdoptionDecision",
    "families.AdoptionPlacement",
    "families.CareProceedings",
    "families.CareProceedings_children",
    "families.Family_restricted_to",
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


def copy_rows(model: type[Model], rows: list[dict[str, Any]], *, into: str = "") -> None:
    fields = [f for f in model._meta.concrete_fields if f.attname == "id" or f.attname in rows[0]]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY {into or table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[f.attname] for f in fields])
        if into:
            return
        # Later inserts through the ORM continue after the ids we chose.
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{model._meta.db_table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
        )


# The tables the story generator writes, with their many-to-many tables.
STORY_TABLES = [
    "stories_entry",
    "stories_entry_concerns",
    "stories_entry_seen",
    "stories_entry_seen_alone",
]


@contextmanager
def bulk_loading(tables: list[str]) -> Iterator[None]:
    """Sets aside the secondary indexes, unique and foreign keys and user triggers of empty
    tables while millions of rows go in, then puts them back, as pg_restore does.

    Building an index once from sorted rows, and checking a foreign key with one join, is many
    times faster than maintaining them row by row; without this the `large` council's ten
    million story entries take most of an hour. Everything is restored from PostgreSQL's own
    definitions in the same transaction, so a failure leaves the schema as it was, and the
    foreign keys are checked in full when they are put back."""
    with connection.cursor() as cursor:
        # Runs the foreign key checks still deferred from earlier rows: a table with pending
        # checks cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.conrelid = ANY(%s::regclass[]) "
            "AND c.contype IN ('f', 'u') ORDER BY c.contype DESC",  # unique keys first
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _ in reversed(constraints):
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    yield
    with connection.cursor() as cursor:
        # Room to sort each index in memory rather than in many passes over disk.
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def load_demo_council(
    *,
    scale: str,
    seed: int,
    today: date,
    password: str,
    say: Callable[[str], None] = print,
    with_stories: bool = True,
    with_processes: bool = True,
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
        council = Council(scale=scale, seed=seed, today=today)
        tables = council.build(demo_users, first_user_id)
        say(f"Generated in {time.monotonic() - started:.1f}s")
        # The demo's starting state is not a change anyone made: skip the history triggers.
        with pgtrigger.ignore():
            for label in ORDER:
                table = tables.get(label)
                if table is None or not table.rows:
                    continue
                copy_rows(_model(label), table.rows)
                counts[label] = len(table.rows)
            if with_stories:
                written = time.monotonic()
                with bulk_loading(STORY_TABLES):
                    counts["stories.Entry"] = stories.generate(seed=seed, today=today)
                say(f"Stories written and indexed in {time.monotonic() - written:.1f}s")
            # The model's processes, written through the ORM from the records now loaded.
            # The outcome snapshots come last: they are made from everything before them.
            for process in (
                (
                    supervision,
                    audits,
                    surveys,
                    feedback,
                    retention_seed,
                    returns_records,
                    preproceedings_seed,
                    outcomes,
                )
                if with_processes
                else ()
            ):
                written = time.monotonic()
                counts.update(process.seed(seed=seed, today=today, scale=scale, say=say))
                say(
                    f"{process.__name__.rsplit('.', 1)[1].capitalize()} written in "
                    f"{time.monotonic() - written:.1f}s"
                )
            # Fresh statistics, so the first pages served plan their queries for the real
            # sizes rather than for empty tables (autovacuum would catch up, but later).
            # A count may be labelled more finely than its model ("stories.Entry (supervision)"):
            # each table is analysed once.
            analysed = {_model(label.split(" ", 1)[0])._meta.db_table for label in counts}
            with connection.cursor() as cursor:
                for name in sorted(analysed):
                    cursor.execute(f"ANALYZE {name}")
    say(f"Loaded in {time.monotonic() - started:.1f}s")
    return counts
