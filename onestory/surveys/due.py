"""Your Voice on What's due: an open wave the person has not answered yet. Personal only: a
pod's list must not show who in it has or has not answered."""

from __future__ import annotations

from datetime import date
from typing import Any

from onestory.lib.due import Task
from onestory.lib.urls import link
from onestory.surveys.access import Action, can
from onestory.surveys.responding import has_answered
from onestory.surveys.waves import open_wave_now


def personal(user: Any, day: date) -> list[Task]:
    """Two queries at most: the open wave, and whether this person has answered it."""
    if not can(user, Action.RESPOND):
        return []
    wave = open_wave_now()
    if wave is None or wave.opened > day or has_answered(user, wave):
        return []
    return [
        Task(
            what=f"Answer {wave.title}",
            due=wave.closes_on,
            href=link("surveys:answer", [wave.pk]),
            about="Your Voice is open: tell us how it is",
            source="Your Voice",
        )
    ]


def invitation(user: Any, day: date) -> Task | None:
    """For the home page: "Your Voice is open: tell us how it is", for someone who may answer
    and has not yet. Two queries at most."""
    found = personal(user, day)
    return found[0] if found else None
