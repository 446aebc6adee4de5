"""Drawing a cycle's sample: a random sample of open children, stratified by pod and status.

A child is open on the draw day when a CIN episode, a child protection plan or a care episode is
open on it (onestory.lib.periods: start <= day < end). Their status is the most serious of
these: in care, then a CP plan, then child in need; short breaks (legal status V3, V4) do not
make a child "in care", as the DfE counts. Their pod is their family's pod. Left out: children
sampled by a cycle that began in the 6 months before the draw day (they were audited, or are
being), children in a restricted family (an auditor could not be given access to it: the
need-to-know table opens a restricted family only to those named on it), and closed families.

Each pod's sample is shared between its statuses in proportion to its eligible children
(largest remainders, ties to the more serious status), and each stratum is drawn with its own
`random.Random` seeded from the cycle's seed, the pod and the status, from the children in a
fixed order (by id). So the same seed, day and records draw the same sample, and a change in
one pod does not reshuffle another.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q

from onestory.audits.models import SampledChild, SampleStatus
from onestory.families.models import CareEpisode, CINEpisode, CPPlan, FamilyMember, MemberRole
from onestory.pods.models import Pod

RECENTLY_AUDITED_MONTHS = 6
SHORT_BREAKS = ("V3", "V4")
# Most serious first: the order a child's status is decided in, and ties are broken in.
STATUS_ORDER = (SampleStatus.IN_CARE, SampleStatus.CP, SampleStatus.CIN)


def months_before(day: date, months: int) -> date:
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    # The same day of the month, or the month's last day when it has fewer days.
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Candidate:
    child_id: int
    family_id: int
    pod_id: int
    status: SampleStatus


@dataclass
class Stratum:
    pod_id: int
    pod_name: str
    status: SampleStatus
    eligible: int = 0
    drawn: list[Candidate] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return SampleStatus(self.status).label


@dataclass
class Plan:
    """The sample a seed draws on a day, stratum by stratum, before anything is written."""

    day: date
    seed: int
    per_pod: int
    strata: list[Stratum]
    short_pods: list[tuple[str, int]]  # pods with fewer eligible children than the sample size

    @property
    def drawn(self) -> list[Candidate]:
        return [c for s in self.strata for c in s.drawn]


Span = tuple[date, date | None]


def _open(spans: list[Span], day: date) -> bool:
    return any(start <= day and (end is None or end > day) for start, end in spans)


@dataclass
class Records:
    """The periods the draw reads, by child: episodes and plans, and the child's memberships of
    families that may be sampled (not restricted), with the family's and the pod's dates.
    Loaded for one day (`load_records(day)`, what the service does) or for every day at once
    (the demo history, which draws forty cycles from one read)."""

    cin: dict[int, list[Span]] = field(default_factory=lambda: defaultdict(list))
    cp: dict[int, list[Span]] = field(default_factory=lambda: defaultdict(list))
    care: dict[int, list[Span]] = field(default_factory=lambda: defaultdict(list))
    # (child, family, pod, start, end, family opened, family closed, pod disbanded)
    members: list[tuple[int, int, int, date, date | None, date, date | None, date | None]] = field(
        default_factory=list
    )


def load_records(day: date | None = None) -> Records:
    """Four queries, each an index or a scan of one table with what is open on `day` (or
    everything, when `day` is None)."""

    def on(queryset: Any) -> Any:
        return queryset.open_on(day) if day is not None else queryset

    records = Records()
    for child, start, end in on(CINEpisode.objects).values_list("child_id", "start", "end"):
        records.cin[child].append((start, end))
    for child, start, end in on(CPPlan.objects).values_list("child_id", "start", "end"):
        records.cp[child].append((start, end))
    care = on(CareEpisode.objects).exclude(legal_status__in=SHORT_BREAKS)
    for child, start, end in care.values_list("child_id", "start", "end"):
        records.care[child].append((start, end))
    members = on(FamilyMember.objects).filter(role=MemberRole.CHILD, family__restricted=False)
    if day is not None:
        members = members.filter(Q(family__closed__isnull=True) | Q(family__closed__gt=day))
    records.members = list(
        members.order_by("person_id", "family_id").values_list(
            "person_id",
            "family_id",
            "family__pod_id",
            "start",
            "end",
            "family__opened",
            "family__closed",
            "family__pod__disbanded",
        )
    )
    return records


def _status(records: Records, child: int, day: date) -> SampleStatus | None:
    if _open(records.care.get(child, []), day):
        return SampleStatus.IN_CARE
    if _open(records.cp.get(child, []), day):
        return SampleStatus.CP
    if _open(records.cin.get(child, []), day):
        return SampleStatus.CIN
    return None


def eligible_on_days(records: Records, days: list[date]) -> dict[date, list[Candidate]]:
    """Open children on each of `days` who may be sampled, before leaving out the recently
    audited: one pass over the memberships, each looked at only on the days it is open."""
    days = sorted(days)
    found: dict[date, dict[int, Candidate]] = {day: {} for day in days}
    for child, family, pod, start, end, opened, closed, disbanded in records.members:
        ends = [d for d in (end, closed, disbanded) if d is not None]
        first = bisect_left(days, max(start, opened))
        last = bisect_left(days, min(ends)) if ends else len(days)
        for day in days[first:last]:
            if child in found[day]:  # in two families at once: the first (lowest id) holds
                continue
            if (status := _status(records, child, day)) is not None:
                found[day][child] = Candidate(child, family, pod, status)
    return {day: list(by_child.values()) for day, by_child in found.items()}


def eligible_from(records: Records, day: date, recent: set[int]) -> list[Candidate]:
    """Open children on `day` who may be sampled (see the module's docstring), leaving out
    those in `recent` (sampled by a cycle that began in the 6 months before `day`)."""
    return [c for c in eligible_on_days(records, [day])[day] if c.child_id not in recent]


def recently_sampled(day: date) -> set[int]:
    return set(
        SampledChild.objects.filter(
            cycle__starts__gt=months_before(day, RECENTLY_AUDITED_MONTHS), cycle__starts__lte=day
        ).values_list("child_id", flat=True)
    )


def eligible_children(day: date) -> list[Candidate]:
    """Open children on `day` who may be sampled, in five queries."""
    return eligible_from(load_records(day), day, recently_sampled(day))


def shares(size: int, counts: dict[SampleStatus, int]) -> dict[SampleStatus, int]:
    """`size` shared in proportion to `counts` by largest remainders: the shares add up to
    `size` (when there are that many), and no share exceeds its count."""
    total = sum(counts.values())
    size = min(size, total)
    if total == 0:
        return {status: 0 for status in counts}
    exact = {status: size * n / total for status, n in counts.items()}
    given = {status: math.floor(x) for status, x in exact.items()}
    left = size - sum(given.values())
    by_remainder = sorted(counts, key=lambda s: (-(exact[s] - given[s]), STATUS_ORDER.index(s)))
    for status in by_remainder:
        if left == 0:
            break
        if given[status] < counts[status]:
            given[status] += 1
            left -= 1
    return given


def plan_sample(*, day: date, seed: int, per_pod: int) -> Plan:
    """The sample `seed` draws on `day`: the same arguments and records give the same plan."""
    names = dict(Pod.objects.values_list("pk", "name"))
    return draw(eligible_children(day), day=day, seed=seed, per_pod=per_pod, names=names)


def draw(
    candidates: list[Candidate], *, day: date, seed: int, per_pod: int, names: dict[int, str]
) -> Plan:
    """The stratified draw from the children who may be sampled: no query."""
    by_stratum: dict[tuple[int, SampleStatus], list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_stratum[(candidate.pod_id, candidate.status)].append(candidate)
    pod_ids = sorted({pod for pod, _ in by_stratum})
    strata: list[Stratum] = []
    short: list[tuple[str, int]] = []
    for pod in pod_ids:
        counts = {status: len(by_stratum.get((pod, status), [])) for status in STATUS_ORDER}
        if sum(counts.values()) < per_pod:
            short.append((names[pod], sum(counts.values())))
        for status, n in shares(per_pod, counts).items():
            people = sorted(by_stratum.get((pod, status), []), key=lambda c: c.child_id)
            rng = random.Random(f"{seed}:{pod}:{status}")  # noqa: S311 (reproducible, not secret)
            strata.append(
                Stratum(
                    pod_id=pod,
                    pod_name=names[pod],
                    status=status,
                    eligible=len(people),
                    drawn=sorted(rng.sample(people, n), key=lambda c: c.child_id),
                )
            )
    return Plan(day=day, seed=seed, per_pod=per_pod, strata=strata, short_pods=short)


def to_moderate(count: int, share: int, seed: int) -> set[int]:
    """Which of `count` audits (by their place in the sample) a quality lead moderates: the
    cycle's share, rounded up, at least one, chosen with the cycle's seed."""
    if count == 0:
        return set()
    wanted = min(count, max(1, math.ceil(count * share / 100)))
    chosen = random.Random(f"{seed}:moderation")  # noqa: S311 (reproducible, not secret)
    return set(chosen.sample(range(count), wanted))
