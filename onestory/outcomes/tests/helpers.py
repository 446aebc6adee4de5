"""Records for the measures' hand-counted fixtures: children, referrals, plans, episodes."""

from __future__ import annotations

from datetime import date

from onestory.families.models import (
    Allocation,
    CareEpisode,
    CareProceedings,
    CINEpisode,
    CPPlan,
    Family,
    Person,
)
from onestory.pods.models import Pod, Staff
from onestory.test import Cast

DAY = date(2025, 1, 1)


def child(name: str) -> Person:
    return Person.objects.create(
        first_name=name, last_name="Tester", date_of_birth=date(2015, 1, 1), sex="F"
    )


def referral(kid: Person, family: Family, start: date, end: date | None = None) -> CINEpisode:
    return CINEpisode.objects.create(
        child=kid,
        family=family,
        referral_source="1A",
        start=start,
        end=end,
        closure_reason="RC8" if end else "",
    )


def plan(episode: CINEpisode, start: date, end: date | None = None) -> CPPlan:
    return CPPlan.objects.create(
        episode=episode,
        child=episode.child,
        initial_category="NEG",
        latest_category="NEG",
        start=start,
        end=end,
    )


def care(kid: Person, start: date, end: date | None = None, legal: str = "C2") -> CareEpisode:
    return CareEpisode.objects.create(
        child=kid,
        reason_new_episode="S",
        legal_status=legal,
        category_of_need="N1",
        placement="U1",
        provider="PR1",
        start=start,
        end=end,
        reason_ceased="E8" if end else "",
    )


def application(family: Family, day: date, *children: Person) -> CareProceedings:
    found = CareProceedings.objects.create(family=family, application_date=day, court="Brighton")
    found.children.set(children)
    return found


def allocate(kid: Person, worker: Staff, pod: Pod, start: date) -> Allocation:
    return Allocation.objects.create(
        child=kid, worker=worker, pod=pod, start=start, change_reason="FCONTA"
    )


def nine_children(cast: Cast) -> Cast:
    """The council of nine children counted by hand in test_measures.py's docstring."""
    family = cast.okafors
    a, b, c, d, e, f, g, h, i = (child(n) for n in "ABCDEFGHI")
    plan(referral(a, family, date(2021, 9, 1)), date(2021, 10, 1), DAY)
    first = referral(b, family, date(2023, 5, 1), date(2024, 2, 1))
    plan(first, date(2023, 6, 1), date(2024, 3, 1))
    plan(referral(b, family, date(2024, 2, 1)), date(2024, 3, 1))
    referral(c, family, date(2024, 1, 1))
    plan(referral(c, family, DAY), DAY)
    plan(
        referral(d, family, date(2022, 11, 1), date(2024, 12, 1)),
        date(2022, 12, 1),
        date(2024, 12, 1),
    )
    plan(
        referral(e, family, date(2022, 11, 1), date(2024, 12, 1)),
        date(2022, 12, 2),
        date(2024, 12, 1),
    )
    referral(f, family, date(2024, 6, 1))
    care(f, date(2024, 1, 1))
    care(g, date(2024, 5, 1), legal="V3")
    care(h, date(2024, 5, 1), date(2024, 12, 1), legal="V3")
    care(h, date(2024, 12, 1))
    care(i, date(2023, 1, 1), DAY)
    application(family, date(2024, 1, 1), a)  # before the period
    application(family, date(2024, 3, 10), b, c)  # two children, one application
    application(family, DAY, f)  # on the last day: in the period
    allocate(a, cast.sam.staff, cast.harbour, date(2021, 10, 1))
    allocate(b, cast.sam.staff, cast.harbour, date(2023, 6, 1))
    allocate(f, cast.charlie.staff, cast.downs, date(2024, 1, 1))
    return cast
