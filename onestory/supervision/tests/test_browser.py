"""In Debian's Chromium, by keyboard where it matters: a pod manager records a 1:1 with a
casework record, is refused for bad input with everything kept, makes the record final; the
supervisee reads their personal notes; the pod's pages and the RPG form. Every page passes
axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from onestory.families.models import Allocation
from onestory.stories.models import Entry, Kind
from onestory.supervision.models import CaseworkRecord, PersonalNotesLook
from onestory.supervision.tests.helpers import booked, supervise
from onestory.test import assert_accessible, browser_signed_in, child_of, make_cast, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_date(group, day) -> None:
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_pod_manager_records_supervision_and_the_worker_reads_it(page, live_server) -> None:
    cast = make_cast()
    today = timezone.localdate()
    Allocation.objects.create(
        child=child_of(cast.okafors),
        worker=cast.sam.staff,
        pod=cast.harbour,
        start=today - timedelta(days=90),
        change_reason="FCONTA",
    )
    session = booked(supervise(cast), today)
    browser_signed_in(page, live_server, cast.priya)

    page.goto(f"{live_server.url}/supervision/")
    assert page.get_by_role("heading", level=1).inner_text() == "Supervision"
    assert_accessible(page)

    page.get_by_role("link", name=f"{today:%-d %B %Y}: Sam Okafor with Priya Shah").click()
    assert_accessible(page)
    page.get_by_role("link", name="Record this session").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Record 1:1 supervision"
    assert_accessible(page)

    _fill_date(page.get_by_role("group", name="Date it was held"), today)
    page.get_by_label("Minutes").fill("600")
    page.get_by_label("Sam Okafor").check()
    # By keyboard: tick the family with the space bar.
    page.get_by_label("We discussed The Okafor family").focus()
    page.keyboard.press("Space")
    page.get_by_label("Reflection and analysis: The Okafor family").fill("Calmer at home.")
    page.get_by_label("Decisions: The Okafor family").fill("Step down at the next review.")
    page.get_by_label("Wellbeing").fill("Tired but well")
    page.get_by_role("button", name="Record the session").press("Enter")

    summary = page.get_by_role("alert")
    assert "Minutes must be no more than 480" in summary.inner_text()
    assert page.get_by_label("Decisions: The Okafor family").input_value() == (
        "Step down at the next review."
    )
    assert_accessible(page)

    page.get_by_label("Minutes").fill("90")
    page.get_by_role("button", name="Record the session").click()
    page.wait_for_url(f"**/supervision/sessions/{session.pk}/")
    assert "The session is recorded." in page.get_by_role("alert").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="The Okafor family").click()
    assert_accessible(page)
    page.get_by_role("button", name="Make final and add to the story").click()
    assert "The decisions and actions are on The Okafor family" in page.inner_text("main")
    assert Entry.objects.filter(kind=Kind.SUPERVISION, family=cast.okafors).count() == 1
    assert CaseworkRecord.objects.get().is_final

    page.goto(f"{live_server.url}/supervision/pods/{cast.harbour.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Families the pod has discussed, and when").click()
    assert "The Okafor family" in page.inner_text("main")
    assert_accessible(page)
    page.goto(f"{live_server.url}/supervision/pods/{cast.harbour.pk}/group/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/supervision/standards/")
    assert_accessible(page)

    browser_signed_in(page, live_server, cast.sam)
    page.goto(f"{live_server.url}/supervision/sessions/{session.pk}/")
    page.get_by_role("link", name="Personal supervision notes").click()
    assert "Tired but well" in page.inner_text("main")
    assert_accessible(page)
    assert PersonalNotesLook.objects.filter(user=cast.sam).count() == 1


def test_the_rpg_form_and_list(page, live_server) -> None:
    from onestory.accounts.models import Role

    make_cast()
    lead = make_user("pat", Role.PRACTICE_LEAD, "Pat", "Lead")
    browser_signed_in(page, live_server, lead)
    page.goto(f"{live_server.url}/supervision/rpgs/")
    assert_accessible(page)
    page.get_by_role("link", name="Record a group").click()
    assert_accessible(page)
    _fill_date(page.get_by_role("group", name="Date it was held"), timezone.localdate())
    page.get_by_label("Minutes").fill("90")
    page.get_by_label("Themes").fill("Endings, and what we learned from FABCDEFG")
    page.get_by_label("Learning", exact=True).fill("Plan endings with the child.")
    page.get_by_role("button", name="Record the group").click()
    assert "Themes names a family (FABCDEFG)" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    page.get_by_label("Themes").fill("Endings")
    page.get_by_role("button", name="Record the group").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Reflective Practice Group"
    assert_accessible(page)
