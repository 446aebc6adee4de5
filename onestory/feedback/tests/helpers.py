"""Test helpers for the log of compliments and complaints."""

from __future__ import annotations

from datetime import date
from typing import Any

from onestory.accounts.models import Role, User
from onestory.feedback.models import Channel, Item, Kind, Source, Stage
from onestory.feedback.procedure import log_item, respond, start_stage
from onestory.test import make_user


def officer(username: str = "cora") -> User:
    """Cora, the complaints officer."""
    return make_user(username, Role.COMPLAINTS_OFFICER, "Cora", "Bell", password=None)


def logged(by: User, *, kind: str = Kind.COMPLAINT, received: date, **values: Any) -> Item:
    values.setdefault("source", Source.PARENT)
    values.setdefault("channel", Channel.PHONE)
    values.setdefault("summary", "The visit was cancelled twice without telling us.")
    return log_item(by=by, kind=kind, received=received, **values)


def answered(by: User, stage: Stage, day: date, outcome: str = "") -> Stage:
    return respond(by=by, stage=stage, version=stage.version, responded=day, outcome=outcome)


def escalated(by: User, item: Item, number: int, day: date) -> Stage:
    return start_stage(by=by, item=item, number=number, started=day)
