"""What's due and the home page: "Your Voice is open" for those who may answer and have not."""

from __future__ import annotations

from datetime import date

import pytest

from onestory.accounts.models import Role
from onestory.lib.due import pod_tasks_for, tasks_for
from onestory.surveys.due import invitation
from onestory.surveys.tests.helpers import a_wave, answer_form
from onestory.test import make_user, signed_in

DAY = date(2026, 10, 5)


@pytest.fixture
def wave(cast):
    lead = make_user("quinn", Role.QUALITY_LEAD, "Quinn", "Adebayo", password=None)
    return a_wave(lead)


def test_an_open_wave_is_due_until_answered(cast, wave, django_assert_num_queries) -> None:
    with django_assert_num_queries(2):
        task = invitation(cast.sam, DAY)
    assert task is not None
    assert (task.what, task.due, task.about) == (
        "Answer Your Voice 2026",
        date(2026, 10, 28),
        "Your Voice is open: tell us how it is",
    )
    assert task.href == f"/your-voice/waves/{wave.pk}/answer/"
    assert [t.what for t in tasks_for(cast.sam, DAY) if t.source == "Your Voice"] == [
        "Answer Your Voice 2026"
    ]
    signed_in(cast.sam).post(task.href, answer_form(wave))
    assert invitation(cast.sam, DAY) is None
    assert invitation(cast.charlie, DAY) is not None


def test_nobody_is_shown_who_in_a_pod_has_answered(cast, wave) -> None:
    assert [t for t in pod_tasks_for(cast.harbour, DAY) if t.source == "Your Voice"] == []


def test_no_invitation_without_an_open_wave_or_the_right_to_answer(cast) -> None:
    assert invitation(cast.sam, DAY) is None
    admin = make_user("root", Role.ADMINISTRATOR, "Ada", "Admin", password=None)
    a_wave(make_user("quinn", Role.QUALITY_LEAD, "Quinn", "Adebayo", password=None))
    assert invitation(admin, DAY) is None
