"""Allocations and worker changes: each child's social workers from referral to the end of
their involvement, and why each change happened."""

from __future__ import annotations

from datetime import timedelta

from onestory.demo.council.calibration import MODEL_STARTED
from onestory.demo.council.staff import workers
from onestory.demo.council.state import Child, Member, Simulation


def allocate(sim: Simulation, child: Child) -> None:
    """The child's social workers from referral to the end of their involvement."""
    first = (
        sim.tables["families.CINEpisode"].rows[child.episode_id - 1]["start"]
        if child.episode_id
        else None
    )
    if first is None or first >= sim.today:
        return
    last = child.cin_end or sim.today
    day = first
    previous: Member | None = None
    allocations = sim.table("families.Allocation")
    reason = "FCONTA"
    while day < last:
        choices = [w for w in workers(sim, child.pod, day) if w is not previous] or workers(
            sim, child.pod, day
        )
        if not choices:
            day += timedelta(days=7)  # a pod briefly without a worker in post
            continue
        worker = sim.rng.choice(choices)
        mean_stay = 120 if day < MODEL_STARTED else 480
        stay = max(14, int(sim.rng.expovariate(1 / mean_stay)))
        until = day + timedelta(days=stay)
        leaves = worker.end if worker.end and worker.end < until else None
        until = min(until, leaves or until, last)
        allocations.add(
            child_id=child.person_id,
            worker_id=worker.staff_id,
            pod_id=child.pod,
            change_reason=reason,
            start=day,
            end=until if until < sim.today else None,
        )
        if until >= last:
            break
        if leaves:
            reason = "LEFTRL"
        elif day < MODEL_STARTED <= until + timedelta(days=30):
            reason = "ORGRST"  # the move to pods in October 2015
        else:
            reason = sim.rng.choices(
                ["MANAGE", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "OTHERS"],
                weights=[40, 25, 15, 5, 5, 10],
            )[0]
        previous = worker
        day = until
