"""The council, generated stage by stage from one seed for one day."""

from __future__ import annotations

import random
from datetime import date

from onestory.demo.council.allocations import allocate_families
from onestory.demo.council.births import births
from onestory.demo.council.calibration import PODS, SCALES, START
from onestory.demo.council.closing import close_families, drop_cancelled_cin_plans
from onestory.demo.council.demo_pod import review_due_this_week
from onestory.demo.council.month import simulate_month
from onestory.demo.council.protection import conferences_on_working_days, cp_reviews
from onestory.demo.council.restrictions import restrict_families
from onestory.demo.council.staff import build_staff
from onestory.demo.council.state import DemoUser, Simulation, Table
from onestory.lib.dates import month_starts


class Council:
    """Runs the stages in order on one simulation. The order is part of the council: every
    stage draws from the same generator."""

    def __init__(self, *, scale: str, seed: int, today: date) -> None:
        self.sim = Simulation(
            today=today,
            factor=SCALES[scale],
            pods=PODS[scale],
            rng=random.Random(seed),
            review_rng=random.Random(f"{seed}:cp-reviews"),
            detail_rng=random.Random(f"{seed}:details"),
        )

    @property
    def t(self) -> dict[str, Table]:
        """The rows generated so far, by model."""
        return self.sim.tables

    def build(self, demo_users: dict[str, DemoUser], first_user_id: int) -> dict[str, Table]:
        """demo_users: the demo accounts already created; generated accounts follow them."""
        sim = self.sim
        sim.tables["accounts.User"] = Table("accounts.User", first_id=first_user_id)
        self.build_staff(demo_users)
        for month in month_starts(START, sim.today):
            simulate_month(sim, month)
        conferences_on_working_days(sim)
        # Once every plan's end is final (care proceedings cut some short).
        cp_reviews(sim)
        # Babies are born (or pregnancies end) before allocations, which follow each
        # child's involvement to its end.
        births(sim)
        # Allocations come last, once each child's involvement has its final end.
        sam = demo_users.get("demo-social-worker")
        allocate_families(sim, sam.id if sam else None)
        review_due_this_week(sim, sam.id if sam else None)
        close_families(sim)
        restrict_families(sim)
        drop_cancelled_cin_plans(sim)
        return sim.tables

    def build_staff(self, demo_users: dict[str, DemoUser]) -> None:
        """The pods and everyone who held a post in them (the user table must exist)."""
        build_staff(self.sim, demo_users)
