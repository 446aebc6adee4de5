"""Births: an unborn child is born within a couple of weeks of the expected date, or, for a
few, the pregnancy ends. Expected dates still to come stay expected.

A child born gets a date of birth and the expected date is cleared (a person is born or
expected, never both), with what is known at birth: sex, ethnicity and an NHS number. When a
pregnancy ends, the child's place in the family ends that day and their involvement closes two
weeks later; the expected date is kept as what was known, and the family's story says what
happened (a significant event, `onestory/demo/stories.py`).
"""

from __future__ import annotations

from datetime import timedelta

from onestory.demo.council.children_in_need import close_cin
from onestory.demo.council.identifiers import new_nhs
from onestory.demo.council.people import draw_ethnicity
from onestory.demo.council.state import Simulation

# About one pregnancy in twenty known to children's services ends before birth.
ENDED = 0.05
# Days either side of the expected date a baby is born.
EARLY, LATE = 14, 10


def births(sim: Simulation) -> None:
    """Run once the months are simulated and before allocations, which follow each child's
    involvement to its end."""
    if not sim.cases.unborn:
        return
    people = sim.tables["families.Person"].rows
    unborn_ids = {c.person_id for c in sim.cases.unborn}
    membership = {
        row["person_id"]: row
        for row in sim.tables["families.FamilyMember"].rows
        if row["person_id"] in unborn_ids
    }
    for child in sim.cases.unborn:
        person = people[child.person_id - 1]
        expected = person["expected_date_of_birth"]
        if sim.rng.random() < ENDED:
            referred = sim.tables["families.CINEpisode"].rows[child.episode_id - 1]["start"]
            ended = max(expected - timedelta(days=sim.rng.randrange(20, 120)), referred)
            if ended + timedelta(days=1) >= sim.today:
                continue  # not known yet: still expected
            membership[child.person_id]["end"] = ended + timedelta(days=1)
            close_cin(sim, child, ended + timedelta(days=14), "RC7")
            continue
        born = expected + timedelta(days=sim.rng.randrange(-EARLY, LATE + 1))
        if born >= sim.today:
            continue
        girl = sim.rng.random() < 0.5
        person.update(
            date_of_birth=born,
            expected_date_of_birth=None,
            sex="F" if girl else "M",
            ethnicity=draw_ethnicity(sim),
            nhs_number=new_nhs(sim),
        )
        child.born = born
