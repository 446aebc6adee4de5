"""Visiting standards, each child's next visit and the "What's due" lists."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.test import override_settings
from django.utils import timezone

from onestory.families.models import Allocation, CareEpisode, CINEpisode, CPPlan
from onestory.pods.models import Staff
from onestory.stories import visiting
from onestory.stories.tests.helpers import child_of, make_entry, url
from onestory.test import LONG_AGO, Cast, signed_in

DAY = date(2025, 12, 19)  # a Friday before Christmas


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def test_cp_visits_every_ten_working_days_from_the_last_visit(cast: Cast) -> None:
    child = child_of(cast.okafors)
    episode = CINEpisode.objects.create(
        child=child, family=cast.okafors, referral_source="1A", start=LONG_AGO
    )
    CPPlan.objects.create(
        episode=episode, child=child, initial_category="NEG", latest_category="NEG", start=LONG_AGO
    )
    make_entry(cast.okafors, cast.sam, at=at(DAY), seen=[child])
    (due,) = visiting.due_for([child], DAY)
    assert due.what == "Visit" and due.due == date(2026, 1, 7)  # skips Christmas and Boxing Day
    assert "10 working days" in due.reason
    # A visit that did not see the child does not count.
    make_entry(cast.okafors, cast.sam, at=at(DAY + timedelta(days=5)))
    assert visiting.due_for([child], DAY + timedelta(days=5))[0].due == date(2026, 1, 7)


def test_child_in_need_every_twenty_working_days_and_configurable(cast: Cast) -> None:
    child = child_of(cast.okafors)
    CINEpisode.objects.create(
        child=child, family=cast.okafors, referral_source="1A", start=date(2025, 3, 3)
    )
    (due,) = visiting.due_for([child], date(2025, 3, 4))
    assert due.due == date(2025, 3, 31)
    with override_settings(ONESTORY_VISITING={"cin_every_working_days": 5}):
        assert visiting.due_for([child], date(2025, 3, 4))[0].due == date(2025, 3, 10)


def test_in_care_within_a_week_then_every_six_weeks_and_reviews(cast: Cast) -> None:
    child = child_of(cast.okafors)
    placed = date(2025, 6, 2)
    CareEpisode.objects.create(
        child=child,
        reason_new_episode="S",
        legal_status="C2",
        category_of_need="N1",
        placement="U1",
        provider="PR1",
        start=placed,
    )
    first = {d.what: d for d in visiting.due_for([child], placed)}
    assert first["Visit"].due == placed + timedelta(days=7)
    assert first["Review"].due == date(2025, 6, 30)  # 20 working days
    make_entry(cast.okafors, cast.sam, at=at(date(2025, 6, 5)), seen=[child])
    later = {d.what: d for d in visiting.due_for([child], date(2025, 6, 6))}
    assert later["Visit"].due == date(2025, 6, 5) + timedelta(weeks=6)
    status = visiting.statuses([child], placed)[child.pk]
    assert status.label == "In care (Full care order)"


def test_whats_due_lists_overdue_first_for_the_worker_and_the_pod(cast: Cast) -> None:
    jayden = child_of(cast.okafors)
    lily = child_of(cast.nashes)
    for child, family, start in [
        (jayden, cast.okafors, LONG_AGO),
        (lily, cast.nashes, LONG_AGO),
    ]:
        CINEpisode.objects.create(child=child, family=family, referral_source="1A", start=start)
    Allocation.objects.create(
        child=jayden, worker=Staff.objects.get(user=cast.sam), pod=cast.harbour, start=LONG_AGO
    )
    Allocation.objects.create(
        child=lily, worker=Staff.objects.get(user=cast.charlie), pod=cast.downs, start=LONG_AGO
    )
    mine = signed_in(cast.sam).get(url("due")).text
    assert "Jayden Okafor" in mine and "Overdue" in mine and "Lily" not in mine
    pod = signed_in(cast.priya).get(url("due_pod", cast.harbour.pk)).text
    assert "Jayden Okafor" in pod and "Lily" not in pod
    # Charlie is not in Pod Harbour: its list is not his to see.
    assert signed_in(cast.charlie).get(url("due_pod", cast.harbour.pk)).status_code == 404
    assert "Jayden" not in signed_in(cast.charlie).get(url("due")).text
