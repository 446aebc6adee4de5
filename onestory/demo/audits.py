"""The demo council's history of practitioner-led audit: written after the records are loaded.

A cycle every quarter from January 2016 to the quarter of `today` (still open), each drawn from
the records as they stood (onestory/audits/sampling.py, the same draw the service makes), two
children a pod. Grades improve over the years, with pods a little better or worse than each
other; a quality lead moderates a fifth of each cycle, agreeing most of the time and otherwise
a step apart, more often a step harsher; themes follow what the service was learning; actions
are mostly done on time, more so in later years. From 2020 the council audits an eighth domain
(the family's network), so later cycles keep eight domains and earlier ones seven.

Deterministic (`random.Random` from the seed, every query ordered) and written with bulk_create.
The records are read once (sampling.load_records) and each cycle drawn from them in Python with
the service's own rules and draw; two small look-ups a cycle (workers, auditors).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from onestory.accounts.models import Role, User
from onestory.audits.cycles import access_reason
from onestory.audits.models import (
    DEFAULT_DOMAINS,
    Assignment,
    Audit,
    AuditAction,
    AuditStatus,
    Cycle,
    CycleDomain,
    CycleStatus,
    Domain,
    DomainGrade,
    ModeratedGrade,
    Moderation,
    Period,
    SampledChild,
    Stratum,
    Theme,
)
from onestory.audits.sampling import (
    RECENTLY_AUDITED_MONTHS,
    Candidate,
    draw,
    eligible_on_days,
    load_records,
    months_before,
    to_moderate,
)
from onestory.families.models import Allocation, AuditAccess
from onestory.pods.models import Pod, PodMembership, PodRole

FIRST_CYCLE = date(2016, 1, 1)
PER_POD = 2
NETWORK = ("Working with the family's network", "Family, friends and community around the child.")
NETWORK_FROM = 2020
# Themes and the years they were most found in.
THEMES = [
    ("The child's voice in the record", 2016, 2018),
    ("Drift in child in need plans", 2016, 2019),
    ("Management oversight recorded", 2016, 2020),
    ("Neglect and its impact over time", 2017, 2022),
    ("Fathers and male carers", 2018, 2024),
    ("Contextual safeguarding", 2019, 2026),
    ("Writing to the family", 2020, 2026),
    ("Life story work", 2021, 2026),
    ("Sibling relationships", 2022, 2026),
]
ACTIONS = [
    "Update the plan with the family, in their words",
    "See the child alone and record what they say",
    "Write a case summary record with reflection and analysis",
    "Talk to the school about the child's attendance",
    "Arrange life story work",
    "Record the manager's decision and its reasons",
    "Invite the child's father to the next review",
]
AUDITING_POD_ROLES = (PodRole.SOCIAL_WORKER, PodRole.SENIOR_SOCIAL_WORKER, PodRole.POD_MANAGER)


def _quarters(today: date) -> list[date]:
    starts, day = [], FIRST_CYCLE
    while day <= today:
        starts.append(day)
        month = day.month + 3
        day = date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return starts


def _at(day: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9 + rng.randrange(8), rng.randrange(60))))


def _grade(mean: float, rng: random.Random) -> int:
    return min(4, max(1, round(rng.gauss(mean, 0.6))))


def seed(*, seed: int, today: date, scale: str, say: Callable[[str], None]) -> dict[str, int]:
    """Writes the history; returns the number of rows written per model label."""
    rng = random.Random(f"{seed}:audits")
    lead = (
        User.objects.filter(role=Role.QUALITY_LEAD, is_active=True)
        .order_by("-is_demo", "pk")
        .first()
    )
    if lead is None:
        return {}
    Domain.objects.bulk_create(
        [
            *(
                Domain(name=name, description=text, position=i)
                for i, (name, text) in enumerate(DEFAULT_DOMAINS, start=1)
            ),
            Domain(name=NETWORK[0], description=NETWORK[1], position=len(DEFAULT_DOMAINS) + 1),
        ]
    )
    themes = Theme.objects.bulk_create(Theme(name=name) for name, _, _ in THEMES)
    rows: dict[str, list[Any]] = {label: [] for label in LABELS}
    pod_effect: dict[int, float] = {}
    finished: list[Drafted] = []
    quarters = _quarters(today)
    days = [_draw_day(starts, today) for starts in quarters]
    history = History(
        eligible=eligible_on_days(load_records(), days),
        names=dict(Pod.objects.values_list("pk", "name")),
        sampled={},
        access_cycle={},
    )
    for starts in quarters:
        _one_cycle(starts, today, lead, themes, rng, rows, pod_effect, finished, history)
    _write(rows, history)
    _themes(rows, themes, rng, finished)
    say(f"Audits: {len(rows['audits.Cycle'])} cycles, {len(rows['audits.Audit'])} audits")
    return {label: len(found) for label, found in rows.items() if found}


LABELS = [
    "audits.Cycle",
    "audits.CycleDomain",
    "audits.Stratum",
    "audits.SampledChild",
    "audits.Assignment",
    "audits.Audit",
    "audits.DomainGrade",
    "audits.Moderation",
    "audits.ModeratedGrade",
    "audits.AuditAction",
    "audits.AuditThemes",
    "families.AuditAccess",
]


def _one_cycle(
    starts: date,
    today: date,
    lead: User,
    themes: list[Theme],
    rng: random.Random,
    rows: dict[str, list[Any]],
    pod_effect: dict[int, float],
    finished_audits: list[Drafted],
    history: History,
) -> None:
    drawn_on = _draw_day(starts, today)
    cycle_seed = rng.randrange(2**31)
    current = starts <= today < _quarter_after(starts)
    ends = _quarter_after(starts) - timedelta(days=1)
    theme = rng.choice(
        [t for t, (_, a, b) in zip(themes, THEMES, strict=True) if a <= starts.year <= b]
    )
    cycle = Cycle(
        period=Period.QUARTER,
        starts=starts,
        theme=theme if rng.random() < 0.6 else None,
        sample_per_pod=PER_POD,
        seed=cycle_seed,
        drawn_on=drawn_on,
        status=CycleStatus.OPEN if current else CycleStatus.CLOSED,
        opened_by=lead,
        opened_at=_at(starts, rng),
        closed_at=None if current else _at(ends + timedelta(days=14), rng),
    )
    rows["audits.Cycle"].append(cycle)
    domains = list(DEFAULT_DOMAINS) + ([NETWORK] if starts.year >= NETWORK_FROM else [])
    cycle_domains = [
        CycleDomain(cycle=cycle, position=i, name=name, description=text)
        for i, (name, text) in enumerate(domains, start=1)
    ]
    rows["audits.CycleDomain"] += cycle_domains
    # The service's own draw, from records read once for the whole history.
    since = months_before(drawn_on, RECENTLY_AUDITED_MONTHS)
    recent = {child for child, when in history.sampled.items() if since < when <= drawn_on}
    eligible = history.eligible[drawn_on]
    plan = draw(
        [c for c in eligible if c.child_id not in recent],
        day=drawn_on,
        seed=cycle_seed,
        per_pod=PER_POD,
        names=history.names,
    )
    rows["audits.Stratum"] += (
        Stratum(
            cycle=cycle, pod_id=s.pod_id, status=s.status, eligible=s.eligible, drawn=len(s.drawn)
        )
        for s in plan.strata
    )
    drawn = plan.drawn
    moderated = to_moderate(len(drawn), cycle.moderation_share, cycle_seed)
    samples = [
        SampledChild(
            cycle=cycle,
            child_id=c.child_id,
            family_id=c.family_id,
            pod_id=c.pod_id,
            status=c.status,
            to_moderate=i in moderated,
        )
        for i, c in enumerate(drawn)
    ]
    rows["audits.SampledChild"] += samples
    history.sampled.update((c.child_id, starts) for c in drawn)
    workers = dict(
        Allocation.objects.open_on(drawn_on)
        .filter(child__in=[s.child_id for s in samples])
        .order_by("child_id", "start")
        .values_list("child_id", "worker_id")
    )
    pool = list(
        PodMembership.objects.open_on(drawn_on)
        .filter(role__in=AUDITING_POD_ROLES, staff__user__isnull=False)
        .order_by("staff_id")
        .values_list("staff__user_id", "pod_id", "staff_id")
    )
    holders = dict(
        PodMembership.objects.filter(staff__in=set(workers.values()))
        .order_by("staff_id")
        .values_list("staff_id", "staff__user_id")
    )
    # Grades improve from about "Requires improvement" in 2016 to mostly "Good" by 2022.
    years = (starts - FIRST_CYCLE).days / 365.25
    mean = max(1.75, 3.0 - 0.2 * years)
    audits, assignments, access = [], [], []
    for index, sample in enumerate(samples):
        effect = pod_effect.setdefault(sample.pod_id, rng.gauss(0, 0.2))
        holder = workers.get(sample.child_id)
        others = [p for p in pool if p[1] != sample.pod_id and p[2] != holder]
        if not others:
            continue
        auditor, _, _ = rng.choice(others)
        assignments.append(
            Assignment(
                sample=sample,
                auditor_id=auditor,
                case_holder_id=holder,
                assigned_by=lead,
                assigned_at=_at(drawn_on, rng),
            )
        )
        finished_on = drawn_on + timedelta(days=rng.randrange(10, 75))
        finished = finished_on < today and (not current or rng.random() < 0.6)
        child_mean = mean + effect + rng.gauss(0, 0.35)
        grades = [_grade(child_mean, rng) for _ in cycle_domains]
        overall = min(4, max(1, round(sum(grades) / len(grades))))
        possible = rng.random() < 0.7 if finished else None
        audit = Audit(
            sample=sample,
            overall_grade=overall if finished else None,
            overall_evidence="Talked through with the social worker." if finished else "",
            family_view_possible=possible,
            family_view=(
                "The family said they know who to call and are listened to." if possible else ""
            ),
            status=AuditStatus.FINISHED if finished else AuditStatus.DRAFT,
            finished_at=_at(finished_on, rng) if finished else None,
            updated_at=_at(finished_on, rng) if finished else None,
            updated_by_id=auditor if finished else None,
            version=2 if finished else 1,
        )
        audits.append(
            Drafted(
                audit,
                grades,
                finished and index in moderated,
                finished_on,
                holders.get(holder) or auditor,
            )
        )
        if not finished and current:
            access.append(
                AuditAccess(
                    user_id=auditor,
                    family_id=sample.family_id,
                    starts_at=_at(drawn_on, rng),
                    reason="",  # named once the cycle has its id (`_write`)
                )
            )
            history.access_cycle[len(history.access_cycle)] = cycle
    rows["audits.Assignment"] += assignments
    rows["families.AuditAccess"] += access
    rows["audits.Audit"] += [d.audit for d in audits]
    _grades(audits, cycle_domains, lead, rng, rows, today)
    finished_audits.extend(d for d in audits if d.audit.status == AuditStatus.FINISHED)


def _draw_day(starts: date, today: date) -> date:
    return min(starts + timedelta(days=7), today)


def _write(rows: dict[str, list[Any]], history: History) -> None:
    """Everything in a few statements per model, parents first: Django copies each parent's
    new id into its children as they are written."""
    for model, label in (
        (Cycle, "audits.Cycle"),
        (CycleDomain, "audits.CycleDomain"),
        (Stratum, "audits.Stratum"),
        (SampledChild, "audits.SampledChild"),
        (Assignment, "audits.Assignment"),
        (Audit, "audits.Audit"),
        (DomainGrade, "audits.DomainGrade"),
        (Moderation, "audits.Moderation"),
        (ModeratedGrade, "audits.ModeratedGrade"),
        (AuditAction, "audits.AuditAction"),
    ):
        model.objects.bulk_create(rows[label], batch_size=5000)
    access = rows["families.AuditAccess"]
    for i, grant in enumerate(access):
        grant.reason = access_reason(history.access_cycle[i])
    AuditAccess.objects.bulk_create(access)


@dataclass
class History:
    eligible: dict[date, list[Candidate]]  # open children on each draw day, before recency
    names: dict[int, str]
    sampled: dict[int, date]  # child -> the start of the last cycle that sampled them
    access_cycle: dict[int, Cycle]  # each open grant's cycle, by its place in the list


@dataclass
class Drafted:
    audit: Audit
    grades: list[int]
    moderate: bool
    finished_on: date
    owner_id: int


def _grades(
    drafted: list[Drafted],
    domains: list[CycleDomain],
    lead: User,
    rng: random.Random,
    rows: dict[str, list[Any]],
    today: date,
) -> None:
    grades: list[DomainGrade] = []
    moderations: list[tuple[Moderation, Drafted]] = []
    actions: list[AuditAction] = []
    for d in drafted:
        finished = d.audit.status == AuditStatus.FINISHED
        grades += [
            DomainGrade(
                audit=d.audit,
                domain=domain,
                grade=g if finished else None,
                evidence="Seen in the record and talked through." if finished else "",
                better="Record the child's own words more often." if finished and g > 2 else "",
            )
            for domain, g in zip(domains, d.grades, strict=True)
        ]
        if not finished:
            continue
        if d.moderate:
            moderation = Moderation(
                audit=d.audit,
                moderator=lead,
                overall_grade=_moderated(d.audit.overall_grade or 2, rng),
                moderated_at=_at(d.finished_on + timedelta(days=rng.randrange(3, 20)), rng),
            )
            moderations.append((moderation, d))
        actions += _actions(d, rng, today)
    rows["audits.DomainGrade"] += grades
    rows["audits.Moderation"] += [m for m, _ in moderations]
    rows["audits.ModeratedGrade"] += [
        ModeratedGrade(moderation=m, domain=domain, grade=_moderated(g, rng))
        for m, d in moderations
        for domain, g in zip(domains, d.grades, strict=True)
    ]
    rows["audits.AuditAction"] += actions


def _actions(d: Drafted, rng: random.Random, today: date) -> list[AuditAction]:
    on_time = min(0.9, 0.55 + 0.05 * (d.finished_on.year - 2016))
    actions = []
    for _ in range(rng.randrange(1, 3)):
        due = d.finished_on + timedelta(days=rng.randrange(14, 60))
        done_on = None
        if due < today or rng.random() < 0.3:
            roll = rng.random()
            if roll < on_time:
                done_on = due - timedelta(days=rng.randrange(0, 10))
            elif roll < on_time + 0.07:
                done_on = due + timedelta(days=rng.randrange(1, 20))
        if done_on is not None and done_on > today:
            done_on = None
        actions.append(
            AuditAction(
                audit=d.audit,
                what=rng.choice(ACTIONS),
                owner_id=d.owner_id,
                due=due,
                done_on=done_on,
                done_by_id=d.owner_id if done_on else None,
            )
        )
    return actions


def _moderated(grade: int, rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.75:
        return grade
    step = 1 if roll < 0.9 else -1  # more often a step harsher than kinder
    return min(4, max(1, grade + step))


def _themes(
    rows: dict[str, list[Any]], themes: list[Theme], rng: random.Random, done: list[Drafted]
) -> None:
    through = Audit.themes.through
    links = []
    for d in done:
        audit, year = d.audit, d.finished_on.year
        current = [t for t, (_, a, b) in zip(themes, THEMES, strict=True) if a <= year <= b]
        for theme in rng.sample(current, k=min(len(current), rng.randrange(0, 3))):
            links.append(through(audit_id=audit.pk, theme_id=theme.pk))
    rows["audits.AuditThemes"] = through.objects.bulk_create(links)


def _quarter_after(starts: date) -> date:
    month = starts.month + 3
    return date(starts.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
