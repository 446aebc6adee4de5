"""In Debian's Chromium: business support asks for a check of a return, follows it on the
page until the worker has run it, reads a check's findings by rule and by child, and follows
a finding to the record to fix. Every page on the way passes axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

from typing import Any

import pytest

from onestory.exports.tests.helpers import run_the_worker
from onestory.returns.models import Check, Status
from onestory.returns.tests.checks import MESSAGE_103, done_check
from onestory.test import assert_accessible, browser_signed_in, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_business_support_checks_a_return_and_follows_a_finding(
    page: Any, live_server: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cast = make_cast()
    browser_signed_in(page, live_server, cast.ben)
    page.goto(f"{live_server.url}/returns/")
    assert page.get_by_role("heading", level=1).inner_text() == "Statutory returns"
    assert "You have no return files" in page.inner_text("main")
    assert_accessible(page)

    page.get_by_role("button", name="Check the Children in need census, 2025 to 2026").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Children in need census, 2025 to 2026"
    )
    assert "The check is waiting to start." in page.inner_text("main")
    assert_accessible(page)

    # The worker runs it (no child was in need in these records: it says so), and htmx,
    # asking every two seconds, loads the page again.
    run_the_worker()
    assert Check.objects.get().status == Status.FAILED
    page.get_by_text("The return could not be checked").wait_for(timeout=10_000)
    assert "children in need" in page.inner_text("main").lower()
    assert_accessible(page)

    check = done_check(cast, by=cast.ben)
    page.goto(f"{live_server.url}/returns/checks/{check.uuid}/")
    main = page.inner_text("main")
    assert "What the check found, by rule" in main and MESSAGE_103 in main
    assert "Rules not applied" in main
    assert_accessible(page)

    page.get_by_role("link", name="By child", exact=True).focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Findings by child").wait_for()
    assert "Jayden Okafor" in page.inner_text("main")
    assert_accessible(page)

    page.get_by_role("link", name="Change the record in Episodes for Jayden Okafor").click()
    assert "care episode" in page.get_by_role("heading", level=1).inner_text().lower()
    assert_accessible(page)
    assert page.console_errors == []
