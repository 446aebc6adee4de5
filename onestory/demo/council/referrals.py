"""Referrals: each month's new families, most closed after assessment or with no further
action, some supported under a CIN plan for a while."""

from __future__ import annotations

from datetime import date, timedelta

from onestory.demo.council.calibration import REFERRAL_FAMILIES_A_MONTH
from onestory.demo.council.children_in_need import (
    authorise_assessment,
    authorised_in_year_of,
    close_cin,
    no_assessment,
    open_cin,
    year_end,
)
from onestory.demo.council.people import child_birth, family
from onestory.demo.council.state import Simulation


def referrals(sim: Simulation, month: date, days: int) -> None:
    for _ in range(sim.scaled_random(REFERRAL_FAMILIES_A_MONTH)):
        referred = sim.day_in(month, days)
        if referred >= sim.today:
            return
        count = sim.rng.choices([1, 2, 3, 4], weights=[50, 28, 15, 7])[0]
        _, _, kids = family(
            sim,
            opened=referred,
            children=[child_birth(sim, referred, 0, 17) for _ in range(count)],
            adults=sim.rng.choice([1, 2, 2]),
        )
        outcome = sim.rng.random()
        need = sim.rng.choices(
            ["N1", "N2", "N3", "N4", "N5", "N6", "N8"], weights=[45, 6, 8, 15, 16, 5, 5]
        )[0]
        for child in kids:
            open_cin(sim, child, referred, need)
            if outcome < 0.25:
                closes = referred + timedelta(days=sim.rng.randrange(1, 10))
                if closes <= year_end(referred):
                    row = sim.tables["families.CINEpisode"].rows[child.episode_id - 1]
                    row["no_further_action"] = True
                    # No assessment, so not "closed after assessment" (RC8, rule 8825Q).
                    no_assessment(sim, child)
                    close_cin(sim, child, closes, "RC7")
                else:
                    # Not flagged "no further action" across the end of a collection year (rule
                    # 8569Q): the referral was looked into, briefly, before it closed.
                    close_cin(sim, child, closes, "RC8")
                    authorised_in_year_of(sim, child, closes)
            elif outcome < 0.7:
                closes = referred + timedelta(days=sim.rng.randrange(20, 60))
                authorise_assessment(sim, child, closes)
                close_cin(sim, child, closes, sim.rng.choice(["RC8", "RC8", "RC9"]))
                authorised_in_year_of(sim, child, closes)
            else:
                planned = referred + timedelta(days=sim.rng.randrange(25, 45))
                authorise_assessment(sim, child, planned)
                closes = planned + timedelta(days=sim.lognormal_days(230, 0.6))
                if planned < sim.today:
                    sim.table("families.CINPlan").add(
                        episode_id=child.episode_id,
                        start=planned,
                        end=closes if closes < sim.today else None,
                    )
                close_cin(sim, child, closes, "RC7")
