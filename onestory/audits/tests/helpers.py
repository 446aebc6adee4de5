"""A small audited service on top of the shared cast: open children in Pod Harbour and Pod
Downs (child in need, child protection, in care), a quality lead (Quinn), and a cycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from onestory.accounts.models import Role, User
from onestory.audits.cycles import open_cycle
from onestory.audits.models import Cycle, Period, SampledChild
from onestory.families.models import (
    Allocation,
    CareEpisode,
    CINEpisode,
    CPPlan,
    Family,
    Person,
)
from onestory.pods.models import Pod
from onestory.test import LONG_AGO, Cast, child_of, make_family, make_staff, make_user

STARTED = date(2024, 1, 8)
# Per pod: how many children in each status.
HARBOUR = {"cin": 3, "cp": 2, "in_care": 2}
DOWNS = {"cin": 2, "cp": 1, "in_care": 1}


@dataclass
class World:
    cast: Cast
    quinn: User  # quality lead
    children: dict[str, list[Person]]  # by pod name


def open_child(family: Family, status: str) -> Person:
    child = child_of(family)
    episode = CINEpisode.objects.create(
        child=child, family=family, referral_source="1A", start=STARTED
    )
    if status == "cp":
        CPPlan.objects.create(
            episode=episode,
            child=child,
            initial_category="NEG",
            latest_category="NEG",
            start=STARTED,
        )
    if status == "in_care":
        CareEpisode.objects.create(
            child=child,
            reason_new_episode="S",
            legal_status="C2",
            category_of_need="N1",
            placement="U1",
            provider="PR1",
            start=STARTED,
        )
    return child


def populate(pod: Pod, counts: dict[str, int], prefix: str) -> list[Person]:
    made = []
    for status, n in counts.items():
        for i in range(n):
            family = make_family(f"{prefix}{status.title()}{i}", pod, child=f"{status}{i}")
            made.append(open_child(family, status))
    return made


def make_world(cast: Cast) -> World:
    quinn = make_user("quinn", Role.QUALITY_LEAD, "Quinn", "Adebayo", password=None)
    make_staff(quinn, None, None)
    harbour = populate(cast.harbour, HARBOUR, "Harb")
    downs = populate(cast.downs, DOWNS, "Down")
    # Sam holds Harbour's children, Charlie Downs'.
    for child in harbour:
        Allocation.objects.create(
            child=child,
            worker=cast.sam.staff,
            pod=cast.harbour,
            start=LONG_AGO,
            change_reason="FCONTA",
        )
    for child in downs:
        Allocation.objects.create(
            child=child,
            worker=cast.charlie.staff,
            pod=cast.downs,
            start=LONG_AGO,
            change_reason="FCONTA",
        )
    return World(cast=cast, quinn=quinn, children={"harbour": harbour, "downs": downs})


def a_cycle(world: World, *, per_pod: int = 2, seed: int = 7, starts: date | None = None) -> Cycle:
    return open_cycle(
        period=Period.MONTH,
        starts=starts or date(2026, 11, 1),
        sample_per_pod=per_pod,
        by=world.quinn,
        seed=seed,
    )


def sampled_in(cycle: Cycle, pod: Pod) -> SampledChild:
    found = (
        SampledChild.objects.filter(cycle=cycle, pod=pod)
        .select_related("assignment__auditor", "audit", "cycle", "child", "family")
        .order_by("pk")
        .first()
    )
    assert found is not None
    return found
