"""The demo council's front-line accounts hold their posts in Pod Harbour on the demo's day,
whatever that day is, so the pod manager can try the pod pages."""

from __future__ import annotations

from datetime import date, timedelta

from onestory.demo.accounts import DEMO_ACCOUNTS
from onestory.demo.council import DEMO_POSITIONS, Council, DemoUser, Table

DEMO = {
    username: DemoUser(index + 1, first, last)
    for index, (username, _, first, last) in enumerate(DEMO_ACCOUNTS)
}


def placed_on(today: date) -> set[str]:
    council = Council(scale="small", seed=2015, today=today)
    council.t["accounts.User"] = Table("accounts.User", first_id=100)
    council.build_staff(DEMO)
    staff_of = {row["id"]: row["user_id"] for row in council.t["pods.Staff"].rows}
    in_post = {
        staff_of[row["staff_id"]]
        for row in council.t["pods.PodMembership"].rows
        if row["start"] <= today and (row["end"] is None or row["end"] > today)
    }
    return {username for username, user in DEMO.items() if user.id in in_post}


def test_every_demo_position_is_held_on_the_demos_day() -> None:
    # 26 November 2026 is a day on which the gap after the last pod manager ran past today,
    # and the demo pod manager was left without a post.
    days = [date(2026, 11, 26), *(date(2024, 1, 1) + timedelta(days=n) for n in range(0, 1500, 97))]
    for today in days:
        assert placed_on(today) >= set(DEMO_POSITIONS), today
