"""The demo council: calibrated to the council's figures (docs/domain.md), reproducible, and
realistic in shape."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db.models import F, Min, Q

from onestory.accounts.models import Role, User
from onestory.demo.council import MODEL_STARTED, NO_AGENCY_FROM, Council, DemoUser
from onestory.demo.load import load_demo_council
from onestory.families.models import Allocation, CareEpisode, CPPlan, CPReview, Family, Person
from onestory.outcomes.measures import (
    average_care_applications_a_quarter,
    children_in_care,
    children_on_cp_plans,
)
from onestory.pods.models import Pod, PodMembership, Staff
from onestory.test import made_once

TODAY = date(2026, 11, 2)
DEMO = {
    name: DemoUser(index + 1, name, "Demo")
    for index, name in enumerate(
        [
            "demo-social-worker",
            "demo-senior-social-worker",
            "demo-social-worker-in-training",
            "demo-pod-manager",
            "demo-business-support",
            "demo-practice-lead",
            "demo-quality-lead",
            "demo-head-of-service",
            "demo-performance-analyst",
            "demo-information-governance",
            "demo-administrator",
            "demo-complaints-officer",
            "demo-other-pod-social-worker",
        ]
    )
}


def generate(seed: int, scale: str = "small") -> dict[str, list[dict[str, Any]]]:
    tables = Council(scale=scale, seed=seed, today=TODAY).build(DEMO, first_user_id=100)
    return {label: table.rows for label, table in tables.items()}


def test_same_seed_same_council() -> None:
    assert generate(7) == generate(7)


def test_another_seed_another_council() -> None:
    first, second = generate(7), generate(8)
    assert first["families.Person"][0]["first_name"] != second["families.Person"][0][
        "first_name"
    ] or len(first["families.Person"]) != len(second["families.Person"])


@pytest.fixture(scope="module")
def module_council(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    """The default council, loaded once for this module and rolled back afterwards."""

    def load() -> dict[str, int]:
        # Without the million story entries, which would add minutes to every run: they are
        # tested in onestory/stories/tests/test_demo_stories.py, and loaded by the small seed
        # in onestory/core/tests/test_pages.py. Without the model's processes and the outcome
        # snapshots too: each feature tests its own on the small council.
        return load_demo_council(
            scale="default",
            seed=2015,
            today=TODAY,
            password="pw-for-tests",
            say=lambda _: None,
            with_stories=False,
            with_processes=False,
        )

    with made_once(django_db_blocker, load) as counts:
        yield counts


@pytest.fixture
def council(module_council: dict[str, int], db: None) -> dict[str, int]:
    return module_council


def within(actual: float, expected: float, tolerance: float = 0.05) -> bool:
    return abs(actual - expected) <= expected * tolerance


class TestCalibration:
    """The council's figures (docs/domain.md), counted from the records: the counts the
    evaluation report quotes exactly, the averages within 5%."""

    def test_children_on_cp_plans(self, council: dict[str, int]) -> None:
        assert children_on_cp_plans(date(2015, 10, 1)) == 403
        assert children_on_cp_plans(date(2019, 1, 1)) == 333

    def test_children_in_care(self, council: dict[str, int]) -> None:
        assert children_in_care(date(2015, 10, 1)) == 473
        assert children_in_care(date(2019, 1, 1)) == 375

    def test_care_applications_a_quarter(self, council: dict[str, int]) -> None:
        assert within(average_care_applications_a_quarter(2016), 26)
        assert within(average_care_applications_a_quarter(2018), 15)

    def test_short_breaks_exist_and_are_not_counted_as_in_care(
        self, council: dict[str, int]
    ) -> None:
        day = date(2019, 1, 1)
        short = CareEpisode.objects.open_on(day).filter(legal_status__in=["V3", "V4"])
        assert short.exists()
        all_open = CareEpisode.objects.open_on(day).values("child").distinct().count()
        assert children_in_care(day) == all_open - short.values("child").distinct().count()


class TestShape:
    def test_ten_to_fourteen_pods_mostly_following_the_rules(self, council: dict[str, int]) -> None:
        assert 10 <= Pod.objects.count() <= 14
        today = TODAY
        managers = [
            PodMembership.objects.open_on(today).filter(pod=pod, role="pod_manager").count()
            for pod in Pod.objects.all()
        ]
        assert sum(1 for m in managers if m == 1) >= len(managers) * 0.6

    def test_no_agency_social_workers_from_september_2017(self, council: dict[str, int]) -> None:
        in_post_later = Staff.objects.filter(contract="agency").exclude(end__lte=NO_AGENCY_FROM)
        assert not in_post_later.exists()
        assert Staff.objects.filter(contract="agency", start__lt=date(2016, 1, 1)).exists()

    def test_staff_turnover(self, council: dict[str, int]) -> None:
        assert Staff.objects.filter(end__isnull=False, end__gt=date(2014, 1, 1)).count() > 50

    def test_worker_changes_become_rarer_after_the_model_started(
        self, council: dict[str, int]
    ) -> None:
        def changes_a_year_per_open_child(first: date, last: date) -> float:
            changes = Allocation.objects.filter(start__gte=first, start__lt=last).exclude(
                change_reason="FCONTA"
            )
            children = Allocation.objects.open_on(first).count()
            return changes.count() / children / ((last - first).days / 365)

        before = changes_a_year_per_open_child(date(2014, 3, 1), MODEL_STARTED)
        after = changes_a_year_per_open_child(date(2017, 1, 1), date(2019, 1, 1))
        assert after < before / 2

    def test_restricted_families_name_their_people(self, council: dict[str, int]) -> None:
        restricted = Family.objects.filter(restricted=True)
        assert 0 < restricted.count() < Family.objects.count() * 0.01
        assert all(family.restricted_to.exists() for family in restricted[:20])

    def test_identifiers_are_valid(self, council: dict[str, int]) -> None:
        for person in Person.objects.exclude(upn="").order_by("pk")[:200]:
            person.full_clean(validate_unique=False, validate_constraints=False)

    def test_cp_plans_have_review_conferences_while_open(self, council: dict[str, int]) -> None:
        long_enough = CPPlan.objects.filter(start__lt=TODAY - timedelta(days=100)).filter(
            Q(end__isnull=True) | Q(end__gt=F("start") + timedelta(days=100))
        )
        firsts = long_enough.annotate(first=Min("reviews__date")).values_list("start", "first")
        assert firsts and all(first and 77 <= (first - start).days <= 98 for start, first in firsts)
        outside = Q(date__lt=F("plan__start")) | Q(date__gte=F("plan__end")) | Q(date__gte=TODAY)
        assert not CPReview.objects.filter(outside).exists()
        # About every six months after the first.
        by_plan: dict[int, list[date]] = {}
        for plan, day in CPReview.objects.order_by("plan_id", "date").values_list("plan", "date"):
            by_plan.setdefault(plan, []).append(day)
        gaps = [(b - a).days for dates in by_plan.values() for a, b in itertools.pairwise(dates)]
        assert gaps and all(161 <= gap <= 189 for gap in gaps)

    def test_the_demo_loads_without_writing_history(self, council: dict[str, int]) -> None:
        assert not apps.get_model("families", "PersonEvent").objects.exists()


class TestDemoAccounts:
    def front_line_pod(self, username: str) -> Pod:
        staff = Staff.objects.get(user__username=username)
        membership: PodMembership = PodMembership.objects.open_on(TODAY).get(staff=staff)
        return membership.pod

    def test_front_line_accounts_share_a_pod_with_every_kind_of_family(
        self, council: dict[str, int]
    ) -> None:
        front_line = [
            "demo-social-worker",
            "demo-senior-social-worker",
            "demo-social-worker-in-training",
            "demo-pod-manager",
            "demo-business-support",
        ]
        pods = {self.front_line_pod(u) for u in front_line}
        assert len(pods) == 1
        pod = pods.pop()
        assert CPPlan.objects.open_on(TODAY).filter(child__allocations__pod=pod).exists()
        assert CareEpisode.objects.open_on(TODAY).filter(child__allocations__pod=pod).exists()
        cin_only = Family.objects.open().filter(pod=pod, cin_episodes__cin_plans__end__isnull=True)
        assert cin_only.exists()

    def test_the_demo_social_worker_holds_children(self, council: dict[str, int]) -> None:
        worker = Staff.objects.get(user__username="demo-social-worker")
        assert Allocation.objects.open_on(TODAY).filter(worker=worker).count() >= 5

    def test_other_pod_worker_is_elsewhere(self, council: dict[str, int]) -> None:
        assert self.front_line_pod("demo-other-pod-social-worker") != self.front_line_pod(
            "demo-social-worker"
        )

    def test_one_account_per_role_with_the_shared_password(self, council: dict[str, int]) -> None:
        demo = User.objects.filter(is_demo=True)
        # One account per role, a social worker in another pod, and a second information
        # governance officer, as a disposal needs two.
        assert demo.count() == len(Role.choices) + 2
        assert all(user.check_password("pw-for-tests") for user in demo)
        assert not User.objects.filter(is_demo=False, password__startswith="argon2").exists()
