"""Care proceedings: each month's share of the quarter's section 31 applications, mostly for
children already on a plan, each bringing the children into care under an interim order."""

from __future__ import annotations

import random
from datetime import date, timedelta

from onestory.demo import names
from onestory.demo.council.calibration import CARE_APPLICATIONS, LATER_CARE_APPLICATIONS
from onestory.demo.council.care import start_care
from onestory.demo.council.people import child_birth, family
from onestory.demo.council.protection import cut_cp
from onestory.demo.council.state import Simulation
from onestory.lib.dates import financial_quarter, financial_year


def care_applications(sim: Simulation, month: date, days: int) -> None:
    """Section 31 applications: this month's share of the quarter's count."""
    year = financial_year(month)
    per_quarter = CARE_APPLICATIONS.get(year, LATER_CARE_APPLICATIONS)
    quarter_month = (month.month - 4) % 3
    count = quarter_split(sim, year, month, per_quarter)[quarter_month]
    # Most applications follow a child protection plan of two months or more.
    plans = sim.tables["families.CPPlan"].rows
    candidates = [
        p for p in sim.cases.cp_active if plans[p - 1]["start"] < month - timedelta(days=60)
    ]
    for _ in range(count):
        applied = sim.day_in(month, days)
        if applied >= sim.today:
            return
        chosen = sim.rng.choice(candidates) if candidates else 0
        if chosen in sim.cases.cp_active and sim.rng.random() < 0.8:
            family_id = sim.cases.cp_active[chosen].family_id
            kids = [(sim.cases.cp_active[p], p) for p in sorted(sim.cases.cp_by_family[family_id])]
        else:
            family_id, _, new = family(
                sim,
                opened=applied - timedelta(days=sim.rng.randrange(20, 90)),
                children=[
                    child_birth(sim, applied, 0, 14) for _ in range(sim.rng.choice([1, 1, 2]))
                ],
            )
            kids = [(c, 0) for c in new]
        proceedings = sim.table("families.CareProceedings").add(
            family_id=family_id,
            application_date=applied,
            court=sim.rng.choice(names.COURTS),
            orders_sought="Care order",
            outcome="",
            concluded=None,
        )
        concluded = applied + timedelta(days=sim.rng.randrange(180, 400))
        row = sim.tables["families.CareProceedings"].rows[proceedings - 1]
        if concluded < sim.today:
            row["concluded"] = concluded
            row["outcome"] = sim.rng.choices(
                [
                    "care_order",
                    "placement_order",
                    "special_guardianship_order",
                    "child_arrangements_order",
                    "supervision_order",
                ],
                weights=[45, 15, 20, 10, 10],
            )[0]
        else:
            row["outcome"] = "ongoing"
        links = sim.table("families.CareProceedings_children")
        for child, plan in kids:
            links.add(careproceedings_id=proceedings, person_id=child.person_id)
            if plan:
                cut_cp(sim, child, plan, applied + timedelta(days=1))
            start_care(sim, child, applied + timedelta(days=1), legal="C1")


def quarter_split(sim: Simulation, year: int, month: date, average: int) -> list[int]:
    # Deterministic per year: the same split whichever month asks.
    rng = random.Random(year * 7919 + int(sim.factor * 1000))
    total = round(average * 4 * sim.factor)
    base = [total // 4] * 4
    for index in rng.sample(range(4), total % 4):
        base[index] += 1
    for _ in range(2):
        a, b = rng.sample(range(4), 2)
        if base[a] > 1:
            base[a] -= 1
            base[b] += 1
    # Spread each quarter across its three months.
    quarter = financial_quarter(month.month) - 1
    months = [base[quarter] // 3] * 3
    for index in range(base[quarter] % 3):
        months[index] += 1
    return months
