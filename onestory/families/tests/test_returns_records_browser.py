"""In Debian's Chromium: business support records a looked-after child's health outcomes for
the year, by keyboard where it matters, is told what does not apply, and the child's page shows
them; every page on the way passes axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

from datetime import date

import pytest

from onestory.families.models import CareEpisode, FamilyMember, HealthOutcomes
from onestory.test import assert_accessible, browser_signed_in, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_business_support_records_a_years_health_outcomes(page, live_server) -> None:
    cast = make_cast()
    jayden = FamilyMember.objects.get(family=cast.okafors, person__first_name="Jayden").person
    CareEpisode.objects.create(
        child=jayden,
        start=date(2024, 3, 1),
        reason_new_episode="S",
        legal_status="C2",
        category_of_need="N1",
        placement="U1",
        provider="PR1",
        home_postcode="BW1 1AA",
        placement_postcode="BW2 2BB",
    )
    browser_signed_in(page, live_server, cast.ben)
    page.goto(f"/people/{jayden.uuid}/")
    assert_accessible(page)
    page.get_by_text("Add a statutory record").click()
    page.get_by_role("link", name="Add a health outcomes record").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Add a health outcomes record"
    assert_accessible(page)

    page.get_by_label("Year ending 31 March").fill("2026")
    page.get_by_label("Immunisations up to date").select_option("true")
    page.get_by_label("Teeth checked by a dentist in the year").select_option("true")
    page.get_by_label("Annual health assessment up to date").select_option("true")
    page.get_by_label("Identified as having a substance misuse problem").select_option("false")
    page.get_by_label("Received an intervention for the problem").select_option("true")
    page.get_by_label("Strengths and Difficulties Questionnaire (SDQ) score").fill("14")
    page.get_by_label("Strengths and Difficulties Questionnaire (SDQ) score").press("Enter")

    summary = page.get_by_role("alert")
    assert "Answer this only for a substance misuse problem" in summary.inner_text()
    assert page.get_by_label("Year ending 31 March").input_value() == "2026"
    assert_accessible(page)
    assert not HealthOutcomes.objects.exists()

    page.get_by_label("Received an intervention for the problem").select_option("unknown")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/people/{jayden.uuid}/")
    assert "Health outcomes record added." in page.get_by_role("alert").inner_text()
    assert "Health outcomes, year to 31 March 2026" in page.inner_text("main")
    assert "SDQ score 14" in page.inner_text("main")
    assert_accessible(page)
    saved = HealthOutcomes.objects.get()
    assert (saved.year, saved.immunisations, saved.substance_misuse, saved.sdq_score) == (
        2026,
        True,
        False,
        14,
    )
