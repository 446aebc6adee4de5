"""Searching the stories a user may see: the most recent matches, ranked, with highlights.

Search ranks the most recent matches rather than every match: ranking is per row, and a common
word can match hundreds of thousands of entries across a service. How the most recent matches
are found depends on how many families are searched (docs/decisions/0008). The caller logs the
families whose entries it shows: a snippet is a look at the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import OperationalError, connection, transaction
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from psycopg.errors import QueryCanceled

from onestory.accounts.models import User
from onestory.families.access import families_for
from onestory.stories.models import Entry
from onestory.stories.timeline import PER_PAGE

CANDIDATES = 1000
# Up to this many families, their finished entries are read and matched directly: the cost
# follows the user's own caseload.
FEW_FAMILIES = 2000
RECENT_IN_FEW_FAMILIES = """
    WITH theirs AS MATERIALIZED (
        SELECT id, occurred_at, search_vector FROM stories_entry
        WHERE family_id = ANY(%s) AND status = 'final'
    )
    SELECT id FROM theirs WHERE search_vector @@ websearch_to_tsquery('english', %s)
    ORDER BY occurred_at DESC, id DESC LIMIT %s
"""
# Beyond that, PostgreSQL chooses: for common words it walks all entries newest first (the
# recency index) and stops at the limit; for rare ones it takes every match from the search
# index. Its guess of how common words are can be wrong, so its own choice gets a short time
# limit, then each way is tried on its own: the walk, then the search index. No search holds
# a connection for more than a few seconds: one that runs out of time asks for more words.
PLANS = (  # (what to switch off, time limit in ms)
    ("nothing", 300),
    ("enable_bitmapscan", 1000),  # the walk
    ("enable_indexscan", 2500),  # the search index
)
START, STOP = "\x02", "\x03"


class SearchTooSlow(Exception):
    pass


@dataclass
class Found:
    page: Page[int] | None = None
    results: list[Entry] = field(default_factory=list)
    capped: bool = False  # more than `candidates` matched
    too_slow: bool = False
    candidates: int = 0  # how many of the most recent matches are ranked


def search_stories(user: User, query: str, *, closed: bool, page: str | None) -> Found:
    """One page of the best matches among the most recent CANDIDATES finished entries in the
    families the user may see (open ones only unless `closed`), each with its highlighted
    snippet."""
    found = Found(candidates=CANDIDATES)
    if not query:
        return found
    try:
        recent = recent_matches(user, query, closed=closed)
    except SearchTooSlow:
        recent, found.too_slow = [], True
    found.capped = len(recent) > CANDIDATES
    wanted = SearchQuery(query, search_type="websearch", config="english")
    ranked = list(
        Entry.objects.filter(pk__in=recent[:CANDIDATES])
        .annotate(rank=SearchRank(F("search_vector"), wanted))
        .order_by("-rank", "-occurred_at", "-id")
        .values_list("pk", flat=True)
    )
    found.page = Paginator(ranked, PER_PAGE).get_page(page)
    text = Concat(
        "story", Value(" "), "child_words", Value(" "), "next_steps", output_field=TextField()
    )
    shown = Entry.objects.filter(pk__in=list(found.page)).select_related("family")
    highlighted = shown.annotate(
        headline=SearchHeadline(
            text,
            wanted,
            config="english",
            start_sel=START,
            stop_sel=STOP,
            max_words=35,
            min_words=15,
        )
    )
    by_pk = {entry.pk: entry for entry in highlighted}
    found.results = [by_pk[pk] for pk in found.page.object_list if pk in by_pk]
    for entry in found.results:
        entry.snippet = _highlight(entry.headline)  # type: ignore[attr-defined]
    return found


def _highlight(headline: str) -> SafeString:
    """ts_headline's text escaped in full; only our own markers become <mark> tags."""
    safe = str(escape(headline))
    return mark_safe(safe.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def recent_matches(user: User, query: str, *, closed: bool) -> list[int]:
    """The ids of the most recent finished entries matching the query, newest first, in the
    families the user may see (open ones only unless `closed`); one more than CANDIDATES when
    there are more."""
    families = families_for(user)
    if not closed:
        families = families.filter(closed__isnull=True)
    few = list(families.values_list("pk", flat=True)[: FEW_FAMILIES + 1])
    # For many families, the open-only filter is applied to each entry's family as it is met,
    # which keeps PostgreSQL walking entries newest first.
    scope = Q() if closed else Q(family__closed__isnull=True)
    if len(few) <= FEW_FAMILIES:
        with connection.cursor() as cursor:
            cursor.execute(RECENT_IN_FEW_FAMILIES, [few, query, CANDIDATES + 1])
            return [row[0] for row in cursor.fetchall()]
    wanted = SearchQuery(query, search_type="websearch", config="english")
    recent = (
        Entry.objects.final()
        .filter(scope, family__in=families_for(user), search_vector=wanted)
        .order_by("-occurred_at", "-id")
        .values_list("pk", flat=True)[: CANDIDATES + 1]
    )
    for switch_off, milliseconds in PLANS:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                if switch_off != "nothing":
                    cursor.execute(f"SET LOCAL {switch_off} = off")
                cursor.execute(f"SET LOCAL statement_timeout = {milliseconds}")
                found = list(recent)
                # Within a caller's transaction these would outlive the savepoint.
                cursor.execute("RESET statement_timeout")
                if switch_off != "nothing":
                    cursor.execute(f"RESET {switch_off}")
                return found
        except OperationalError as error:
            if not isinstance(error.__cause__, QueryCanceled):
                raise
    raise SearchTooSlow
