"""Child protection: a plan from its section 47 enquiry and initial conference, the CIN plan
that follows it, its review conferences, and its end, on time or cut short by care
proceedings."""

from __future__ import annotations

from datetime import date, timedelta

from onestory.demo.council.children_in_need import (
    authorise_assessment,
    authorised_in_year_of,
    close_cin,
    open_cin,
)
from onestory.demo.council.state import Child, Simulation
from onestory.lib.working_days import add_working_days, is_working_day


def start_cp(sim: Simulation, child: Child, start: date) -> int:
    open_cin(sim, child, start - timedelta(days=sim.rng.randrange(20, 40)), "N1")
    enquiry = sim.table("families.Section47Enquiry").add(
        episode_id=child.episode_id,
        start=start - timedelta(days=sim.rng.randrange(12, 18)),
        conference_not_required=False,
    )
    sim.table("families.InitialConference").add(enquiry_id=enquiry, date=start, plan_made=True)
    authorise_assessment(sim, child, start)
    authorised_in_year_of(sim, child, start)
    category = sim.rng.choices(["NEG", "EMO", "PHY", "SAB", "MUL"], weights=[48, 38, 8, 4, 2])[0]
    days = max(92, sim.lognormal_days(270, 0.5))
    end = start + timedelta(days=days)
    plan = sim.table("families.CPPlan").add(
        episode_id=child.episode_id,
        child_id=child.person_id,
        initial_category=category,
        latest_category=category if sim.rng.random() < 0.9 else sim.rng.choice(["NEG", "EMO"]),
        start=start,
        end=end if end < sim.today else None,
    )
    sim.cases.cp_active[plan] = child
    sim.cases.cp_by_family[child.family_id].add(plan)
    if end < sim.today:
        # After the plan, support continues under a CIN plan for a while, then closes.
        added = sim.table("families.CINPlan").add(episode_id=child.episode_id, start=end, end=None)
        sim.cases.plan_after_cp[child.episode_id] = sim.tables["families.CINPlan"].rows[added - 1]
    return plan


def end_cp_plans(sim: Simulation, before: date) -> None:
    for plan, child in list(sim.cases.cp_active.items()):
        row = sim.tables["families.CPPlan"].rows[plan - 1]
        if row["end"] is not None and row["end"] <= before:
            forget_cp(sim, child, plan)
            if child.in_care_until is None:
                finish_after_plan(sim, child, row["end"])


def forget_cp(sim: Simulation, child: Child, plan: int) -> None:
    del sim.cases.cp_active[plan]
    sim.cases.cp_by_family[child.family_id].discard(plan)


def finish_after_plan(sim: Simulation, child: Child, plan_end: date) -> None:
    closes = plan_end + timedelta(days=sim.rng.randrange(60, 200))
    row = sim.cases.plan_after_cp.get(child.episode_id)
    if row is not None and row["end"] is None:
        row["end"] = closes if closes < sim.today else None
    close_cin(sim, child, closes, "RC7")


def cut_cp(sim: Simulation, child: Child, plan: int, on: date) -> None:
    row = sim.tables["families.CPPlan"].rows[plan - 1]
    row["end"] = max(on, row["start"] + timedelta(days=1))
    forget_cp(sim, child, plan)
    # The CIN plan that would have followed is not needed: the child comes into care.
    cin_plan = sim.cases.plan_after_cp.pop(child.episode_id, None)
    if cin_plan is not None:
        cin_plan["start"] = cin_plan["end"] = None


def cp_reviews(sim: Simulation) -> None:
    """Review conferences for each plan: the first about 3 months after it starts, then
    about every 6 months (a few a little late), while it is open and before today."""
    rng = sim.review_rng
    reviews = sim.table("families.CPReview")
    for plan in sim.table("families.CPPlan").rows:
        last = min(plan["end"] or sim.today, sim.today)
        review = plan["start"] + timedelta(days=91 + rng.randrange(-14, 8))
        while review < last:
            reviews.add(plan_id=plan["id"], date=review)
            review += timedelta(days=182 + rng.randrange(-21, 8))


def conferences_on_working_days(sim: Simulation) -> None:
    """Initial conferences are held on working days (CIN census rule 8875), and the plan starts
    at its conference (2885). A plan drawn to start on a weekend or bank holiday starts on the
    next working day in its month, or else the one before (never on the 1st, the day the
    council's counts are made); its end is kept. Run after the months, so that what they drew
    is unchanged, and before the review conferences, which follow the start."""
    conference_of = {
        row["episode_id"]: row["id"] for row in sim.table("families.Section47Enquiry").rows
    }
    conferences = {row["enquiry_id"]: row for row in sim.table("families.InitialConference").rows}
    for plan in sim.table("families.CPPlan").rows:
        start = plan["start"]
        if is_working_day(start):
            continue
        later, earlier = add_working_days(start, 1), add_working_days(start, -1)
        last = min(plan["end"] or date.max, sim.today) - timedelta(days=1)
        if later.month == start.month and later <= last:
            moved = later
        elif earlier.month == start.month and earlier.day > 1:
            moved = earlier
        else:
            continue
        conference = conferences[conference_of[plan["episode_id"]]]
        if conference["date"] == start:
            conference["date"] = moved
        plan["start"] = moved
