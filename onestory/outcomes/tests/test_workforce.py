"""Workforce measures by the DfE census definitions, for a pod and the service."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from onestory.accounts.models import Role
from onestory.outcomes.workforce import census_year, workforce_at, workforce_by_month
from onestory.pods.membership import change_member
from onestory.pods.models import Contract, PodMembership, PodRole, Staff
from onestory.test import Cast, Harbour

CENSUS = date(2026, 9, 30)


def worker(
    cast: Cast,
    first: str,
    *,
    fte: str = "1.00",
    start: date = date(2020, 1, 6),
    end: date | None = None,
    contract: str = Contract.PERMANENT,
    pod: str = "harbour",
) -> Staff:
    staff = Staff.objects.create(
        first_name=first,
        last_name="Test",
        role=Role.SOCIAL_WORKER,
        fte=Decimal(fte),
        contract=contract,
        start=start,
        end=end,
    )
    PodMembership.objects.create(
        staff=staff,
        pod=getattr(cast, pod),
        role=PodRole.SOCIAL_WORKER,
        fte=Decimal(fte),
        start=start,
        end=end,
    )
    return staff


@pytest.fixture
def harbour(harbour: Harbour) -> Harbour:
    """Harbour: Priya (manager), Ruth (senior), Sam, Tom (in training), all full-time and
    permanent since 2020; Ben is business support, not a social worker. Downs: Charlie. Then:
    Ada, an agency social worker at 0.5 FTE; Nia, who started in February 2026; and Leo, who
    left in April 2026."""
    cast = harbour.cast
    worker(cast, "Ada", fte="0.50", contract=Contract.AGENCY, start=date(2026, 1, 5))
    worker(cast, "Nia", start=date(2026, 2, 2))
    worker(cast, "Leo", end=date(2026, 4, 1))
    return harbour


def test_a_pods_census_figures(harbour: Harbour) -> None:
    pod = census_year(2026).pod(harbour.cast.harbour.pk)
    assert pod.establishment_fte == 9  # 1 manager, 2 seniors, 5 social workers, 1 trainee
    # Employed social workers: Priya, Ruth, Sam, Tom and Nia. Ada is agency; Ben is not a
    # social worker; Leo has left.
    assert (pod.in_post_fte, pod.in_post) == (Decimal(5), 5)
    assert (pod.agency_fte, pod.agency) == (Decimal("0.50"), 1)
    assert str(pod.agency_rate) == "9%"  # 0.5 / (0.5 + 5)
    # Vacant posts, whether or not agency covers them: a senior, and three social workers.
    assert pod.vacancy_fte == 4
    assert str(pod.vacancy_rate) == "44%"  # 4 / (4 + 5)
    # From 1 October 2025 to 30 September 2026, Nia joined and Leo left (not Ada: agency).
    assert (pod.starters, pod.leavers, pod.leavers_fte) == (1, 1, Decimal(1))
    assert str(pod.turnover_rate) == "20%"  # 1 / 5
    # Of the five here on 30 September 2025 (with Leo), four are still here.
    assert (pod.stable, pod.stable_of) == (4, 5)


def test_the_services_figures_add_the_pods_and_count_people_once(harbour: Harbour) -> None:
    report = census_year(2026)
    service = report.total
    assert service.establishment_fte == 18  # two pods
    assert (service.in_post_fte, service.in_post) == (Decimal(6), 6)  # and Charlie, in Downs
    # Downs has only Charlie: its manager, seniors, four social workers and trainee are vacant.
    assert service.vacancy_fte == report.pod(harbour.cast.harbour.pk).vacancy_fte + 8
    assert (service.starters, service.leavers) == (1, 1)
    assert (service.stable, service.stable_of) == (5, 6)
    # Narrowed to one pod, the total is that pod's.
    only = census_year(2026, pods=[harbour.cast.harbour.pk])
    assert only.total == only.pod(harbour.cast.harbour.pk)


def test_a_change_of_fte_is_neither_a_starter_nor_a_leaver(harbour: Harbour) -> None:
    change_member(
        membership=harbour.tom.memberships.get(),
        day=date(2026, 5, 1),
        role=PodRole.SOCIAL_WORKER_IN_TRAINING,
        fte=Decimal("0.60"),
        by=harbour.cast.priya,
    )
    pod = census_year(2026).pod(harbour.cast.harbour.pk)
    assert (pod.starters, pod.leavers) == (1, 1)
    assert pod.in_post_fte == Decimal("4.60")
    assert census_year(2026).total.in_post_fte == Decimal("5.60")  # the service uses it too


def test_by_month_counts_starters_and_leavers_in_each_month(harbour: Harbour) -> None:
    months = workforce_by_month(date(2026, 1, 1), date(2026, 4, 30))
    assert [m.day for m in months] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    assert [(m.total.starters, m.total.leavers) for m in months] == [(0, 0), (1, 0), (0, 0), (0, 1)]
    assert [m.total.agency for m in months] == [1, 1, 1, 1]


def test_three_queries_whatever_the_size_of_the_workforce(
    harbour: Harbour, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(3):
        workforce_at(CENSUS)
    for n in range(10):
        worker(harbour.cast, f"Extra{n}", pod="downs")
    with django_assert_num_queries(3):
        assert workforce_at(CENSUS).total.in_post == 16
    with django_assert_num_queries(2):
        workforce_by_month(date(2025, 1, 1), CENSUS, pods=[harbour.cast.downs.pk])
