"""The writes of supervision: scheduling and recording sessions, casework records and their
actions, group supervision, Reflective Practice Groups and the standards.

Each is a typed, keyword-only function in one transaction through `recorded(by, ...)`. Bad
input raises `ValidationError` keyed by the form field at fault, in words the user can act on,
and nothing is saved. The pages check who may call them (supervision/access.py); these check
what the database cannot: a casework record only for a family the person writing it may see
(the families' chokepoint), and dates against today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from onestory.accounts.models import User
from onestory.families import access as family_access
from onestory.families.models import Family, Person
from onestory.lib.dates import long_date
from onestory.lib.history import lock, recorded
from onestory.pods.models import Pod, Staff
from onestory.stories.models import Entry, Kind, Status
from onestory.supervision.access import may_supervise
from onestory.supervision.models import (
    WORKING_DAY_MINUTES,
    Action,
    Arrangement,
    CaseworkRecord,
    ChildRating,
    GroupSession,
    PersonalNotes,
    Rating,
    ReflectiveGroup,
    Session,
    Standards,
)

# A family's reference as the service writes it (families/models/records.py): an F and seven
# letters or digits with no 0, 1, I or O.
FAMILY_REFERENCE = re.compile(r"\bF[2-9A-HJ-NP-Z]{7}\b", re.IGNORECASE)


@dataclass
class ActionNote:
    text: str
    owner: User | None
    due: date | None


@dataclass
class CaseworkNote:
    """One family's part of a session as typed: `prefix` names its fields on the form."""

    prefix: str
    family: Family | None
    reflection: str
    decisions: str
    ratings: dict[Person, int] = field(default_factory=dict)
    actions: list[ActionNote] = field(default_factory=list)
    family_label: str = "the family"


def _check_minutes(minutes: int | None, errors: dict[str, str], name: str = "minutes") -> None:
    if minutes is None:
        errors[name] = "Enter how many minutes it lasted"
    elif minutes <= 0:
        errors[name] = "Minutes must be more than 0"
    elif minutes > WORKING_DAY_MINUTES:
        errors[name] = (
            f"Minutes must be no more than {WORKING_DAY_MINUTES}: a session cannot be longer "
            "than a working day"
        )


def _check_held(held_on: date | None, today: date, errors: dict[str, str]) -> None:
    if held_on is None:
        errors["held_on"] = "Enter the date it was held"
    elif held_on > today:
        errors["held_on"] = "The date it was held cannot be in the future"


def _check_casework(
    notes: list[CaseworkNote], *, by: User, today: date, errors: dict[str, str]
) -> None:
    seen: set[int] = set()
    for note in notes:
        p = note.prefix
        if note.family is None or not family_access.can(by, note.family, family_access.Action.VIEW):
            # The same words for a family that does not exist and one the writer may not see.
            errors[f"{p}_family"] = (
                "You can only write a casework record for a family you may see: check the "
                "family's reference"
            )
            continue
        if note.family.pk in seen:
            errors[f"{p}_family"] = f"{note.family_label} is already discussed in this session"
        seen.add(note.family.pk)
        if not note.decisions.strip():
            errors[f"{p}_decisions"] = f"Enter the decisions for {note.family_label}"
        if not note.reflection.strip():
            errors[f"{p}_reflection"] = f"Enter the reflection and analysis for {note.family_label}"
        for rating in note.ratings.values():
            if rating not in Rating.values:
                errors[f"{p}_rating"] = "Choose a rating from the scale"
        for i, action in enumerate(note.actions):
            if not action.text.strip():
                continue
            if action.owner is None:
                errors[f"{p}_owner" if i == 0 else f"{p}_owner_{i}"] = (
                    f"Choose who owns the action for {note.family_label}"
                )
            if action.due is None:
                errors[f"{p}_due" if i == 0 else f"{p}_due_{i}"] = (
                    f"Enter the date the action for {note.family_label} is due"
                )
            elif action.due < today:
                errors[f"{p}_due" if i == 0 else f"{p}_due_{i}"] = (
                    f"The due date of the action for {note.family_label} cannot be in the past"
                )


def _write_casework(
    notes: list[CaseworkNote],
    *,
    session: Session | None = None,
    group: GroupSession | None = None,
    discussed_on: date,
    by: User,
    today: date,
) -> list[CaseworkRecord]:
    records = CaseworkRecord.objects.bulk_create(
        CaseworkRecord(
            session=session,
            group=group,
            family=note.family,
            discussed_on=discussed_on,
            reflection=note.reflection.strip(),
            decisions=note.decisions.strip(),
            written_by=by,
        )
        for note in notes
    )
    ChildRating.objects.bulk_create(
        ChildRating(record=record, child=child, rating=rating)
        for record, note in zip(records, notes, strict=True)
        for child, rating in note.ratings.items()
    )
    Action.objects.bulk_create(
        Action(record=record, text=a.text.strip(), owner=a.owner, set_on=today, due=a.due)
        for record, note in zip(records, notes, strict=True)
        for a in note.actions
        if a.text.strip() and a.due is not None
    )
    return records


# --- Arrangements and 1:1 sessions -----------------------------------------------------------


def arrange(
    *, supervisee: Staff, supervisor: User, start: date, asye_start: date | None = None, by: User
) -> Arrangement:
    """Names `supervisor` as the supervisee's supervisor from `start`."""
    if not may_supervise(supervisor):
        raise ValidationError(
            {
                "supervisor": f"{supervisor} cannot supervise: choose a pod manager, a senior "
                "social worker or the head of service"
            }
        )
    if supervisee.user_id == supervisor.pk:
        raise ValidationError({"supervisor": "Nobody supervises themselves"})
    with recorded(by, "supervision.arrange"):
        arrangement = Arrangement(
            supervisee=supervisee, supervisor=supervisor, start=start, asye_start=asye_start
        )
        arrangement.full_clean()
        arrangement.save()
    return arrangement


def schedule(*, arrangement: Arrangement, scheduled_for: date | None, by: User) -> Session:
    """Books the next 1:1 session of this supervision."""
    today = timezone.localdate()
    if scheduled_for is None:
        raise ValidationError({"scheduled_for": "Enter the date of the session"})
    if scheduled_for < today:
        raise ValidationError({"scheduled_for": "The date of the session cannot be in the past"})
    if not arrangement.is_open_on(scheduled_for):
        raise ValidationError(
            {
                "scheduled_for": f"{arrangement.supervisor} does not supervise "
                f"{arrangement.supervisee} on {long_date(scheduled_for)}"
            }
        )
    with recorded(by, "supervision.schedule"):
        return Session.objects.create(arrangement=arrangement, scheduled_for=scheduled_for)


def record_session(
    *,
    session: Session,
    held_on: date | None,
    minutes: int | None,
    present: list[User],
    casework: list[CaseworkNote],
    wellbeing: str = "",
    workload: str = "",
    learning: str = "",
    by: User,
) -> Session:
    """Records a scheduled 1:1 as held: when, how long, who was there, a casework record for
    each family discussed with its ratings and actions, and the personal notes."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    _check_held(held_on, today, errors)
    _check_minutes(minutes, errors)
    _check_casework(casework, by=by, today=today, errors=errors)
    if errors:
        raise ValidationError(errors)
    assert held_on is not None
    with recorded(by, "supervision.record_session"):
        # Locks the session: two people recording the same session at once would otherwise
        # both write its casework records; the second finds it held and is refused.
        lock(Session.objects.filter(pk=session.pk))
        if Session.objects.filter(pk=session.pk, held_on__isnull=False).exists():
            raise ValidationError(
                {
                    "held_on": "Someone has already recorded this session: nothing you typed is "
                    "saved yet, so copy anything you need before you go back to it"
                }
            )
        Session.objects.filter(pk=session.pk).update(
            held_on=held_on,
            minutes=minutes,
            recorded_on=today,
            recorded_by=by,
            version=F("version") + 1,
        )
        session.present.set(present)
        _write_casework(casework, session=session, discussed_on=held_on, by=by, today=today)
        if wellbeing.strip() or workload.strip() or learning.strip():
            PersonalNotes.objects.create(
                session=session,
                wellbeing=wellbeing.strip(),
                workload=workload.strip(),
                learning=learning.strip(),
            )
    session.refresh_from_db()
    return session


def save_casework(
    *, record: CaseworkRecord, expected_version: int, reflection: str, decisions: str, by: User
) -> bool:
    """Saves a change to a casework record not yet final, if nobody has saved it since
    `expected_version` was read: one conditional UPDATE, so of two people saving at once one
    wins and the other gets False and keeps their text on screen."""
    errors = {}
    if not decisions.strip():
        errors["decisions"] = "Enter the decisions"
    if not reflection.strip():
        errors["reflection"] = "Enter the reflection and analysis"
    if errors:
        raise ValidationError(errors)
    with recorded(by, "supervision.save_casework"):
        updated = CaseworkRecord.objects.filter(
            pk=record.pk, version=expected_version, finalised_at__isnull=True
        ).update(
            reflection=reflection.strip(), decisions=decisions.strip(), version=F("version") + 1
        )
    if updated:
        record.refresh_from_db()
    return bool(updated)


def _story_text(record: CaseworkRecord, actions: list[Action]) -> tuple[str, str]:
    """The decisions and actions written for the family: it is their story."""
    story = f"In supervision on {long_date(record.discussed_on)} we decided:\n\n{record.decisions}"
    steps = "\n".join(
        f"- {a.text} ({a.owner.get_full_name() or a.owner}, by {long_date(a.due)})" for a in actions
    )
    return story, steps


def finalise_casework(*, record: CaseworkRecord, by: User) -> Entry:
    """Makes the casework record final and writes its decisions and actions on the family's
    story as one entry of its own kind (Kind.SUPERVISION). The reflection and the ratings stay
    in supervision. Finalising twice is refused."""
    if not family_access.can(by, record.family, family_access.Action.EDIT):
        raise ValidationError(
            {"decisions": "You cannot write on this family's story, so you cannot finalise it"}
        )
    with recorded(by, "supervision.finalise_casework"):
        # Locks the record: two people finalising at once would write two entries.
        lock(CaseworkRecord.objects.filter(pk=record.pk))
        record.refresh_from_db()
        if record.is_final:
            raise ValidationError({"decisions": "This casework record is already final"})
        actions = list(record.actions.select_related("owner"))
        story, steps = _story_text(record, actions)
        now = timezone.now()
        entry = Entry.objects.create(
            family=record.family,
            kind=Kind.SUPERVISION,
            occurred_at=timezone.make_aware(datetime.combine(record.discussed_on, time(12))),
            author=by,
            story=story,
            next_steps=steps,
            status=Status.FINAL,
            finalised_at=now,
        )
        entry.concerns.set(list(record.ratings.values_list("child", flat=True)))
        record.finalised_at, record.entry = now, entry
        record.save(update_fields=["finalised_at", "entry"])
        entry.refresh_search()
    return entry


def complete_action(*, action: Action, by: User) -> Action:
    with recorded(by, "supervision.complete_action"):
        Action.objects.filter(pk=action.pk, done_at__isnull=True).update(done_at=timezone.now())
    action.refresh_from_db()
    return action


# --- Group supervision and Reflective Practice Groups ----------------------------------------


def record_group(
    *,
    pod: Pod,
    held_on: date | None,
    minutes: int | None,
    attendees: list[User],
    casework: list[CaseworkNote],
    by: User,
) -> GroupSession:
    """Records group supervision in the pod, with a casework record (shared decisions) for
    each family discussed."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    _check_held(held_on, today, errors)
    _check_minutes(minutes, errors)
    _check_casework(casework, by=by, today=today, errors=errors)
    for note in casework:
        if note.family is not None and note.family.pod_id != pod.pk:
            errors.setdefault(f"{note.prefix}_family", f"{note.family_label} is not in {pod}")
    if not attendees:
        errors["attendees"] = "Choose who was there"
    if errors:
        raise ValidationError(errors)
    assert held_on is not None and minutes is not None
    with recorded(by, "supervision.record_group"):
        group = GroupSession.objects.create(
            pod=pod, led_by=by, held_on=held_on, minutes=minutes, recorded_on=today
        )
        group.attendees.set(attendees)
        _write_casework(casework, group=group, discussed_on=held_on, by=by, today=today)
    return group


def names_a_family(text: str) -> str | None:
    """The first family reference in the text, if there is one."""
    found = FAMILY_REFERENCE.search(text)
    return found.group(0) if found else None


def record_rpg(
    *,
    held_on: date | None,
    minutes: int | None,
    attendees: list[User],
    themes: str,
    learning: str,
    by: User,
) -> ReflectiveGroup:
    """Records a Reflective Practice Group run by `by`. It is about learning: no family is
    linked to it, and text naming a family (by its reference) is refused."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    _check_held(held_on, today, errors)
    _check_minutes(minutes, errors)
    for name, text, label in (("themes", themes, "Themes"), ("learning", learning, "Learning")):
        if not text.strip():
            errors[name] = f"Enter the {label.lower()}"
        elif reference := names_a_family(text):
            errors[name] = (
                f"{label} names a family ({reference.upper()}). A Reflective Practice Group "
                "is about learning: take out family names and references"
            )
    if errors:
        raise ValidationError(errors)
    assert held_on is not None and minutes is not None
    with recorded(by, "supervision.record_rpg"):
        group = ReflectiveGroup.objects.create(
            facilitator=by,
            held_on=held_on,
            minutes=minutes,
            themes=themes.strip(),
            learning=learning.strip(),
            recorded_on=today,
        )
        group.attendees.set(attendees)
    return group


STANDARD_FIELDS = (
    "one_to_one_days",
    "minutes_a_month",
    "asye_weekly_weeks",
    "asye_fortnightly_months",
    "family_days",
    "rpg_days",
)


def edit_standards(*, expected_version: int, by: User, **values: Any) -> bool:
    """Changes the standards if nobody has since `expected_version` was read (False if they
    have: the loser keeps what they typed)."""
    values = {k: v for k, v in values.items() if k in STANDARD_FIELDS}
    errors = {k: "Enter a whole number more than 0" for k, v in values.items() if not v or v <= 0}
    if errors:
        raise ValidationError(errors)
    with recorded(by, "supervision.edit_standards"):
        # The row is made with its defaults the first time anyone saves it.
        Standards.objects.get_or_create(pk=1)
        updated = Standards.objects.filter(pk=1, version=expected_version).update(
            **values, version=F("version") + 1
        )
    return bool(updated)
