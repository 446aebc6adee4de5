"""A security key added in Debian's Chromium, with its virtual authenticator standing in for the
key, under the real CSP (docs/security.md, promises 14 and 18), and axe-core on the page."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator

from onestory.accounts.models import Role
from onestory.test import PASSWORD, assert_accessible, make_user, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_security_key_is_added_in_the_browser_under_the_csp(
    browser: Any, live_server: Any
) -> None:
    kim = make_user("kim", Role.SOCIAL_WORKER, "Kim", "Holder")
    # Not the shared `page` fixture: that one bypasses the CSP so that axe can be injected.
    context = browser.new_context(base_url=live_server.url)
    try:
        session = signed_in(kim).cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))

        cdp = context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
        cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "usb",
                    "hasResidentKey": False,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                    "automaticPresenceSimulation": True,
                }
            },
        )

        page.goto("/accounts/reauthenticate/?next=/accounts/2fa/webauthn/add/")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url("**/accounts/2fa/webauthn/add/")
        assert page.get_by_role("heading", level=1).inner_text() == "Add a security key or passkey"
        page.get_by_label("Name").fill("Kim's key")
        page.get_by_role("button", name="Add", exact=True).click()
        page.wait_for_url(lambda url: not url.endswith("/webauthn/add/"))

        assert problems == []
        assert Authenticator.objects.filter(user=kim, type=Authenticator.Type.WEBAUTHN).exists()
    finally:
        context.close()


def test_the_add_page_is_accessible(page: Any, live_server: Any) -> None:
    kim = make_user("kim", Role.SOCIAL_WORKER, "Kim", "Holder")
    session = signed_in(kim).cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.goto("/accounts/reauthenticate/?next=/accounts/2fa/webauthn/add/")
    assert_accessible(page)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/accounts/2fa/webauthn/add/")
    assert_accessible(page)
