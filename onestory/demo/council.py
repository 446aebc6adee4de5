"""The demo council: a fictional children's service generated from a seed.

The generator works month by month from January 2014 to the given day, like a stock-and-flow
model. Each month it first ends what is due to end, then starts just enough new child protection
plans and care episodes for the counts on the first of the next month to follow the council's
trajectory (TRAJECTORY below, from the source document), and starts the care applications the
quarter needs. Because the counts are steered at month boundaries, the figures on 1 October 2015
and 1 January 2019 land on target by construction, and a test checks them from the records.

Everything random comes from `random.Random(seed)` (and, for review conferences, a generator of
their own derived from the seed), so one seed and one day give the same council. Rows are plain
dicts keyed by model field names, with ids we assign; `load.py` writes them with COPY.
"""

from __future__ import annotations

import itertools
import math
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from onestory.demo import names
from onestory.families.models.records import REFERENCE_ALPHABET
from onestory.lib.identifiers import nhs_check_digit, upn_check_letter

START = date(2014, 1, 1)
MODEL_STARTED = date(2015, 10, 1)  # pods and the model of practice began
NO_AGENCY_FROM = date(2017, 9, 1)  # "no agency social workers since September 2017"

# Children on CP plans and children in care (excluding short breaks) on the first of a month,
# for the default scale; straight lines between the points. The 2015 and 2019 points are the
# source document's; the rest is a plausible path through them.
CP_TRAJECTORY = [
    (date(2014, 1, 1), 412),
    (date(2015, 10, 1), 403),
    (date(2017, 4, 1), 372),
    (date(2019, 1, 1), 333),
    (date(2022, 1, 1), 322),
    (date(2030, 1, 1), 318),
]
CIC_TRAJECTORY = [
    (date(2014, 1, 1), 481),
    (date(2015, 10, 1), 473),
    (date(2017, 6, 1), 436),
    (date(2019, 1, 1), 375),
    (date(2022, 1, 1), 366),
    (date(2030, 1, 1), 362),
]
# Average care applications a quarter, by the financial year that starts in the given year.
CARE_APPLICATIONS = {2013: 27, 2014: 28, 2015: 28, 2016: 26, 2017: 21, 2018: 15}
LATER_CARE_APPLICATIONS = 15
# Referrals a month at the default scale; most close after assessment.
REFERRAL_FAMILIES_A_MONTH = 116

SCALES = {"small": 0.1, "default": 1.0, "large": 10.0}
PODS = {"small": 10, "default": 12, "large": 95}

# The demo accounts' places: (username, pod index, position) where they are the current holder.
DEMO_POSITIONS = {
    "demo-pod-manager": (0, "pod_manager", 0),
    "demo-senior-social-worker": (0, "senior_social_worker", 0),
    "demo-social-worker": (0, "social_worker", 0),
    "demo-social-worker-in-training": (0, "social_worker_in_training", 0),
    "demo-business-support": (0, "business_support", 0),
    "demo-other-pod-social-worker": (1, "social_worker", 0),
}


def interpolate(points: list[tuple[date, int]], day: date) -> float:
    for (d0, v0), (d1, v1) in itertools.pairwise(points):
        if d0 <= day <= d1:
            return v0 + (v1 - v0) * (day - d0).days / (d1 - d0).days
    return float(points[-1][1])


def month_starts(first: date, last: date) -> list[date]:
    months, day = [], first
    while day <= last:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def financial_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


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


class Council:
    def __init__(self, *, scale: str, seed: int, today: date) -> None:
        self.factor = SCALES[scale]
        self.pods = PODS[scale]
        self.children: list[Child] = []
        self.rng = random.Random(seed)
        # Review conferences draw from their own generator, so the rest of the council is the
        # same with or without them.
        self.review_rng = random.Random(f"{seed}:cp-reviews")
        self.today = today
        self.t: dict[str, Table] = {}
        self.pod_members: dict[int, list[Member]] = defaultdict(list)
        self.pod_ids: list[int] = []
        self.demo_staff: dict[str, int] = {}
        # Open CP plans: plan row id -> child, and each family's open plans.
        self.cp_active: dict[int, Child] = {}
        self.cp_by_family: dict[int, set[int]] = defaultdict(set)
        self.care_active: list[Child] = []
        self.upns: set[str] = set()
        self.nhs: set[str] = set()
        self.references: set[str] = set()
        # Rows looked up again later, by CIN episode id.
        self.assessment_of: dict[int, dict[str, Any]] = {}
        self.plan_after_cp: dict[int, dict[str, Any]] = {}

    def table(self, model: str) -> Table:
        if model not in self.t:
            self.t[model] = Table(model)
        return self.t[model]

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def scaled(self, value: float) -> int:
        return max(1, round(value * self.factor))

    def day_in(self, first: date, days: int) -> date:
        return first + timedelta(days=self.rng.randrange(max(1, days)))

    def lognormal_days(self, median_days: float, sigma: float) -> int:
        return max(1, int(self.rng.lognormvariate(math.log(median_days), sigma)))

    # --- build -----------------------------------------------------------------------------

    def build(self, demo_users: dict[str, DemoUser], first_user_id: int) -> dict[str, Table]:
        """demo_users: the demo accounts already created; generated accounts follow them."""
        self.t["accounts.User"] = Table("accounts.User", first_id=first_user_id)
        self.build_staff(demo_users)
        for month in month_starts(START, self.today):
            self.simulate_month(month)
        # Once every plan's end is final (care proceedings cut some short).
        self.cp_reviews()
        # Allocations come last, once each child's involvement has its final end.
        for child in self.children:
            self.allocate(child)
        self.close_families()
        return self.t

    # --- staff and pods --------------------------------------------------------------------

    def build_staff(self, demo_users: dict[str, DemoUser]) -> None:
        pods = self.pods
        pod_names = list(names.POD_NAMES)
        for index in range(pods):
            name = (
                pod_names[index]
                if index < len(pod_names)
                else f"{pod_names[index % 30]} {index // 30 + 1}"
            )
            pod_id = self.table("pods.Pod").add(
                name=f"Pod {name}", formed=date(2013, 4, 1), disbanded=None
            )
            self.pod_ids.append(pod_id)
            positions = [
                ("pod_manager", Decimal("1.00")),
                ("senior_social_worker", Decimal("1.00")),
                ("senior_social_worker", self.rng.choice([Decimal("1.00"), Decimal("0.80")])),
                *[
                    (
                        "social_worker",
                        self.rng.choice([Decimal("1.00")] * 3 + [Decimal("0.80"), Decimal("0.60")]),
                    )
                    for _ in range(5)
                ],
                ("social_worker_in_training", Decimal("1.00")),
                ("business_support", Decimal("1.00")),
            ]
            # Realistic drift: some pods run a sixth social worker or a second trainee,
            # and one in six has no trainee for a while.
            if self.rng.random() < 0.2:
                positions.append(("social_worker", Decimal("0.60")))
            if self.rng.random() < 0.3:
                positions.append(("social_worker_in_training", Decimal("1.00")))
            seen: dict[str, int] = defaultdict(int)
            for role, fte in positions:
                number = seen[role]
                seen[role] += 1
                demo = next(
                    (
                        u
                        for u, (p, r, n) in DEMO_POSITIONS.items()
                        if p == index and r == role and n == number
                    ),
                    None,
                )
                self.fill_position(pod_id, role, fte, demo=demo, demo_users=demo_users)
        for username, role in (
            ("demo-head-of-service", "head_of_service"),
            ("demo-practice-lead", "practice_lead"),
            ("demo-quality-lead", "quality_lead"),
            ("demo-performance-analyst", "performance_analyst"),
            ("demo-information-governance", "information_governance"),
        ):
            if username in demo_users:
                self.add_staff(
                    role, Decimal("1.00"), "permanent", date(2012, 9, 3), None, demo_users[username]
                )

    def add_staff(
        self,
        role: str,
        fte: Decimal,
        contract: str,
        start: date,
        end: date | None,
        demo: DemoUser | None,
    ) -> int:
        social_work = role in {
            "social_worker",
            "senior_social_worker",
            "social_worker_in_training",
            "pod_manager",
        }
        staff = self.table("pods.Staff")
        staff_id = len(staff.rows) + 1
        if demo is None:
            first, last = self.rng.choice(names.STAFF_FIRST_NAMES), self.rng.choice(names.SURNAMES)
            user_id = self.t["accounts.User"].add(
                username=f"{first}.{last}.{staff_id}".lower(),
                first_name=first,
                last_name=last,
                email=f"{first}.{last}.{staff_id}@demo.invalid".lower(),
                role=role,
                is_active=end is None or end > self.today,
                is_staff=False,
                is_superuser=False,
                is_demo=False,
                last_login=None,
                date_joined=datetime.combine(start, time(9), tzinfo=UTC),
                # An unusable password: the council's generated staff are not demo logins.
                password="!demo-staff-cannot-sign-in",  # noqa: S106
            )
        else:
            first, last, user_id = demo.first_name, demo.last_name, demo.id
        staff.add(
            user_id=user_id,
            first_name=first,
            last_name=last,
            role=role,
            fte=fte,
            contract=contract,
            swe_number=f"SW{100000 + staff_id}" if social_work else "",
            start=start,
            end=end,
        )
        return staff_id

    def fill_position(
        self,
        pod_id: int,
        role: str,
        fte: Decimal,
        *,
        demo: str | None,
        demo_users: dict[str, DemoUser],
    ) -> None:
        """The chain of people who held one post in a pod, with gaps while it was vacant."""
        day = START - timedelta(days=self.rng.randrange(60, 2500))
        casework = role in {"social_worker", "senior_social_worker"}
        while day < self.today:
            agency = (
                casework and day < NO_AGENCY_FROM - timedelta(days=120) and self.rng.random() < 0.25
            )
            tenure = self.lognormal_days(240 if agency else 1400, 0.6)
            if role == "social_worker_in_training":
                tenure = self.lognormal_days(500, 0.3)  # a student placement or the ASYE year
            end: date | None = day + timedelta(days=tenure)
            if agency:
                end = min(end, NO_AGENCY_FROM - timedelta(days=self.rng.randrange(1, 60)))  # type: ignore[type-var]
            last = end is None or end >= self.today
            if demo and last:
                start = max(day, date(2019, 1, 7))
                self.place(pod_id, role, fte, "permanent", start, None, demo_users.get(demo))
                return
            self.place(
                pod_id,
                role,
                fte,
                "agency" if agency else "permanent",
                day,
                None if last else end,
                None,
            )
            if last:
                return
            assert end is not None
            day = end + timedelta(days=self.rng.choice([0, 0, 7, 21, 45, 90]))
            if demo and day >= self.today:
                # The gap after the last holder runs past today, but the demo account must
                # hold its post today: it starts when the last holder left.
                start = max(end, date(2019, 1, 7))
                self.place(pod_id, role, fte, "permanent", start, None, demo_users.get(demo))
                return

    def place(
        self,
        pod_id: int,
        role: str,
        fte: Decimal,
        contract: str,
        start: date,
        end: date | None,
        demo: DemoUser | None,
    ) -> None:
        staff_id = self.add_staff(role, fte, contract, start, end, demo)
        self.table("pods.PodMembership").add(
            staff_id=staff_id, pod_id=pod_id, role=role, fte=fte, start=start, end=end
        )
        staff_row = self.t["pods.Staff"].rows[staff_id - 1]
        self.pod_members[pod_id].append(Member(staff_id, staff_row["user_id"], role, start, end))

    def workers(self, pod_id: int, day: date) -> list[Member]:
        return [
            m
            for m in self.pod_members[pod_id]
            if m.in_post(day)
            and m.role in {"social_worker", "senior_social_worker", "social_worker_in_training"}
        ]

    # --- people and families ---------------------------------------------------------------

    def person(
        self, *, born: date | None, adult: bool = False, expected: date | None = None
    ) -> int:
        girl = self.rng.random() < 0.5
        pool = (
            names.FIRST_NAMES_ADULTS
            if adult
            else (names.FIRST_NAMES_GIRLS if girl else names.FIRST_NAMES_BOYS)
        )
        ethnicity = self.rng.choices(
            [
                "WBRI",
                "WOTH",
                "MWBC",
                "MWBA",
                "MOTH",
                "ABAN",
                "APKN",
                "AOTH",
                "BAFR",
                "BCRB",
                "OOTH",
                "REFU",
                "NOBT",
            ],
            weights=[70, 6, 4, 2, 3, 1, 1, 1, 3, 1, 2, 1, 5],
        )[0]
        upn = ""
        if born and not adult and self.today.year - born.year >= 5 and self.rng.random() < 0.9:
            upn = self.new_upn()
        return self.table("families.Person").add(
            uuid=self.uuid(),
            first_name=self.rng.choice(pool),
            last_name=self.rng.choice(names.SURNAMES),
            preferred_name="",
            date_of_birth=born,
            expected_date_of_birth=expected,
            sex="U" if expected else ("F" if girl else "M"),
            ethnicity="" if expected else ethnicity,
            upn=upn,
            nhs_number="" if expected else self.new_nhs(),
            first_language=self.rng.choices(
                ["English", "Polish", "Arabic", "Bengali", "Romanian", "Tigrinya"],
                weights=[90, 3, 2, 2, 2, 1],
            )[0],
            disabilities=self.rng.choice([[]] * 12 + [["LD"], ["AUT"], ["COMM"], ["BEH"]])
            if not adult
            else [],
        )

    def new_reference(self) -> str:
        while True:
            reference = "F" + "".join(self.rng.choice(REFERENCE_ALPHABET) for _ in range(7))
            if reference not in self.references:
                self.references.add(reference)
                return reference

    def new_nhs(self) -> str:
        while True:
            first_nine = f"{self.rng.randrange(400_000_000, 799_999_999)}"
            check = nhs_check_digit(first_nine)
            number = f"{first_nine}{check}"
            if check is not None and number not in self.nhs:
                self.nhs.add(number)
                return number

    def new_upn(self) -> str:
        while True:
            rest = f"{self.rng.randrange(845, 846)}{self.rng.randrange(0, 10**9):09d}"
            upn = upn_check_letter(rest) + rest
            if upn not in self.upns:
                self.upns.add(upn)
                return upn

    def family(
        self,
        *,
        opened: date,
        children: list[date | None],
        adults: int = 2,
        unborn: date | None = None,
    ) -> tuple[int, int, list[Child]]:
        pod_index = self.rng.randrange(len(self.pod_ids))
        pod_id = self.pod_ids[pod_index]
        kids: list[int] = []
        for born in children:
            kids.append(self.person(born=born))
        parents = [
            self.person(
                born=date(
                    opened.year - self.rng.randrange(19, 45),
                    self.rng.randrange(1, 13),
                    self.rng.randrange(1, 29),
                ),
                adult=True,
            )
            for _ in range(adults)
        ]
        surname = self.t["families.Person"].rows[(parents or kids)[0] - 1]["last_name"]
        for pid in kids + parents:
            self.t["families.Person"].rows[pid - 1]["last_name"] = surname
        family_id = self.table("families.Family").add(
            uuid=self.uuid(),
            reference=self.new_reference(),
            name=f"The {surname} family",
            pod_id=pod_id,
            opened=opened,
            closed=None,
            restricted=self.rng.random() < 0.004,
        )
        members = self.table("families.FamilyMember")
        for pid in kids:
            members.add(family_id=family_id, person_id=pid, role="child", start=opened, end=None)
        for pid in parents:
            members.add(family_id=family_id, person_id=pid, role="parent", start=opened, end=None)
        if unborn:
            pid = self.person(born=None, expected=unborn)
            kids.append(pid)
            members.add(family_id=family_id, person_id=pid, role="child", start=opened, end=None)
        born_dates = [*children, unborn]
        new = [
            Child(pid, family_id, pod_id, b or unborn or opened)
            for pid, b in zip(kids, born_dates, strict=False)
        ]
        self.children.extend(new)
        return family_id, pod_id, new

    def child_birth(self, on: date, low: int, high: int) -> date:
        return on - timedelta(days=self.rng.randrange(low * 365, high * 365 + 1))

    # --- episodes --------------------------------------------------------------------------

    def open_cin(self, child: Child, referred: date, need: str, source: str | None = None) -> int:
        child.episode_id = self.table("families.CINEpisode").add(
            child_id=child.person_id,
            family_id=child.family_id,
            referral_source=source
            or self.rng.choice(["5A", "5A", "3A", "3B", "2A", "1B", "6", "4", "9"]),
            primary_need=need,
            no_further_action=False,
            closure_reason="",
            start=referred,
            end=None,
        )
        assessment = self.table("families.Assessment").add(
            episode_id=child.episode_id,
            start=referred + timedelta(days=self.rng.randrange(0, 5)),
            authorised=None,
            factors=self.rng.sample(
                ["2B", "3A", "4A", "5A", "6A", "8B", "1C", "22A", "21", "3B"],
                k=self.rng.randrange(1, 4),
            ),
        )
        self.assessment_of[child.episode_id] = self.t["families.Assessment"].rows[assessment - 1]
        return child.episode_id

    def close_cin(self, child: Child, on: date, reason: str) -> None:
        if on >= self.today:
            child.cin_end = None
            return
        row = self.t["families.CINEpisode"].rows[child.episode_id - 1]
        row["end"] = max(on, row["start"])
        row["closure_reason"] = reason
        child.cin_end = row["end"]

    def authorise_assessment(self, child: Child, latest: date) -> None:
        row = self.assessment_of[child.episode_id]
        authorised = min(row["start"] + timedelta(days=self.rng.randrange(15, 45)), latest)
        row["authorised"] = authorised if authorised < self.today else None

    def start_cp(self, child: Child, start: date) -> int:
        self.open_cin(child, start - timedelta(days=self.rng.randrange(20, 40)), "N1")
        enquiry = self.table("families.Section47Enquiry").add(
            episode_id=child.episode_id,
            start=start - timedelta(days=self.rng.randrange(12, 18)),
            conference_not_required=False,
        )
        self.table("families.InitialConference").add(enquiry_id=enquiry, date=start, plan_made=True)
        self.authorise_assessment(child, start)
        category = self.rng.choices(["NEG", "EMO", "PHY", "SAB", "MUL"], weights=[48, 38, 8, 4, 2])[
            0
        ]
        days = max(92, self.lognormal_days(270, 0.5))
        end = start + timedelta(days=days)
        plan = self.table("families.CPPlan").add(
            episode_id=child.episode_id,
            child_id=child.person_id,
            initial_category=category,
            latest_category=category
            if self.rng.random() < 0.9
            else self.rng.choice(["NEG", "EMO"]),
            start=start,
            end=end if end < self.today else None,
        )
        self.cp_active[plan] = child
        self.cp_by_family[child.family_id].add(plan)
        if end < self.today:
            # After the plan, support continues under a CIN plan for a while, then closes.
            added = self.table("families.CINPlan").add(
                episode_id=child.episode_id, start=end, end=None
            )
            self.plan_after_cp[child.episode_id] = self.t["families.CINPlan"].rows[added - 1]
        return plan

    def cp_reviews(self) -> None:
        """Review conferences for each plan: the first about 3 months after it starts, then
        about every 6 months (a few a little late), while it is open and before today."""
        rng = self.review_rng
        reviews = self.table("families.CPReview")
        for plan in self.table("families.CPPlan").rows:
            last = min(plan["end"] or self.today, self.today)
            review = plan["start"] + timedelta(days=91 + rng.randrange(-14, 8))
            while review < last:
                reviews.add(plan_id=plan["id"], date=review)
                review += timedelta(days=182 + rng.randrange(-21, 8))

    def end_cp_plans(self, before: date) -> None:
        for plan, child in list(self.cp_active.items()):
            row = self.t["families.CPPlan"].rows[plan - 1]
            if row["end"] is not None and row["end"] <= before:
                self.forget_cp(child, plan)
                if child.in_care_until is None:
                    self.finish_after_plan(child, row["end"])

    def forget_cp(self, child: Child, plan: int) -> None:
        del self.cp_active[plan]
        self.cp_by_family[child.family_id].discard(plan)

    def finish_after_plan(self, child: Child, plan_end: date) -> None:
        closes = plan_end + timedelta(days=self.rng.randrange(60, 200))
        row = self.plan_after_cp.get(child.episode_id)
        if row is not None and row["end"] is None:
            row["end"] = closes if closes < self.today else None
        self.close_cin(child, closes, "RC7")

    def cut_cp(self, child: Child, plan: int, on: date) -> None:
        row = self.t["families.CPPlan"].rows[plan - 1]
        row["end"] = max(on, row["start"] + timedelta(days=1))
        self.forget_cp(child, plan)
        # The CIN plan that would have followed is not needed: the child comes into care.
        cin_plan = self.plan_after_cp.pop(child.episode_id, None)
        if cin_plan is not None:
            cin_plan["start"] = cin_plan["end"] = None

    def start_care(self, child: Child, start: date, *, legal: str, rne: str = "S") -> None:
        if not child.episode_id:
            self.open_cin(
                child,
                start - timedelta(days=self.rng.randrange(5, 60)),
                "N1" if legal.startswith("C") else self.rng.choice(["N1", "N4", "N5", "N8"]),
            )
            self.authorise_assessment(child, start)
        age_out = add_years(child.born, 18)
        days = self.lognormal_days(620, 0.9)
        adopt = legal == "C1" and (start - child.born).days < 4 * 365 and self.rng.random() < 0.35
        end = min(start + timedelta(days=days), age_out)
        if end <= start + timedelta(days=45):
            end = start + timedelta(days=45)
        if adopt:
            end = start + timedelta(days=self.rng.randrange(420, 900))
        reason = self.rng.choices(
            ["E4A", "E41", "E45", "E46", "E13", "E8"], weights=[40, 12, 10, 10, 8, 5]
        )[0]
        if end >= age_out:
            reason = self.rng.choice(["E17", "E5", "E6", "E8"])
        if adopt:
            reason = self.rng.choice(["E11", "E12"])
        ended = end < self.today
        # The care period is one or more episodes: a full order follows the interim one, and
        # placements change.
        cuts: list[tuple[date, str, str]] = [(start, rne, legal)]
        if legal == "C1":
            full = start + timedelta(days=self.rng.randrange(180, 330))
            if full < end:
                cuts.append((full, "L", "E1" if adopt else "C2"))
        for _ in range(self.rng.choice([0, 0, 1, 1, 2, 3])):
            move = start + timedelta(days=self.rng.randrange(30, max(31, (end - start).days)))
            if move < end:
                cuts.append((move, self.rng.choice(["P", "T"]), ""))
        cuts.sort()
        episodes = self.table("families.CareEpisode")
        placement = self.placement(start, child)
        status = legal
        for index, (begin, kind, new_status) in enumerate(cuts):
            if begin >= self.today:
                break
            status = new_status or status
            if kind in {"P", "T"} or index == 0:
                placement = self.placement(begin, child)
            if adopt and status == "E1" and index == len(cuts) - 1:
                placement = self.rng.choice(["A5", "A6"])
            finish = cuts[index + 1][0] if index + 1 < len(cuts) else (end if ended else None)
            if finish is not None and finish >= self.today:
                finish = None
            episodes.add(
                child_id=child.person_id,
                reason_new_episode=kind,
                legal_status=status,
                category_of_need="N1"
                if status.startswith(("C", "E"))
                else self.rng.choice(["N1", "N4", "N5", "N8"]),
                placement=placement,
                provider=self.rng.choices(["PR1", "PR4", "PR5", "PR2"], weights=[60, 30, 6, 4])[0],
                reason_ceased="X1"
                if index + 1 < len(cuts) and cuts[index + 1][0] < self.today
                else (reason if finish else ""),
                reason_place_change=self.rng.choice(["CARPL", "CREQO", "CHILD", "STAND"])
                if index + 1 < len(cuts) and cuts[index + 1][1] in {"P", "T"}
                else "",
                home_postcode=self.postcode(self.rng.choice(["BN1", "BN2", "BN3"])),
                placement_postcode=self.postcode(self.rng.choice(names.PLACEMENT_POSTCODES)),
                urn=f"SC{self.rng.randrange(100000, 999999)}" if placement.startswith("K") else "",
                start=begin,
                end=finish,
            )
        if adopt:
            decided = start + timedelta(days=self.rng.randrange(200, 330))
            if decided < end and decided < self.today:
                # Adopted children's decisions do not "cease": that is for decisions reversed.
                self.table("families.AdoptionPlacement").add(
                    child_id=child.person_id, start=decided, end=None, reason_ceased=""
                )
                if ended:
                    self.table("families.AdoptionDecision").add(
                        child_id=child.person_id,
                        decided=decided,
                        matched=decided + timedelta(days=self.rng.randrange(40, 150)),
                        foster_carer_adoption=self.rng.random() < 0.15,
                        number_of_adopters=self.rng.choice([1, 2, 2, 2]),
                        adopter_sex=self.rng.choice(["MF", "MF", "MF", "FF", "MM", "F1"]),
                        adopter_legal_status=self.rng.choice(["L0", "L12", "L0"]),
                    )
        review = start + timedelta(days=20)
        reviews = self.table("families.Review")
        while review < min(end, self.today):
            reviews.add(
                child_id=child.person_id,
                date=review,
                participation=self.rng.choice(["PN1", "PN1", "PN2", "PN3", "PN0", "PN4"]),
            )
            review += timedelta(days=75 if review == start + timedelta(days=20) else 182)
        if self.rng.random() < 0.1 and (start - child.born).days > 11 * 365:
            for _ in range(self.rng.randrange(1, 5)):
                gone = self.day_in(start, (min(end, self.today) - start).days)
                back = gone + timedelta(days=self.rng.randrange(0, 4))
                self.table("families.MissingEpisode").add(
                    child_id=child.person_id,
                    kind=self.rng.choice(["M", "M", "A"]),
                    start=gone,
                    end=back if back < self.today else None,
                )
        child.in_care_until = end if ended else date.max
        self.care_active.append(child)
        close_reason = {"E11": "RC1", "E12": "RC1", "E41": "RC3", "E45": "RC4", "E46": "RC4"}.get(
            reason, "RC7"
        )
        self.close_cin(child, end + timedelta(days=self.rng.randrange(0, 60)), close_reason)

    def postcode(self, district: str) -> str:
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        unit = f"{self.rng.randrange(1, 9)}{self.rng.choice(letters)}{self.rng.choice(letters)}"
        return f"{district} {unit}"

    def placement(self, day: date, child: Child) -> str:
        age = (day - child.born).days // 365
        if age >= 16 and self.rng.random() < 0.4:
            return self.rng.choice(["H5", "P2"]) if day < date(2023, 10, 1) else "P2"
        return self.rng.choices(
            ["U1", "U3", "U4", "U5", "U6", "K2", "P1", "R1", "S1", "U2"],
            weights=[8, 30, 10, 12, 8, 10, 5, 2, 2, 4],
        )[0]

    # --- the month ---------------------------------------------------------------------------

    def simulate_month(self, month: date) -> None:
        next_month = month_starts(month, date(month.year + 1, 12, 31))[1]
        days = (next_month - month).days
        self.end_cp_plans(next_month)
        self.care_active = [
            c
            for c in self.care_active
            if c.in_care_until is not None and c.in_care_until > next_month
        ]
        if month == START:
            self.initial_stock()
        self.care_applications(month, days)
        # Child protection: enough new plans for the count on the 1st of next month.
        target = round(interpolate(CP_TRAJECTORY, next_month) * self.factor)
        while len(self.cp_active) < target and next_month <= self.today + timedelta(days=31):
            start = self.day_in(month, days)
            if start >= self.today:
                break
            siblings = min(
                target - len(self.cp_active),
                self.rng.choices([1, 2, 3, 4], weights=[45, 30, 17, 8])[0],
            )
            unborn = (
                start + timedelta(days=self.rng.randrange(20, 150))
                if self.rng.random() < 0.05
                else None
            )
            _, _, kids = self.family(
                opened=start - timedelta(days=30),
                children=[self.child_birth(start, 0, 15) for _ in range(siblings)],
                unborn=unborn,
            )
            for child in kids[:siblings]:
                self.start_cp(child, start)
            for child in kids[siblings:]:
                self.open_cin(child, start - timedelta(days=10), "N1")
                self.close_cin(
                    child,
                    unborn + timedelta(days=self.rng.randrange(60, 200)) if unborn else start,
                    "RC7",
                )
        # Children in care: enough new episodes (mostly section 20) for next month's count.
        target = round(interpolate(CIC_TRAJECTORY, next_month) * self.factor)
        while len(self.care_active) < target:
            start = self.day_in(month, days)
            if start >= self.today:
                break
            uasc = self.rng.random() < 0.06
            _, _, kids = self.family(
                opened=start - timedelta(days=self.rng.randrange(10, 120)),
                children=[self.child_birth(start, 15 if uasc else 1, 17 if uasc else 16)],
                adults=0 if uasc else self.rng.choice([1, 2]),
            )
            child = kids[0]
            self.start_care(child, start, legal="V2")
            if uasc:
                self.table("families.UASCPeriod").add(
                    child_id=child.person_id,
                    start=start,
                    end=add_years(child.born, 18)
                    if add_years(child.born, 18) < self.today
                    else None,
                )
        self.short_breaks(month, days)
        self.referrals(month, days)

    def initial_stock(self) -> None:
        """Plans and care episodes already open when the records begin."""
        for _ in range(round(interpolate(CP_TRAJECTORY, START) * self.factor)):
            start = START - timedelta(days=self.rng.randrange(1, 240))
            _, _, kids = self.family(
                opened=start - timedelta(days=40), children=[self.child_birth(start, 0, 15)]
            )
            self.start_cp(kids[0], start)
        for _ in range(round(interpolate(CIC_TRAJECTORY, START) * self.factor)):
            start = START - timedelta(days=self.rng.randrange(1, 900))
            _, _, kids = self.family(
                opened=start - timedelta(days=60), children=[self.child_birth(start, 0, 16)]
            )
            self.start_care(kids[0], start, legal=self.rng.choice(["C2", "C2", "V2"]))

    def care_applications(self, month: date, days: int) -> None:
        """Section 31 applications: this month's share of the quarter's count."""
        year = financial_year(month)
        per_quarter = CARE_APPLICATIONS.get(year, LATER_CARE_APPLICATIONS)
        quarter_month = (month.month - 4) % 3
        count = self.quarter_split(year, month, per_quarter)[quarter_month]
        # Most applications follow a child protection plan of two months or more.
        plans = self.t["families.CPPlan"].rows
        candidates = [
            p for p in self.cp_active if plans[p - 1]["start"] < month - timedelta(days=60)
        ]
        for _ in range(count):
            applied = self.day_in(month, days)
            if applied >= self.today:
                return
            chosen = self.rng.choice(candidates) if candidates else 0
            if chosen in self.cp_active and self.rng.random() < 0.8:
                family_id = self.cp_active[chosen].family_id
                kids = [(self.cp_active[p], p) for p in sorted(self.cp_by_family[family_id])]
            else:
                family_id, _, new = self.family(
                    opened=applied - timedelta(days=self.rng.randrange(20, 90)),
                    children=[
                        self.child_birth(applied, 0, 14) for _ in range(self.rng.choice([1, 1, 2]))
                    ],
                )
                kids = [(c, 0) for c in new]
            proceedings = self.table("families.CareProceedings").add(
                family_id=family_id,
                application_date=applied,
                court=self.rng.choice(names.COURTS),
                orders_sought="Care order",
                outcome="",
                concluded=None,
            )
            concluded = applied + timedelta(days=self.rng.randrange(180, 400))
            row = self.t["families.CareProceedings"].rows[proceedings - 1]
            if concluded < self.today:
                row["concluded"] = concluded
                row["outcome"] = self.rng.choices(
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
            links = self.table("families.CareProceedings_children")
            for child, plan in kids:
                links.add(careproceedings_id=proceedings, person_id=child.person_id)
                if plan:
                    self.cut_cp(child, plan, applied + timedelta(days=1))
                self.start_care(child, applied + timedelta(days=1), legal="C1")

    def quarter_split(self, year: int, month: date, average: int) -> list[int]:
        # Deterministic per year: the same split whichever month asks.
        rng = random.Random(year * 7919 + int(self.factor * 1000))
        total = round(average * 4 * self.factor)
        base = [total // 4] * 4
        for index in rng.sample(range(4), total % 4):
            base[index] += 1
        for _ in range(2):
            a, b = rng.sample(range(4), 2)
            if base[a] > 1:
                base[a] -= 1
                base[b] += 1
        # Spread each quarter across its three months.
        quarter = (month.month - 4) % 12 // 3
        months = [base[quarter] // 3] * 3
        for index in range(base[quarter] % 3):
            months[index] += 1
        return months

    def short_breaks(self, month: date, days: int) -> None:
        """Disabled children on agreed series of short breaks (V3/V4): not "in care" counts."""
        if True:
            for _ in range(round(self.rng.random() * 1.2 * self.factor)):
                start = self.day_in(month, days)
                if start >= self.today:
                    return
                _, _, kids = self.family(
                    opened=start - timedelta(days=90), children=[self.child_birth(start, 5, 15)]
                )
                child = kids[0]
                self.open_cin(child, start - timedelta(days=60), "N2")
                self.authorise_assessment(child, start)
                end = start + timedelta(days=self.rng.randrange(365, 1500))
                self.table("families.CareEpisode").add(
                    child_id=child.person_id,
                    reason_new_episode="S",
                    legal_status="V4",
                    category_of_need="N2",
                    placement="K2",
                    provider="PR1",
                    reason_ceased="E8" if end < self.today else "",
                    reason_place_change="",
                    home_postcode="BN2 4AA",
                    placement_postcode="BN2 9ZZ",
                    urn="SC123456",
                    start=start,
                    end=end if end < self.today else None,
                )
                self.close_cin(child, end, "RC7")

    def referrals(self, month: date, days: int) -> None:
        for _ in range(self.scaled_random(REFERRAL_FAMILIES_A_MONTH)):
            referred = self.day_in(month, days)
            if referred >= self.today:
                return
            count = self.rng.choices([1, 2, 3, 4], weights=[50, 28, 15, 7])[0]
            _, _, kids = self.family(
                opened=referred,
                children=[self.child_birth(referred, 0, 17) for _ in range(count)],
                adults=self.rng.choice([1, 2, 2]),
            )
            outcome = self.rng.random()
            need = self.rng.choices(
                ["N1", "N2", "N3", "N4", "N5", "N6", "N8"], weights=[45, 6, 8, 15, 16, 5, 5]
            )[0]
            for child in kids:
                self.open_cin(child, referred, need)
                if outcome < 0.25:
                    row = self.t["families.CINEpisode"].rows[child.episode_id - 1]
                    row["no_further_action"] = True
                    self.close_cin(
                        child, referred + timedelta(days=self.rng.randrange(1, 10)), "RC8"
                    )
                elif outcome < 0.7:
                    closes = referred + timedelta(days=self.rng.randrange(20, 60))
                    self.authorise_assessment(child, closes)
                    self.close_cin(child, closes, self.rng.choice(["RC8", "RC8", "RC9"]))
                else:
                    planned = referred + timedelta(days=self.rng.randrange(25, 45))
                    self.authorise_assessment(child, planned)
                    closes = planned + timedelta(days=self.lognormal_days(230, 0.6))
                    if planned < self.today:
                        self.table("families.CINPlan").add(
                            episode_id=child.episode_id,
                            start=planned,
                            end=closes if closes < self.today else None,
                        )
                    self.close_cin(child, closes, "RC7")

    def scaled_random(self, average: float) -> int:
        mean = average * self.factor
        return max(0, int(mean + self.rng.uniform(-0.15, 0.15) * mean + 0.5))

    # --- allocations -------------------------------------------------------------------------

    def allocate(self, child: Child) -> None:
        """The child's social workers from referral to the end of their involvement."""
        first = (
            self.t["families.CINEpisode"].rows[child.episode_id - 1]["start"]
            if child.episode_id
            else None
        )
        if first is None or first >= self.today:
            return
        last = child.cin_end or self.today
        day = first
        previous: Member | None = None
        allocations = self.table("families.Allocation")
        reason = "FCONTA"
        while day < last:
            choices = [
                w for w in self.workers(child.pod, day) if w is not previous
            ] or self.workers(child.pod, day)
            if not choices:
                day += timedelta(days=7)  # a pod briefly without a worker in post
                continue
            worker = self.rng.choice(choices)
            mean_stay = 120 if day < MODEL_STARTED else 480
            stay = max(14, int(self.rng.expovariate(1 / mean_stay)))
            until = day + timedelta(days=stay)
            leaves = worker.end if worker.end and worker.end < until else None
            until = min(until, leaves or until, last)
            allocations.add(
                child_id=child.person_id,
                worker_id=worker.staff_id,
                pod_id=child.pod,
                change_reason=reason,
                start=day,
                end=until if until < self.today else None,
            )
            if until >= last:
                break
            if leaves:
                reason = "LEFTRL"
            elif day < MODEL_STARTED <= until + timedelta(days=30):
                reason = "ORGRST"  # the move to pods in October 2015
            else:
                reason = self.rng.choices(
                    ["MANAGE", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "OTHERS"],
                    weights=[40, 25, 15, 5, 5, 10],
                )[0]
            previous = worker
            day = until

    # --- finish ------------------------------------------------------------------------------

    def close_families(self) -> None:
        """A family closes when the last of its children's involvement ends."""
        latest: dict[int, date | None] = {}
        for row in self.t["families.CINEpisode"].rows:
            fam = row["family_id"]
            end = row["end"]
            if fam in latest and latest[fam] is None:
                continue
            latest[fam] = None if end is None else max(end, latest.get(fam) or end)
        for family in self.t["families.Family"].rows:
            closed = latest.get(family["id"])
            if family["id"] in latest and closed is not None:
                family["closed"] = max(closed, family["opened"])
        # Restricted families are named to their pod manager and their children's workers.
        workers: dict[int, set[int]] = defaultdict(set)
        family_of = {c.person_id: c.family_id for c in self.children}
        staff_user = {row["id"]: row["user_id"] for row in self.t["pods.Staff"].rows}
        for allocation in self.t["families.Allocation"].rows:
            workers[family_of[allocation["child_id"]]].add(staff_user[allocation["worker_id"]])
        named = self.table("families.Family_restricted_to")
        for family in self.t["families.Family"].rows:
            if not family["restricted"]:
                continue
            managers = {
                m.user_id
                for m in self.pod_members[family["pod_id"]]
                if m.role == "pod_manager" and m.in_post(self.today)
            }
            for user_id in sorted(workers[family["id"]] | managers):
                named.add(family_id=family["id"], user_id=user_id)
        # Cancelled CIN plans (a child came into care instead) are dropped.
        plans = self.t["families.CINPlan"]
        plans.rows = [r for r in plans.rows if r["start"] is not None]
        for index, row in enumerate(plans.rows, start=1):
            row["id"] = index
