"""In Debian's Chromium: Sam records a visit, finalises it, amends it and finds it by search,
and every page on the way passes axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from onestory.stories.models import Amendment, Entry, Status
from onestory.test import assert_accessible, browser_signed_in, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_record_finalise_amend_and_find_a_visit(page, live_server) -> None:
    cast = make_cast()
    browser_signed_in(page, live_server, cast.sam)
    yesterday = timezone.localdate() - timedelta(days=1)

    page.goto(f"/families/{cast.okafors.uuid}/")
    assert_accessible(page)
    page.get_by_role("button", name="Add to the story").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Add to the story"
    assert_accessible(page)

    # Screen 1: the visit.
    page.get_by_label("What kind of entry is this?").select_option("visit")
    happened = page.get_by_role("group", name="When it happened")
    happened.get_by_label("Day").fill(str(yesterday.day))
    happened.get_by_label("Month").fill(str(yesterday.month))
    happened.get_by_label("Year").fill(str(yesterday.year))
    page.get_by_role("group", name="Who this is about").get_by_label("Jayden Okafor").check()
    page.get_by_role("group", name="Which children were seen alone").get_by_label(
        "Jayden Okafor"
    ).check()
    page.get_by_label("What happened").fill(
        "We built a marble run together. The LAC review is soon."
    )
    # Plain-language help appears beside the text, as advice.
    page.get_by_text("Reading ease").wait_for()
    assert "LAC" in page.locator("#writing-help").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Save draft").click()

    # Screen 2: the draft, which autosaves; then finalise.
    page.get_by_role("button", name="Finalise entry").wait_for()
    entry = Entry.objects.get()
    assert entry.status == Status.DRAFT
    assert_accessible(page)
    page.get_by_label("What happened").fill("We built a marble run together in the kitchen.")
    page.get_by_label("What happened").press("End")  # a keystroke: autosave waits for typing
    page.get_by_text("Draft saved automatically").wait_for(timeout=10_000)
    entry.refresh_from_db()
    assert entry.story == "We built a marble run together in the kitchen."
    page.get_by_role("button", name="Finalise entry").click()

    # Screen 3: the family page, with the visit in the story.
    page.wait_for_url(f"**/families/{cast.okafors.uuid}/")
    assert "marble run" in page.locator("#story").inner_text()
    assert_accessible(page)

    # Amend it, with a reason.
    page.get_by_role("link", name="Visit").first.click()
    page.get_by_label("Why does it need correcting?").fill("It was the living room")
    page.get_by_label("The correction").fill("We built the marble run in the living room.")
    page.get_by_role("button", name="Add amendment").click()
    page.get_by_text("Amendment added").wait_for()
    assert "in the kitchen" in page.locator("main").inner_text()
    assert Amendment.objects.get().reason == "It was the living room"
    assert_accessible(page)

    # Find it.
    page.goto("/stories/search/?q=marble")
    assert page.locator("mark").first.inner_text().lower().startswith("marble")
    assert_accessible(page)
    assert page.console_errors == []
