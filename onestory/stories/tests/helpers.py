from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from onestory.accounts.models import User
from onestory.families.models import Family, Person
from onestory.stories.models import Entry, Kind, Status
from onestory.test import child_of, parent_of, url_maker, when

# Some modules import these two from here; they live in onestory/test.py.
__all__ = ["child_of", "make_entry", "parent_of", "url", "visit_form"]


url = url_maker("stories")


def visit_form(family: Family, **overrides: Any) -> dict[str, Any]:
    child = child_of(family)
    data: dict[str, Any] = {
        "kind": "visit",
        **when("occurred_on", timezone.localdate() - timedelta(days=1)),
        "occurred_time": "14:30",
        "concerns": [child.pk],
        "seen": [child.pk, parent_of(family).pk],
        "seen_alone": [child.pk],
        "story": "We talked about school. You told me you like drawing.",
        "child_words": "I like my teacher.",
        "reflection": "Jayden seemed settled.",
        "next_steps": "I will visit again in two weeks.",
    }
    data.update(overrides)
    return data


def make_entry(
    family: Family,
    author: User,
    *,
    kind: str = Kind.VISIT,
    story: str = "We talked about school.",
    final: bool = True,
    at: datetime | None = None,
    about: list[Person] | None = None,
    seen: list[Person] | None = None,
    **values: Any,
) -> Entry:
    entry = Entry.objects.create(
        family=family,
        author=author,
        kind=kind,
        story=story,
        occurred_at=at or timezone.now() - timedelta(days=1),
        **values,
    )
    entry.concerns.set(about if about is not None else [child_of(family)])
    if seen:
        entry.seen.set(seen)
    if final:
        entry.finalise(by=author)
    assert entry.status == (Status.FINAL if final else Status.DRAFT)
    return entry
