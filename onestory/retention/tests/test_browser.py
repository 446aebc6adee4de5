"""In Debian's Chromium: an information governance officer places a legal hold by keyboard
alone (bad input first), and every retention page on the way passes axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest

from onestory.retention import records
from onestory.retention.models import LegalHold
from onestory.retention.tests.helpers import close, keep_for_a_year, officers
from onestory.test import assert_accessible, browser_signed_in, make_cast, make_family

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, *, limit: int = 80) -> None:
    """Presses Tab until the element matching `selector` has the focus: keyboard only."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_an_officer_places_a_hold_by_keyboard(page, live_server) -> None:
    cast = make_cast()
    iris, owen = officers()
    keep_for_a_year()
    due = close(make_family("Due", cast.harbour))
    other = close(make_family("Other", cast.harbour))
    disposal = records.request_disposal(by=owen, family=other)
    browser_signed_in(page, live_server, iris)

    for address in (
        "/retention/",
        "/retention/holds/",
        "/retention/disposals/",
        "/retention/rules/",
        "/retention/rules/care/",
        f"/retention/disposals/{disposal.pk}/",
    ):
        page.goto(f"{live_server.url}{address}")
        assert_accessible(page)

    page.goto(f"{live_server.url}/retention/families/{due.uuid}/")
    assert_accessible(page)
    tab_to(page, "input[name=reference]")
    page.keyboard.type("CLAIM/77")
    tab_to(page, "button.govuk-button:not(.govuk-button--warning)")
    page.keyboard.press("Enter")
    page.get_by_role("alert").wait_for()
    assert "Select why the record must be kept" in page.get_by_role("alert").inner_text()
    assert page.input_value("input[name=reference]") == "CLAIM/77"
    assert_accessible(page)
    tab_to(page, "input[name=reason]")
    page.keyboard.press("Space")
    tab_to(page, "button.govuk-button:not(.govuk-button--warning)")
    page.keyboard.press("Enter")
    page.get_by_text("The legal hold is placed").wait_for()
    assert_accessible(page)
    hold = LegalHold.objects.get()
    assert (hold.family, hold.reference, hold.reason) == (due, "CLAIM/77", "litigation")
