"""Test helpers for supervision: an arrangement, sessions held and booked, a casework record."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from onestory.accounts.models import User
from onestory.families.models import Family
from onestory.supervision.models import (
    Action,
    Arrangement,
    CaseworkRecord,
    PersonalNotes,
    Session,
)
from onestory.test import LONG_AGO, Cast


def supervise(
    cast: Cast, *, supervisee: User | None = None, supervisor: User | None = None, **extra: object
) -> Arrangement:
    """Sam supervised by Priya since long ago, unless told otherwise."""
    supervisee = supervisee or cast.sam
    extra.setdefault("start", LONG_AGO)
    return Arrangement.objects.create(
        supervisee=supervisee.staff, supervisor=supervisor or cast.priya, **extra
    )


def held(arrangement: Arrangement, day: date, minutes: int = 90) -> Session:
    return Session.objects.create(
        arrangement=arrangement, scheduled_for=day, held_on=day, minutes=minutes, recorded_on=day
    )


def booked(arrangement: Arrangement, day: date) -> Session:
    return Session.objects.create(arrangement=arrangement, scheduled_for=day)


def discussed(
    session: Session, family: Family, *, by: User, decisions: str = "Keep going."
) -> CaseworkRecord:
    assert session.held_on is not None
    return CaseworkRecord.objects.create(
        session=session,
        family=family,
        discussed_on=session.held_on,
        reflection="Things are steadier.",
        decisions=decisions,
        written_by=by,
    )


def private_notes(
    session: Session, text: str = "Feeling stretched by the court work"
) -> PersonalNotes:
    return PersonalNotes.objects.create(session=session, wellbeing=text, workload="Too many")


def action(record: CaseworkRecord, owner: User, due: date, text: str = "Ring the school") -> Action:
    return Action.objects.create(
        record=record, owner=owner, text=text, set_on=min(due, record.discussed_on), due=due
    )


def today() -> date:
    return timezone.localdate()


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)
