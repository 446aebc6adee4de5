"""The safe-and-stable and demand measures against a council of nine children counted by hand.

DAY is 1 January 2025; the 12 months to it run from 2 January 2024 to 1 January 2025, both
included.

    A  referred 1 Sep 2021 (open); CP plan 1 Oct 2021 to 1 Jan 2025 (ends on DAY: not counted
       on DAY; lasted over 2 years); allocated to Harbour.
    B  referred 1 May 2023, closed 1 Feb 2024; referred again 1 Feb 2024 (a re-referral, in the
       period); CP plan 1 Jun 2023 to 1 Mar 2024, then a second plan from 1 Mar 2024 (the day
       the first ended: counted once); allocated to Harbour.
    C  referred 1 Jan 2024 (a day before the period) and again 1 Jan 2025 (on DAY, exactly a
       year later: a re-referral); two open referrals, one child in need; CP plan from DAY.
    D  referred 1 Nov 2022, closed 1 Dec 2024; plan 1 Dec 2022 to 1 Dec 2024: exactly 2 years.
    E  referred 1 Nov 2022, closed 1 Dec 2024; plan 2 Dec 2022 to 1 Dec 2024: a day short.
    F  referred 1 Jun 2024 (open); in care (C2) from 1 Jan 2024; allocated to Downs.
    G  a short break (V3) from 1 May 2024, open: not in care.
    H  a short break 1 May to 1 Dec 2024, then in care (C2) from 1 Dec 2024.
    I  in care 1 Jan 2023 to 1 Jan 2025 (ends on DAY).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from onestory.outcomes import measures
from onestory.outcomes.models import ChildPopulation
from onestory.outcomes.tests.helpers import nine_children
from onestory.test import Cast

DAY = date(2025, 1, 1)


@pytest.fixture
def council(cast: Cast) -> Cast:
    return nine_children(cast)


def test_children_on_plans_at_a_date(council: Cast) -> None:
    # B (once, across two plans) and C (from DAY); A's plan ended on DAY.
    assert measures.children_on_cp_plans(DAY) == 2
    assert measures.children_on_cp_plans(date(2024, 12, 31)) == 2  # A and B
    assert measures.children_on_cp_plans(date(2024, 11, 30)) == 4  # A, B, D and E
    assert measures.children_on_cp_plans(DAY, pod=council.harbour.pk) == 1  # B
    assert measures.children_on_cp_plans(DAY, pod=council.downs.pk) == 0


def test_children_in_care_leave_out_short_breaks(council: Cast) -> None:
    assert measures.children_in_care(DAY) == 2  # F and H; G is on a short break, I left
    assert measures.children_in_care(date(2024, 11, 30)) == 2  # F and I; H on a short break
    assert measures.children_in_care(DAY, pod=council.downs.pk) == 1  # F


def test_children_in_need_counted_once(council: Cast) -> None:
    # A, B, C (two open referrals, one child) and F; D and E closed on 1 December.
    assert measures.children_in_need(DAY) == 4
    assert measures.children_in_need(date(2024, 11, 30)) == 6
    assert measures.children_in_need(DAY, pod=council.harbour.pk) == 2


def test_referrals_and_re_referrals_over_the_twelve_months(council: Cast) -> None:
    # B's second (1 Feb 2024), F's (1 Jun 2024) and C's on DAY; C's first is a day too early.
    assert measures.referrals(DAY) == 3
    found = measures.referrals_in([(date(2024, 1, 2), DAY)])[(date(2024, 1, 2), DAY)]
    assert (found.part, found.whole) == (2, 3)  # B's within 9 months, C's exactly a year
    assert measures.rereferral_rate(DAY) == 66.7
    # A period ending the day before DAY leaves out C's referral made on DAY.
    assert (
        measures.referrals_in([(date(2024, 1, 1), date(2024, 12, 31))])[
            (date(2024, 1, 1), date(2024, 12, 31))
        ].whole
        == 3
    )  # C's first, B's second and F's
    assert measures.rereferral_rate(DAY, pod=council.harbour.pk) is None


def test_second_plans_and_plans_lasting_two_years(council: Cast) -> None:
    # Starting in the period: B's second plan and C's first.
    assert measures.second_plan_rate(DAY) == 50.0
    # Ending in the period: A (over 2 years, ends on DAY), B's first, D (exactly 2 years), E.
    found = measures.long_plans_in([(date(2024, 1, 2), DAY)])[(date(2024, 1, 2), DAY)]
    assert (found.part, found.whole) == (2, 4)
    assert measures.long_plan_rate(DAY) == 50.0
    assert measures.long_plan_rate(date(2020, 1, 1)) is None  # none ended: nothing to show


def test_care_applications_a_quarter(council: Cast) -> None:
    assert measures.care_applications_a_quarter(DAY) == 0.5  # 2 in the 12 months, over 4
    assert measures.care_applications_by_quarter(2023) == [0, 0, 0, 2]
    assert measures.care_applications_by_quarter(2024) == [0, 0, 0, 1]


def test_rates_per_10000_children_from_the_population_entered(council: Cast) -> None:
    assert measures.cp_plan_rate(DAY) is None  # no population entered yet
    ChildPopulation.objects.create(year=2023, children=50_000)
    assert measures.cp_plan_rate(DAY) == 0.4  # the latest year before 2025
    ChildPopulation.objects.create(year=2025, children=40_000)
    assert measures.cp_plan_rate(DAY) == 0.5
    assert measures.in_care_rate(DAY) == 0.5
    assert measures.cp_plan_rate(DAY, pod=council.harbour.pk) is None  # the area's, not a pod's
    many = measures.rates_on(measures.cp_plans_on([DAY, date(2024, 11, 30)]))
    assert many == {(DAY, None): 0.5, (date(2024, 11, 30), None): 0.8}


def test_many_days_at_once_give_the_same_figures(council: Cast) -> None:
    days = [date(2024, 11, 30), date(2024, 12, 31), DAY]
    found = measures.cp_plans_on(days)
    assert [found[(day, None)] for day in days] == [4, 2, 2]
    assert found[(DAY, council.harbour.pk)] == 1
    assert measures.referrals_on(days)[(DAY, None)] == 3


def test_query_counts_do_not_grow_with_the_records(
    council: Cast, django_assert_num_queries: Any
) -> None:
    for name in ("children_on_cp_plans", "children_in_care", "children_in_need", "referrals"):
        with django_assert_num_queries(1):
            getattr(measures, name)(DAY)
    for name in ("rereferral_rate", "second_plan_rate", "long_plan_rate"):
        with django_assert_num_queries(1):
            getattr(measures, name)(DAY)
    with django_assert_num_queries(2):
        measures.cp_plan_rate(DAY)
    with django_assert_num_queries(1):
        measures.cp_plans_on([date(2015 + n // 12, n % 12 + 1, 1) for n in range(120)])
