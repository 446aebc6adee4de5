"""The supervision measures against a hand-counted fixture, edges included, with their query
counts pinned (onestory/outcomes/supervision.py)."""

from __future__ import annotations

from datetime import date

import pytest

from onestory.families.models import Family
from onestory.outcomes import supervision as measures
from onestory.pods.models import Pod
from onestory.supervision.models import Arrangement, ChildRating, ReflectiveGroup
from onestory.supervision.tests.helpers import discussed, held
from onestory.test import LONG_AGO, child_of, make_family

DAY = date(2026, 3, 15)  # the month to it starts on 16 February; 4 weeks on 16 February too


@pytest.fixture
def counted(cast):
    """Workers: Sam and Priya (Harbour), Charlie (Downs); Ben is business support (no)."""
    sam = Arrangement.objects.create(
        supervisee=cast.sam.staff, supervisor=cast.priya, start=LONG_AGO
    )
    charlie = Arrangement.objects.create(
        supervisee=cast.charlie.staff, supervisor=cast.hana, start=LONG_AGO
    )
    in_month = held(sam, date(2026, 3, 5), minutes=60)  # 10 days before: counts
    held(sam, date(2026, 2, 3), minutes=90)  # 40 days before: too early for both
    held(charlie, date(2026, 2, 15), minutes=120)  # 28 days before: just outside both
    held(charlie, date(2026, 2, 16), minutes=45)  # 27 days before: just inside both
    # Families: the Okafors discussed 41 days before (in), the Nashes 42 days before (out); a
    # family closed before the day is not counted at all, though discussed.
    okafors = discussed(held(sam, date(2026, 2, 2), minutes=30), cast.okafors, by=cast.priya)
    nashes = discussed(held(charlie, date(2026, 2, 1)), cast.nashes, by=cast.hana)
    closed = make_family("Byrne", cast.harbour)
    Family.objects.filter(pk=closed.pk).update(closed=date(2026, 1, 1))
    discussed(held(sam, date(2026, 3, 1), minutes=20), closed, by=cast.priya)
    again = discussed(in_month, cast.okafors, by=cast.priya)
    jayden, lily = child_of(cast.okafors), child_of(cast.nashes)
    ChildRating.objects.create(record=okafors, child=jayden, rating=4)
    ChildRating.objects.create(record=again, child=jayden, rating=2)
    ChildRating.objects.create(record=nashes, child=lily, rating=1)  # 42 days before: out
    # RPGs: one in the month (Sam, Charlie and Ben), one before it (Priya).
    rpg = ReflectiveGroup.objects.create(
        facilitator=cast.hana,
        held_on=date(2026, 3, 1),
        minutes=90,
        themes="t",
        learning="l",
        recorded_on=date(2026, 3, 1),
    )
    rpg.attendees.set([cast.sam, cast.charlie, cast.ben])
    early = ReflectiveGroup.objects.create(
        facilitator=cast.hana,
        held_on=date(2026, 2, 15),
        minutes=90,
        themes="t",
        learning="l",
        recorded_on=date(2026, 2, 15),
    )
    early.attendees.set([cast.priya])
    return cast


def test_workers_supervised_in_the_last_four_weeks(counted) -> None:
    # Sam (5 March, 1 March) and Charlie (16 February) of Sam, Priya and Charlie.
    assert measures.supervised_share(DAY) == 66.7
    assert measures.supervised_share(DAY, pod=counted.harbour.pk) == 50.0
    assert measures.supervised_share(DAY, pod=counted.downs.pk) == 100.0
    # A day later Charlie's 16 February session is 28 days before: out.
    assert measures.supervised_share(date(2026, 3, 16), pod=counted.downs.pk) == 0.0


def test_minutes_a_month_per_worker(counted) -> None:
    # Sam 60 + 20 (5 and 1 March), Charlie 45 (16 February): 125 over three workers.
    assert measures.minutes_per_worker(DAY) == 41.7
    assert measures.minutes_per_worker(DAY, pod=counted.harbour.pk) == 40.0
    assert measures.minutes_per_worker(DAY, pod=counted.downs.pk) == 45.0


def test_open_families_discussed_in_the_last_six_weeks(counted) -> None:
    assert measures.families_discussed_share(DAY) == 50.0
    assert measures.families_discussed_share(DAY, pod=counted.harbour.pk) == 100.0
    assert measures.families_discussed_share(DAY, pod=counted.downs.pk) == 0.0


def test_rpg_attendance(counted) -> None:
    # Sam and Charlie of three workers; Ben went but is not a social worker; Priya's was
    # before the month.
    assert measures.rpg_attendance(DAY) == 66.7
    assert measures.rpg_attendance(DAY, pod=counted.harbour.pk) == 50.0


def test_ratings_and_the_safe_and_stable_share(counted) -> None:
    assert measures.ratings(DAY) == {1: 0, 2: 1, 3: 0, 4: 1}
    assert measures.safe_and_stable_share(DAY) == 50.0
    assert measures.ratings(DAY, pod=counted.downs.pk) == {1: 0, 2: 0, 3: 0, 4: 0}
    assert measures.safe_and_stable_share(DAY, pod=counted.downs.pk) is None


def test_nothing_to_count_is_none(counted) -> None:
    empty = Pod.objects.create(name="Pod Empty", formed=LONG_AGO)
    for measure in measures.HEADLINES.values():
        assert measure(DAY, pod=empty.pk) is None


def test_the_monthly_trend(counted) -> None:
    trend = measures.monthly_trend(measures.supervised_share, date(2026, 1, 1), DAY)
    assert [day for day, _ in trend] == [date(2026, 1, 31), date(2026, 2, 28), DAY]
    assert trend[-1][1] == 66.7
    # At 28 February: Sam (3 February is 25 days before) and Charlie (15 and 16 February).
    assert trend[1][1] == 66.7


@pytest.mark.parametrize("name", list(measures.HEADLINES))
def test_each_headline_is_one_query_at_any_scale(counted, django_assert_num_queries, name) -> None:
    measure = measures.HEADLINES[name]
    with django_assert_num_queries(1):
        measure(DAY)
    with django_assert_num_queries(1):
        measure(DAY, pod=counted.harbour.pk)
    more = make_family("Extra", counted.harbour)
    discussed(
        held(Arrangement.objects.get(supervisee__user=counted.sam), date(2026, 3, 10)),
        more,
        by=counted.priya,
    )
    with django_assert_num_queries(1):
        measure(DAY)


def test_many_days_at_once_keep_each_day_s_window(counted, django_assert_num_queries) -> None:
    days = [date(2026, 2, 28), DAY, date(2026, 3, 16)]
    with django_assert_num_queries(1):
        found = measures.supervised_on(days)
    assert found[(date(2026, 2, 28), None)] == 66.7
    assert found[(DAY, None)] == 66.7
    assert found[(DAY, counted.downs.pk)] == 100.0
    assert found[(date(2026, 3, 16), counted.downs.pk)] == 0.0
    assert measures.minutes_on(days)[(DAY, counted.harbour.pk)] == 40.0
    assert measures.families_discussed_on(days)[(DAY, counted.downs.pk)] == 0.0
