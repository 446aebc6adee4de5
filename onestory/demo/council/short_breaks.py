"""Short breaks: disabled children on agreed series of short breaks (V3/V4), who do not count
as in care."""

from __future__ import annotations

from datetime import date, timedelta

from onestory.demo.council.children_in_need import authorise_assessment, close_cin, open_cin
from onestory.demo.council.people import child_birth, family
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
            home_postcode="BN2 4AA",
            placement_postcode="BN2 9ZZ",
            urn="SC123456",
            start=start,
            end=end if end < sim.today else None,
        )
        close_cin(sim, child, end, "RC7")
