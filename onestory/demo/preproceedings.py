"""The demo council's pre-proceedings and family group decision making (FGDM): written after
the records and stories are loaded.

- **Every care application since 1 January 2024** has a pre-proceedings period before it: the
  letter before proceedings 8 to 17 weeks before the application, the pre-proceedings meeting
  one to two weeks after the letter, and the period ending with the application, linked to it.
- **The FGDM offer**: before the Act's duty applies (`ACT_APPLIES`, an assumption of the demo:
  see docs/decisions/0024-pre-proceedings-and-fgdm.md) about three in four periods offer a
  meeting, most of them in the letter; from then on, every one, in the letter. About four in
  five families accept; most accepted meetings are held before the application, and most of
  those agree a family plan.
- **Stepped down**: about as many periods again end without an application, most stepped down
  after three to six months, a few with another outcome, in families with no application since
  2024.
- **Open today** in the demo pod (the demo pod manager's): three families' pre-proceedings,
  at different steps, recorded by the demo social worker, so the pod's pages show them.
- Each step is a final entry on the family's story (Kind.PRE_PROCEEDINGS), about the children
  of the period.

Deterministic (`random.Random(seed)`, every query ordered, UUIDs from the generator) and
written with bulk_create, a few statements in all.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from onestory.accounts.models import User
from onestory.families.models import Allocation, CareProceedings, Family, FamilyMember, MemberRole
from onestory.lib.dates import long_date
from onestory.pods.models import PodMembership
from onestory.preproceedings.models import Outcome, PreProceedings, Response
from onestory.stories.models import Entry, Kind, Status, refresh_search_vectors

SINCE = date(2024, 1, 1)
# When the Children's Wellbeing and Schools Act 2026's duty to offer an FGDM meeting applies in
# the demo. An assumption for the demo's history, not a statement of the commencement date.
ACT_APPLIES = date(2026, 4, 1)

PLANS = [
    "Grandma will have the children after school every weekday and stay over on Fridays. Mum "
    "goes to the drug and alcohol service each Tuesday, and her sister drives her there.",
    "The children's uncle moves in for three months. Dad will not come to the house when he has "
    "been drinking; if he does, the uncle rings the police and the social worker.",
    "Nana and Grandad take the children to school and the family meet every Sunday to check "
    "how the week went. Mum keeps her appointments with the health visitor.",
    "The children stay with their aunt during the week while Mum finishes the parenting "
    "course; they go home at weekends, and the aunt rings the social worker if she is worried.",
]
OTHER_OUTCOMES = [
    "The family moved to another council's area; we passed everything to their social workers.",
    "The children went to live with their father under a child arrangements order.",
]


@dataclass
class Step:
    day: date
    story: str
    next_steps: str = ""


@dataclass
class Made:
    period: PreProceedings
    children: list[int]
    author: int
    steps: list[Step] = field(default_factory=list)


def _offer(rng: random.Random, made: Made, letter: date, until: date, *, act: bool) -> None:
    """The FGDM offer, the family's answer, the meeting and the plan, before `until`."""
    p = made.period
    if not act and rng.random() < 0.25:
        return
    in_letter = act or rng.random() < 0.6
    offered = letter if in_letter else min(letter + timedelta(days=rng.randint(3, 14)), until)
    p.fgdm_offered_on, p.fgdm_in_letter = offered, in_letter
    where = " in the letter before proceedings" if in_letter else ""
    text = f"We offered a family group decision-making meeting{where} on {long_date(offered)}."
    if offered != letter:
        made.steps.append(Step(offered, text))
    else:
        made.steps[0].story += f" {text}"
    if offered + timedelta(days=5) > until:
        return
    p.fgdm_response = Response.ACCEPTED if rng.random() < 0.8 else Response.DECLINED
    answer = "accepted" if p.fgdm_response == Response.ACCEPTED else "declined"
    answered = offered + timedelta(days=rng.randint(2, 5))
    made.steps.append(
        Step(answered, f"The family {answer} the family group decision-making meeting.")
    )
    held = offered + timedelta(days=rng.randint(14, 35))
    if p.fgdm_response != Response.ACCEPTED or held > until or rng.random() < 0.1:
        return
    p.fgdm_held_on = held
    p.fgdm_plan_agreed = rng.random() < 0.75
    if p.fgdm_plan_agreed:
        p.fgdm_plan = rng.choice(PLANS)
        text = f"The family agreed their plan:\n\n{p.fgdm_plan}"
    else:
        text = "The meeting did not agree a family plan."
    made.steps.append(
        Step(
            held,
            f"The family group decision-making meeting was held on {long_date(held)}.\n\n{text}",
        )
    )


def _period(
    rng: random.Random,
    *,
    family: int,
    children: list[int],
    author: int,
    letter: date,
    until: date,
) -> Made:
    """A period from `letter`, its meeting and its FGDM offer all before `until`."""
    period = PreProceedings(family_id=family, letter_date=letter, created_by_id=author)
    made = Made(period, children, author)
    made.steps.append(
        Step(
            letter,
            f"We sent the letter before proceedings on {long_date(letter)}.",
            "A pre-proceedings meeting with the family and their lawyers.",
        )
    )
    _offer(rng, made, letter, until, act=letter >= ACT_APPLIES)
    meeting = letter + timedelta(days=rng.randint(7, 14))
    if meeting <= until:
        period.meeting_date = meeting
        made.steps.append(
            Step(meeting, f"The pre-proceedings meeting was held on {long_date(meeting)}.")
        )
    return made


def _end(made: Made, day: date, outcome: Outcome, story: str, note: str = "") -> None:
    p = made.period
    p.ended, p.outcome, p.outcome_note = day, outcome, note
    made.steps.append(Step(day, f"Pre-proceedings ended on {long_date(day)}: {story}"))


def _authors(children: set[int]) -> dict[int, list[tuple[date, date | None, int]]]:
    found: dict[int, list[tuple[date, date | None, int]]] = defaultdict(list)
    rows = (
        Allocation.objects.filter(child__in=children, worker__user__isnull=False)
        .order_by("child", "start", "pk")
        .values_list("child", "start", "end", "worker__user")
    )
    for child, start, end, user in rows:
        found[child].append((start, end, user))
    return found


def _author_on(allocations: list[tuple[date, date | None, int]], day: date, default: int) -> int:
    for start, end, user in reversed(allocations):
        if start <= day and (end is None or end > day):
            return user
    return default


def seed(*, seed: int, today: date, scale: str, say: Callable[[str], None]) -> dict[str, int]:
    """Writes the history; returns the number of rows written per model label."""
    rng = random.Random(f"{seed}-preproceedings")
    sam = User.objects.filter(username="demo-social-worker").values_list("pk", flat=True).first()
    priya = User.objects.filter(username="demo-pod-manager").values_list("pk", flat=True).first()
    fallback = priya or sam
    if fallback is None:
        return {}
    applications = list(
        CareProceedings.objects.filter(application_date__gte=SINCE, application_date__lte=today)
        .order_by("family", "application_date", "pk")
        .values_list("pk", "family", "application_date")
    )
    children_of: dict[int, list[int]] = defaultdict(list)
    for cp, person in (
        CareProceedings.children.through.objects.filter(
            careproceedings__in=[a[0] for a in applications]
        )
        .order_by("careproceedings", "person")
        .values_list("careproceedings", "person")
    ):
        children_of[cp].append(person)
    kids_now: dict[int, list[int]] = defaultdict(list)
    for family, person in (
        FamilyMember.objects.filter(role=MemberRole.CHILD, family__restricted=False)
        .order_by("family", "person")
        .values_list("family", "person")
    ):
        kids_now[family].append(person)
    everyone = {p for kids in children_of.values() for p in kids} | {
        p for kids in kids_now.values() for p in kids
    }
    authors = _authors(everyone)
    made: list[Made] = []

    # Before every care application since 2024.
    last_end: dict[int, date] = {}
    for cp, family, applied in applications:
        kids = children_of.get(cp) or kids_now.get(family, [])
        letter = applied - timedelta(days=rng.randint(56, 120))
        if letter <= last_end.get(family, date.min):
            letter = last_end[family] + timedelta(days=1)
        if not kids or letter > applied:
            continue
        author = _author_on(authors.get(kids[0], []), letter, fallback)
        one = _period(
            rng, family=family, children=kids, author=author, letter=letter, until=applied
        )
        one.period.proceedings_id = cp
        _end(one, applied, Outcome.CARE_APPLICATION, "we applied to the court for a care order.")
        made.append(one)
        last_end[family] = applied

    # Stepped down, in families with no application since 2024.
    demo_pod = (
        PodMembership.objects.filter(staff__user__username="demo-pod-manager")
        .order_by("-start")
        .values_list("pod_id", flat=True)
        .first()
    )
    families = list(
        Family.objects.filter(restricted=False, opened__lt=today - timedelta(days=200))
        .exclude(pk__in={a[1] for a in applications})
        .order_by("pk")
        .values_list("pk", "pod_id", "opened", "closed")
    )
    rng.shuffle(families)
    demo_open = [f for f in families if f[1] == demo_pod and f[3] is None and kids_now.get(f[0])]
    held_back = {f[0] for f in demo_open[:3]}
    stepped = 0
    for family, _, opened, closed in families:
        if stepped >= len(applications) or family in held_back or not kids_now.get(family):
            continue
        first = max(opened + timedelta(days=30), SINCE)
        last = min(closed or today, today) - timedelta(days=200)
        if first >= last:
            continue
        letter = first + timedelta(days=rng.randint(0, (last - first).days))
        ended = letter + timedelta(days=rng.randint(90, 180))
        kids = kids_now[family]
        author = _author_on(authors.get(kids[0], []), letter, fallback)
        one = _period(rng, family=family, children=kids, author=author, letter=letter, until=ended)
        if rng.random() < 0.1:
            note = rng.choice(OTHER_OUTCOMES)
            _end(one, ended, Outcome.OTHER, note, note)
        else:
            _end(one, ended, Outcome.STEPPED_DOWN, "we stepped down.")
        made.append(one)
        stepped += 1

    # Open today in the demo pod, at different steps.
    for i, (family, _, _, _) in enumerate(demo_open[:3]):
        letter = today - timedelta(days=(12, 40, 75)[i])
        one = _period(
            rng,
            family=family,
            children=kids_now[family],
            author=sam or fallback,
            letter=letter,
            until=today,
        )
        made.append(one)

    return _write(rng, made)


def _write(rng: random.Random, made: list[Made]) -> dict[str, int]:
    now = timezone.now()
    PreProceedings.objects.bulk_create([m.period for m in made], batch_size=2000)
    through = PreProceedings.children.through
    through.objects.bulk_create(
        [through(preproceedings_id=m.period.pk, person_id=p) for m in made for p in m.children],
        batch_size=5000,
    )
    entries, concerns = [], []
    for m in made:
        for step in m.steps:
            when = timezone.make_aware(datetime.combine(step.day, time(12)))
            entries.append(
                Entry(
                    uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                    family_id=m.period.family_id,
                    kind=Kind.PRE_PROCEEDINGS,
                    occurred_at=when,
                    author_id=m.author,
                    story=step.story,
                    next_steps=step.next_steps,
                    status=Status.FINAL,
                    created_at=min(when, now),
                    updated_at=min(when, now),
                    finalised_at=min(when, now),
                )
            )
            concerns.append(m.children)
    Entry.objects.bulk_create(entries, batch_size=2000)
    link = Entry.concerns.through
    link.objects.bulk_create(
        [
            link(entry_id=e.pk, person_id=p)
            for e, kids in zip(entries, concerns, strict=True)
            for p in kids
        ],
        batch_size=5000,
    )
    if entries:
        refresh_search_vectors("e.kind = 'pre_proceedings'")
    return {
        "preproceedings.PreProceedings": len(made),
        "stories.Entry (pre-proceedings)": len(entries),
    }
