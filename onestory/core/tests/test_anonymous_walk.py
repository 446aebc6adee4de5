"""docs/security.md, promise 1: every URL pattern needs a signed-in user, except an explicit
allow-list."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from onestory.accounts.sso import SSO_PUBLIC_PREFIXES

# Pages anyone may open, and what they answer.
ALLOWED = {
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/logout/",
    "/accessibility/",
    "/healthz",
}
ALLOWED_PREFIXES = (
    "/accounts/password/reset/key/",
    "/accounts/2fa/authenticate/",
    *SSO_PUBLIC_PREFIXES,  # council sign-in: 404 where it is not configured, as here
    # Families send compliments and complaints without signing in: the questions redirect to
    # the start until answered, and show no record (onestory/feedback/public_views.py).
    "/feedback/",
)
# allauth pages for features we do not use, which send strangers back to sign in by themselves.
SIGN_IN = "/accounts/login/"


def _fill(route: str) -> str:
    """Turns a route pattern into a concrete path, with plausible values for its parameters."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    route = re.sub(r"<(?:uuid:)?\w*uuid\w*>|<uuid:\w+>", str(uuid.uuid4()), route)
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(?:slug:|str:|path:)?\w+>", "x", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route)
    return route.replace("\\", "")


def all_paths(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + _fill(str(entry.pattern))
        if isinstance(entry, URLResolver):
            yield from all_paths(entry, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route


PATHS = sorted(set(all_paths()))


def test_the_walk_covers_the_app() -> None:
    assert "/" in PATHS
    assert "/admin/" in PATHS
    assert len(PATHS) > 30


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
def test_anonymous_request(client: Client, path: str) -> None:
    response = client.get(path)
    if path in ALLOWED or path.startswith(ALLOWED_PREFIXES):
        # allauth answers a council sign-in that went wrong with 401 and a plain page.
        council = {401} if path.startswith(SSO_PUBLIC_PREFIXES) else set()
        assert response.status_code in {200, 302, 404} | council
        if response.status_code == 302:
            assert not response["Location"].startswith("/admin/")
        return
    assert response.status_code == 302, f"{path} answered {response.status_code} to a stranger"
    assert response["Location"].startswith("/accounts/login/?next=")
    assert b"csrfmiddlewaretoken" not in response.content
