"""The demo council's stories: about one entry per open child per week, written to the family."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from onestory.demo import stories
from onestory.demo.council import Council, DemoUser
from onestory.stories.models import Kind

TODAY = date(2026, 11, 2)


@cache
def build(seed: int) -> tuple[Council, dict[str, list[dict[str, object]]]]:
    council = Council(scale="small", seed=seed, today=TODAY)
    council.build({"demo-social-worker": DemoUser(1, "Sam", "Demo")}, first_user_id=100)
    return council, {k: t.rows for k, t in stories.build(council).items()}


def test_about_one_entry_per_allocated_child_per_week() -> None:
    council, tables = build(5)
    entries = tables["stories.Entry"]
    weeks = sum(
        ((a["end"] or TODAY) - a["start"]).days / 7
        for a in council.t["families.Allocation"].rows
        if a["start"] < TODAY
    )
    assert 0.8 < len(entries) / weeks < 1.2
    assert {e["kind"] for e in entries} <= set(Kind.values)
    assert len(tables["stories.Entry_concerns"]) == len(entries)


def test_entries_are_written_to_the_family_and_only_recent_ones_are_drafts() -> None:
    _, tables = build(5)
    entries = tables["stories.Entry"]
    assert all(e["story"] and "{name}" not in str(e["story"]) for e in entries)
    assert (
        sum("You " in str(e["story"]) or "We " in str(e["story"]) for e in entries)
        > len(entries) * 0.5
    )
    week_ago = TODAY - timedelta(days=7)
    for entry in entries:
        occurred = entry["occurred_at"].date()  # type: ignore[attr-defined]
        assert occurred < TODAY
        if entry["status"] == "draft":
            assert occurred >= week_ago and entry["finalised_at"] is None
        else:
            assert entry["finalised_at"] is not None


def test_same_seed_same_stories() -> None:
    again = Council(scale="small", seed=5, today=TODAY)
    again.build({"demo-social-worker": DemoUser(1, "Sam", "Demo")}, first_user_id=100)
    assert {k: t.rows for k, t in stories.build(again).items()} == build(5)[1]
