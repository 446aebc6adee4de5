"""The story as a timeline, a page at a time: shared by the family page, its htmx fragment and
the child's own story, so each shows entries the same way for the same number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
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


def page_of(entries: EntryQuerySet, number: str | None) -> Page[Entry]:
    """One page of entries, with everything a timeline row shows fetched in bulk."""
    return Paginator(entries.for_timeline(), PER_PAGE).get_page(number)


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
