"""Running the survey: the question set, and opening and closing waves. Quality leads only
(access.py); each write is one keyword-only function in one recorded transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet

from onestory.accounts.models import User
from onestory.lib.dates import long_date
from onestory.lib.history import lock, recorded
from onestory.surveys.models import Kind, Participation, Question, Wave, WaveQuestion


@dataclass(frozen=True)
class Default:
    key: str
    text: str


# The default set, from the issue: the council's version of the social work health check.
DEFAULT_TIME_USE = [
    Default("children", "With children and young people"),
    Default("adults", "With adults in families"),
    Default("admin_time", "Reports and admin, including the case system and court reports"),
    Default("meetings", "Meetings with other professionals"),
    Default("travel", "Travel"),
    Default("supervision_time", "Supervision and reflective practice"),
    Default("learning", "Learning and development"),
]
DEFAULT_STATEMENTS = [
    Default("safe_and_supported", "I feel safe and supported"),
    Default("caseload", "My caseload is manageable"),
    Default("supervision", "I get reflective supervision that helps my practice"),
    Default("expertise", "I have chances to develop my expertise"),
    Default("learning_culture", "Where I work has a culture of learning, not blaming"),
    Default("managers", "My managers support me"),
    Default("admin_not_crowding", "Admin does not crowd out my relationships with families"),
    Default("staying", "I intend to stay working here"),
]


def _serialise_set_up() -> None:
    """Opening a wave, closing one and editing the questions wait for each other: the race is
    a wave opening while the questions are half edited (it would copy a mix of old and new),
    or two quality leads opening a wave at once."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('onestory.surveys.set_up'))")


def question_set() -> list[Question]:
    """The default set as the council has edited it, or as the issue gives it if never edited
    (unsaved rows then: the first edit or the first wave saves them)."""
    saved = list(Question.objects.order_by("kind", "position"))
    if saved:
        return saved
    return [
        Question(kind=kind, text=d.text, key=d.key, position=i)
        for kind, defaults in (
            (Kind.TIME_USE, DEFAULT_TIME_USE),
            (Kind.AGREEMENT, DEFAULT_STATEMENTS),
        )
        for i, d in enumerate(defaults, start=1)
    ]


def fingerprint(questions: list[Question]) -> str:
    """What the editor saw, so a save over someone else's edit is refused (never a silent
    overwrite)."""
    text = "\n".join(f"{q.kind}|{q.key}|{q.text}" for q in questions)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def open_wave_now() -> Wave | None:
    return Wave.objects.filter(closed__isnull=True).first()


def _refuse_while_open(field: str) -> None:
    wave = open_wave_now()
    if wave is not None:
        raise ValidationError(
            {
                field: f"You cannot change the questions while {wave.title} is open, because "
                "answers already given were to the questions as they stand. Close the wave "
                "first; your changes are still below."
            }
        )


def save_questions(
    *,
    by: User,
    time_use: list[tuple[str, str]],
    statements: list[tuple[str, str]],
    seen: str,
) -> list[Question]:
    """Replaces the default question set with (key, text) pairs in order. Refused while a wave
    is open, and if someone else saved since the editor's page was shown (`seen`)."""
    if not [t for _, t in time_use if t.strip()] and not [t for _, t in statements if t.strip()]:
        raise ValidationError({"statements": "Enter at least one question"})
    with recorded(by, "surveys.save_questions"):
        _serialise_set_up()
        _refuse_while_open("time_use")
        if fingerprint(question_set()) != seen:
            raise ValidationError(
                "Someone else changed the questions while you were editing them. The questions "
                "as they are now are listed under yours: check them, then save again."
            )
        Question.objects.all().delete()
        rows = [
            Question(kind=kind, key=key, text=text.strip(), position=i)
            for kind, pairs in ((Kind.TIME_USE, time_use), (Kind.AGREEMENT, statements))
            for i, (key, text) in enumerate([p for p in pairs if p[1].strip()], start=1)
        ]
        return Question.objects.bulk_create(rows)


def open_wave(*, by: User, title: str, opened: date, closes_on: date) -> Wave:
    """Opens a wave with a copy of today's question set: later edits to the set never change
    it."""
    if closes_on < opened:
        raise ValidationError(
            {"closes_on": "The closing date must be on or after the opening date"}
        )
    with recorded(by, "surveys.open_wave"):
        _serialise_set_up()
        current = open_wave_now()
        if current is not None:
            raise ValidationError({"title": f"{current.title} is still open: close it first"})
        if Wave.objects.filter(title__iexact=title.strip()).exists():
            raise ValidationError({"title": f"There is already a wave called {title.strip()}"})
        questions = question_set()
        if questions and questions[0].pk is None:
            Question.objects.bulk_create(questions)
        wave = Wave.objects.create(
            title=title.strip(), opened=opened, closes_on=closes_on, opened_by=by
        )
        WaveQuestion.objects.bulk_create(
            WaveQuestion(wave=wave, kind=q.kind, key=q.key, text=q.text, position=q.position)
            for q in questions
        )
        return wave


def close_wave(*, by: User, wave: Wave, closed: date) -> Wave:
    """Closes the wave and forgets who took part: the participation tokens only stopped second
    answers, which a closed wave refuses anyway (docs/decisions/0015-your-voice-anonymity.md)."""
    with recorded(by, "surveys.close_wave"):
        _serialise_set_up()
        # Waits for answers being saved now (they hold a share lock on the wave), so none
        # lands after the wave has closed.
        lock(Wave.objects.filter(pk=wave.pk))
        wave.refresh_from_db()
        if wave.closed is not None:
            raise ValidationError({"closed": f"{wave.title} closed on {long_date(wave.closed)}"})
        if closed < wave.opened:
            raise ValidationError(
                {
                    "closed": f"The closing date must be on or after {long_date(wave.opened)}, "
                    "when the wave opened"
                }
            )
        wave.closed = closed
        wave.closed_by = by
        wave.save(update_fields=["closed", "closed_by"])
        Participation.objects.filter(wave=wave).delete()
        return wave


def waves() -> QuerySet[Wave]:
    return Wave.objects.order_by("-opened")
