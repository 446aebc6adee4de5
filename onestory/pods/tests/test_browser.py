"""In Debian's Chromium: a pod manager reads the pod page and changes a child's social worker,
and every page on the way passes axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

from datetime import date

import pytest

from onestory.test import assert_accessible, browser_signed_in, make_cast, make_harbour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pod_manager_changes_a_childs_social_worker(page, live_server) -> None:
    harbour = make_harbour(make_cast())
    browser_signed_in(page, live_server, harbour.cast.priya)

    page.goto("/")
    page.get_by_role("link", name="Pods", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Pods"
    assert_accessible(page)

    page.get_by_role("link", name="Pod Harbour").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Pod Harbour"
    assert "Sam Okafor, since Mar 2024" in page.inner_text("main")
    assert_accessible(page)

    page.get_by_role("link", name="Change social worker for Jayden Okafor").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Change Jayden Okafor's social worker"
    )
    assert_accessible(page)

    page.get_by_label("Social worker", exact=True).select_option(label="Ruth Ellison")
    starts = page.get_by_role("group", name="Date they become the child's social worker")
    starts.get_by_label("Day").fill("5")
    starts.get_by_label("Month").fill("1")
    starts.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Change social worker").click()

    # No reason: the summary says so, the choices made stay, nothing is saved.
    summary = page.get_by_role("alert")
    assert summary.inner_text().startswith("There is a problem")
    assert "Choose the reason for the change" in summary.inner_text()
    assert starts.get_by_label("Day").input_value() == "5"
    assert_accessible(page)
    assert harbour.jayden.allocations.count() == 1

    page.get_by_label("Reason for the change").select_option("MANAGE")
    page.get_by_role("button", name="Change social worker").click()
    page.wait_for_url(f"**/pods/{harbour.cast.harbour.pk}/#children")
    assert (
        "Ruth Ellison is Jayden Okafor's social worker from 5 January 2026."
        in page.get_by_role("alert").inner_text()
    )
    assert "Ruth Ellison, since Jan 2026" in page.inner_text("main")
    assert_accessible(page)
    now = harbour.jayden.allocations.get(end__isnull=True)
    assert (now.worker, now.start, now.change_reason) == (harbour.ruth, date(2026, 1, 5), "MANAGE")

    page.goto("/pods/attention/")
    assert page.get_by_role("heading", level=1).inner_text() == "What needs attention"
    assert_accessible(page)
    assert page.console_errors == []
