"""Writing pre-proceedings: keyword-only functions, each in one transaction with its history
context (`recorded`), each writing what happened on the family's story as a final entry of its
own kind (Kind.PRE_PROCEEDINGS).

The database refuses bad data with its check constraints (models.py); these functions check
the same rules first so that a person sees a message on the field, in plain English, rather
than an error page. Changes to a period carry the version the person loaded: the first save
wins and the other gets False, keeping what they typed on screen (as Entry.save_draft).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone

from onestory.accounts.models import User
from onestory.families.models import CareProceedings, Family, FamilyMember, MemberRole, Person
from onestory.lib.dates import long_date
from onestory.lib.history import lock, recorded
from onestory.preproceedings import access
from onestory.preproceedings.models import Outcome, PreProceedings, Response
from onestory.stories.models import Entry, Kind, Status


def _refuse_unless_recorder(by: User, family: Family) -> None:
    if not access.can(by, family, access.Action.RECORD):
        raise ValidationError("You cannot record pre-proceedings for this family")


def _entry(
    period: PreProceedings, *, by: User, day: date, story: str, next_steps: str = ""
) -> Entry:
    """A final entry on the family's story about the children the period is about."""
    now = timezone.now()
    entry = Entry.objects.create(
        family_id=period.family_id,
        kind=Kind.PRE_PROCEEDINGS,
        occurred_at=timezone.make_aware(datetime.combine(day, time(12))),
        author=by,
        story=story,
        next_steps=next_steps,
        status=Status.FINAL,
        finalised_at=now,
    )
    entry.concerns.set(list(period.children.values_list("pk", flat=True)))
    entry.refresh_search()
    return entry


def children_of(family: Family, day: date | None = None) -> list[Person]:
    """The children of the family today, the ones a period may be about."""
    members = FamilyMember.objects.open_on(day or timezone.localdate()).filter(
        family=family, role=MemberRole.CHILD
    )
    return list(Person.objects.filter(pk__in=members.values("person")).order_by("first_name"))


def _names(people: Iterable[Person]) -> str:
    names = [p.first_name for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def start(
    *,
    family: Family,
    by: User,
    children: Iterable[Person],
    letter_date: date,
    fgdm_in_letter: bool,
) -> PreProceedings:
    """Starts pre-proceedings on the date of the letter before proceedings, for the children
    it is about, with the family group decision-making offer when the letter made it."""
    _refuse_unless_recorder(by, family)
    chosen = list(children)
    allowed = {p.pk for p in children_of(family)}
    errors: dict[str, str] = {}
    if not chosen:
        errors["children"] = "Choose the children the letter is about"
    elif any(p.pk not in allowed for p in chosen):
        errors["children"] = "Choose only children of this family"
    if letter_date > timezone.localdate():
        errors["letter_date"] = "The date of the letter cannot be in the future"
    if errors:
        raise ValidationError(errors)
    with recorded(by, "preproceedings.start"):
        # Locks the family: two workers starting pre-proceedings at once would both find no
        # open period and the second would meet the database's overlap error instead of a
        # message.
        lock(Family.objects.filter(pk=family.pk))
        overlapping = PreProceedings.objects.filter(family=family).filter(
            Q(ended__isnull=True) | Q(ended__gt=letter_date)
        )
        if overlapping.exists():
            raise ValidationError(
                {"letter_date": "This family already has pre-proceedings open at that date"}
            )
        period = PreProceedings.objects.create(
            family=family,
            letter_date=letter_date,
            fgdm_in_letter=fgdm_in_letter,
            fgdm_offered_on=letter_date if fgdm_in_letter else None,
            created_by=by,
        )
        period.children.set(chosen)
        offer = (
            " The letter offered the family a family group decision-making meeting."
            if fgdm_in_letter
            else ""
        )
        _entry(
            period,
            by=by,
            day=letter_date,
            story=(
                f"We sent the letter before proceedings on {long_date(letter_date)}, about "
                f"{_names(chosen)}.{offer}"
            ),
            next_steps="A pre-proceedings meeting with the family and their lawyers.",
        )
    return period


def _save(
    period: PreProceedings,
    *,
    by: User,
    action: str,
    expected_version: int,
    values: dict[str, Any],
    story: list[tuple[date, str]],
) -> bool:
    """The conditional update and its entry: False when someone else saved first."""
    with recorded(by, action):
        updated = PreProceedings.objects.filter(pk=period.pk, version=expected_version).update(
            **values, version=F("version") + 1
        )
        if updated and story:
            day = max(d for d, _ in story)
            _entry(period, by=by, day=day, story="\n\n".join(text for _, text in story))
    if updated:
        period.refresh_from_db()
    return bool(updated)


def record_meeting(
    *, period: PreProceedings, by: User, expected_version: int, meeting_date: date
) -> bool:
    """Records (or corrects) the date of the pre-proceedings meeting."""
    _refuse_unless_recorder(by, period.family)
    errors = {}
    if meeting_date < period.letter_date:
        errors["meeting_date"] = "The meeting cannot be before the letter before proceedings"
    elif meeting_date > timezone.localdate():
        errors["meeting_date"] = "The date of the meeting cannot be in the future"
    elif period.ended and meeting_date > period.ended:
        errors["meeting_date"] = "The meeting cannot be after pre-proceedings ended"
    if errors:
        raise ValidationError(errors)
    story = []
    if meeting_date != period.meeting_date:
        text = f"The pre-proceedings meeting was held on {long_date(meeting_date)}."
        if period.meeting_date:
            text = f"Corrected: {text[:1].lower()}{text[1:]}"
        story.append((meeting_date, text))
    return _save(
        period,
        by=by,
        action="preproceedings.record_meeting",
        expected_version=expected_version,
        values={"meeting_date": meeting_date},
        story=story,
    )


def _fgdm_errors(period: PreProceedings, v: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    today = timezone.localdate()
    offered, held = v["fgdm_offered_on"], v["fgdm_held_on"]
    if v["fgdm_in_letter"] and offered and offered != period.letter_date:
        errors["fgdm_offered_on"] = (
            f"An offer in the letter was made on the letter's date, {long_date(period.letter_date)}"
        )
    if offered and offered > today:
        errors["fgdm_offered_on"] = "The date of the offer cannot be in the future"
    if v["fgdm_response"] and not offered:
        errors["fgdm_offered_on"] = "Enter the date the meeting was offered"
    if held:
        if v["fgdm_response"] != Response.ACCEPTED:
            errors["fgdm_response"] = "A meeting was held, so choose accepted"
        if offered and held < offered:
            errors["fgdm_held_on"] = "The meeting cannot be held before it was offered"
        if held > today:
            errors["fgdm_held_on"] = "The date the meeting was held cannot be in the future"
    if v["fgdm_plan_agreed"] is not None and not held:
        errors["fgdm_held_on"] = "Enter the date the meeting was held, where the plan was agreed"
    if v["fgdm_plan_agreed"] and not v["fgdm_plan"]:
        errors["fgdm_plan"] = "Write the family's plan in their words"
    if v["fgdm_plan"] and not v["fgdm_plan_agreed"]:
        errors["fgdm_plan_agreed"] = "Say that a family plan was agreed, or leave the plan empty"
    return errors


def _fgdm_story(period: PreProceedings, v: dict[str, Any]) -> list[tuple[date, str]]:
    story: list[tuple[date, str]] = []
    offered, held = v["fgdm_offered_on"], v["fgdm_held_on"]
    if offered and offered != period.fgdm_offered_on:
        where = " in the letter before proceedings" if v["fgdm_in_letter"] else ""
        story.append(
            (
                offered,
                f"We offered a family group decision-making meeting{where} on "
                f"{long_date(offered)}.",
            )
        )
    if v["fgdm_response"] and v["fgdm_response"] != period.fgdm_response:
        answer = "accepted" if v["fgdm_response"] == Response.ACCEPTED else "declined"
        story.append((offered, f"The family {answer} the family group decision-making meeting."))
    if held and held != period.fgdm_held_on:
        story.append(
            (held, f"The family group decision-making meeting was held on {long_date(held)}.")
        )
    if v["fgdm_plan_agreed"] is not None and (
        v["fgdm_plan_agreed"] != period.fgdm_plan_agreed or v["fgdm_plan"] != period.fgdm_plan
    ):
        text = (
            f"The family agreed their plan:\n\n{v['fgdm_plan']}"
            if v["fgdm_plan_agreed"]
            else "The meeting did not agree a family plan."
        )
        story.append((held, text))
    return story


def record_fgdm(
    *,
    period: PreProceedings,
    by: User,
    expected_version: int,
    fgdm_offered_on: date | None,
    fgdm_in_letter: bool,
    fgdm_response: str,
    fgdm_held_on: date | None,
    fgdm_plan_agreed: bool | None,
    fgdm_plan: str,
) -> bool:
    """Records (or corrects) the family group decision-making offer: when it was offered,
    whether in the letter, the family's answer, when the meeting was held, and the plan."""
    _refuse_unless_recorder(by, period.family)
    values = {
        # An offer in the letter is made on the letter's date; a different date typed is
        # refused below rather than silently replaced.
        "fgdm_offered_on": fgdm_offered_on or (period.letter_date if fgdm_in_letter else None),
        "fgdm_in_letter": fgdm_in_letter,
        "fgdm_response": fgdm_response,
        "fgdm_held_on": fgdm_held_on,
        "fgdm_plan_agreed": fgdm_plan_agreed,
        "fgdm_plan": fgdm_plan.strip(),
    }
    errors = _fgdm_errors(period, values)
    if errors:
        raise ValidationError(errors)
    return _save(
        period,
        by=by,
        action="preproceedings.record_fgdm",
        expected_version=expected_version,
        values=values,
        story=_fgdm_story(period, values),
    )


def applications_for(period: PreProceedings) -> list[CareProceedings]:
    """The family's care applications this period may have led to: made on or after its
    letter and not already the end of another period."""
    return list(
        CareProceedings.objects.filter(
            family_id=period.family_id, application_date__gte=period.letter_date
        )
        .filter(Q(pre_proceedings__isnull=True) | Q(pre_proceedings=period))
        .order_by("application_date", "pk")
    )


def record_outcome(
    *,
    period: PreProceedings,
    by: User,
    expected_version: int,
    ended: date,
    outcome: str,
    outcome_note: str,
    proceedings: CareProceedings | None,
) -> bool:
    """Ends pre-proceedings with its outcome (or corrects it): stepped down, a care
    application made (linked to the family's care proceedings), or something else."""
    _refuse_unless_recorder(by, period.family)
    note = outcome_note.strip()
    errors: dict[str, str] = {}
    if ended < period.letter_date:
        errors["ended"] = "The end cannot be before the letter before proceedings"
    elif period.meeting_date and ended < period.meeting_date:
        errors["ended"] = "The end cannot be before the pre-proceedings meeting"
    elif ended > timezone.localdate():
        errors["ended"] = "The end cannot be in the future"
    if outcome == Outcome.CARE_APPLICATION:
        if proceedings is None:
            errors["proceedings"] = (
                "Choose the care application (record it on the family's record first)"
            )
        elif proceedings.pk not in {p.pk for p in applications_for(period)}:
            errors["proceedings"] = "Choose a care application made after the letter"
    else:
        proceedings = None
    if outcome == Outcome.OTHER and not note:
        errors["outcome_note"] = "Say what the outcome was"
    if errors:
        raise ValidationError(errors)
    story: list[tuple[date, str]] = []
    if (ended, outcome, note, proceedings and proceedings.pk) != (
        period.ended,
        period.outcome,
        period.outcome_note,
        period.proceedings_id,
    ):
        text = (
            f"Pre-proceedings ended on {long_date(ended)}: "
            + {
                Outcome.STEPPED_DOWN: "we stepped down.",
                Outcome.CARE_APPLICATION: (
                    f"we applied to {proceedings.court} for a care order on "
                    f"{long_date(proceedings.application_date)}."
                    if proceedings
                    else ""
                ),
                Outcome.OTHER: note,
            }[Outcome(outcome)]
        )
        if outcome != Outcome.OTHER and note:
            text += f"\n\n{note}"
        if period.ended:
            text = f"Corrected: {text[:1].lower()}{text[1:]}"
        story.append((ended, text))
    return _save(
        period,
        by=by,
        action="preproceedings.record_outcome",
        expected_version=expected_version,
        values={
            "ended": ended,
            "outcome": outcome,
            "outcome_note": note,
            "proceedings": proceedings,
        },
        story=story,
    )
