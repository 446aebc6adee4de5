"""In Debian's Chromium: a quality lead opens a cycle and reads how the sample was drawn; the
auditor grades a domain, is told what is missing when finishing, and finishes; the quality lead
moderates and reads the report. Every page on the way passes axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest

from onestory.audits.models import Audit, Moderation
from onestory.audits.tests.helpers import make_world, sampled_in
from onestory.test import assert_accessible, browser_signed_in, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cycle_from_opening_to_the_report(page, live_server) -> None:
    world = make_world(make_cast())
    browser_signed_in(page, live_server, world.quinn)
    page.goto(f"{live_server.url}/audits/")
    assert page.get_by_role("heading", level=1).inner_text() == "Audits"
    assert_accessible(page)

    page.get_by_role("link", name="Open an audit cycle").click()
    assert_accessible(page)
    page.get_by_label("A month or a quarter").select_option("month")
    starts = page.get_by_role("group", name="First day of the month or quarter")
    starts.get_by_label("Day").fill("1")
    starts.get_by_label("Month").fill("11")
    starts.get_by_label("Year").fill("2026")
    page.get_by_label("Children to audit in each pod").fill("9")
    page.get_by_role("button", name="Open the cycle and draw the sample").click()
    summary = page.get_by_role("alert")
    assert "Pod Downs has 4" in summary.inner_text()
    assert page.get_by_label("Children to audit in each pod").input_value() == "9"
    assert_accessible(page)
    page.get_by_label("Children to audit in each pod").fill("2")
    page.get_by_role("button", name="Open the cycle and draw the sample").click()
    assert "How the sample was drawn" in page.inner_text("main")
    assert_accessible(page)

    from onestory.audits.models import Cycle

    cycle = Cycle.objects.get()
    sample = sampled_in(cycle, world.cast.harbour)
    page.context.clear_cookies()
    browser_signed_in(page, live_server, sample.assignment.auditor)
    page.goto(f"{live_server.url}/audits/")
    page.get_by_role("link", name=sample.child.full_name).first.click()
    assert_accessible(page)
    domains = list(cycle.domains.all())
    for domain in domains:
        page.get_by_label(f"Grade for {domain.name}").select_option(label="Good")
    first = page.get_by_role("group", name=domains[0].name)
    first.get_by_label("Evidence").fill("Her words are in every entry.")
    page.get_by_label("Overall grade", exact=True).select_option(label="Good")
    page.get_by_role("button", name="Save and finish the audit").click()
    summary = page.get_by_role("alert")
    assert "Enter the evidence for the quality of the one story record" in summary.inner_text()
    assert first.get_by_label("Evidence").input_value() == "Her words are in every entry."
    assert_accessible(page)
    for domain in domains[1:]:
        page.get_by_role("group", name=domain.name).get_by_label("Evidence").fill("Seen.")
    page.get_by_label("Was a conversation with the family possible?").select_option("no")
    page.get_by_role("button", name="Save and finish the audit").click()
    assert "The audit is finished" in page.inner_text("main")
    assert_accessible(page)
    assert Audit.objects.get(pk=sample.audit.pk).status == "finished"

    page.context.clear_cookies()
    browser_signed_in(page, live_server, world.quinn)
    page.goto(f"{live_server.url}/audits/audits/{sample.pk}/moderate/")
    assert_accessible(page)
    for domain in domains:
        page.get_by_label(f"Your grade for {domain.name}").select_option(label="Good")
    page.get_by_label("Your overall grade").select_option(label="Requires improvement")
    page.get_by_role("button", name="Save the moderation").click()
    assert Moderation.objects.get().overall_grade == 3
    page.goto(f"{live_server.url}/audits/cycles/{cycle.pk}/report/")
    assert "Grades by domain (audits finished)" in page.inner_text("main")
    assert_accessible(page)
    page.goto(f"{live_server.url}/audits/learning/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/audits/domains/")
    assert_accessible(page)
