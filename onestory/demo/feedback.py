"""The demo council's compliments and complaints: written after the records are loaded.

From October 2015, when the model of practice began, compliments rise and complaints fall, as
in the council's own account ("Compliments from all sources", 2015 to 2016 to 2018 to 2019 -
projected). The source shows the trend as charts without figures, so the yearly numbers below
are ours, at the default scale, and scaled like the rest of the council. Complaints go through
the stages: most are answered at stage 1 in time, some after an extension, a few late; some
go on to stage 2 and a few to a stage 3 review panel. Today some stages are open, due soon or
overdue, several of them naming the demo pod manager's pod, so the complaints officer's and the
pod manager's What's due have something in them.

Deterministic (`random.Random(seed)`, UUIDs and references from it too) and written with
`bulk_create`, a few statements in all.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from itertools import pairwise
from typing import TypeVar

from onestory.demo.council.calibration import MODEL_STARTED, SCALES
from onestory.families.models import Family
from onestory.feedback.models import Channel, Item, Kind, Outcome, Source, Stage
from onestory.feedback.procedure import LIMITS, due_date, new_reference
from onestory.lib.dates import financial_year, financial_year_end, financial_year_start
from onestory.lib.working_days import add_working_days
from onestory.pods.models import Pod, PodMembership

# Received a year at the default scale, by financial year; later years follow the last.
PER_YEAR = {
    Kind.COMPLIMENT: {2015: 70, 2016: 105, 2017: 140, 2018: 170, 2019: 180, 2020: 185},
    Kind.COMPLAINT: {2015: 150, 2016: 125, 2017: 100, 2018: 85, 2019: 80, 2020: 76},
    Kind.COMMENT: {2015: 30, 2016: 30, 2017: 32, 2018: 34, 2019: 35, 2020: 35},
}
SOURCES = {
    Kind.COMPLIMENT: {
        Source.PARENT: 45,
        Source.PROFESSIONAL: 28,
        Source.CHILD: 12,
        Source.FAMILY_MEMBER: 10,
        Source.COUNCILLOR: 2,
        Source.OTHER: 3,
    },
    Kind.COMPLAINT: {
        Source.PARENT: 58,
        Source.FAMILY_MEMBER: 14,
        Source.CHILD: 8,
        Source.PROFESSIONAL: 7,
        Source.COUNCILLOR: 8,
        Source.OTHER: 5,
    },
    Kind.COMMENT: {
        Source.PARENT: 30,
        Source.PROFESSIONAL: 40,
        Source.CHILD: 10,
        Source.FAMILY_MEMBER: 10,
        Source.COUNCILLOR: 5,
        Source.OTHER: 5,
    },
}
SUMMARIES = {
    Kind.COMPLIMENT: [
        "Thanked the social worker for listening to the children and keeping every promise.",
        "The school wrote to say the team around the family worked well together.",
        "A young person said their worker helped them stay with their brother.",
        "A grandparent thanked the pod for explaining each step of the plan.",
    ],
    Kind.COMPLAINT: [
        "A visit was cancelled twice without the family being told.",
        "The parent says the assessment got the family's history wrong.",
        "Calls to the duty line were not returned for a week.",
        "The young person was not asked what they wanted before the meeting.",
        "The family had three social workers in a year and had to repeat their story.",
    ],
    Kind.COMMENT: [
        "Suggested the letters use plainer words.",
        "Asked for meetings to be held after school hours.",
        "Said the waiting room needs things for toddlers to do.",
    ],
}
CONTACTS = [
    "Email address given on the form.",
    "Phone number given on the call.",
    "Postal address on the letter.",
]
LEARNING = [
    "Pod managers check that cancelled visits are rebooked with the family the same day.",
    "Assessments are read back to the family before they are signed off.",
    "The duty line returns calls the same working day.",
    "Children's views are recorded before every meeting about them.",
]
EXTENSION_REASONS = [
    "The social worker involved is on leave.",
    "Waiting for the school's account of what happened.",
    "The complainant asked to meet before the response.",
]


def _weighted(rng: random.Random, weights: Mapping[T, int]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


T = TypeVar("T")


def _channel(rng: random.Random, year: int) -> str:
    online = 10 + 6 * (year - 2015)  # more arrive online each year
    return _weighted(
        rng,
        {
            Channel.ONLINE: online,
            Channel.EMAIL: 35,
            Channel.PHONE: 30,
            Channel.LETTER: max(5, 20 - 2 * (year - 2015)),
            Channel.IN_PERSON: 5,
        },
    )


class _Stages:
    """Stages being built: each stage 1 is saved before the stage 2 that points to it."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng, self.today = rng, today

    def answer(self, stage: Stage) -> None:
        """Answers the stage by today if its response would have come by then: in time
        mostly, after an extension sometimes, late now and then."""
        rng, limit = self.rng, LIMITS[stage.number]
        roll = rng.random()
        if roll < 0.12 and limit.longest > limit.days:
            stage.extended_due = add_working_days(
                stage.started, rng.randint(limit.days + 2, limit.longest)
            )
            stage.extension_reason = rng.choice(EXTENSION_REASONS)
            responded = (
                stage.started + (stage.extended_due - stage.started) * rng.randint(7, 10) // 10
            )
        elif roll < 0.22:
            responded = stage.due + timedelta(days=rng.randint(1, 12))
        else:
            responded = add_working_days(
                stage.started, rng.randint(max(2, limit.days // 3), limit.days)
            )
        if responded >= self.today:
            return
        stage.responded = responded
        stage.outcome = _weighted(
            rng, {Outcome.UPHELD: 25, Outcome.PARTLY_UPHELD: 30, Outcome.NOT_UPHELD: 45}
        )
        if stage.outcome != Outcome.NOT_UPHELD:
            stage.learning = rng.choice(LEARNING)

    def next_after(self, item: Item, previous: Stage, chance: float) -> Stage | None:
        if previous.responded is None or previous.outcome == Outcome.UPHELD:
            return None
        if self.rng.random() >= chance:
            return None
        started = previous.responded + timedelta(days=self.rng.randint(5, 20))
        if started >= self.today:
            return None
        number = previous.number + 1
        stage = Stage(
            item=item,
            number=number,
            previous=previous,
            started=started,
            due=due_date(number, started),
        )
        self.answer(stage)
        return stage


def seed(*, seed: int, today: date, scale: str, say: Callable[[str], None]) -> dict[str, int]:
    """Writes the history; returns the number of rows written per model label."""
    rng = random.Random(f"{seed}-feedback")
    factor = SCALES[scale]
    pods = list(Pod.objects.order_by("pk").values_list("pk", flat=True))
    families = list(
        Family.objects.filter(restricted=False)
        .order_by("pk")
        .values_list("pk", "pod_id", "opened", "closed")
    )
    demo_pod = (
        PodMembership.objects.filter(staff__user__username="demo-pod-manager")
        .order_by("-start")
        .values_list("pod_id", flat=True)
        .first()
    )
    references: set[str] = set()

    def item(kind: Kind, received: date, *, pod: int | None = None) -> Item:
        reference = new_reference(rng)
        while reference in references:
            reference = new_reference(rng)
        references.add(reference)
        family = None
        if pod is None and pods and rng.random() < 0.7:
            pod = rng.choice(pods)
            if families and rng.random() < 0.6:
                open_then = [
                    f
                    for f in rng.sample(families, min(8, len(families)))
                    if f[2] <= received and (f[3] is None or f[3] >= received)
                ]
                if open_then:
                    family, pod = open_then[0][0], open_then[0][1]
        reply = kind == Kind.COMPLAINT or rng.random() < 0.2
        return Item(
            uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
            reference=reference,
            kind=kind,
            source=_weighted(rng, SOURCES[kind]),
            channel=_channel(rng, financial_year(received)),
            received=received,
            pod_id=pod,
            family_id=family,
            summary=rng.choice(SUMMARIES[kind]),
            reply_wanted=reply,
            contact=rng.choice(CONTACTS) if reply else "",
        )

    items: list[Item] = []
    for year in range(financial_year(MODEL_STARTED), financial_year(today) + 1):
        first = max(financial_year_start(year), MODEL_STARTED)
        last = min(financial_year_end(year), today)
        days = (last - first).days + 1
        share = days / 365
        for kind, by_year in PER_YEAR.items():
            per_year = by_year.get(year, by_year[max(by_year)])
            count = max(1, round(per_year * factor * share))
            for _ in range(count):
                items.append(item(kind, first + timedelta(days=rng.randrange(days))))
    # Open today, naming the demo pod manager's pod: (stage reached, working days since it began).
    opened_now = [(1, 3), (1, 8), (1, 14), (2, 12), (2, 30), (3, 9)]
    extra: list[tuple[Item, int, int]] = []
    for number, ago in opened_now:
        started = add_working_days(today, -ago)
        received = started - timedelta(days=45 * (number - 1))
        extra.append((item(Kind.COMPLAINT, received, pod=demo_pod), number, ago))
    Item.objects.bulk_create(items + [made for made, _, _ in extra], batch_size=2000)

    stages = _Stages(rng, today)
    firsts: list[tuple[Item, Stage]] = []
    for made in items:
        if made.kind == Kind.COMPLAINT:
            stage = Stage(
                item=made, number=1, started=made.received, due=due_date(1, made.received)
            )
            stages.answer(stage)
            firsts.append((made, stage))
    # The open complaints: every stage before the one open today was answered in time.
    open_chain: list[list[Stage]] = []
    for made, number, ago in extra:
        chain = []
        started = made.received
        for n in range(1, number + 1):
            begins = add_working_days(today, -ago) if n == number else started
            stage = Stage(item=made, number=n, started=begins, due=due_date(n, begins))
            if n < number:
                stage.responded = add_working_days(begins, LIMITS[n].days - 2)
                stage.outcome = Outcome.NOT_UPHELD
                started = stage.responded + timedelta(days=7)
            chain.append(stage)
        open_chain.append(chain)
    Stage.objects.bulk_create(
        [s for _, s in firsts] + [chain[0] for chain in open_chain], batch_size=2000
    )
    seconds = [(made, stages.next_after(made, first, 0.12)) for made, first in firsts]
    second_rows = [(made, s) for made, s in seconds if s is not None]
    for chain in open_chain:
        for before, after in pairwise(chain):
            after.previous = before
    Stage.objects.bulk_create(
        [s for _, s in second_rows] + [chain[1] for chain in open_chain if len(chain) > 1]
    )
    thirds = [stages.next_after(made, second, 0.25) for made, second in second_rows]
    third_rows = [s for s in thirds if s is not None]
    Stage.objects.bulk_create(third_rows + [chain[2] for chain in open_chain if len(chain) > 2])
    written = len(firsts) + len(second_rows) + len(third_rows) + sum(len(c) for c in open_chain)
    say(f"Compliments and complaints: {len(items) + len(extra)} items, {written} stages")
    return {"feedback.Item": len(items) + len(extra), "feedback.Stage": written}
