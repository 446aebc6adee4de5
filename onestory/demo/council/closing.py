"""Finishing: families close when their children's involvement ends, and the CIN plans that
were cancelled (a child came into care instead) are dropped."""

from __future__ import annotations

from datetime import date

from onestory.demo.council.state import Simulation


def close_families(sim: Simulation) -> None:
    """A family closes when the last of its children's involvement ends."""
    latest: dict[int, date | None] = {}
    for row in sim.tables["families.CINEpisode"].rows:
        fam = row["family_id"]
        end = row["end"]
        if fam in latest and latest[fam] is None:
            continue
        latest[fam] = None if end is None else max(end, latest.get(fam) or end)
    for family in sim.tables["families.Family"].rows:
        closed = latest.get(family["id"])
        if family["id"] in latest and closed is not None:
            family["closed"] = max(closed, family["opened"])


def drop_cancelled_cin_plans(sim: Simulation) -> None:
    """Cancelled CIN plans (a child came into care instead) are dropped."""
    plans = sim.tables["families.CINPlan"]
    plans.rows = [r for r in plans.rows if r["start"] is not None]
    for index, row in enumerate(plans.rows, start=1):
        row["id"] = index
