"""In Debian's Chromium: a business support officer adds a new child to a family, another pod
asks for a child to join one of theirs and the child's pod manager agrees, and every page on
the way passes axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest

from onestory.families.models import FamilyMember, MembershipRequest, Person
from onestory.test import assert_accessible, browser_signed_in, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_business_support_adds_a_new_child_to_a_family(page, live_server) -> None:
    cast = make_cast()
    browser_signed_in(page, live_server, cast.ben)

    page.goto(f"/families/{cast.okafors.uuid}/")
    assert page.get_by_role("heading", level=1).inner_text() == "The Okafor family"
    assert_accessible(page)

    page.get_by_role("button", name="Add a person to this family").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Add a person to the family"
    assert_accessible(page)

    page.get_by_label("Role in the family").select_option("child")
    joined = page.get_by_role("group", name="Date they joined the family")
    joined.get_by_label("Day").fill("1")
    joined.get_by_label("Month").fill("9")
    joined.get_by_label("Year").fill("2025")
    page.get_by_label("First name").fill("Amara")
    born = page.get_by_role("group", name="Date of birth", exact=True)
    born.get_by_label("Day").fill("30")
    born.get_by_label("Month").fill("6")
    page.get_by_role("group", name="Disabilities").get_by_label("Hearing").check()
    page.get_by_role("button", name="Add to the family").click()

    # Two mistakes: the summary lists both, each field says what is wrong, the input stays.
    summary = page.get_by_role("alert")
    assert summary.inner_text().startswith("There is a problem")
    assert "Enter the last name" in summary.inner_text()
    assert "Date of birth must include a year" in summary.inner_text()
    assert page.get_by_label("First name").input_value() == "Amara"
    assert page.get_by_role("group", name="Disabilities").get_by_label("Hearing").is_checked()
    assert_accessible(page)
    assert not Person.objects.filter(first_name="Amara").exists()

    page.get_by_label("Last name").fill("Okafor")
    page.get_by_role("group", name="Date of birth", exact=True).get_by_label("Year").fill("2019")
    page.get_by_role("button", name="Add to the family").click()
    page.wait_for_url(f"**/families/{cast.okafors.uuid}/")
    assert "Amara Okafor has been added to the family." in page.get_by_role("alert").inner_text()
    amara = Person.objects.get(first_name="Amara")
    assert amara.disabilities == ["HEAR"]
    assert amara.memberships.get().family == cast.okafors

    page.get_by_role("link", name="Amara Okafor", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Amara Okafor"
    assert "30 June 2019" in page.inner_text("main")
    assert_accessible(page)
    assert page.console_errors == []


def test_another_pods_child_joins_a_family_when_their_pod_manager_agrees(page, live_server) -> None:
    cast = make_cast()
    browser_signed_in(page, live_server, cast.charlie)
    page.goto(f"/families/{cast.nashes.uuid}/members/find/?q=Jayden")
    assert "Held by other pods" in page.inner_text("main")
    assert_accessible(page)
    page.get_by_role("link", name="Ask their pod manager for Jayden Okafor").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Ask for Jayden Okafor to join the family"
    )
    assert_accessible(page)
    page.get_by_label("Role in the family").select_option("child")
    joined = page.get_by_role("group", name="Date they joined the family")
    joined.get_by_label("Day").fill("1")
    joined.get_by_label("Month").fill("9")
    joined.get_by_label("Year").fill("2026")
    page.get_by_label("Why are they joining this family?").fill("Jayden lives with Dean now")
    page.get_by_role("button", name="Ask their pod manager").click()
    page.wait_for_url(f"**/families/{cast.nashes.uuid}/")
    asked = MembershipRequest.objects.get()

    page.context.clear_cookies()
    browser_signed_in(page, live_server, cast.priya)
    page.goto(f"/families/joining/{asked.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Should Jayden Okafor join The Nash family?"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Agree").click()
    page.wait_for_url("**/")
    assert FamilyMember.objects.filter(family=cast.nashes, person__first_name="Jayden").exists()
    assert page.console_errors == []
