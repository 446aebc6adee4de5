"""In Debian's Chromium, by keyboard where it matters: a social worker starts pre-proceedings
from the family's page, is refused for bad input with everything kept, records the meeting,
the family group decision-making offer with the family's plan, and the outcome. Every page
passes axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from onestory.preproceedings.models import Outcome, PreProceedings
from onestory.preproceedings.tests.helpers import application
from onestory.stories.models import Entry, Kind
from onestory.test import assert_accessible, browser_signed_in, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_date(group, day) -> None:
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_social_worker_records_pre_proceedings(page, live_server) -> None:
    cast = make_cast()
    today = timezone.localdate()
    letter = today - timedelta(days=40)
    browser_signed_in(page, live_server, cast.sam)

    page.goto(f"{live_server.url}/families/{cast.okafors.uuid}/")
    page.get_by_role("link", name="Pre-proceedings and family group decision making").click()
    assert "No pre-proceedings recorded" in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Start pre-proceedings").click()
    assert_accessible(page)
    page.get_by_label("The letter offered a family group decision-making meeting").check()
    page.get_by_role("button", name="Start pre-proceedings").press("Enter")
    summary = page.locator(".govuk-error-summary")
    assert "Choose the children the letter is about" in summary.inner_text()
    assert page.get_by_label(
        "The letter offered a family group decision-making meeting"
    ).is_checked()
    assert_accessible(page)

    # By keyboard: tick the child with the space bar.
    page.get_by_label("Jayden Okafor").focus()
    page.keyboard.press("Space")
    _fill_date(page.get_by_role("group", name="Date of the letter before proceedings"), letter)
    page.get_by_role("button", name="Start pre-proceedings").press("Enter")
    assert "Pre-proceedings started" in page.content()
    period = PreProceedings.objects.get(family=cast.okafors)
    assert period.fgdm_offered_on == letter

    page.get_by_role("link", name="Record the meeting").click()
    assert_accessible(page)
    _fill_date(
        page.get_by_role("group", name="Date of the pre-proceedings meeting"),
        letter + timedelta(days=7),
    )
    page.get_by_role("button", name="Save").click()

    page.get_by_role("link", name="Change the family group decision-making offer").click()
    assert_accessible(page)
    page.get_by_label("The family's answer").select_option("accepted")
    _fill_date(
        page.get_by_role("group", name="Date the meeting was held"), letter + timedelta(days=20)
    )
    page.get_by_label("Was a family plan agreed?").select_option("yes")
    page.get_by_label("The family's plan").fill("Grandma collects the children from school.")
    page.get_by_role("button", name="Save").click()
    assert "Grandma collects the children from school." in page.content()

    proceedings = application(cast.okafors, today - timedelta(days=1))
    page.get_by_role("link", name="Record the outcome").click()
    assert_accessible(page)
    _fill_date(
        page.get_by_role("group", name="Date pre-proceedings ended"), today - timedelta(days=1)
    )
    page.get_by_label("Outcome", exact=True).select_option("care_application")
    page.get_by_label("The care application").select_option(str(proceedings.pk))
    page.get_by_role("button", name="Save").click()
    assert "Care application made" in page.content()
    assert_accessible(page)

    period.refresh_from_db()
    assert period.outcome == Outcome.CARE_APPLICATION and period.proceedings == proceedings
    assert period.fgdm_plan == "Grandma collects the children from school."
    assert Entry.objects.filter(family=cast.okafors, kind=Kind.PRE_PROCEEDINGS).count() == 4

    page.goto(f"{live_server.url}/pre-proceedings/")
    assert "No family you may see is in pre-proceedings today" in page.content()
    assert_accessible(page)
