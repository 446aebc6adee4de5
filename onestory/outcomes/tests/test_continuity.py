"""Continuity and consistency of a child's social worker: per child, per pod and for the
service, at any date, with the definitions in `outcomes/continuity.py`."""

from __future__ import annotations

from datetime import date
from typing import Any

from onestory.families.models import Allocation, Person
from onestory.outcomes.continuity import (
    children_continuity,
    continuity_at,
    continuity_by_month,
    worker_since_sentence,
    worker_since_sentences,
    workers_in_last_year,
)
from onestory.pods.allocation import allocate, arrange_cover, transfer_family
from onestory.test import SAM_SINCE, Cast, Harbour

DAY = date(2026, 6, 1)


def lily(cast: Cast) -> Person:
    return Person.objects.get(first_name="Lily")


# --- Per child ------------------------------------------------------------------------------


def test_the_family_page_sentence(harbour: Harbour) -> None:
    assert (
        worker_since_sentence(harbour.jayden, DAY)
        == "Sam has been your social worker since March 2024."
    )
    assert worker_since_sentence(harbour.amara, DAY) is None  # no social worker
    assert (
        worker_since_sentence(harbour.jayden, DAY, whose="Jayden's")
        == "Sam has been Jayden's social worker since March 2024."
    )
    arrange_cover(
        absent=harbour.sam,
        covering=harbour.ruth,
        start=date(2026, 5, 25),
        end=date(2026, 6, 15),
        by=harbour.cast.priya,
    )
    assert worker_since_sentence(harbour.jayden, DAY) == (
        "Sam has been your social worker since March 2024. "
        "Sam is away until 15 June 2026, and Ruth is covering."
    )
    # After the cover, and before Sam, nothing about cover; before Sam, no worker at all.
    after = worker_since_sentence(harbour.jayden, date(2026, 6, 15))
    assert after == "Sam has been your social worker since March 2024."
    assert "covering" not in after
    assert worker_since_sentence(harbour.jayden, date(2024, 3, 3)) is None


def test_sentences_for_a_whole_family_take_two_queries(
    harbour: Harbour, django_assert_num_queries: Any
) -> None:
    allocate(
        child=harbour.amara, worker=harbour.ruth, start=date(2026, 2, 9), by=harbour.cast.priya
    )
    with django_assert_num_queries(2):
        sentences = worker_since_sentences([harbour.jayden, harbour.amara], DAY)
    assert sentences == {
        harbour.jayden.pk: "Sam has been your social worker since March 2024.",
        harbour.amara.pk: "Ruth has been your social worker since February 2026.",
    }


def test_the_workers_in_the_last_twelve_months(harbour: Harbour) -> None:
    allocate(
        child=harbour.jayden,
        worker=harbour.ruth,
        start=date(2026, 1, 5),
        reason="MANAGE",
        by=harbour.cast.priya,
    )
    spells = workers_in_last_year(harbour.jayden, DAY)
    assert [(s.worker, s.start, s.end, s.reason) for s in spells] == [
        ("Sam Okafor", SAM_SINCE, date(2026, 1, 5), "First contact or re-referral"),
        ("Ruth Ellison", date(2026, 1, 5), None, "Managing caseloads"),
    ]
    # A year later Sam is no longer in the last twelve months.
    assert [s.worker for s in workers_in_last_year(harbour.jayden, date(2027, 1, 6))] == [
        "Ruth Ellison"
    ]


def test_an_unbroken_run_with_one_worker_counts_from_its_start(harbour: Harbour) -> None:
    # The allocation was recorded again (a correction of its pod, say) with the same worker:
    # the child did not change worker.
    first = harbour.jayden.allocations.get()
    first.end = date(2025, 5, 1)
    first.save()
    Allocation.objects.create(
        child=harbour.jayden,
        worker=harbour.sam,
        pod=harbour.cast.harbour,
        start=date(2025, 5, 1),
        change_reason="OTHERS",
    )
    found = children_continuity(DAY, children=[harbour.jayden.pk])[harbour.jayden.pk]
    assert (found.since, found.workers) == (SAM_SINCE, 1)
    assert continuity_at(DAY).total.changes == 0  # the same worker: no change


# --- Per pod and for the service -------------------------------------------------------------


def test_figures_per_pod_and_for_the_service(harbour: Harbour) -> None:
    by = harbour.cast.priya
    allocate(
        child=harbour.jayden, worker=harbour.ruth, start=date(2026, 1, 5), reason="MANAGE", by=by
    )
    allocate(
        child=harbour.jayden, worker=harbour.tom, start=date(2026, 3, 2), reason="ABSENC", by=by
    )
    allocate(child=harbour.amara, worker=harbour.sam, start=date(2026, 2, 1), by=by)
    Allocation.objects.create(
        child=lily(harbour.cast),
        worker=harbour.charlie,
        pod=harbour.cast.downs,
        start=date(2025, 1, 1),
        change_reason="FCONTA",
    )
    report = continuity_at(DAY)
    service = report.total
    # Jayden: Sam, Ruth, Tom. Amara: Sam. Lily: Charlie.
    assert (service.children, service.one_worker, service.three_or_more) == (3, 2, 1)
    # With their worker for 91 (Jayden, since 2 March), 120 (Amara) and 516 days (Lily).
    assert service.median_days == 120
    assert (service.changes, service.changes_within_pod) == (2, 2)
    assert str(service.one_worker_share) == "67%"
    assert str(service.within_pod_share) == "100%"
    pod = report.pod(harbour.cast.harbour.pk)
    assert (pod.children, pod.one_worker, pod.three_or_more, pod.median_days) == (2, 1, 1, 105.5)
    assert report.pod(harbour.cast.downs.pk).children == 1
    # Narrowed to one pod, the same figures for it.
    only = continuity_at(DAY, pods=[harbour.cast.harbour.pk])
    assert only.pod(harbour.cast.harbour.pk) == pod and only.total.children == 2


def test_a_change_that_crosses_pods_did_not_stay_within_the_pod(harbour: Harbour) -> None:
    transfer_family(
        family=harbour.cast.okafors,
        to_pod=harbour.cast.downs,
        day=date(2026, 4, 1),
        reason="Moved house.",
        worker=harbour.charlie,
        by=harbour.cast.priya,
    )
    report = continuity_at(DAY)
    # Jayden changed from Sam (Harbour) to Charlie (Downs); Amara had no worker before.
    assert (report.total.changes, report.total.changes_within_pod) == (1, 0)
    left = report.pod(harbour.cast.harbour.pk)
    assert (left.changes, str(left.within_pod_share)) == (1, "0%")
    assert report.pod(harbour.cast.downs.pk).children == 2


def test_first_contact_is_a_new_involvement_not_a_change(harbour: Harbour) -> None:
    Allocation.objects.create(
        child=harbour.amara,
        worker=harbour.sam,
        pod=harbour.cast.harbour,
        start=date(2025, 7, 1),
        end=date(2025, 9, 1),
        change_reason="FCONTA",
    )
    allocate(
        child=harbour.amara, worker=harbour.ruth, start=date(2026, 2, 2), by=harbour.cast.priya
    )
    assert harbour.amara.allocations.get(worker=harbour.ruth).change_reason == "FCONTA"
    report = continuity_at(DAY)
    assert report.total.changes == 0
    # Still two workers in her year: the count of workers includes both involvements.
    assert children_continuity(DAY)[harbour.amara.pk].workers == 2


def test_the_measures_take_two_queries_whatever_the_number_of_children_and_months(
    harbour: Harbour, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        continuity_at(DAY)
    for n in range(10):
        child = Person.objects.create(first_name=f"Kid{n}", last_name="Okafor")
        harbour.cast.okafors.members.create(person=child, role="child", start=date(2020, 1, 6))
        allocate(child=child, worker=harbour.sam, start=date(2025, 1, 1), by=harbour.cast.priya)
    with django_assert_num_queries(2):
        assert continuity_at(DAY).total.children == 11
    with django_assert_num_queries(2):
        trend = continuity_by_month(date(2025, 7, 1), DAY)
    assert [report.day for report in trend][:2] == [date(2025, 7, 1), date(2025, 8, 1)]
    assert len(trend) == 12
    with django_assert_num_queries(1):
        assert len(children_continuity(DAY, pods=[harbour.cast.harbour.pk])) == 11


# --- The demo council -------------------------------------------------------------------------


def test_continuity_improves_after_the_move_to_pods_in_october_2015(
    small_council: dict[str, int], db: None
) -> None:
    before, after = continuity_by_month(date(2015, 10, 1), date(2017, 10, 1))[::24]
    assert (before.day, after.day) == (date(2015, 10, 1), date(2017, 10, 1))
    b, a = before.total, after.total
    assert a.one_worker_share.percent > b.one_worker_share.percent + 15  # type: ignore[operator]
    assert a.three_or_more_share.percent < b.three_or_more_share.percent - 15  # type: ignore[operator]
    assert a.median_days > b.median_days  # type: ignore[operator]
