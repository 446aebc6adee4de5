"""Visits within standard at 1 January 2025, counted by hand.

X  CP plan from 1 Dec 2024, seen 30 Dec 2024: next visit 10 working days later (after the
   New Year holiday), so within standard; allocated to Harbour.
Y  CP plan from 1 Jun 2024, seen 1 Dec 2024 (and long before): due mid-December, overdue;
   allocated to Harbour.
Z  in care from 28 Dec 2024, not yet visited: the first visit is due within 7 days, on
   4 January, so within standard.
S  on a short break: no visiting standard.
A visit to X that did not see X does not count.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from onestory.outcomes.tests.helpers import DAY, allocate, care, child, plan, referral
from onestory.outcomes.visits import visits_within_standard, visits_within_standard_rate
from onestory.stories.tests.helpers import make_entry
from onestory.test import Cast


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 23, 30))


def test_visits_within_standard(cast: Cast, django_assert_num_queries: Any) -> None:
    family = cast.okafors
    x, y, z, s = (child(n) for n in "XYZS")
    plan(referral(x, family, date(2024, 11, 1)), date(2024, 12, 1))
    plan(referral(y, family, date(2024, 5, 1)), date(2024, 6, 1))
    care(z, date(2024, 12, 28))
    care(s, date(2024, 12, 1), legal="V3")
    make_entry(family, cast.sam, at=at(date(2024, 12, 30)), seen=[x])
    make_entry(family, cast.sam, at=at(date(2024, 12, 31)), seen=[])  # X not seen
    make_entry(family, cast.sam, at=at(date(2024, 12, 1)), seen=[y])
    make_entry(family, cast.sam, at=at(date(2023, 1, 1)), seen=[y])
    allocate(x, cast.sam.staff, cast.harbour, date(2024, 12, 1))
    allocate(y, cast.sam.staff, cast.harbour, date(2024, 6, 1))

    with django_assert_num_queries(1):
        found = visits_within_standard([DAY, date(2024, 12, 10)])
    assert (found[(DAY, None)].part, found[(DAY, None)].whole) == (2, 3)  # X and Z of X, Y, Z
    assert (found[(DAY, cast.harbour.pk)].part, found[(DAY, cast.harbour.pk)].whole) == (1, 2)
    # On 10 December Y was within (seen on 1 December); X not yet seen, due 13 December.
    earlier = found[(date(2024, 12, 10), None)]
    assert (earlier.part, earlier.whole) == (2, 2)
    assert visits_within_standard_rate(DAY) == 66.7
    assert visits_within_standard_rate(DAY, pod=cast.harbour.pk) == 50.0
    assert visits_within_standard_rate(DAY, pod=cast.downs.pk) is None  # nobody to visit
