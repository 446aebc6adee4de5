"""Children in need: a child's CIN episode from referral, its assessment, and its closure."""

from __future__ import annotations

from datetime import date, timedelta

from onestory.demo.council.state import Child, Simulation


def open_cin(
    sim: Simulation, child: Child, referred: date, need: str, source: str | None = None
) -> int:
    child.episode_id = sim.table("families.CINEpisode").add(
        child_id=child.person_id,
        family_id=child.family_id,
        referral_source=source
        or sim.rng.choice(["5A", "5A", "3A", "3B", "2A", "1B", "6", "4", "9"]),
        primary_need=need,
        no_further_action=False,
        closure_reason="",
        start=referred,
        end=None,
    )
    assessment = sim.table("families.Assessment").add(
        episode_id=child.episode_id,
        start=referred + timedelta(days=sim.rng.randrange(0, 5)),
        authorised=None,
        factors=sim.rng.sample(
            ["2B", "3A", "4A", "5A", "6A", "8B", "1C", "22A", "21", "3B"],
            k=sim.rng.randrange(1, 4),
        ),
    )
    sim.cases.assessment_of[child.episode_id] = sim.tables["families.Assessment"].rows[
        assessment - 1
    ]
    return child.episode_id


def authorise_assessment(sim: Simulation, child: Child, latest: date) -> None:
    row = sim.cases.assessment_of[child.episode_id]
    authorised = min(row["start"] + timedelta(days=sim.rng.randrange(15, 45)), latest)
    row["authorised"] = authorised if authorised < sim.today else None


def close_cin(sim: Simulation, child: Child, on: date, reason: str) -> None:
    if on >= sim.today:
        child.cin_end = None
        return
    row = sim.tables["families.CINEpisode"].rows[child.episode_id - 1]
    row["end"] = max(on, row["start"])
    row["closure_reason"] = reason
    child.cin_end = row["end"]
