"""Anonymity by design: read the schema itself. Nothing in the response tables says who or
when, nothing joins a participation token to a response, no sequence numbers them, and none of
them is kept in history (which would record the user who wrote it)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

from onestory.accounts.models import Role
from onestory.surveys.models import Participation
from onestory.surveys.responding import token
from onestory.surveys.tests.helpers import a_wave, answer_form, closed
from onestory.test import make_user, signed_in

pytestmark = pytest.mark.django_db

ANSWER_TABLES = ["surveys_response", "surveys_timeuse", "surveys_agreementanswer"]
TOKEN_TABLE = "surveys_participation"


def columns(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s",
            [table],
        )
        return dict(cursor.fetchall())


def foreign_keys(table: str) -> set[str]:
    """The tables `table` points to and the tables that point to it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
            "WHERE contype = 'f' AND (conrelid = %s::regclass OR confrelid = %s::regclass)",
            [table, table],
        )
        return {other for a, b in cursor.fetchall() for other in (a, b) if other != table}


def test_responses_have_no_person_time_or_sequence() -> None:
    assert columns("surveys_response") == {
        "id": "uuid",
        "wave_id": "bigint",
        "role_group": "character varying",
        "free_text": "text",
    }
    assert columns("surveys_timeuse") == {
        "response_id": "uuid",
        "question_id": "bigint",
        "percent": "smallint",
    }
    assert columns("surveys_agreementanswer") == {
        "response_id": "uuid",
        "question_id": "bigint",
        "answer": "character varying",
    }
    for table in ANSWER_TABLES:
        assert "accounts_user" not in foreign_keys(table)
        assert "pods_staff" not in foreign_keys(table)


def test_the_token_table_holds_only_the_wave_and_a_hash() -> None:
    assert columns(TOKEN_TABLE) == {"wave_id": "bigint", "token": "character varying"}
    # It points to the wave and nothing else; nothing points to it.
    assert foreign_keys(TOKEN_TABLE) == {"surveys_wave"}


def test_no_sequence_or_default_can_order_answers_or_tokens() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_name = ANY(%s) AND (column_default IS NOT NULL OR is_identity = 'YES')",
            [[*ANSWER_TABLES, TOKEN_TABLE]],
        )
        assert cursor.fetchall() == []
        cursor.execute(
            "SELECT d.refobjid::regclass::text FROM pg_depend d JOIN pg_class s "
            "ON s.oid = d.objid AND s.relkind = 'S' WHERE d.refobjid = ANY(%s::regclass[])",
            [[*ANSWER_TABLES, TOKEN_TABLE]],
        )
        assert cursor.fetchall() == []


def test_responses_and_tokens_are_not_kept_in_history() -> None:
    tracked = {m._meta.db_table for m in apps.get_models() if m.__name__.endswith("Event")}
    for table in [*ANSWER_TABLES, TOKEN_TABLE]:
        assert f"{table}event" not in tracked
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal "
            "AND tgrelid = ANY(%s::regclass[])",
            [[*ANSWER_TABLES, TOKEN_TABLE]],
        )
        triggers = {name for _, name in cursor.fetchall()}
    # Only the rule that time use adds up to 100.
    assert triggers == {"surveys_response_time_use_adds_up", "surveys_timeuse_adds_up"}


def test_tokens_differ_by_wave_and_are_forgotten_when_the_wave_closes(cast) -> None:
    lead = make_user("lead", Role.QUALITY_LEAD, "Quinn", "Lead", password=None)
    wave = a_wave(lead)
    assert token(wave.pk, cast.sam.pk) != token(wave.pk + 1, cast.sam.pk)
    assert len(token(wave.pk, cast.sam.pk)) == 64
    signed_in(cast.sam).post(f"/your-voice/waves/{wave.pk}/answer/", answer_form(wave))
    assert Participation.objects.filter(wave=wave).count() == 1
    closed(wave, lead)
    assert not Participation.objects.filter(wave=wave).exists()
