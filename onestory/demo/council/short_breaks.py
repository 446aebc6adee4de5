"""Short breaks: disabled children on agreed series of short breaks (V3/V4), who do not count
as in care."""

from __future__ import annotations

from datetime import date, timedelta

from onestory.demo.council.children_in_need import authorise_assessment, close_cin, open_cin
from onestory.demo.council.people import DISABILITIES, child_birth, disabilities, family
from onestory.demo.council.postcodes import POSTCODES
from onestory.demo.council.state import Simulation


def short_breaks(sim: Simulation, month: date, days: int) -> None:
    """Disabled children on agreed series of short breaks (V3/V4): not "in care" counts."""
    for _ in range(round(sim.rng.random() * 1.2 * sim.factor)):
        start = sim.day_in(month, days)
        if start >= sim.today:
            return
        _, _, kids = family(
            sim, opened=start - timedelta(days=90), children=[child_birth(sim, start, 5, 15)]
        )
        child = kids[0]
        person = sim.tables["families.Person"].rows[child.person_id - 1]
        if person["disabilities"] == ["NONE"]:  # short breaks are for disabled children
            person["disabilities"] = disabilities(sim, [sim.detail_rng.choice(DISABILITIES)])
        open_cin(sim, child, start - timedelta(days=60), "N2")
        authorise_assessment(sim, child, start)
        end = start + timedelta(days=sim.rng.randrange(365, 1500))
        sim.table("families.CareEpisode").add(
            child_id=child.person_id,
            reason_new_episode="S",
            legal_status="V4",
            category_of_need="N2",
            placement="K2",
            provider="PR1",
            reason_ceased="E8" if end < sim.today else "",
            reason_place_change="",
            # The return leaves out a short break's postcodes and URN (rules 214, 398).
            home_postcode=POSTCODES["BN2"][1][child.person_id % len(POSTCODES["BN2"][1])],
            placement_postcode=POSTCODES["BN2"][1][0],
            urn="SC123456",
            start=start,
            end=end if end < sim.today else None,
        )
        close_cin(sim, child, end, "RC7")
