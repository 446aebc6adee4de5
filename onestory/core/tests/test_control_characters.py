"""docs/security.md, promise 21: a control character in a query string gets a plain 400, never a
500, and every GET form survives whatever is typed (or pasted) into it."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onestory.accounts.models import User
from onestory.test import Cast, child_of, signed_in

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def test_a_nul_byte_in_a_search_is_a_plain_400(cast: Cast) -> None:
    response = signed_in(cast.sam).get("/stories/search/", {"q": "Okafor\x00"})
    assert response.status_code == 400
    assert "Sorry, there is a problem" in response.text
    assert "Okafor" not in response.text  # the page echoes nothing of what was sent
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x1b", "\x7f", "\x85", "\t", "\n"])
@pytest.mark.parametrize("where", ["value", "name"])
def test_any_control_character_in_a_query_string_is_refused(
    cast: Cast, char: str, where: str
) -> None:
    query = {"q": f"Jay{char}den"} if where == "value" else {f"q{char}": "Jayden"}
    response = signed_in(cast.sam).get(reverse("families:list"), query)
    assert response.status_code == 400
    assert "Sorry, there is a problem" in response.text


def test_raw_control_characters_are_refused_too(cast: Cast) -> None:
    # Not percent-encoded: straight into the query string, as a hand-made request could send it.
    response = signed_in(cast.sam).generic("GET", "/stories/search/", QUERY_STRING="q=a\x00b")
    assert response.status_code == 400


def test_a_stranger_gets_the_same_400_and_nothing_else(client: Client) -> None:
    response = client.get("/stories/search/", {"q": "\x00"})
    assert response.status_code == 400
    assert "Sorry, there is a problem" in response.text


def test_ordinary_text_is_untouched(cast: Cast) -> None:
    response = signed_in(cast.sam).get("/stories/search/", {"q": "Ökafor — visit & 'school' %"})
    assert response.status_code == 200


# --- Fuzzing every GET form ------------------------------------------------------------------

# Text that is mostly ordinary, often with a control character or something odd in it.
awkward = st.one_of(
    st.text(max_size=20),
    st.text(
        alphabet=st.sampled_from("\x00\x01\x1b\x7f\x85\t\n\r aZé%&=+;#?/\\'\"<>-0"), max_size=12
    ),
    st.integers(-5, 10**12).map(str),
    st.sampled_from(["", "1", "0", "-1", "last", "visit", "assessment", "1e9", "9" * 40]),
)
NAMES = ["q", "page", "closed", "kind", "child", "pod", "sort", "status"]
params = st.dictionaries(
    st.one_of(st.sampled_from(NAMES), st.text(max_size=5)), awkward, max_size=4
)

# Every page with a GET form, and the pages its parameters lead to (the pages of a list, the
# story's filters), as a user who may open it.
Page = tuple[Callable[[Cast], User], Callable[[Cast], str]]
PAGES: dict[str, Page] = {
    "story search": (lambda c: c.sam, lambda c: reverse("stories:search")),
    "family list filter": (lambda c: c.sam, lambda c: reverse("families:list")),
    "family list, service wide": (lambda c: c.hana, lambda c: reverse("families:list")),
    "find a person": (lambda c: c.sam, lambda c: reverse("access:search")),
    "find a person, service wide": (lambda c: c.hana, lambda c: reverse("access:search")),
    "member find": (
        lambda c: c.sam,
        lambda c: reverse("families:member_find", args=[c.okafors.uuid]),
    ),
    "what's due": (lambda c: c.sam, lambda c: reverse("stories:due")),
    "what's due in a pod": (
        lambda c: c.priya,
        lambda c: reverse("stories:due_pod", args=[c.harbour.pk]),
    ),
    "family page story filter": (
        lambda c: c.sam,
        lambda c: reverse("families:detail", args=[c.okafors.uuid]),
    ),
    "story timeline filter": (
        lambda c: c.sam,
        lambda c: reverse("stories:timeline", args=[c.okafors.uuid]),
    ),
    "child's story": (
        lambda c: c.sam,
        lambda c: reverse("stories:child", args=[child_of(c.okafors).uuid]),
    ),
    "new entry kind": (lambda c: c.sam, lambda c: reverse("stories:new", args=[c.okafors.uuid])),
    "pods": (lambda c: c.hana, lambda c: reverse("pods:list")),
    "pod": (lambda c: c.priya, lambda c: reverse("pods:detail", args=[c.harbour.pk])),
    "pods needing attention": (lambda c: c.hana, lambda c: reverse("pods:attention")),
    "access log": (
        lambda c: c.priya,
        lambda c: reverse("access:family_access_log", args=[c.okafors.uuid]),
    ),
    "my access": (lambda c: c.sam, lambda c: reverse("access:mine")),
}


@pytest.fixture
def clients(cast: Cast) -> dict[int, Client]:
    return {user.pk: signed_in(user) for user in (cast.sam, cast.priya, cast.hana)}


def test_every_page_in_the_fuzz_opens_without_parameters(
    cast: Cast, clients: dict[int, Client]
) -> None:
    # Otherwise the fuzz below would only be fuzzing 404s.
    for name, (user, url) in PAGES.items():
        response = clients[user(cast).pk].get(url(cast))
        assert response.status_code == 200, name


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(page=st.sampled_from(sorted(PAGES)), query=params, htmx=st.booleans())
def test_no_get_form_ever_gives_a_500(
    cast: Cast, clients: dict[int, Client], page: str, query: dict[str, str], htmx: bool
) -> None:
    user, url = PAGES[page]
    headers = {"HX-Request": "true"} if htmx else {}
    # The test client raises any exception a view raises, so a 500 fails here with its cause.
    response = clients[user(cast).pk].get(f"{url(cast)}?{urlencode(query)}", headers=headers)
    assert response.status_code < 500
    if any(CONTROL.search(k + v) for k, v in query.items()):
        assert response.status_code == 400
    else:
        assert response.status_code in {200, 302, 404}


def test_line_breaks_and_tabs_in_a_post_body_are_not_refused(cast: Cast) -> None:
    # Stories are written in paragraphs: only query strings are checked.
    response = signed_in(cast.sam).post(
        reverse("stories:new", args=[cast.okafors.uuid]),
        {"kind": "visit", "story": "First paragraph.\r\n\r\n\tSecond paragraph."},
    )
    assert response.status_code in {200, 302}


def test_djangos_own_400s_use_the_same_page(client: Client) -> None:
    # A host that is not ours is refused by Django before any middleware of ours runs.
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "Sorry, there is a problem" in response.text
