"""Waves and responses for the survey's tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from onestory.accounts.models import User
from onestory.surveys.models import (
    AgreementAnswer,
    Kind,
    Response,
    TimeUse,
    Wave,
    WaveQuestion,
)
from onestory.surveys.waves import close_wave, open_wave


def a_wave(by: User, title: str = "Your Voice 2026", *, opened: date = date(2026, 10, 1)) -> Wave:
    """An open wave with the default questions, through the real write function."""
    return open_wave(by=by, title=title, opened=opened, closes_on=opened.replace(day=28))


def closed(wave: Wave, by: User) -> Wave:
    return close_wave(by=by, wave=wave, closed=wave.closes_on)


def questions(wave: Wave, kind: str) -> list[WaveQuestion]:
    return list(wave.questions.filter(kind=kind).order_by("position"))


def add_responses(
    wave: Wave,
    n: int,
    *,
    role_group: str = "social_worker",
    time_use: Sequence[int] = (40, 20, 20, 10, 5, 3, 2),
    agreement: str = "agree",
    free_text: str = "",
) -> None:
    """`n` identical responses written straight to the tables, for results tests (answering
    itself is tested through the pages). The total of 100 is checked at commit, which a test
    never reaches (unless it commits), so `time_use` must add up to 100."""
    assert sum(time_use) == 100
    times = questions(wave, Kind.TIME_USE)
    statements = questions(wave, Kind.AGREEMENT)
    # One transaction, as `respond` does: the total of 100 is checked when it commits.
    with transaction.atomic():
        responses = Response.objects.bulk_create(
            Response(wave=wave, role_group=role_group, free_text=free_text) for _ in range(n)
        )
        TimeUse.objects.bulk_create(
            TimeUse(response=r, question=q, percent=p)
            for r in responses
            for q, p in zip(times, time_use, strict=True)
        )
        AgreementAnswer.objects.bulk_create(
            AgreementAnswer(response=r, question=q, answer=agreement)
            for r in responses
            for q in statements
        )


def answer_form(
    wave: Wave,
    *,
    time_use: Sequence[int] = (40, 20, 20, 10, 5, 3, 2),
    agreement: str = "agree",
    role_group: str = "social_worker",
    free_text: str = "",
) -> dict[str, str]:
    """What the answer page posts."""
    data = {"role_group": role_group, "free_text": free_text}
    for q, p in zip(questions(wave, Kind.TIME_USE), time_use, strict=True):
        data[f"time_{q.pk}"] = str(p)
    for q in questions(wave, Kind.AGREEMENT):
        data[f"agree_{q.pk}"] = agreement
    return data
