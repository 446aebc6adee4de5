"""In Debian's Chromium: the head of service reads the dashboard, compares with another month,
opens a chart's figures by keyboard and reads the report; every page passes axe-core."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from onestory.outcomes.models import ChildPopulation
from onestory.outcomes.snapshots import rebuild
from onestory.outcomes.tests.helpers import DAY, nine_children
from onestory.test import assert_accessible, browser_signed_in, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_head_of_service_reads_the_dashboard_and_the_report(
    page: Any, live_server: Any
) -> None:
    cast = nine_children(make_cast())
    ChildPopulation.objects.create(year=2020, children=40_000)
    rebuild(date(2024, 1, 1), DAY)
    browser_signed_in(page, live_server, cast.hana)

    page.goto(f"{live_server.url}/outcomes/")
    assert page.get_by_role("heading", level=1).inner_text() == "Outcomes"
    assert "Figures on 1 January 2025" in page.inner_text("main")
    assert_accessible(page)

    page.get_by_label("Compare with").select_option(label="April 2024")
    page.get_by_role("button", name="Show figures").click()
    assert "compared with 1 April 2024" in page.inner_text("main")
    # A chart's figures open from the keyboard.
    summary = page.locator("summary", has_text=re.compile(r"^\s*Figures for children in care\s*$"))
    summary.focus()
    page.keyboard.press("Enter")
    table = page.get_by_role("table", name="Children in care, on the first day of each quarter")
    assert table.is_visible()
    assert "January 2025" in table.inner_text()
    assert_accessible(page)

    page.get_by_label("Figures for", exact=True).select_option(label="Pod Harbour")
    page.get_by_role("button", name="Show figures").click()
    assert "Pod Harbour" in page.inner_text("main")
    assert_accessible(page)

    page.get_by_role("link", name="Read the evaluation report").click()
    page.get_by_label("From (month)").fill("2024-11")
    page.get_by_label("To (month)").fill("2025-01")
    page.get_by_role("button", name="Show the report for these months").click()
    assert "November 2024 to January 2025" in page.get_by_role("heading", level=1).inner_text()
    assert "Key messages" in page.inner_text("main")
    assert_accessible(page)

    page.goto(f"{live_server.url}/outcomes/figures/")
    page.get_by_role("button", name="Save the population").click()
    assert "There is a problem" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
