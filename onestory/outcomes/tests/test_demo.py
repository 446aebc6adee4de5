"""The small demo council's outcome figures: its snapshots from 2014 agree with the records."""

from __future__ import annotations

from datetime import date

from onestory.outcomes import measures
from onestory.outcomes.models import ChildPopulation, ComparisonFigure, Snapshot
from onestory.outcomes.snapshots import HISTORY_STARTS
from onestory.test import SMALL_COUNCIL_TODAY

OCTOBER_2015, JANUARY_2019 = date(2015, 10, 1), date(2019, 1, 1)


def service(key: str, month: date) -> float | None:
    return Snapshot.objects.get(measure=key, month=month, pod=None).value


def test_the_snapshots_run_from_2014_to_the_councils_today(small_council: dict[str, int]) -> None:
    months = Snapshot.objects.filter(measure="cp_plans", pod=None).values_list("month", flat=True)
    assert min(months) == HISTORY_STARTS
    assert max(months) == SMALL_COUNCIL_TODAY.replace(day=1)
    assert small_council["outcomes.Snapshot"] == Snapshot.objects.count()
    assert ChildPopulation.objects.exists() and ComparisonFigure.objects.exists()


def test_the_snapshots_agree_with_the_records(small_council: dict[str, int]) -> None:
    for day in (OCTOBER_2015, JANUARY_2019):
        assert service("cp_plans", day) == measures.children_on_cp_plans(day)
        assert service("in_care", day) == measures.children_in_care(day)
        assert service("referrals", day) == measures.referrals(day)
        assert service("visits_within_standard", day) is not None
    # Each pod's children add up to at most the service's (some children have no worker).
    pods = Snapshot.objects.filter(measure="cp_plans", month=JANUARY_2019, pod__isnull=False)
    assert 0 < sum(s.value or 0 for s in pods) <= (service("cp_plans", JANUARY_2019) or 0)


def test_no_agency_social_workers_from_september_2017(small_council: dict[str, int]) -> None:
    later = Snapshot.objects.filter(measure="agency", pod=None, month__gte=date(2017, 10, 1))
    assert later.exists()
    assert {s.value for s in later} == {0}
