"""The story as a timeline, a page at a time: shared by the family page, its htmx fragment and
the child's own story, so each shows entries the same way for the same number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Value
from django.http import QueryDict

from onestory.families.models import Family, Person
from onestory.stories.models import Entry, EntryQuerySet, Kind

PER_PAGE = 20


@dataclass
class Story:
    page: Page[Entry]
    kind: str
    child: str
    kinds: list[tuple[str, str]]
    children: list[Person]

    @property
    def next_query(self) -> str:
        """The query string of the next page, keeping the filters."""
        params: dict[str, Any] = {"page": self.page.next_page_number()}
        if self.kind:
            params["kind"] = self.kind
        if self.child:
            params["child"] = self.child
        return urlencode(params)


@dataclass(frozen=True)
class People:
    """Whom a timeline row names: who the entry is about, and who was seen and whether alone,
    each in the order of their names."""

    about: list[str]
    seen: list[tuple[str, bool]]


def page_of(entries: EntryQuerySet, number: str | None) -> Page[Entry]:
    """One page of entries, with everything a timeline row shows fetched in bulk, its people
    as `entry.people`."""
    page = Paginator(entries.for_timeline(), PER_PAGE).get_page(number)
    rows = list(page.object_list)
    _add_people(rows)
    page.object_list = rows
    return page


def _add_people(entries: list[Entry]) -> None:
    """The three lists of people of every entry on the page in one query. Prefetching them
    took three, and a manager built for each list of each row; on the family page, the
    busiest page of all, that machinery was a fifth of the time."""
    ids = [entry.pk for entry in entries]

    def listed(through: Any, name: str) -> Any:
        return (
            through.objects.filter(entry_id__in=ids)
            .annotate(list=Value(name))
            .values_list("list", "entry_id", "person_id", "person__first_name", "person__last_name")
        )

    # In Person's own order (last name, first name), as the prefetch gave it.
    rows = (
        listed(Entry.concerns.through, "about")
        .union(
            listed(Entry.seen.through, "seen"), listed(Entry.seen_alone.through, "alone"), all=True
        )
        .order_by("person__last_name", "person__first_name", "person_id")
        if ids
        else []
    )
    about: dict[int, list[str]] = defaultdict(list)
    seen: dict[int, list[tuple[int, str]]] = defaultdict(list)
    alone: set[tuple[int, int]] = set()
    for name, entry, person, first, last in rows:
        if name == "about":
            about[entry].append(Person.name_of(first, last))
        elif name == "seen":
            seen[entry].append((person, Person.name_of(first, last)))
        else:
            alone.add((entry, person))
    for entry in entries:
        entry.people = People(  # type: ignore[attr-defined]
            about=about[entry.pk],
            seen=[(full, (entry.pk, person) in alone) for person, full in seen[entry.pk]],
        )


def family_story(family: Family, params: QueryDict, children: list[Person]) -> Story:
    entries = family.entries.all()
    kind = params.get("kind", "")
    if kind in Kind.values:
        entries = entries.filter(kind=kind)
    else:
        kind = ""
    child = params.get("child", "")
    chosen = next((c for c in children if str(c.uuid) == child), None)
    if chosen is not None:
        entries = entries.filter(concerns=chosen)
    else:
        child = ""
    return Story(
        page=page_of(entries, params.get("page")),
        kind=kind,
        child=child,
        kinds=list(Kind.choices),
        children=children,
    )
