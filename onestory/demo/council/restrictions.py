"""Restrictions: a restricted family is named to its pod manager today and to every worker its
children have had."""

from __future__ import annotations

from collections import defaultdict

from onestory.demo.council.state import Simulation


def restrict_families(sim: Simulation) -> None:
    """Restricted families are named to their pod manager and their children's workers."""
    workers: dict[int, set[int]] = defaultdict(set)
    family_of = {c.person_id: c.family_id for c in sim.cases.children}
    staff_user = {row["id"]: row["user_id"] for row in sim.tables["pods.Staff"].rows}
    for allocation in sim.tables["families.Allocation"].rows:
        workers[family_of[allocation["child_id"]]].add(staff_user[allocation["worker_id"]])
    named = sim.table("families.Family_restricted_to")
    for family in sim.tables["families.Family"].rows:
        if not family["restricted"]:
            continue
        managers = {
            m.user_id
            for m in sim.workforce.pod_members[family["pod_id"]]
            if m.role == "pod_manager" and m.in_post(sim.today)
        }
        for user_id in sorted(workers[family["id"]] | managers):
            named.add(family_id=family["id"], user_id=user_id)
