"""The simulated council's state, passed from stage to stage: its rows, its random draws, its
pods' staff and the cases still open."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID


@dataclass
class Table:
    """Rows for one model, with ids assigned here so rows can refer to each other."""

    model: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    first_id: int = 1

    def add(self, **values: Any) -> int:
        values["id"] = self.first_id + len(self.rows)
        self.rows.append(values)
        return int(values["id"])


@dataclass
class DemoUser:
    id: int
    first_name: str
    last_name: str


@dataclass
class Member:
    """A member of staff's place in a pod, for choosing workers."""

    staff_id: int
    user_id: int
    role: str
    start: date
    end: date | None

    def in_post(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end > day)


@dataclass
class Child:
    person_id: int
    family_id: int
    pod: int
    born: date
    episode_id: int = 0
    cin_end: date | None = None  # when involvement ends (None: still open)
    in_care_until: date | None = None
    expected: date | None = None  # the expected date of birth of a child not yet born


@dataclass
class Workforce:
    """The pods, and everyone who held a post in each."""

    pod_ids: list[int] = field(default_factory=list)
    pod_members: dict[int, list[Member]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class Caseload:
    """Every child so far, and the cases still open that the coming months steer by."""

    children: list[Child] = field(default_factory=list)
    # Open CP plans: plan row id -> child, and each family's open plans.
    cp_active: dict[int, Child] = field(default_factory=dict)
    cp_by_family: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    care_active: list[Child] = field(default_factory=list)
    # Children not yet born when their family was opened (`births` decides what happened).
    unborn: list[Child] = field(default_factory=list)
    # Rows looked up again later, by CIN episode id.
    assessment_of: dict[int, dict[str, Any]] = field(default_factory=dict)
    plan_after_cp: dict[int, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Identifiers:
    """The UPNs, NHS numbers and family references given so far, each given once."""

    upns: set[str] = field(default_factory=set)
    nhs: set[str] = field(default_factory=set)
    references: set[str] = field(default_factory=set)


@dataclass
class Simulation:
    """The council generated so far. Every draw comes from `rng`, so the stages must run, and
    draw, in the same order for one seed and one day to give the same council."""

    today: date
    factor: float  # the scale's share of the default council's cases
    pods: int
    rng: random.Random
    # Review conferences draw from their own generator, so the rest of the council is the
    # same with or without them.
    review_rng: random.Random
    # Details the returns need that the first councils were generated without (disability
    # codes, for one) draw from another generator, so adding them left the council the same.
    detail_rng: random.Random
    tables: dict[str, Table] = field(default_factory=dict)
    workforce: Workforce = field(default_factory=Workforce)
    cases: Caseload = field(default_factory=Caseload)
    ids: Identifiers = field(default_factory=Identifiers)

    def table(self, model: str) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model)
        return self.tables[model]

    def uuid(self) -> UUID:
        return UUID(int=self.rng.getrandbits(128), version=4)

    def day_in(self, first: date, days: int) -> date:
        return first + timedelta(days=self.rng.randrange(max(1, days)))

    def lognormal_days(self, median_days: float, sigma: float) -> int:
        return max(1, int(self.rng.lognormvariate(math.log(median_days), sigma)))

    def scaled_random(self, average: float) -> int:
        mean = average * self.factor
        return max(0, int(mean + self.rng.uniform(-0.15, 0.15) * mean + 0.5))
