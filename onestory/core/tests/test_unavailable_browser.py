"""The "One Story is unavailable" page in Chromium: axe-core finds nothing, and it works with
no script and no database (issue 18)."""

from __future__ import annotations

import pytest

from onestory.accounts.models import Role
from onestory.test import assert_accessible, browser_signed_in, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("onestory.core.tests.unreachable"),
]


def test_the_unavailable_page_is_accessible(page, live_server) -> None:
    browser_signed_in(page, live_server, make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor"))
    response = page.goto("/test-only/unavailable/")
    assert response.status == 503
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "One Story is unavailable, try again in a minute"
    assert page.title().startswith("One Story is unavailable")
    assert_accessible(page)
    # Chromium reports the page's own status; nothing else (a script refused by CSP) may fail.
    assert [e for e in page.console_errors if "status of 503" not in e] == []
