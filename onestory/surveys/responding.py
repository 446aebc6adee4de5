"""Answering a wave: one response per person, never linked to them.

`respond` writes the response, its answers and the participation token in one transaction, so
the token never exists without the answers nor the answers without the token. Neither row refers
to the other, and neither carries the time, an id from a sequence or the person
(docs/decisions/0015-your-voice-anonymity.md).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.utils.crypto import salted_hmac

from onestory.accounts.models import User
from onestory.lib.dates import long_date
from onestory.surveys.models import (
    AgreementAnswer,
    Kind,
    Participation,
    Response,
    TimeUse,
    Wave,
    WaveQuestion,
)


def token(wave_id: int, user_id: int) -> str:
    """A keyed hash of (wave, person). The key (from SECRET_KEY) is not in the database, so the
    table alone cannot say who took part; a person's token differs from wave to wave, so the
    table cannot follow anyone across years either."""
    return salted_hmac(
        "onestory.surveys.participation", f"{wave_id}:{user_id}", algorithm="sha256"
    ).hexdigest()


def has_answered(user: User, wave: Wave) -> bool:
    return Participation.objects.filter(wave=wave, token=token(wave.pk, user.pk)).exists()


def already_answered(wave: Wave) -> str:
    return (
        f"You have already answered {wave.title}. Each person answers once, and answers cannot "
        "be changed, because nothing links them to you."
    )


def time_use_total_message(total: int) -> str:
    return f"Your percentages add up to {total}%. Change them so that they add up to 100%."


def respond(
    *,
    by: User,
    wave: Wave,
    role_group: str,
    time_use: dict[int, int],
    agreement: dict[int, str],
    free_text: str = "",
) -> Response:
    """Saves one person's answers to an open wave. `time_use` and `agreement` map the wave's
    question ids to a percentage and an answer on the scale."""
    total = sum(time_use.values())
    questions = {q.pk: q for q in WaveQuestion.objects.filter(wave=wave)}
    if {pk for pk, q in questions.items() if q.kind == Kind.TIME_USE} != set(time_use):
        raise ValidationError({"time_use": "Answer the questions of this wave"})
    if time_use and total != 100:
        raise ValidationError({"time_use": time_use_total_message(total)})
    # Not `recorded`: that names the person in the history of what it writes. Nothing written
    # here is tracked, and nothing here may name them.
    with transaction.atomic():
        with connection.cursor() as cursor:
            # A share lock: answers go in side by side, but the wave cannot close (which takes
            # the row for update) while one is being saved, so none lands after it closed.
            cursor.execute("SELECT closed FROM surveys_wave WHERE id = %s FOR SHARE", [wave.pk])
            (closed,) = cursor.fetchone() or (None,)
            if closed is not None:
                raise ValidationError(
                    {
                        NON_FIELD_ERRORS: f"{wave.title} closed on {long_date(closed)}, so it "
                        "no longer takes answers. Thank you for wanting to take part."
                    }
                )
            # The token's primary key refuses a second one: a double click, or two tabs,
            # waits here for the first and then inserts nothing.
            cursor.execute(
                "INSERT INTO surveys_participation (wave_id, token) VALUES (%s, %s) "
                "ON CONFLICT DO NOTHING",
                [wave.pk, token(wave.pk, by.pk)],
            )
            if cursor.rowcount != 1:
                raise ValidationError({NON_FIELD_ERRORS: already_answered(wave)})
        response = Response.objects.create(
            wave=wave, role_group=role_group, free_text=free_text.strip()
        )
        TimeUse.objects.bulk_create(
            TimeUse(response=response, question_id=pk, percent=percent)
            for pk, percent in time_use.items()
        )
        AgreementAnswer.objects.bulk_create(
            AgreementAnswer(response=response, question_id=pk, answer=answer)
            for pk, answer in agreement.items()
        )
    return response
