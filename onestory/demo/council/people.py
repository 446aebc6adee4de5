"""Families and people: a new family's children and parents, named, with their identifiers,
in one of the pods."""

from __future__ import annotations

from datetime import date, timedelta

from onestory.demo import names
from onestory.demo.council.identifiers import new_nhs, new_reference, new_upn
from onestory.demo.council.state import Child, Simulation


def family(
    sim: Simulation,
    *,
    opened: date,
    children: list[date | None],
    adults: int = 2,
    unborn: date | None = None,
) -> tuple[int, int, list[Child]]:
    pod_index = sim.rng.randrange(len(sim.workforce.pod_ids))
    pod_id = sim.workforce.pod_ids[pod_index]
    kids: list[int] = []
    unborn_id = 0
    for born in children:
        kids.append(person(sim, born=born))
    parents = [
        person(
            sim,
            born=date(
                opened.year - sim.rng.randrange(19, 45),
                sim.rng.randrange(1, 13),
                sim.rng.randrange(1, 29),
            ),
            adult=True,
        )
        for _ in range(adults)
    ]
    surname = sim.tables["families.Person"].rows[(parents or kids)[0] - 1]["last_name"]
    for pid in kids + parents:
        sim.tables["families.Person"].rows[pid - 1]["last_name"] = surname
    family_id = sim.table("families.Family").add(
        uuid=sim.uuid(),
        reference=new_reference(sim),
        name=f"The {surname} family",
        pod_id=pod_id,
        opened=opened,
        closed=None,
        restricted=sim.rng.random() < 0.004,
    )
    members = sim.table("families.FamilyMember")
    for pid in kids:
        members.add(family_id=family_id, person_id=pid, role="child", start=opened, end=None)
    for pid in parents:
        members.add(family_id=family_id, person_id=pid, role="parent", start=opened, end=None)
    if unborn:
        pid = person(sim, born=None, expected=unborn)
        kids.append(pid)
        members.add(family_id=family_id, person_id=pid, role="child", start=opened, end=None)
        unborn_id = pid
    born_dates = [*children, unborn]
    new = [
        Child(pid, family_id, pod_id, b or unborn or opened)
        for pid, b in zip(kids, born_dates, strict=False)
    ]
    sim.cases.children.extend(new)
    for child in new:
        if unborn and child.person_id == unborn_id:
            child.expected = unborn
            sim.cases.unborn.append(child)
    return family_id, pod_id, new


def person(
    sim: Simulation, *, born: date | None, adult: bool = False, expected: date | None = None
) -> int:
    girl = sim.rng.random() < 0.5
    pool = (
        names.FIRST_NAMES_ADULTS
        if adult
        else (names.FIRST_NAMES_GIRLS if girl else names.FIRST_NAMES_BOYS)
    )
    ethnicity = draw_ethnicity(sim)
    upn = ""
    if born and not adult and sim.today.year - born.year >= 5 and sim.rng.random() < 0.9:
        upn = new_upn(sim)
    return sim.table("families.Person").add(
        uuid=sim.uuid(),
        first_name=sim.rng.choice(pool),
        last_name=sim.rng.choice(names.SURNAMES),
        preferred_name="",
        date_of_birth=born,
        expected_date_of_birth=expected,
        sex="U" if expected else ("F" if girl else "M"),
        ethnicity="" if expected else ethnicity,
        upn=upn,
        nhs_number="" if expected else new_nhs(sim),
        first_language=sim.rng.choices(
            ["English", "Polish", "Arabic", "Bengali", "Romanian", "Tigrinya"],
            weights=[90, 3, 2, 2, 2, 1],
        )[0],
        disabilities=[]
        if adult
        else disabilities(
            sim, sim.rng.choice([[]] * 12 + [["LD"], ["AUT"], ["COMM"], ["BEH"]]), expected
        ),
    )


# The census's disability codes other than NONE, and how common each is among disabled
# children here (a child may have more than one).
DISABILITIES = ["LD", "AUT", "COMM", "BEH", "MOB", "HAND", "PC", "INC", "HEAR", "VIS", "CON", "DDA"]
DISABILITY_WEIGHTS = [30, 25, 20, 20, 8, 4, 6, 5, 5, 4, 2, 6]


def disabilities(sim: Simulation, drawn: list[str], expected: date | None = None) -> list[str]:
    """A disabled child's codes: the one first drawn, and for about a third of them one or two
    more, from the census's whole list (its rule 2888Q expects some). Drawn from the detail
    generator, so the rest of the council is unchanged. Other children have "no disability"
    recorded as an answer (NONE: the census counts them, rule 2887Q), not left blank; for a
    child not yet born nothing is known."""
    if expected is not None:
        return []
    if not drawn:
        return ["NONE"]
    codes = list(drawn)
    if sim.detail_rng.random() < 0.35:
        for _ in range(sim.detail_rng.choice([1, 1, 2])):
            extra = sim.detail_rng.choices(DISABILITIES, weights=DISABILITY_WEIGHTS)[0]
            if extra not in codes:
                codes.append(extra)
    return codes


def draw_ethnicity(sim: Simulation) -> str:
    return sim.rng.choices(
        [
            "WBRI",
            "WOTH",
            "MWBC",
            "MWBA",
            "MOTH",
            "ABAN",
            "APKN",
            "AOTH",
            "BAFR",
            "BCRB",
            "OOTH",
            "REFU",
            "NOBT",
        ],
        weights=[70, 6, 4, 2, 3, 1, 1, 1, 3, 1, 2, 1, 5],
    )[0]


def child_birth(sim: Simulation, on: date, low: int, high: int) -> date:
    return on - timedelta(days=sim.rng.randrange(low * 365, high * 365 + 1))
