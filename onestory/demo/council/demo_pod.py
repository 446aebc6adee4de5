"""The demo pod's week: a review due this week for one of the demo social worker's children,
so their home has one to show whatever day the demo is made for. (Their visits due and
overdue, drafts and the assessment waiting for sign-off are in the story:
`onestory/demo/stories.py`.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from onestory.demo.council.state import Simulation, Table

# Short breaks are not "in care", and have no reviews of their own in the visiting standards.
SHORT_BREAKS = ("V3", "V4")
# onestory/stories/visiting.py: care_second_review_days, care_later_reviews_days.
CARE_SECOND_REVIEW = 91
CARE_LATER_REVIEWS = 182
DUE_IN = 3  # days from today


def review_due_this_week(sim: Simulation, demo_worker_user: int | None) -> None:
    """Moves the latest review of one of the demo worker's children in care so the next falls
    due in three days: three months after the first review of their current episode, six
    months after a later one. The review moved stays after the one before it and after the
    episode began. Does nothing when one is due this week already, or no review can move."""
    if demo_worker_user is None:
        return
    today = sim.today
    staff = {r["id"] for r in sim.tables["pods.Staff"].rows if r["user_id"] == demo_worker_user}
    children = sorted(
        r["child_id"]
        for r in sim.tables["families.Allocation"].rows
        if r["end"] is None and r["worker_id"] in staff
    )
    if not children:
        return
    wanted = set(children)
    episodes = {
        r["child_id"]: r["start"]
        for r in sim.tables.get("families.CareEpisode", Table("none")).rows
        if r["child_id"] in wanted and r["end"] is None and r["legal_status"] not in SHORT_BREAKS
    }
    reviews: dict[int, list[dict[str, Any]]] = {}
    for row in sim.tables.get("families.Review", Table("none")).rows:
        since = episodes.get(row["child_id"])
        if since is not None and row["date"] >= since:
            reviews.setdefault(row["child_id"], []).append(row)
    held = [(episodes[c], sorted(r, key=lambda r: r["date"])) for c, r in sorted(reviews.items())]

    def gap(rows: list[dict[str, Any]]) -> timedelta:
        return timedelta(days=CARE_SECOND_REVIEW if len(rows) == 1 else CARE_LATER_REVIEWS)

    week = today + timedelta(days=7)
    if any(today <= rows[-1]["date"] + gap(rows) < week for _, rows in held):
        return  # one is due this week already
    for since, rows in held:
        new_date = today + timedelta(days=DUE_IN) - gap(rows)
        after = rows[-2]["date"] if len(rows) > 1 else since
        if after < new_date < today:
            rows[-1]["date"] = new_date
            return
