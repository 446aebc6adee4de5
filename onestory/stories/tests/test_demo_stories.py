"""The demo council's stories: about one entry per open child per week, written to the family,
generated inside PostgreSQL from the council's allocations."""

from __future__ import annotations

from datetime import timedelta

import pgtrigger
import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Q

from onestory.demo import stories
from onestory.demo.load import STORY_TABLES, bulk_loading
from onestory.families.models import Allocation
from onestory.stories.models import WRITTEN_ELSEWHERE, Entry, Kind, Status
from onestory.test import SMALL_COUNCIL_SEED, SMALL_COUNCIL_TODAY

TODAY = SMALL_COUNCIL_TODAY


@pytest.fixture
def council(small_council: dict[str, int], db: None) -> dict[str, int]:
    """The small council with its stories (conftest.py), loaded once for the run."""
    return small_council


def digest() -> str:
    """Everything the generator chose, in one hash (ids aside: they follow existing rows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(string_agg(concat_ws('|', e.uuid, e.family_id, e.kind, e.occurred_at, "
            "e.author_id, e.story, e.child_words, e.reflection, e.next_steps, e.status, "
            "e.finalised_at, e.not_for_sharing, e.search_vector::text, "
            "(SELECT string_agg(person_id::text, ',') FROM stories_entry_seen_alone s "
            "WHERE s.entry_id = e.id)), ';' ORDER BY e.uuid)) FROM stories_entry e "
            "WHERE e.kind NOT IN ('supervision', 'audit', 'pre_proceedings')"
        )
        (found,) = cursor.fetchone()
    return str(found)


def test_about_one_entry_per_allocated_child_per_week(council: dict[str, int]) -> None:
    # Supervision and audit entries are written by those features' seeding, from their records.
    generated = Entry.objects.exclude(kind__in=WRITTEN_ELSEWHERE)
    entries = generated.count()
    assert entries == council["stories.Entry"] > 50_000
    weeks = sum(
        ((min(end or TODAY, TODAY)) - start).days / 7
        for start, end in Allocation.objects.filter(start__lt=TODAY).values_list("start", "end")
    )
    assert 0.9 < entries / weeks < 1.1
    kinds = dict(generated.values_list("kind").annotate(n=Count("id")))
    # Every kind typed on "Add to the story" (their shares: onestory/demo/tests/test_model.py).
    assert set(kinds) == set(Kind.values) - WRITTEN_ELSEWHERE
    assert 0.2 < kinds[Kind.CASE_SUMMARY] / entries < 0.3  # every fourth week
    assert kinds[Kind.VISIT] > kinds[Kind.DIRECT_WORK] > kinds[Kind.MEETING]
    through = Entry.concerns.through.objects.exclude(entry__kind__in=WRITTEN_ELSEWHERE)
    assert through.count() == entries
    assert Entry.seen.through.objects.count() == kinds[Kind.VISIT] + kinds[Kind.DIRECT_WORK]
    assert 0.5 < Entry.seen_alone.through.objects.count() / Entry.seen.through.objects.count() < 0.7


def test_each_entry_is_written_by_the_childs_worker_in_the_childs_family(
    council: dict[str, int],
) -> None:
    """Each entry the story generator writes concerns one child of its family, and is written by
    the worker allocated to that child on the day. (Entries written from other records, such
    as a pre-proceedings letter about several children, follow their own records.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM stories_entry e
            JOIN stories_entry_concerns c ON c.entry_id = e.id
            WHERE e.kind <> ALL(%s) AND (NOT EXISTS (
                SELECT 1 FROM families_familymember m
                WHERE m.family_id = e.family_id AND m.person_id = c.person_id AND m.role = 'child'
            ) OR NOT EXISTS (
                SELECT 1 FROM families_allocation a JOIN pods_staff s ON s.id = a.worker_id
                WHERE a.child_id = c.person_id AND s.user_id = e.author_id
                AND a.start < e.occurred_at::date
                AND (a."end" IS NULL OR e.occurred_at::date < a."end")
            ))
            """,
            [sorted(WRITTEN_ELSEWHERE)],
        )
        (stray,) = cursor.fetchone()
    assert stray == 0


def test_entries_read_as_written_to_the_family(council: dict[str, int]) -> None:
    assert not Entry.objects.filter(Q(story="") | Q(story__contains="{name}")).exists()
    assert not Entry.objects.filter(reflection__contains="{name}").exists()
    addressed = Entry.objects.filter(Q(story__contains="You ") | Q(story__contains="We ")).count()
    assert addressed > Entry.objects.count() * 0.5
    # Only visits and direct work have the child's own words.
    assert (
        not Entry.objects.exclude(kind__in=[Kind.VISIT, Kind.DIRECT_WORK])
        .exclude(child_words="")
        .exists()
    )
    assert 0.002 < Entry.objects.filter(not_for_sharing=True).count() / Entry.objects.count() < 0.02


def test_only_recent_entries_are_drafts_and_only_final_ones_are_searchable(
    council: dict[str, int],
) -> None:
    week_ago = TODAY - timedelta(days=7)
    assert not Entry.objects.filter(occurred_at__date__gte=TODAY).exists()
    drafts = Entry.objects.filter(status=Status.DRAFT)
    assert drafts.exists()
    assert not drafts.filter(occurred_at__date__lt=week_ago).exists()
    assert not drafts.exclude(finalised_at=None, search_vector=None).exists()
    finals = Entry.objects.filter(status=Status.FINAL)
    assert not finals.filter(Q(finalised_at=None) | Q(search_vector=None)).exists()
    assert not finals.filter(finalised_at__lt=F("occurred_at")).exists()


def test_the_search_vector_is_the_one_a_finalised_entry_gets(council: dict[str, int]) -> None:
    """The loader builds vectors a piece at a time; they must match the model's own."""
    sample = list(Entry.objects.filter(status=Status.FINAL).order_by("uuid")[:200])
    loaded = {e.pk: str(e.search_vector) for e in sample}
    with pgtrigger.ignore():
        Entry.objects.filter(pk__in=loaded).update(search_vector=None)
        for entry in sample:
            entry.refresh_search()
    again = dict(Entry.objects.filter(pk__in=loaded).values_list("pk", "search_vector"))
    assert {pk: str(v) for pk, v in again.items()} == loaded


def test_entries_are_written_in_the_order_they_happened(council: dict[str, int]) -> None:
    """As a real service writes them, so a family's entries are spread through the table."""
    generated = Entry.objects.exclude(kind__in=WRITTEN_ELSEWHERE)
    times = list(generated.order_by("id").values_list("occurred_at", flat=True))
    assert times == sorted(times)


def test_same_seed_same_stories(council: dict[str, int]) -> None:
    first = digest()
    with pgtrigger.ignore(), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(STORY_TABLES)} CASCADE")
        assert digest() != first
        with bulk_loading(STORY_TABLES):
            stories.generate(seed=SMALL_COUNCIL_SEED, today=TODAY)
        assert digest() == first
        transaction.set_rollback(True)
