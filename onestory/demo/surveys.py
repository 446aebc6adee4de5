"""The demo council's Your Voice: a wave every November from 2016, answered by simulated staff.

Each respondent is a member of staff in post when the wave opened, answering as one person: a
role group, time-use percentages adding up to 100, an answer to every statement, sometimes a
comment. The answers are stored exactly as real ones are (random UUIDs, no person, no time; a
participation token per person while the wave is open, forgotten when it closes), so the demo
shows what the anonymity rules allow and nothing more.

The source's trajectory: "I feel safe and supported" 64% in 2016 and 89% in 2019, and a growing
share of time with children and families. The headline agreement is set by choosing exact
counts of agreeing respondents (not by chance), so it holds at every scale.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Sequence
from datetime import date

from django.db.models import Q

from onestory.accounts.models import Role, User
from onestory.pods.models import Staff
from onestory.surveys.models import (
    Agreement,
    AgreementAnswer,
    Kind,
    Participation,
    Question,
    Response,
    RoleGroup,
    TimeUse,
    Wave,
    WaveQuestion,
)
from onestory.surveys.responding import token
from onestory.surveys.waves import close_wave, question_set

FIRST_YEAR = 2016
# % agreeing "I feel safe and supported", from the source for 2016 and 2019, then holding.
SAFE_AND_SUPPORTED = {2016: 64, 2017: 72, 2018: 81, 2019: 89}
LATER_SAFE = 89
RESPONSE_RATE = (0.6, 0.78)
DONT_KNOW = 0.04

ROLE_GROUPS: dict[str, str] = {
    Role.SOCIAL_WORKER: RoleGroup.SOCIAL_WORKER,
    Role.SENIOR_SOCIAL_WORKER: RoleGroup.SOCIAL_WORKER,
    Role.SOCIAL_WORKER_IN_TRAINING: RoleGroup.SOCIAL_WORKER,
    Role.POD_MANAGER: RoleGroup.POD_MANAGER,
    Role.BUSINESS_SUPPORT: RoleGroup.BUSINESS_SUPPORT,
}
# Time use, in the default categories' order (children, adults, admin, meetings, travel,
# supervision, learning), in 2016 and once the model had matured; each sums to 100.
TIME_USE: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    RoleGroup.SOCIAL_WORKER: ((12, 10, 40, 14, 10, 6, 8), (25, 17, 25, 11, 9, 7, 6)),
    RoleGroup.POD_MANAGER: ((5, 5, 35, 30, 5, 12, 8), (10, 8, 27, 28, 5, 14, 8)),
    RoleGroup.BUSINESS_SUPPORT: ((2, 3, 75, 8, 2, 5, 5), (3, 5, 70, 10, 2, 5, 5)),
    RoleGroup.OTHER: ((3, 3, 40, 30, 5, 10, 9), (5, 5, 33, 32, 5, 11, 9)),
}
COMMENTS = [
    "Pod meetings are the best part of my week: we think about families together.",
    "The recording still takes too long after a visit.",
    "I feel trusted to use my judgement.",
    "More time for direct work would help, especially with teenagers.",
    "Supervision has become a space to reflect, not just check deadlines.",
    "Court reports take over some weeks completely.",
    "I would like more chances to learn from other pods.",
]


def _maturity(year: int) -> float:
    """0 in 2016, most of the change by 2019, all of it by 2024."""
    return min(1.0, 0.75 * min(1.0, (year - FIRST_YEAR) / 3) + 0.25 * max(0, year - 2019) / 5)


def _percentages(rng: random.Random, group: str, year: int) -> list[int]:
    """One respondent's time use: the year's mean for their group, varied, in whole
    percentages that add up to exactly 100 (largest remainders)."""
    start, end = TIME_USE[group]
    t = _maturity(year)
    raw = [(a + (b - a) * t) * rng.lognormvariate(0, 0.3) for a, b in zip(start, end, strict=True)]
    scaled = [100 * r / sum(raw) for r in raw]
    whole = [int(s) for s in scaled]
    by_remainder = sorted(range(len(raw)), key=lambda i: whole[i] - scaled[i])
    for i in by_remainder[: 100 - sum(whole)]:
        whole[i] += 1
    return whole


def _agreeing(n: int, target: int) -> tuple[int, int]:
    """(agreeing, answered) for `n` respondents: the most who answer (the rest say "don't
    know", at most a tenth of them) for which the share agreeing is closest to `target`%."""
    best: tuple[float, int, int] = (101.0, 0, n)
    for answered in range(n, max(0, n - n // 10 - 1), -1):
        agree = round(target * answered / 100)
        miss = abs(100 * agree / answered - target) if answered else 101.0
        if miss < best[0] - 1e-9:
            best = (miss, agree, answered)
    return best[1], best[2]


def _answer(rng: random.Random, p_agree: float) -> str:
    if rng.random() < DONT_KNOW:
        return Agreement.DONT_KNOW
    if rng.random() < p_agree:
        return rng.choice([Agreement.AGREE, Agreement.AGREE, Agreement.STRONGLY_AGREE])
    return rng.choice(
        [Agreement.NEITHER, Agreement.DISAGREE, Agreement.DISAGREE, Agreement.STRONGLY_DISAGREE]
    )


def _random_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def seed(*, seed: int, today: date, scale: str, say: Callable[[str], None]) -> dict[str, int]:
    """Writes the history; returns the number of rows written per model label."""
    rng = random.Random(seed * 31 + 14)
    lead = User.objects.filter(role=Role.QUALITY_LEAD).order_by("pk").first()
    staff = list(
        Staff.objects.filter(Q(user__isnull=False) & ~Q(role=Role.ADMINISTRATOR)).values_list(
            "user_id", "role", "start", "end"
        )
    )
    questions = question_set()
    if questions[0].pk is None:
        Question.objects.bulk_create(questions)
    counts = dict.fromkeys(
        [
            "surveys.Wave",
            "surveys.WaveQuestion",
            "surveys.Response",
            "surveys.TimeUse",
            "surveys.AgreementAnswer",
            "surveys.Participation",
        ],
        0,
    )
    counts["surveys.Question"] = len(questions)
    for year in range(FIRST_YEAR, today.year + 1):
        opened, closes_on = date(year, 11, 1), date(year, 11, 30)
        if opened > today:
            break
        wave = Wave.objects.create(
            title=f"Your Voice {year}", opened=opened, closes_on=closes_on, opened_by=lead
        )
        asked = WaveQuestion.objects.bulk_create(
            WaveQuestion(wave=wave, kind=q.kind, key=q.key, text=q.text, position=q.position)
            for q in questions
        )
        in_post = [s for s in staff if s[2] <= opened and (s[3] is None or s[3] > opened)]
        # An open wave has had fewer answers so far.
        share = rng.uniform(*RESPONSE_RATE) * (1 if closes_on <= today else 0.4)
        people = rng.sample(in_post, round(share * len(in_post)))
        written = _write(rng, wave, asked, people, year)
        for label, n in written.items():
            counts[label] += n
        if closes_on <= today and lead is not None:
            # Closing forgets who took part, as it does for a real wave.
            close_wave(by=lead, wave=wave, closed=closes_on)
            counts["surveys.Participation"] -= written["surveys.Participation"]
        counts["surveys.Wave"] += 1
        counts["surveys.WaveQuestion"] += len(asked)
    say(f"Your Voice: {counts['surveys.Response']} responses over {counts['surveys.Wave']} waves")
    return counts


def _write(
    rng: random.Random,
    wave: Wave,
    asked: Sequence[WaveQuestion],
    people: Sequence[tuple[int, str, date, date | None]],
    year: int,
) -> dict[str, int]:
    times = [q for q in asked if q.kind == Kind.TIME_USE]
    statements = [q for q in asked if q.kind == Kind.AGREEMENT]
    # The headline statement: exact counts, shuffled over the respondents.
    agree, answered = _agreeing(len(people), SAFE_AND_SUPPORTED.get(year, LATER_SAFE))
    safe = (
        [Agreement.AGREE] * (agree - agree // 4)
        + [Agreement.STRONGLY_AGREE] * (agree // 4)
        + [Agreement.DISAGREE] * ((answered - agree) // 2)
        + [Agreement.NEITHER] * (answered - agree - (answered - agree) // 2)
        + [Agreement.DONT_KNOW] * (len(people) - answered)
    )
    rng.shuffle(safe)
    p_agree = 0.5 + 0.3 * _maturity(year)
    responses, time_rows, agreement_rows = [], [], []
    for person, safe_answer in zip(people, safe, strict=True):
        group = ROLE_GROUPS.get(person[1], RoleGroup.OTHER)
        comment = rng.choice(COMMENTS) if rng.random() < 0.1 else ""
        response = Response(id=_random_uuid(rng), wave=wave, role_group=group, free_text=comment)
        responses.append(response)
        time_rows += [
            TimeUse(response=response, question=q, percent=p)
            for q, p in zip(times, _percentages(rng, group, year), strict=True)
        ]
        agreement_rows += [
            AgreementAnswer(
                response=response,
                question=q,
                answer=safe_answer if q.key == "safe_and_supported" else _answer(rng, p_agree),
            )
            for q in statements
        ]
    # Stored in an order unrelated to the tokens' (as a real answer's row tells nothing of who
    # came before it): responses by their random id, tokens by their hash.
    responses.sort(key=lambda r: r.id)
    Response.objects.bulk_create(responses)
    TimeUse.objects.bulk_create(time_rows, batch_size=5000)
    AgreementAnswer.objects.bulk_create(agreement_rows, batch_size=5000)
    tokens = sorted(token(wave.pk, person[0]) for person in people)
    Participation.objects.bulk_create(Participation(wave=wave, token=t) for t in tokens)
    return {
        "surveys.Response": len(responses),
        "surveys.TimeUse": len(time_rows),
        "surveys.AgreementAnswer": len(agreement_rows),
        "surveys.Participation": len(tokens),
    }
