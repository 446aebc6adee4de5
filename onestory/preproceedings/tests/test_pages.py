"""The pre-proceedings pages: what they show, the forms with their error summaries, the
version check, and a pinned number of queries whatever the number of rows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from onestory.families.models import AccessEvent
from onestory.preproceedings.models import Outcome, PreProceedings, Response
from onestory.preproceedings.tests.helpers import application, days_ago, started
from onestory.stories.models import Entry, Kind
from onestory.test import child_of, make_family, signed_in, url_maker, when

url = url_maker("preproceedings")
pytestmark = pytest.mark.django_db


def _past_periods(cast, n: int) -> None:
    """n ended periods, a year apart, before the open one."""
    for i in range(n):
        start = days_ago(400 + 400 * i)
        period = PreProceedings.objects.create(
            family=cast.okafors,
            letter_date=start,
            meeting_date=start + timedelta(days=7),
            fgdm_offered_on=start,
            fgdm_in_letter=True,
            fgdm_response=Response.ACCEPTED,
            fgdm_held_on=start + timedelta(days=20),
            fgdm_plan_agreed=True,
            fgdm_plan=f"Plan {i}",
            ended=start + timedelta(days=100),
            outcome=Outcome.STEPPED_DOWN,
            created_by=cast.sam,
        )
        period.children.set([child_of(cast.okafors)])


PAGES = {
    "open": lambda cast, p: url("open"),
    "family": lambda cast, p: url("family", cast.okafors.uuid),
    "start": lambda cast, p: url("start", cast.okafors.uuid),
    "meeting": lambda cast, p: url("meeting", cast.okafors.uuid, p.pk),
    "fgdm": lambda cast, p: url("fgdm", cast.okafors.uuid, p.pk),
    "outcome": lambda cast, p: url("outcome", cast.okafors.uuid, p.pk),
}
PINNED = {"open": 4, "family": 10, "start": 10, "meeting": 9, "fgdm": 9, "outcome": 11}


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_take_a_pinned_number_of_queries(cast, name, django_assert_num_queries) -> None:
    period = started(cast.okafors, cast.sam, ago=30)
    client = signed_in(cast.sam)
    page = PAGES[name](cast, period)
    client.get(page)  # warm the session
    for n in (1, 3):
        _past_periods(cast, 1) if n == 1 else _past_periods_more(cast)
        application(cast.okafors, days_ago(5 + PreProceedings.objects.count()))
        for i in range(n):  # more open periods, in other families of the pod
            started(make_family(f"Extra{n}{i}", cast.harbour), cast.sam)
        with django_assert_num_queries(PINNED[name]):
            assert client.get(page).status_code == 200


def _past_periods_more(cast) -> None:
    for i in range(3):
        start = days_ago(2000 + 300 * i)
        PreProceedings.objects.create(
            family=cast.okafors,
            letter_date=start,
            ended=start + timedelta(days=60),
            outcome=Outcome.OTHER,
            outcome_note="Moved away",
            created_by=cast.sam,
        ).children.set([child_of(cast.okafors)])


def test_the_family_page_shows_each_step_and_logs_the_look(cast) -> None:
    period = started(cast.okafors, cast.sam, ago=30)
    PreProceedings.objects.filter(pk=period.pk).update(
        meeting_date=days_ago(20), fgdm_response=Response.ACCEPTED, fgdm_held_on=days_ago(10)
    )
    page = signed_in(cast.hana).get(url("family", cast.okafors.uuid)).content.decode()
    assert "Open since" in page and "Jayden Okafor" in page
    assert "in the letter" in page and "Accepted; held" in page
    assert "Start pre-proceedings" not in page  # the head of service reads, not records
    assert AccessEvent.objects.filter(user=cast.hana, family=cast.okafors).exists()


def test_starting_with_bad_input_keeps_what_was_typed(cast) -> None:
    client = signed_in(cast.sam)
    data = {**when("letter_date", days_ago(-3)), "fgdm_in_letter": "on"}
    response = client.post(url("start", cast.okafors.uuid), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Choose the children the letter is about" in page
    assert "cannot be in the future" in page
    assert "checked" in page  # the box ticked stays ticked
    assert not PreProceedings.objects.exists()


def test_starting_writes_the_period_and_the_story(cast) -> None:
    client = signed_in(cast.sam)
    data = {
        **when("letter_date", days_ago(3)),
        "fgdm_in_letter": "on",
        "children": [child_of(cast.okafors).pk],
    }
    response = client.post(url("start", cast.okafors.uuid), data)
    assert response.status_code == 302
    period = PreProceedings.objects.get(family=cast.okafors)
    assert period.fgdm_offered_on == days_ago(3)
    assert Entry.objects.filter(family=cast.okafors, kind=Kind.PRE_PROCEEDINGS).count() == 1


def test_the_second_save_loses_and_keeps_its_text(cast) -> None:
    period = started(cast.okafors, cast.sam, ago=30)
    page = url("fgdm", cast.okafors.uuid, period.pk)
    typed = {
        "expected_version": "1",
        "fgdm_in_letter": "on",
        "fgdm_response": "accepted",
        **when("fgdm_held_on", days_ago(10)),
        "fgdm_plan_agreed": "yes",
        "fgdm_plan": "Aunt Bea collects them from school",
    }
    assert (
        signed_in(cast.priya).post(page, {**typed, "fgdm_plan": "Priya's plan"}).status_code == 302
    )
    response = signed_in(cast.sam).post(page, typed)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed these records" in text
    assert "Aunt Bea collects them from school" in text
    assert PreProceedings.objects.get(pk=period.pk).fgdm_plan == "Priya's plan"
    # Saving again, knowingly, replaces it.
    again = {**typed, "expected_version": "2"}
    assert signed_in(cast.sam).post(page, again).status_code == 302
    assert (
        PreProceedings.objects.get(pk=period.pk).fgdm_plan == "Aunt Bea collects them from school"
    )


def test_outcome_links_the_care_application(cast) -> None:
    period = started(cast.okafors, cast.sam, ago=30)
    proceedings = application(cast.okafors, days_ago(2))
    data = {
        "expected_version": "1",
        **when("ended", days_ago(2)),
        "outcome": "care_application",
        "proceedings": str(proceedings.pk),
    }
    response = signed_in(cast.priya).post(url("outcome", cast.okafors.uuid, period.pk), data)
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.proceedings == proceedings and period.ended == days_ago(2)
    page = signed_in(cast.sam).get(url("family", cast.okafors.uuid)).content.decode()
    assert "Care application made" in page and "Brighton Family Court" in page
