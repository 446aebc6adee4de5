"""In Debian's Chromium: a performance analyst asks for Ofsted's Annex A, types a day that is
not real and is told so, then asks for it properly and reaches its progress page; every page
on the way passes axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onestory.accounts.models import Role
from onestory.exports.models import Export
from onestory.returns.annex_a import exports
from onestory.test import assert_accessible, browser_signed_in, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_asks_for_annex_a(page, live_server) -> None:
    analyst = make_user("annex-browser", Role.PERFORMANCE_ANALYST, "Ana", "Lyst")
    browser_signed_in(page, live_server, analyst)

    page.goto(live_server.url + reverse("returns:annex_a:make"))
    assert page.get_by_role("heading", level=1).inner_text() == "Ofsted Annex A"
    assert_accessible(page)

    day = page.get_by_role("group", name="Day the lists are for")
    day.get_by_label("Day").fill("31")
    day.get_by_label("Month").fill("2")
    day.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Make the spreadsheet").click()
    summary = page.get_by_role("alert")
    assert summary.inner_text().startswith("There is a problem")
    assert "Day the lists are for must be a real date" in summary.inner_text()
    assert day.get_by_label("Day").input_value() == "31"
    assert_accessible(page)
    assert not Export.objects.exists()

    day.get_by_label("Day").fill("2")
    day.get_by_label("Month").fill("11")
    page.get_by_role("button", name="Make the spreadsheet").click()
    export = Export.objects.get(created_by=analyst)
    page.wait_for_url(f"**/{export.uuid}/**")
    assert (export.kind, export.parameters) == (exports.KIND, {"on": "2026-11-02"})
    assert "Ofsted Annex A for 2 November 2026" in page.inner_text("main")
    assert_accessible(page)
