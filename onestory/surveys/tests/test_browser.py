"""In Debian's Chromium, by keyboard only: a social worker answers Your Voice with the running
total; the head of service reads the results. Every page passes axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest

from onestory.accounts.models import Role
from onestory.surveys.models import Kind, Response
from onestory.surveys.tests.helpers import a_wave, add_responses, closed, questions
from onestory.test import assert_accessible, browser_signed_in, make_cast, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str) -> None:
    """Presses Tab until the element matching `selector` has the focus."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_social_worker_answers_by_keyboard_with_a_running_total(page, live_server) -> None:
    cast = make_cast()
    lead = make_user("quinn", Role.QUALITY_LEAD, "Quinn", "Adebayo", password=None)
    wave = a_wave(lead)
    times = questions(wave, Kind.TIME_USE)
    browser_signed_in(page, live_server, cast.sam)

    page.goto(f"{live_server.url}/your-voice/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your Voice"
    assert_accessible(page)
    tab_to(page, ".govuk-button--start")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/your-voice/waves/{wave.pk}/answer/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your Voice 2026"
    assert_accessible(page)

    total = page.locator("[data-time-total]")
    tab_to(page, f"#id_time_{times[0].pk}")
    for i, percent in enumerate(["30", "20", "25", "10", "5", "5"]):
        page.keyboard.type(percent)
        if i < 5:
            page.keyboard.press("Tab")
    assert total.inner_text() == "Total so far: 95%, 5% still to share out"
    page.keyboard.press("Tab")
    page.keyboard.type("5")
    assert total.inner_text() == "Total so far: 100%. That adds up to 100%."
    assert_accessible(page)

    # Each statement: Tab into its radios, arrow down to "Agree".
    for _ in questions(wave, Kind.AGREEMENT):
        page.keyboard.press("Tab")
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first role group: social worker
    page.keyboard.press("Tab")
    page.keyboard.type("Pod meetings help")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/your-voice/")
    assert "your answers to Your Voice 2026 are saved" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    saved = Response.objects.get()
    assert saved.role_group == "social_worker" and saved.free_text == "Pod meetings help"
    assert set(saved.agreement.values_list("answer", flat=True)) == {"agree"}
    assert sum(saved.time_use.values_list("percent", flat=True)) == 100


def test_the_head_of_service_reads_the_results(page, live_server) -> None:
    cast = make_cast()
    lead = make_user("quinn", Role.QUALITY_LEAD, "Quinn", "Adebayo", password=None)
    wave = a_wave(lead)
    add_responses(wave, 8)
    add_responses(wave, 5, role_group="pod_manager", time_use=(10, 10, 40, 30, 5, 3, 2))
    add_responses(wave, 2, role_group="business_support", time_use=(0, 0, 90, 5, 5, 0, 0))
    closed(wave, lead)
    browser_signed_in(page, live_server, cast.hana)

    page.goto(f"{live_server.url}/your-voice/results/")
    assert page.get_by_role("heading", level=1).inner_text() == "Results across waves"
    chart = page.get_by_role("img", name="Mean percentage of time, by wave: All respondents")
    assert chart.is_visible()
    assert_accessible(page)
    tab_to(page, f"a[href='/your-voice/results/{wave.pk}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/your-voice/results/{wave.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your Voice 2026 results"
    assert "c" in page.get_by_role("table").first.inner_text()
    assert_accessible(page)
