"""Time for relationships, measured: Sam records a visit from the home page (find the child,
record, finalise) in at most three screens, by mouse and by keyboard alone, and a wrong form
puts the focus on its error summary. Each run prints the screens and the time it took, so a
change that adds a screen or slows the journey shows in the test output (pytest -s)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from onestory.families.models import CINEpisode, CPPlan
from onestory.stories.models import Entry, Status
from onestory.test import assert_accessible, browser_signed_in, make_cast, make_harbour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_SCREENS = 3


def sams_caseload() -> Any:
    harbour = make_harbour(make_cast())
    start = timezone.localdate() - timedelta(days=60)
    episode = CINEpisode.objects.create(
        child=harbour.jayden, family=harbour.cast.okafors, referral_source="1A", start=start
    )
    CPPlan.objects.create(
        episode=episode,
        child=harbour.jayden,
        initial_category="NEG",
        latest_category="NEG",
        start=start,
    )
    return harbour


class Screens:
    """Counts the pages the browser loads: each full page load is a screen the worker sees."""

    def __init__(self, page: Any) -> None:
        self.urls: list[str] = []
        page.on("load", lambda: self.urls.append(page.url))


def tab_to(page: Any, selector: str, limit: int = 150) -> None:
    """Presses Tab until the element is focused, as a keyboard user moves through a page."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} was never reached by Tab")


def test_a_visit_from_the_home_page_takes_three_screens(page, live_server) -> None:
    harbour = sams_caseload()
    browser_signed_in(page, live_server, harbour.cast.sam)
    started = time.perf_counter()
    screens = Screens(page)
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Record a visit to Jayden Okafor").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Add to the story"
    # The child is already chosen, as seen.
    assert (
        page.get_by_role("group", name="Who this is about")
        .get_by_label("Jayden Okafor")
        .is_checked()
    )
    page.get_by_label("What happened").fill(
        "We played football in the garden and talked about school."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save and finalise").click()
    page.wait_for_url(f"**/families/{harbour.cast.okafors.uuid}/")
    assert "played football" in page.locator("#story").inner_text()
    elapsed = time.perf_counter() - started
    print(f"\nVisit recorded from the home page: {len(screens.urls)} screens in {elapsed:.1f} s")
    assert len(screens.urls) <= MAX_SCREENS, screens.urls
    entry = Entry.objects.get()
    assert entry.status == Status.FINAL and list(entry.seen.all()) == [harbour.jayden]
    assert page.console_errors == []


def test_the_same_visit_by_keyboard_alone_with_the_error_summary_focused(page, live_server) -> None:
    harbour = sams_caseload()
    browser_signed_in(page, live_server, harbour.cast.sam)
    started = time.perf_counter()
    screens = Screens(page)
    page.goto("/")
    tab_to(page, "a:has-text('Record a visit')")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Add to the story").wait_for()
    # Finalising with nothing written: the error summary takes the focus, and links to the
    # field, so a keyboard or screen reader user lands on what to fix.
    tab_to(page, "button[name=finalise]")
    page.keyboard.press("Enter")
    page.locator(".govuk-error-summary").wait_for()
    focused = page.evaluate("document.activeElement.closest('.govuk-error-summary') !== null")
    assert focused, "the error summary should have the focus"
    assert Entry.objects.count() == 0
    tab_to(page, ".govuk-error-summary a")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.name") == "story"
    page.keyboard.type("We read a book together and Jayden chose the next one.")
    tab_to(page, "button[name=finalise]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/families/{harbour.cast.okafors.uuid}/")
    elapsed = time.perf_counter() - started
    print(f"\nBy keyboard: {len(screens.urls)} screens (one a corrected error) in {elapsed:.1f} s")
    # The wrong form is shown again: one screen more than the journey itself.
    assert len(screens.urls) <= MAX_SCREENS + 1, screens.urls
    assert Entry.objects.get().status == Status.FINAL
    assert page.console_errors == []
