"""The month: what is due to end ends, then just enough new child protection plans and care
episodes start for the counts on the first of the next month to follow the trajectories, with
the month's care applications, short breaks and referrals."""

from __future__ import annotations

from datetime import date, timedelta

from onestory.demo.council.calibration import CIC_TRAJECTORY, CP_TRAJECTORY, SOURCE_DAYS, START
from onestory.demo.council.care import start_care
from onestory.demo.council.children_in_need import close_cin, complete_assessment, open_cin
from onestory.demo.council.dates import interpolate
from onestory.demo.council.people import child_birth, family
from onestory.demo.council.proceedings import care_applications
from onestory.demo.council.protection import end_cp_plans, finish_after_plan, forget_cp, start_cp
from onestory.demo.council.referrals import referrals
from onestory.demo.council.short_breaks import short_breaks
from onestory.demo.council.state import Child, Simulation
from onestory.lib.dates import add_years, next_month_start


def simulate_month(sim: Simulation, month: date) -> None:
    next_month = next_month_start(month)
    days = (next_month - month).days
    end_cp_plans(sim, next_month)
    sim.cases.care_active = [
        c
        for c in sim.cases.care_active
        if c.in_care_until is not None and c.in_care_until > next_month
    ]
    if month == START:
        initial_stock(sim)
    care_applications(sim, month, days)
    new_cp_plans(sim, month, next_month, days)
    new_care_episodes(sim, month, next_month, days)
    short_breaks(sim, month, days)
    referrals(sim, month, days)


def initial_stock(sim: Simulation) -> None:
    """Plans and care episodes already open when the records begin."""
    for _ in range(round(interpolate(CP_TRAJECTORY, START) * sim.factor)):
        start = START - timedelta(days=sim.rng.randrange(1, 240))
        _, _, kids = family(
            sim, opened=start - timedelta(days=40), children=[child_birth(sim, start, 0, 15)]
        )
        start_cp(sim, kids[0], start)
    for _ in range(round(interpolate(CIC_TRAJECTORY, START) * sim.factor)):
        start = START - timedelta(days=sim.rng.randrange(1, 900))
        _, _, kids = family(
            sim, opened=start - timedelta(days=60), children=[child_birth(sim, start, 0, 16)]
        )
        start_care(sim, kids[0], start, legal=sim.rng.choice(["C2", "C2", "V2"]))


def new_cp_plans(sim: Simulation, month: date, next_month: date, days: int) -> None:
    """Child protection: enough new plans for the count on the 1st of next month."""
    target = round(interpolate(CP_TRAJECTORY, next_month) * sim.factor)
    while len(sim.cases.cp_active) < target and next_month <= sim.today + timedelta(days=31):
        start = sim.day_in(month, days)
        if month in SOURCE_DAYS and start == month:
            # A plan starting on the 1st is open on the day last month's count was made for.
            start += timedelta(days=1)
        if start >= sim.today:
            break
        siblings = min(
            target - len(sim.cases.cp_active),
            sim.rng.choices([1, 2, 3, 4], weights=[45, 30, 17, 8])[0],
        )
        unborn = (
            start + timedelta(days=sim.rng.randrange(20, 150)) if sim.rng.random() < 0.05 else None
        )
        _, _, kids = family(
            sim,
            opened=start - timedelta(days=30),
            children=[child_birth(sim, start, 0, 15) for _ in range(siblings)],
            unborn=unborn,
        )
        for child in kids[:siblings]:
            start_cp(sim, child, start)
        for child in kids[siblings:]:
            open_cin(sim, child, start - timedelta(days=10), "N1")
            complete_assessment(sim, child, start)
            close_cin(
                sim,
                child,
                unborn + timedelta(days=sim.rng.randrange(60, 200)) if unborn else start,
                "RC7",
            )
    if next_month in SOURCE_DAYS:
        end_plans_early(sim, next_month, len(sim.cases.cp_active) - target)


def end_plans_early(sim: Simulation, day: date, excess: int) -> None:
    """New plans only ever top the count up, so one more plan than the council's figure can
    still be open on a day it quotes: the plans due to end soonest end on that day instead."""
    rows = sim.tables["families.CPPlan"].rows

    def ends(item: tuple[int, Child]) -> date:
        return rows[item[0] - 1]["end"] or sim.today

    for plan, child in sorted(sim.cases.cp_active.items(), key=ends)[: max(0, excess)]:
        rows[plan - 1]["end"] = day
        forget_cp(sim, child, plan)
        after = sim.cases.plan_after_cp.get(child.episode_id)
        if after is not None:  # the CIN plan that follows starts when this plan ends
            after["start"] = day
        if child.in_care_until is None:
            finish_after_plan(sim, child, day)


def new_care_episodes(sim: Simulation, month: date, next_month: date, days: int) -> None:
    """Children in care: enough new episodes (mostly section 20) for next month's count."""
    target = round(interpolate(CIC_TRAJECTORY, next_month) * sim.factor)
    while len(sim.cases.care_active) < target:
        start = sim.day_in(month, days)
        if start >= sim.today:
            break
        uasc = sim.rng.random() < 0.06
        _, _, kids = family(
            sim,
            opened=start - timedelta(days=sim.rng.randrange(10, 120)),
            children=[child_birth(sim, start, 15 if uasc else 1, 17 if uasc else 16)],
            adults=0 if uasc else sim.rng.choice([1, 2]),
        )
        child = kids[0]
        start_care(sim, child, start, legal="V2")
        if uasc:
            sim.table("families.UASCPeriod").add(
                child_id=child.person_id,
                start=start,
                end=add_years(child.born, 18) if add_years(child.born, 18) < sim.today else None,
            )
