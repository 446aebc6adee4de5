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
from onestory.demo import stories
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
    "stories.Entry",
    "stories.Entry_concerns",
    "stories.Entry_seen",
    "stories.Entry_seen_alone",
]


# Many-to-many tables, named "<model>_<field>" in the generator.
THROUGH = {
    "families.CareProceedings_children": ("families.CareProceedings", "children"),
    "families.Family_restricted_to": ("families.Family", "restricted_to"),
    "stories.Entry_concerns": ("stories.Entry", "concerns"),
    "stories.Entry_seen": ("stories.Entry", "seen"),
    "stories.Entry_seen_alone": ("stories.Entry", "seen_alone"),
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


def copy_entries(rows: list[dict[str, Any]]) -> None:
    """Story entries, with their search vectors computed as they are written.

    Written once through a staging table, rather than copied and then updated, with the search
    index built after the rows rather than row by row. Demo entries are put together from a few
    thousand distinct passages, so each passage is turned into a tsvector once and joined back:
    the same three weighted parts that `stories.models.SEARCH_VECTOR` concatenates (a new entry
    has no amendments), at a fraction of the cost for the `large` scale's ten million."""
    model = _model("stories.Entry")
    names = [f.column for f in model._meta.concrete_fields if f.column != "search_vector"]
    columns = ", ".join(connection.ops.quote_name(str(n)) for n in names)
    selected = ", ".join(f"e.{connection.ops.quote_name(str(n))}" for n in names)
    parts = {
        "a": "e.story",
        "b": "e.child_words || ' ' || e.next_steps",
        "c": "e.reflection || ' ' || e.third_party || ' ' || ''",
    }
    vectors = " ".join(
        f"JOIN (SELECT t, setweight(to_tsvector('english', t), '{w.upper()}') AS v "  # noqa: S608
        f"FROM (SELECT DISTINCT {text} AS t FROM entry_load e) d) {w} ON {w}.t = {text}"
        for w, text in parts.items()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE entry_load (LIKE stories_entry INCLUDING DEFAULTS) "
            "ON COMMIT DROP"
        )
        copy_rows(model, rows, into="entry_load")
        cursor.execute("ANALYZE entry_load")
        cursor.execute("DROP INDEX stories_entry_search")
        # Room to build the search index in memory rather than in many passes over disk.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # Foreign keys are checked as the rows go in, so the index can be built straight after.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            f"INSERT INTO stories_entry ({columns}, search_vector) "  # noqa: S608
            f"SELECT {selected}, CASE WHEN e.status = 'final' THEN a.v || b.v || c.v END "
            f"FROM entry_load e {vectors}"
        )
        cursor.execute(
            "CREATE INDEX stories_entry_search ON stories_entry USING gin (search_vector)"
        )
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('stories_entry', 'id'), "
            "(SELECT COALESCE(MAX(id), 1) FROM stories_entry))"
        )


def load_demo_council(
    *,
    scale: str,
    seed: int,
    today: date,
    password: str,
    say: Callable[[str], None] = print,
    with_stories: bool = True,
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
        if with_stories:
            written = time.monotonic()
            tables.update(stories.build(council))
            say(f"Stories written in {time.monotonic() - written:.1f}s")
        say(f"Generated in {time.monotonic() - started:.1f}s")
        # The demo's starting state is not a change anyone made: skip the history triggers.
        with pgtrigger.ignore():
            for label in ORDER:
                table = tables.get(label)
                if table is None or not table.rows:
                    continue
                if label == "stories.Entry":
                    copied = time.monotonic()
                    copy_entries(table.rows)
                    say(f"Stories loaded and indexed in {time.monotonic() - copied:.1f}s")
                else:
                    copy_rows(_model(label), table.rows)
                counts[label] = len(table.rows)
            # Fresh statistics, so the first pages served plan their queries for the real
            # sizes rather than for empty tables (autovacuum would catch up, but later).
            with connection.cursor() as cursor:
                for label in counts:
                    cursor.execute(f"ANALYZE {_model(label)._meta.db_table}")
    say(f"Loaded in {time.monotonic() - started:.1f}s")
    return counts
