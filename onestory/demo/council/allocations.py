"""Allocations and worker changes: each family's social worker from referral to the end of
their involvement, and why each change happened.

Brothers and sisters share one worker (the model holds the family, not each child): the
family's chain of workers is drawn once and each child is allocated the part of it while
their own involvement is open. The one recorded reason they part is a child asking for a
different worker (SW_REASON "CHCHAN", on that child's allocation): from then on that child
has a chain of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from onestory.demo.council.calibration import MODEL_STARTED
from onestory.demo.council.staff import workers
from onestory.demo.council.state import Child, Member, Simulation

# The demo social worker's share of new allocations in their pod, against 1 for each
# colleague, in the small council (each of its pods holds a tenth of the default's cases):
# enough children that their home and lists have something real in them. At the default
# scale and above an even share is already a full caseload.
SMALL_DEMO_WORKER_WEIGHT = 3


@dataclass
class Stint:
    """A stretch of one worker's time with a family (or a child), and why it began."""

    worker: Member
    start: date
    until: date
    reason: str


def allocate_families(sim: Simulation, demo_worker_user: int | None = None) -> None:
    """Every child's allocations, family by family, in the order the families opened."""
    families: dict[int, list[Child]] = defaultdict(list)
    for child in sim.cases.children:
        families[child.family_id].append(child)
    for children in families.values():
        allocate_family(sim, children, demo_worker_user)


def involvement(sim: Simulation, child: Child) -> tuple[date, date] | None:
    """The child's involvement to allocate: from their referral to its end (or today)."""
    if not child.episode_id:
        return None
    first = sim.tables["families.CINEpisode"].rows[child.episode_id - 1]["start"]
    if first is None or first >= sim.today:
        return None
    last = child.cin_end or sim.today
    return (first, last) if first < last else None


def allocate_family(sim: Simulation, children: list[Child], demo_worker_user: int | None) -> None:
    windows = {c.person_id: w for c in children if (w := involvement(sim, c)) is not None}
    if not windows:
        return
    pod = children[0].pod
    first = min(w[0] for w in windows.values())
    last = max(w[1] for w in windows.values())
    stints: list[Stint] = []
    split: dict[int, Stint] = {}  # child -> the first stint of their own chain
    for stint in chain(sim, pod, first, last, demo_worker_user):
        open_now = [pid for pid, (a, b) in windows.items() if a <= stint.start < b]
        keeps = stints[-1].worker if stints else None
        stays = keeps is not None and (keeps.end is None or keeps.end >= stint.until)
        if stint.reason == "CHCHAN" and keeps is not None and stays and len(open_now) > 1:
            # One child asked for a new worker; the others stay with theirs.
            asker = sim.rng.choice(open_now)
            if asker not in split:
                split[asker] = stint
            stints.append(Stint(keeps, stint.start, stint.until, stints[-1].reason))
            continue
        stints.append(stint)
    for child in children:
        window = windows.get(child.person_id)
        if window is None:
            continue
        own = split.get(child.person_id)
        mine = [s for s in stints if own is None or s.start < own.start]
        if own is not None:
            mine[-1] = Stint(mine[-1].worker, mine[-1].start, own.start, mine[-1].reason)
            mine += list(chain(sim, pod, own.start, window[1], demo_worker_user, first=own))
        add_allocations(sim, child, window, mine)


def add_allocations(
    sim: Simulation, child: Child, window: tuple[date, date], stints: list[Stint]
) -> None:
    """The child's part of the stints, joining a worker's consecutive stints into one."""
    start, last = window
    rows: list[dict[str, object]] = []
    for stint in stints:
        begins, ends = max(stint.start, start), min(stint.until, last)
        if begins >= ends:
            continue
        if rows and rows[-1]["worker_id"] == stint.worker.staff_id and rows[-1]["end"] == begins:
            rows[-1]["end"] = ends
            continue
        rows.append(
            {
                "child_id": child.person_id,
                "worker_id": stint.worker.staff_id,
                "pod_id": child.pod,
                "change_reason": stint.reason if rows else "FCONTA",
                "start": begins,
                "end": ends,
            }
        )
    table = sim.table("families.Allocation")
    for row in rows:
        if row["end"] >= sim.today:  # type: ignore[operator]
            row["end"] = None
        table.add(**row)


def chain(
    sim: Simulation,
    pod: int,
    day: date,
    last: date,
    demo_worker_user: int | None,
    first: Stint | None = None,
) -> Iterator[Stint]:
    """The workers one after another from `day` to `last`, each with why they took over.
    `first`: the opening stint, already chosen."""
    previous: Member | None = None
    reason = "FCONTA"
    if first is not None:
        yield first
        previous, day = first.worker, first.until
        if day >= last:
            return
        reason = next_reason(sim, first.worker, first.start, first.until)
    while day < last:
        in_post = workers(sim, pod, day)
        choices = [w for w in in_post if w is not previous] or in_post
        if not choices:
            day += timedelta(days=7)  # a pod briefly without a worker in post
            continue
        favour = SMALL_DEMO_WORKER_WEIGHT if sim.factor < 1 else 1
        weights = [favour if w.user_id == demo_worker_user else 1 for w in choices]
        worker = sim.rng.choices(choices, weights=weights)[0]
        mean_stay = 120 if day < MODEL_STARTED else 480
        stay = max(14, int(sim.rng.expovariate(1 / mean_stay)))
        until = day + timedelta(days=stay)
        leaves = worker.end if worker.end and worker.end < until else None
        until = min(until, leaves or until, last)
        yield Stint(worker, day, until, reason)
        if until >= last:
            return
        reason = next_reason(sim, worker, day, until)
        previous = worker
        day = until


def next_reason(sim: Simulation, worker: Member, day: date, until: date) -> str:
    """Why the next worker takes over from `worker`, whose stint ran from `day` to `until`."""
    if worker.end is not None and worker.end <= until:
        return "LEFTRL"
    if day < MODEL_STARTED <= until + timedelta(days=30):
        return "ORGRST"  # the move to pods in October 2015
    return sim.rng.choices(
        ["MANAGE", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "OTHERS"],
        weights=[40, 25, 15, 5, 5, 10],
    )[0]
