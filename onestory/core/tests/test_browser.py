"""In Debian's Chromium: sign in through the real pages, and axe-core on every page passed."""

from __future__ import annotations

import pytest

from onestory.accounts.models import Role
from onestory.test import PASSWORD, assert_accessible, make_user, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_mfa_and_axe_on_every_page(page, live_server) -> None:
    sam = make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor")

    page.goto("/")
    assert page.url.endswith("/accounts/login/?next=/")
    assert_accessible(page)

    # A wrong password shows the GOV.UK error summary, and that page is accessible too.
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text().startswith("There is a problem")
    assert_accessible(page)

    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert_accessible(page)
    page.get_by_label("Code").fill(totp_code(sam))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Sam"
    assert_accessible(page)

    assert page.console_errors == []
    page.goto("/no-such-page/")
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    assert_accessible(page)
    page.console_errors.clear()  # the browser reports the 404 itself as an error

    page.goto("/accessibility/")
    assert_accessible(page)
    assert page.console_errors == []


def test_keyboard_reaches_the_skip_link_first(page) -> None:
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_login"
