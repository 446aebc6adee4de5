"""Reading the story: the family page, its fragments, the child's story, search and the PDF,
each only for those who may see the family."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pgtrigger
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onestory.families.models import (
    AccessAction,
    AccessEvent,
    AccessOutcome,
    Family,
    FamilyMember,
    MemberRole,
    Person,
)
from onestory.stories import search
from onestory.stories.models import Entry, FamilyCopy, Kind
from onestory.stories.tests.helpers import make_entry, url
from onestory.test import LONG_AGO, Cast, child_of, signed_in

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def family_page(family: Family) -> str:
    return reverse("families:detail", args=[family.uuid])


def many(family: Family, author: object, count: int) -> None:
    now = timezone.now()
    for n in range(count):
        make_entry(
            family,
            author,  # type: ignore[arg-type]
            story=f"Entry number {n}.",
            at=now - timedelta(days=n + 1),
            kind=Kind.VISIT if n % 2 else Kind.CASE_SUMMARY,
        )
    # Amendments and sign-offs too, so their prefetches are counted.
    entry = Entry.objects.filter(family=family).first()
    assert entry is not None
    entry.amend(by=author, reason="Typo", text="Corrected.")


def queries(fetch: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        fetch()
    return len(captured)


@pytest.mark.parametrize("name", ["family", "timeline", "child"])
def test_query_count_does_not_grow_with_the_story(
    cast: Cast, name: str, django_assert_num_queries: Any
) -> None:
    client = signed_in(cast.sam)
    child = child_of(cast.okafors)
    pages = {
        "family": family_page(cast.okafors),
        "timeline": url("timeline", cast.okafors.uuid) + "?page=2",
        "child": url("child", child.uuid),
    }
    many(cast.okafors, cast.sam, 5)
    client.get(pages[name])  # warm the session and any first-use caches
    short = queries(lambda: client.get(pages[name]))
    many(cast.okafors, cast.sam, 55)
    long = queries(lambda: client.get(pages[name]))
    assert short == long
    pinned = {"family": 20, "timeline": 12, "child": 9}
    with django_assert_num_queries(pinned[name]):
        response = client.get(pages[name])
    assert response.status_code == 200


def test_timeline_rows_name_who_each_entry_is_about_and_who_was_seen(cast: Cast) -> None:
    jayden = child_of(cast.okafors)
    kelly = Person.objects.get(first_name="Kelly", last_name="Okafor")
    zara = Person.objects.create(first_name="Zara", last_name="Adeyemi", sex="F")
    entry = make_entry(
        cast.okafors, cast.sam, about=[jayden, zara], seen=[kelly, jayden], final=False
    )
    entry.seen_alone.set([jayden])
    entry.finalise(by=cast.sam)
    make_entry(cast.okafors, cast.sam, story="The whole family's entry.", about=[])
    client = signed_in(cast.sam)
    # In order of last name, then first name, on both timelines.
    row = "About Zara Adeyemi, Jayden Okafor. Seen: Jayden Okafor (alone), Kelly Okafor</p>"
    assert row in client.get(family_page(cast.okafors)).text
    assert row in client.get(url("child", jayden.uuid)).text
    # An entry about nobody names nobody.
    assert client.get(family_page(cast.okafors)).text.count("About ") == 1


def test_family_page_shows_children_status_worker_due_and_story(cast: Cast) -> None:
    from onestory.families.models import Allocation, CINEpisode
    from onestory.pods.models import Staff

    child = child_of(cast.okafors)
    CINEpisode.objects.create(
        child=child, family=cast.okafors, referral_source="1A", start=LONG_AGO
    )
    Allocation.objects.create(
        child=child, worker=Staff.objects.get(user=cast.sam), pod=cast.harbour, start=LONG_AGO
    )
    make_entry(cast.okafors, cast.sam, story="Newer entry.", seen=[child])
    make_entry(
        cast.okafors,
        cast.sam,
        story="Older entry.",
        at=timezone.now() - timedelta(days=30),
        kind=Kind.MEETING,
    )
    page = signed_in(cast.sam).get(family_page(cast.okafors)).text
    assert "Child in need, since 6 January 2020" in page
    assert "Sam has been your social worker since January 2020." in page
    assert "Visit for Jayden Okafor" in page
    assert page.index("Newer entry.") < page.index("Older entry.")
    filtered = (
        signed_in(cast.sam)
        .get(
            url("timeline", cast.okafors.uuid), {"kind": "meeting"}, headers={"HX-Request": "true"}
        )
        .text
    )
    assert "Older entry." in filtered and "Newer entry." not in filtered
    assert "<html" not in filtered


def test_filter_by_child_and_load_more(cast: Cast) -> None:
    sister = Person.objects.create(first_name="Amara", last_name="Okafor")
    FamilyMember.objects.create(
        family=cast.okafors, person=sister, role=MemberRole.CHILD, start=LONG_AGO
    )
    make_entry(cast.okafors, cast.sam, story="About Amara.", about=[sister])
    make_entry(cast.okafors, cast.sam, story="About Jayden.")
    client = signed_in(cast.sam)
    only = client.get(url("timeline", cast.okafors.uuid), {"child": str(sister.uuid)}).text
    assert "About Amara." in only and "About Jayden." not in only
    many(cast.okafors, cast.sam, 25)
    first = client.get(family_page(cast.okafors)).text
    assert "Show older entries" in first
    second = client.get(url("timeline", cast.okafors.uuid), {"page": 2}).text
    assert "Entry number 24." in second and "Entry number 0." not in second


def test_the_childs_story_crosses_families_the_user_may_see(cast: Cast) -> None:
    child = child_of(cast.okafors)
    # Jayden once lived with the Nashes (Pod Downs), which Sam may not see; Hana sees both.
    FamilyMember.objects.create(
        family=cast.nashes, person=child, role=MemberRole.CHILD, start=LONG_AGO, end=LONG_AGO
    )
    make_entry(
        cast.nashes,
        cast.charlie,
        story="At the Nashes.",
        about=[child],
        at=timezone.now() - timedelta(days=100),
    )
    make_entry(cast.okafors, cast.sam, story="At the Okafors.")
    sam = signed_in(cast.sam).get(url("child", child.uuid)).text
    assert "At the Okafors." in sam and "At the Nashes." not in sam
    hana = signed_in(cast.hana).get(url("child", child.uuid)).text
    assert hana.index("At the Nashes.") < hana.index("At the Okafors.")


@pytest.fixture(params=["few families", "many families"])
def search_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Search reads a few families' entries directly, and walks the recency index for many:
    both must find the same entries."""
    if request.param == "many families":
        monkeypatch.setattr(search, "FEW_FAMILIES", 0)
    return str(request.param)


def test_closed_families_are_searched_when_asked(cast: Cast, search_path: str) -> None:
    make_entry(cast.okafors, cast.sam, story="We went swimming at the lido.")
    Family.objects.filter(pk=cast.okafors.pk).update(closed=timezone.localdate())
    client = signed_in(cast.sam)
    page = client.get(url("search"), {"q": "swimming"}).text
    assert "0 entries found" in page and "Only open families were searched" in page
    assert "lido" not in page
    page = client.get(url("search"), {"q": "swimming", "closed": "1"}).text
    assert "1 entry found" in page and "lido" in page
    assert 'id="closed" name="closed" type="checkbox" value="1" checked' in page
    assert (
        AccessEvent.objects.filter(
            user=cast.sam, family=cast.okafors, action=AccessAction.SEARCH
        ).count()
        == 1
    )


def test_search_finds_final_entries_with_safe_highlights(cast: Cast, search_path: str) -> None:
    make_entry(cast.okafors, cast.sam, story=f"We went swimming together, Tom & Jerry. {XSS}")
    make_entry(cast.okafors, cast.sam, story="A swimming draft.", final=False)
    make_entry(cast.nashes, cast.charlie, story="Lily went swimming too.")
    page = signed_in(cast.sam).get(url("search"), {"q": "swimming"}).text
    assert "<mark>swimming</mark>" in page
    assert "1 entry found" in page
    assert "A swimming draft" not in page and "Lily" not in page
    i = page.find("<script>alert")
    assert i == -1, page[i - 300 : i + 100]
    assert "Tom &amp; Jerry" in page
    assert "<img src=x" not in page


def test_each_family_shown_in_search_results_is_logged_once(cast: Cast) -> None:
    make_entry(cast.okafors, cast.sam, story="We went swimming.")
    make_entry(cast.okafors, cast.sam, story="More swimming.")
    make_entry(cast.okafors, cast.sam, story="Nothing to find here.")
    before = AccessEvent.objects.count()
    signed_in(cast.sam).get(url("search"), {"q": "swimming"})
    events = AccessEvent.objects.order_by("id")[before:]
    assert [(e.user, e.family, e.action, e.outcome) for e in events] == [
        (cast.sam, cast.okafors, AccessAction.SEARCH, AccessOutcome.ALLOWED)
    ]
    # A search that finds nothing has looked at nothing.
    signed_in(cast.sam).get(url("search"), {"q": "zebra"})
    assert AccessEvent.objects.filter(action=AccessAction.SEARCH).count() == 1


def test_search_ranks_the_most_recent_matches_and_says_so(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, search_path: str
) -> None:
    monkeypatch.setattr(search, "CANDIDATES", 3)
    now = timezone.now()
    for days, story in enumerate(
        ["swimming", "swimming", "swimming swimming swimming", "swimming swimming swimming"]
    ):
        make_entry(
            cast.okafors,
            cast.sam,
            story=f"Number {days}: {story}.",
            at=now - timedelta(days=days + 1),
        )
    page = signed_in(cast.sam).get(url("search"), {"q": "swimming"}).text
    assert "More than 3 entries found" in page
    assert "best matches among the 3 most recent" in page
    # Ranked by how well they match, among the three most recent: the oldest is left out.
    assert page.index("Number 2") < page.index("Number 0")
    assert "Number 3" not in page
    monkeypatch.setattr(search, "CANDIDATES", 4)
    page = signed_in(cast.sam).get(url("search"), {"q": "swimming"}).text
    assert "4 entries found" in page and "most recent" not in page


def test_a_search_out_of_time_tries_the_other_way_then_asks_for_more_words(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real time limits on a real query: 50,000 matching entries cannot be fetched through the
    search index in a millisecond."""
    monkeypatch.setattr(search, "FEW_FAMILIES", 0)
    first = make_entry(cast.okafors, cast.sam, story="We went swimming.")
    with pgtrigger.ignore(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO stories_entry (uuid, family_id, kind, occurred_at, author_id, story,
                child_words, reflection, next_steps, third_party, not_for_sharing, status,
                version, created_at, updated_at, finalised_at, search_vector)
            SELECT gen_random_uuid(), family_id, kind, occurred_at - make_interval(mins => n),
                author_id, story, '', '', '', '', false, status, version, created_at,
                updated_at, finalised_at, search_vector
            FROM stories_entry, generate_series(1, 50000) n WHERE id = %s
            """,
            [first.pk],
        )
    client = signed_in(cast.sam)
    slow = ("enable_indexscan", 1)  # the search index only, within a millisecond
    monkeypatch.setattr(search, "PLANS", (slow, ("nothing", 60_000)))
    page = client.get(url("search"), {"q": "swimming"}).text
    assert "More than 1,000 entries found" in page
    monkeypatch.setattr(search, "PLANS", (slow, slow))
    page = client.get(url("search"), {"q": "swimming"}).text
    assert "This search took too long" in page
    assert "entries found" not in page
    # The time limit and the switched-off plan ended with the search.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('statement_timeout'), current_setting('enable_indexscan')"
        )
        assert cursor.fetchone() == ("0", "on")


def test_a_search_that_runs_out_of_time_asks_for_more_words(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    def too_slow(*args: object, **kwargs: object) -> list[int]:
        raise search.SearchTooSlow

    monkeypatch.setattr(search, "recent_matches", too_slow)
    page = signed_in(cast.sam).get(url("search"), {"q": "school", "closed": "1"}).text
    assert "This search took too long" in page
    assert "or search open families only" in page
    assert not AccessEvent.objects.filter(action=AccessAction.SEARCH).exists()


def test_search_costs_the_same_queries_for_any_number_of_matches(cast: Cast) -> None:
    client = signed_in(cast.sam)
    client.get(url("search"), {"q": "nothing"})  # the session's first request does more
    counts = []
    for total in (1, 30):
        while Entry.objects.filter(story__contains="swimming").count() < total:
            make_entry(cast.okafors, cast.sam, story="We went swimming.")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("search"), {"q": "swimming"}).status_code == 200
        counts.append(len(queries))
    assert counts == [9, 9]


def test_charlie_sees_nothing_of_the_okafors(cast: Cast, search_path: str) -> None:
    entry = make_entry(cast.okafors, cast.sam, story="Secret swimming story.")
    child = child_of(cast.okafors)
    charlie = signed_in(cast.charlie)
    family = cast.okafors.uuid
    for address in [
        url("timeline", family),
        url("new", family),
        url("copy", family),
        url("entry", family, entry.uuid),
        url("child", child.uuid),
    ]:
        assert charlie.get(address).status_code == 404, address
    for action in ("save", "autosave", "finalise", "amend", "sign_off"):
        assert charlie.post(url(action, family, entry.uuid), {}).status_code == 404, action
    found = charlie.get(url("search"), {"q": "swimming"}).text
    assert "0 entries found" in found and "Secret" not in found
    assert AccessEvent.objects.filter(
        user=cast.charlie, family=cast.okafors, outcome=AccessOutcome.DENIED
    ).exists()
    # Nested ids must belong to their parent: an Okafor entry under the Nashes' URL is 404.
    assert charlie.get(url("entry", cast.nashes.uuid, entry.uuid)).status_code == 404


def test_entry_text_is_escaped_everywhere(cast: Cast) -> None:
    entry = make_entry(
        cast.okafors,
        cast.sam,
        story=XSS,
        child_words=XSS,
        reflection=XSS,
        next_steps=XSS,
        third_party=XSS,
    )
    entry.amend(by=cast.sam, reason=XSS, text=XSS)
    client = signed_in(cast.sam)
    for address in [
        family_page(cast.okafors),
        url("timeline", cast.okafors.uuid),
        url("entry", cast.okafors.uuid, entry.uuid),
        url("child", child_of(cast.okafors).uuid),
    ]:
        page = client.get(address).text
        assert "&lt;script&gt;" in page, address
        assert "<script>alert" not in page and "onerror=alert" not in page.replace(
            "onerror=alert(1)&gt;", ""
        ), address


def test_the_familys_copy_leaves_out_what_is_not_for_sharing_and_is_logged(
    cast: Cast,
) -> None:
    from pypdf import PdfReader

    make_entry(cast.okafors, cast.sam, story="Shared story.", third_party="Neighbour secret.")
    make_entry(cast.okafors, cast.sam, story="Whole entry hidden.", not_for_sharing=True)
    make_entry(cast.okafors, cast.sam, story="Unfinished draft.", final=False)
    client = signed_in(cast.sam)
    # Asked for, made by the task worker (run at once in the tests), then downloaded from the
    # page that follows its progress (stories/copies.py; the rest in test_family_copy.py).
    status = client.post(url("copy", cast.okafors.uuid), follow=True)
    assert "The copy is ready" in status.text
    download = FamilyCopy.objects.get(family=cast.okafors, requested_by=cast.sam)
    assert not AccessEvent.objects.filter(family=cast.okafors, action="print").exists()
    response = client.get(url("copy_download", cast.okafors.uuid, download.uuid))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    import io

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Shared story." in text
    for hidden in ("Neighbour secret", "Whole entry hidden", "Unfinished draft"):
        assert hidden not in text
    assert AccessEvent.objects.filter(
        user=cast.sam, family=cast.okafors, action="print", outcome=AccessOutcome.ALLOWED
    ).exists()
