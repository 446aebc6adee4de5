"""In Debian's Chromium: a parent sends a complaint through the public page by keyboard alone,
then the complaints officer finds it in the log and reads the report; every page on the way
passes axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest

from onestory.feedback.models import Item
from onestory.feedback.tests.helpers import officer
from onestory.test import assert_accessible, browser_signed_in, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, *, limit: int = 60) -> None:
    """Presses Tab until the element matching `selector` has the focus: keyboard only."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_parent_sends_a_complaint_by_keyboard(page, live_server) -> None:
    page.goto(f"{live_server.url}/feedback/")
    assert_accessible(page)
    tab_to(page, "a.govuk-button--start")
    page.keyboard.press("Enter")

    page.wait_for_url("**/feedback/what/")
    assert_accessible(page)
    # Continue with nothing chosen: the error summary, and still accessible.
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Choose whether you want to send" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    tab_to(page, "input[value=compliment]")
    page.keyboard.press("ArrowDown")  # radios move with the arrow keys: now "complaint"
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url("**/feedback/who/")
    assert_accessible(page)
    tab_to(page, "input[value=child]")
    page.keyboard.press("ArrowDown")  # parent or carer
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url("**/feedback/about/")
    assert_accessible(page)
    tab_to(page, "textarea")
    page.keyboard.type("The visits keep being cancelled.")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url("**/feedback/reply/")
    assert_accessible(page)
    tab_to(page, "input[value=yes]")
    page.keyboard.press("Space")
    # Yes without contact details: the message names the field; the choice is kept.
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "Enter your name and how we can contact you" in page.get_by_role("alert").inner_text()
    assert page.locator("input[value=yes]").is_checked()
    assert_accessible(page)
    tab_to(page, "textarea")
    page.keyboard.type("Kelly, 07700 900123")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url("**/feedback/check/")
    assert "The visits keep being cancelled." in page.inner_text("main")
    assert_accessible(page)
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url("**/feedback/sent/")
    item = Item.objects.get()
    assert item.reference in page.inner_text("main")
    assert "We will send you our response by" in page.inner_text("main")
    assert_accessible(page)


def test_the_officer_reads_the_log_and_the_report(page, live_server) -> None:
    make_cast()
    cora = officer("cora-browser")
    browser_signed_in(page, live_server, cora)
    page.goto(f"{live_server.url}/complaints/new/")
    page.get_by_label("Complaint", exact=True).check()
    page.get_by_label("Parent or carer").check()
    page.get_by_label("Letter").check()
    page.get_by_label("Summary").fill("Nobody called back.")
    page.get_by_label("They want a reply", exact=True).check()
    page.get_by_role("button", name="Add to the log").click()
    page.wait_for_load_state()
    assert "Enter the contact details" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Summary").input_value() == "Nobody called back."
    assert_accessible(page)
    page.get_by_label("Contact details (optional unless they want a reply)").fill("By post")
    page.get_by_role("button", name="Add to the log").click()
    page.wait_for_url("**/complaints/*-*/")
    assert_accessible(page)

    page.goto(f"{live_server.url}/complaints/")
    assert page.get_by_role("heading", level=1).inner_text() == "Compliments and complaints"
    assert Item.objects.get().reference in page.inner_text("main")
    assert_accessible(page)
    page.get_by_role("link", name="Reports by financial year").click()
    assert "projected" in page.inner_text("main")
    assert_accessible(page)
