"""In Debian's Chromium: the head of service asks for the evaluation report as a PDF, follows
the worker's progress on the page, downloads it, and finds it in Your documents. The status
page, in each state, and the list pass axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

from typing import Any

import pytest

from onestory.exports.models import Export, Status
from onestory.exports.tests.helpers import run_the_worker
from onestory.test import assert_accessible, browser_signed_in, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_report_is_made_in_the_background_and_downloaded(
    page: Any, live_server: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cast = make_cast()
    browser_signed_in(page, live_server, cast.hana)
    page.goto(f"{live_server.url}/exports/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your documents"
    assert "You have no documents" in page.inner_text("main")
    assert_accessible(page)

    page.goto(f"{live_server.url}/outcomes/report/?from=2024-11&to=2025-01")
    page.get_by_role("button", name="Download as PDF").click()
    heading = "Evaluation report, November 2024 to January 2025 (PDF)"
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert "Your document is waiting to be made" in page.inner_text("main")
    assert_accessible(page)

    page.get_by_role("link", name="your documents", exact=True).click()
    assert "Waiting" in page.inner_text("main")
    assert_accessible(page)
    page.go_back()

    run_the_worker()
    assert Export.objects.get().status == Status.READY
    # htmx asks again every two seconds and swaps in the link.
    link = page.get_by_role("link", name=f"Download {heading}")
    link.wait_for(timeout=10_000)
    assert "Your document is ready" in page.inner_text("main")
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "evaluation-report-2024-11-to-2025-01.pdf"

    page.goto(f"{live_server.url}/exports/")
    assert page.get_by_role("link", name=f"Download {heading}").is_visible()
    assert_accessible(page)
    assert page.console_errors == []
