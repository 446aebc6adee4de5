"""What's due from supervision: 1:1s due and overdue against the standards (for the worker,
the supervisor and the pod), open actions for their owner, and families not discussed within
the standard, each source in a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from onestory.families.models import Allocation
from onestory.supervision.due import interval_days, personal_tasks, pod_tasks
from onestory.supervision.models import Arrangement, Standards
from onestory.supervision.tests.helpers import (
    action,
    booked,
    days_ago,
    discussed,
    held,
    supervise,
    today,
)
from onestory.test import LONG_AGO, child_of, make_family, signed_in


def test_the_asye_year_is_weekly_then_fortnightly_then_monthly() -> None:
    standards = Standards()
    arrangement = Arrangement(start=date(2026, 1, 5), asye_start=date(2026, 1, 5))
    assert interval_days(arrangement, date(2026, 1, 5), standards) == 7
    assert interval_days(arrangement, date(2026, 2, 15), standards) == 7  # 6 weeks less a day
    assert interval_days(arrangement, date(2026, 2, 16), standards) == 14
    assert interval_days(arrangement, date(2026, 7, 4), standards) == 14
    assert interval_days(arrangement, date(2026, 7, 5), standards) == 31
    assert interval_days(Arrangement(start=LONG_AGO), date(2026, 1, 5), standards) == 31


def _allocate(cast, family) -> None:
    Allocation.objects.create(
        child=child_of(family),
        worker=cast.sam.staff,
        pod=family.pod,
        start=LONG_AGO,
        change_reason="FCONTA",
    )


def test_an_overdue_one_to_one_is_due_for_the_worker_the_supervisor_and_the_pod(cast) -> None:
    held(supervise(cast), days_ago(40))
    sams = signed_in(cast.sam).get(reverse("stories:due")).text
    assert "1:1 supervision due" in sams and "With Priya Shah" in sams
    priyas = signed_in(cast.priya).get(reverse("stories:due")).text
    assert "Book 1:1 supervision" in priyas and "With Sam Okafor" in priyas
    pods = signed_in(cast.priya).get(reverse("stories:due_pod", args=[cast.harbour.pk])).text
    assert "1:1 supervision overdue" in pods and "Sam Okafor, with Priya Shah" in pods


def test_a_booked_session_is_due_on_its_date_and_nothing_is_due_when_far_off(cast) -> None:
    arrangement = supervise(cast)
    held(arrangement, days_ago(2))
    assert [t.what for t in personal_tasks(cast.priya, today())] == []
    booked(arrangement, today() + timedelta(days=5))
    tasks = personal_tasks(cast.priya, today())
    assert [(t.what, t.due) for t in tasks] == [
        ("Record 1:1 supervision", today() + timedelta(days=5))
    ]


def test_actions_and_families_not_discussed_are_due_for_the_worker(cast) -> None:
    _allocate(cast, cast.okafors)
    other = make_family("Quinn", cast.harbour, child="Ava")
    _allocate(cast, other)
    session = held(supervise(cast), days_ago(50))
    record = discussed(session, other, by=cast.priya)
    action(record, cast.sam, today() + timedelta(days=2), text="Ring the school")
    fresh = held(Arrangement.objects.get(), days_ago(1))
    discussed(fresh, other, by=cast.priya)
    tasks = personal_tasks(cast.sam, today())
    whats = {(t.what, t.about) for t in tasks}
    assert ("Supervision action: Ring the school", "The Quinn family") in whats
    # The Okafors have never been discussed: due 42 days after they opened, long ago.
    assert ("Discuss in supervision", "The Okafor family") in whats
    assert ("Discuss in supervision", "The Quinn family") not in whats
    pod = {(t.what, t.about) for t in pod_tasks(cast.harbour, today())}
    assert ("Discuss in supervision", "The Okafor family") in pod
    assert ("Discuss in supervision", "The Nash family") not in pod  # another pod's


def test_the_sources_take_a_fixed_number_of_queries(cast, django_assert_num_queries) -> None:
    _allocate(cast, cast.okafors)
    arrangement = supervise(cast)
    record = discussed(held(arrangement, days_ago(40)), cast.okafors, by=cast.priya)
    action(record, cast.sam, today())
    with django_assert_num_queries(4):
        personal_tasks(cast.sam, today())
    with django_assert_num_queries(3):
        pod_tasks(cast.harbour, today())
    for n in range(3):
        family = make_family(f"More{n}", cast.harbour, child=f"Kid{n}")
        _allocate(cast, family)
        action(
            discussed(held(arrangement, days_ago(30 + n)), family, by=cast.priya), cast.sam, today()
        )
    supervise(cast, supervisee=cast.ben)
    with django_assert_num_queries(4):
        assert len(personal_tasks(cast.sam, today())) >= 5
    with django_assert_num_queries(3):
        pod_tasks(cast.harbour, today())
