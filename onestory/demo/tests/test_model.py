"""The demo council follows the model it demonstrates (issue 17): brothers and sisters share a
worker, babies are born, the stories hold every kind of entry with their sign-offs, and the
demo pod has work due today. Counted in the generated council."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import pytest
from django.db.models import Count, Exists, F, OuterRef, Q

from onestory.accounts.models import User
from onestory.demo.council import Council, DemoUser
from onestory.demo.council.births import EARLY, LATE
from onestory.families.models import Allocation, Family, FamilyMember, Person
from onestory.pods.models import PodMembership, Staff
from onestory.stories.models import (
    SIGN_OFF_KINDS,
    WRITTEN_ELSEWHERE,
    Amendment,
    Entry,
    Kind,
    SignOff,
    Status,
)
from onestory.stories.visiting import due_for
from onestory.test import SMALL_COUNCIL_TODAY

TODAY = SMALL_COUNCIL_TODAY
WEEK = TODAY + timedelta(days=7)


@pytest.fixture
def council(small_council: dict[str, int], db: None) -> dict[str, int]:
    """The small council with its stories (conftest.py), loaded once for the run."""
    return small_council


# --- Brothers and sisters ------------------------------------------------------------------


def test_brothers_and_sisters_share_a_worker_unless_a_child_asked(
    council: dict[str, int],
) -> None:
    workers: dict[int, dict[int, int]] = defaultdict(dict)
    for child, worker, family in (
        Allocation.objects.open_on(TODAY)
        .filter(child__memberships__role="child", child__memberships__family__closed__isnull=True)
        .values_list("child", "worker", "child__memberships__family")
    ):
        workers[family][child] = worker
    siblings = {family: held for family, held in workers.items() if len(held) > 1}
    apart = [family for family, held in siblings.items() if len(set(held.values())) > 1]
    assert len(siblings) >= 20
    assert len(apart) <= len(siblings) * 0.1
    # Where they differ, a child asked for a new worker, and the allocation says so.
    asked = set(Allocation.objects.filter(change_reason="CHCHAN").values_list("child", flat=True))
    assert all(set(siblings[family]) & asked for family in apart)


# --- Babies ---------------------------------------------------------------------------------


def test_unborn_children_are_born_near_the_expected_date_or_the_pregnancy_ends() -> None:
    """In the generator (seed 7 has both), as the small council has no pregnancy that ended."""
    today = TODAY
    council = Council(scale="small", seed=7, today=today)
    tables = council.build({"demo-social-worker": DemoUser(1, "Sam", "Demo")}, first_user_id=9)
    people = tables["families.Person"].rows
    member = {r["person_id"]: r for r in tables["families.FamilyMember"].rows}
    episodes = {r["child_id"]: r for r in tables["families.CINEpisode"].rows}
    outcome: dict[str, int] = defaultdict(int)
    for child in council.sim.cases.unborn:
        person = people[child.person_id - 1]
        assert child.expected is not None
        if person["date_of_birth"] is not None:
            outcome["born"] += 1
            assert person["expected_date_of_birth"] is None
            born = person["date_of_birth"]
            assert child.expected - timedelta(EARLY) <= born <= child.expected + timedelta(LATE)
            assert born < today and person["sex"] in {"F", "M"} and person["nhs_number"]
        elif member[child.person_id]["end"] is not None:
            outcome["ended"] += 1
            # The record says so: their place in the family and their involvement end.
            ended = member[child.person_id]["end"]
            assert person["expected_date_of_birth"] == child.expected > ended
            assert episodes[child.person_id]["closure_reason"] == "RC7"
            assert episodes[child.person_id]["end"] == ended + timedelta(days=13)
        else:
            outcome["expected"] += 1
            assert person["expected_date_of_birth"] >= today - timedelta(LATE)
    assert outcome["born"] > 10 and outcome["ended"] >= 1


def test_no_expected_date_long_past_without_a_birth_or_an_ending(
    council: dict[str, int],
) -> None:
    ended = FamilyMember.objects.filter(person=OuterRef("pk"), end__isnull=False)
    overdue = Person.objects.filter(expected_date_of_birth__lt=TODAY - timedelta(LATE))
    assert not overdue.exclude(Exists(ended)).exists()


def test_a_birth_is_on_the_familys_story(council: dict[str, int]) -> None:
    """Children born after their family was opened have a significant event soon after."""
    opened = FamilyMember.objects.filter(
        person=OuterRef("pk"), role="child", start__lt=OuterRef("date_of_birth")
    )
    babies = Person.objects.filter(Exists(opened))
    assert babies.count() >= 10
    told = babies.filter(
        story_entries__kind=Kind.SIGNIFICANT_EVENT,
        story_entries__occurred_at__date__gte=F("date_of_birth"),
        story_entries__occurred_at__date__lte=F("date_of_birth") + timedelta(days=14),
    ).distinct()
    assert told.count() >= babies.count() * 0.8
    # Nobody sees a child before they are born.
    assert not Entry.seen.through.objects.filter(
        Q(person__date_of_birth__isnull=True)
        | Q(entry__occurred_at__date__lt=F("person__date_of_birth"))
    ).exists()


# --- The stories ----------------------------------------------------------------------------


def test_every_kind_of_entry_is_in_the_stories_in_proportion(council: dict[str, int]) -> None:
    kinds = dict(
        Entry.objects.exclude(kind__in=WRITTEN_ELSEWHERE)
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    total = sum(kinds.values())
    share = {kind: kinds.get(kind, 0) / total for kind in Kind.values}
    assert {k for k in Kind.values if k not in WRITTEN_ELSEWHERE} == set(kinds)
    assert share[Kind.VISIT] > share[Kind.CASE_SUMMARY] > share[Kind.DIRECT_WORK] > 0.15
    assert 0.01 < share[Kind.ASSESSMENT] < 0.05
    assert 0.02 < share[Kind.STRENGTHENING_FAMILIES] < 0.08
    assert 0.003 < share[Kind.ME_AND_MY_WORLD] < share[Kind.STRENGTHENING_FAMILIES]
    assert 0.01 < share[Kind.REVIEW] < 0.06
    assert 0.005 < share[Kind.SIGNIFICANT_EVENT] < 0.04
    # Plans for children in care are Me and My World.
    child_plans = Entry.objects.filter(kind=Kind.ME_AND_MY_WORLD)
    in_care = child_plans.filter(
        concerns__care_episodes__start__lte=F("occurred_at__date"),
    ).filter(
        Q(concerns__care_episodes__end__isnull=True)
        | Q(concerns__care_episodes__end__gt=F("occurred_at__date"))
    )
    assert in_care.distinct().count() == child_plans.count()


def test_closed_families_have_a_closure_summary(council: dict[str, int]) -> None:
    closed = Family.objects.filter(closed__isnull=False, entries__isnull=False).distinct()
    summarised = closed.filter(entries__kind=Kind.CLOSURE_SUMMARY).distinct()
    assert summarised.count() >= closed.count() * 0.9
    assert not Entry.objects.filter(kind=Kind.CLOSURE_SUMMARY, family__closed__isnull=True).exists()


def test_assessments_and_plans_are_signed_off_by_the_pods_manager(
    council: dict[str, int],
) -> None:
    needing = Entry.objects.filter(kind__in=SIGN_OFF_KINDS, status=Status.FINAL)
    month_ago = TODAY - timedelta(days=30)
    # Older ones are all signed; a few recent ones are waiting.
    assert not needing.filter(occurred_at__date__lt=month_ago, sign_off__isnull=True).exists()
    assert needing.filter(occurred_at__date__gte=month_ago, sign_off__isnull=True).exists()
    signed = SignOff.objects.all()
    assert signed.count() > 1000
    assert not signed.filter(by=F("entry__author")).exists()
    assert not signed.filter(at__lt=F("entry__finalised_at")).exists()
    assert not SignOff.objects.exclude(entry__kind__in=SIGN_OFF_KINDS).exists()
    manager_then = PodMembership.objects.filter(
        staff__user=OuterRef("by"),
        role="pod_manager",
        pod=OuterRef("entry__family__pod"),
        start__lte=OuterRef("at__date"),
    ).filter(Q(end__isnull=True) | Q(end__gt=OuterRef("at__date")))
    assert not signed.exclude(Exists(manager_then)).exists()


def test_drafts_wait_and_some_entries_are_amended(council: dict[str, int]) -> None:
    drafts = Entry.objects.filter(status=Status.DRAFT).exclude(kind__in=WRITTEN_ELSEWHERE)
    assert drafts.count() >= 20
    # Recent, and by the child's worker today.
    assert not drafts.filter(occurred_at__date__lt=TODAY - timedelta(days=7)).exists()
    current = Allocation.objects.open_on(TODAY).filter(
        child__in=OuterRef("concerns"), worker__user=OuterRef("author")
    )
    assert drafts.filter(Exists(current)).count() >= drafts.count() * 0.9
    amended = Entry.objects.filter(amendments__isnull=False).distinct()
    assert 0.001 < amended.count() / Entry.objects.count() < 0.01
    assert not Amendment.objects.exclude(entry__status=Status.FINAL).exists()
    assert not Amendment.objects.filter(created_at__lt=F("entry__finalised_at")).exists()
    assert not Amendment.objects.exclude(author=F("entry__author")).exists()
    # The correction is searchable, as `Entry.amend` makes it.
    first = Amendment.objects.order_by("id").first()
    assert first is not None
    word = first.text.split()[-1].strip(".:")
    assert Entry.objects.filter(pk=first.entry_id, search_vector=word).exists()


# --- The demo pod ---------------------------------------------------------------------------


def test_the_demo_pod_has_work_due_today(council: dict[str, int]) -> None:
    sam = Staff.objects.get(user__username="demo-social-worker")
    priya = User.objects.get(username="demo-pod-manager")
    pod = PodMembership.objects.open_on(TODAY).get(staff=sam).pod
    assert PodMembership.objects.open_on(TODAY).filter(staff__user=priya, pod=pod).exists()
    children = [
        a.child
        for a in Allocation.objects.open_on(TODAY).filter(worker=sam).select_related("child")
    ]
    assert len(children) >= 8
    due = due_for(children, TODAY)
    visits = [d for d in due if d.what == "Visit"]
    assert sum(1 for d in visits if d.due < TODAY) >= 2
    assert sum(1 for d in visits if TODAY <= d.due < WEEK) >= 2
    assert any(d.what == "Review" and d.due < WEEK for d in due)
    # Drafts of Sam's, and an assessment of Sam's waiting for Priya's sign-off.
    assert Entry.objects.filter(author=sam.user, status=Status.DRAFT).count() >= 2
    waiting = Entry.objects.filter(
        author=sam.user, kind=Kind.ASSESSMENT, status=Status.FINAL, sign_off__isnull=True
    )
    assert waiting.filter(occurred_at__date__gte=TODAY - timedelta(days=21)).exists()
    assert waiting.filter(family__pod=pod).exists()
    # And the rest of the pod.
    others = [
        a.child
        for a in Allocation.objects.open_on(TODAY)
        .filter(pod=pod)
        .exclude(worker=sam)
        .select_related("child")
    ]
    overdue = [d for d in due_for(others, TODAY) if d.what == "Visit" and d.due < TODAY]
    assert overdue
