"""Staff and pods over time: each pod's posts, and the chain of people who held each post
since before the records begin, agency workers among them until September 2017."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from onestory.demo import names
from onestory.demo.council.calibration import NO_AGENCY_FROM, START
from onestory.demo.council.demo_posts import (
    DEMO_POSTS_FROM,
    SERVICE_POSTS,
    SERVICE_POSTS_FROM,
    demo_holder,
)
from onestory.demo.council.state import DemoUser, Member, Simulation


def build_staff(sim: Simulation, demo_users: dict[str, DemoUser]) -> None:
    """The pods and their staff, then the service-wide demo accounts."""
    pods = sim.pods
    pod_names = list(names.POD_NAMES)
    for index in range(pods):
        name = (
            pod_names[index]
            if index < len(pod_names)
            else f"{pod_names[index % 30]} {index // 30 + 1}"
        )
        pod_id = sim.table("pods.Pod").add(
            name=f"Pod {name}", formed=date(2013, 4, 1), disbanded=None
        )
        sim.workforce.pod_ids.append(pod_id)
        seen: dict[str, int] = defaultdict(int)
        for role, fte in pod_posts(sim):
            number = seen[role]
            seen[role] += 1
            demo = demo_holder(index, role, number)
            fill_position(sim, pod_id, role, fte, demo=demo, demo_users=demo_users)
    for username, role in SERVICE_POSTS:
        if username in demo_users:
            add_staff(
                sim,
                role,
                Decimal("1.00"),
                "permanent",
                SERVICE_POSTS_FROM,
                None,
                demo_users[username],
            )


def pod_posts(sim: Simulation) -> list[tuple[str, Decimal]]:
    """One pod's posts: (role, FTE)."""
    positions = [
        ("pod_manager", Decimal("1.00")),
        ("senior_social_worker", Decimal("1.00")),
        ("senior_social_worker", sim.rng.choice([Decimal("1.00"), Decimal("0.80")])),
        *[
            (
                "social_worker",
                sim.rng.choice([Decimal("1.00")] * 3 + [Decimal("0.80"), Decimal("0.60")]),
            )
            for _ in range(5)
        ],
        ("social_worker_in_training", Decimal("1.00")),
        ("business_support", Decimal("1.00")),
    ]
    # Realistic drift: some pods run a sixth social worker or a second trainee,
    # and one in six has no trainee for a while.
    if sim.rng.random() < 0.2:
        positions.append(("social_worker", Decimal("0.60")))
    if sim.rng.random() < 0.3:
        positions.append(("social_worker_in_training", Decimal("1.00")))
    return positions


def fill_position(
    sim: Simulation,
    pod_id: int,
    role: str,
    fte: Decimal,
    *,
    demo: str | None,
    demo_users: dict[str, DemoUser],
) -> None:
    """The chain of people who held one post in a pod, with gaps while it was vacant."""
    day = START - timedelta(days=sim.rng.randrange(60, 2500))
    casework = role in {"social_worker", "senior_social_worker"}
    while day < sim.today:
        agency = casework and day < NO_AGENCY_FROM - timedelta(days=120) and sim.rng.random() < 0.25
        tenure = sim.lognormal_days(240 if agency else 1400, 0.6)
        if role == "social_worker_in_training":
            tenure = sim.lognormal_days(500, 0.3)  # a student placement or the ASYE year
        end: date | None = day + timedelta(days=tenure)
        if agency:
            end = min(end, NO_AGENCY_FROM - timedelta(days=sim.rng.randrange(1, 60)))  # type: ignore[type-var]
        last = end is None or end >= sim.today
        if demo and last:
            start = max(day, DEMO_POSTS_FROM)
            place(sim, pod_id, role, fte, "permanent", start, None, demo_users.get(demo))
            return
        place(
            sim,
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
        day = end + timedelta(days=sim.rng.choice([0, 0, 7, 21, 45, 90]))
        if demo and day >= sim.today:
            # The gap after the last holder runs past today, but the demo account must
            # hold its post today: it starts when the last holder left.
            start = max(end, DEMO_POSTS_FROM)
            place(sim, pod_id, role, fte, "permanent", start, None, demo_users.get(demo))
            return


def place(
    sim: Simulation,
    pod_id: int,
    role: str,
    fte: Decimal,
    contract: str,
    start: date,
    end: date | None,
    demo: DemoUser | None,
) -> None:
    staff_id = add_staff(sim, role, fte, contract, start, end, demo)
    sim.table("pods.PodMembership").add(
        staff_id=staff_id, pod_id=pod_id, role=role, fte=fte, start=start, end=end
    )
    staff_row = sim.tables["pods.Staff"].rows[staff_id - 1]
    sim.workforce.pod_members[pod_id].append(
        Member(staff_id, staff_row["user_id"], role, start, end)
    )


def add_staff(
    sim: Simulation,
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
    staff = sim.table("pods.Staff")
    staff_id = len(staff.rows) + 1
    if demo is None:
        first, last = sim.rng.choice(names.STAFF_FIRST_NAMES), sim.rng.choice(names.SURNAMES)
        user_id = sim.tables["accounts.User"].add(
            username=f"{first}.{last}.{staff_id}".lower(),
            first_name=first,
            last_name=last,
            email=f"{first}.{last}.{staff_id}@demo.invalid".lower(),
            role=role,
            is_active=end is None or end > sim.today,
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


def workers(sim: Simulation, pod_id: int, day: date) -> list[Member]:
    return [
        m
        for m in sim.workforce.pod_members[pod_id]
        if m.in_post(day)
        and m.role in {"social_worker", "senior_social_worker", "social_worker_in_training"}
    ]
