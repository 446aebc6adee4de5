"""The Your Voice access matrix, generated from access.TABLE: every role x action through
`can` and through the pages, and free text by role x wave state."""

from __future__ import annotations

from datetime import date
from itertools import product

import pytest
from django.urls import reverse

from onestory.accounts.models import Role
from onestory.surveys.access import TABLE, Action, can, can_read_free_text
from onestory.surveys.tests.helpers import a_wave, add_responses, closed
from onestory.test import make_user, signed_in

pytestmark = pytest.mark.django_db

# Worked out here from the issue, independently of the table.
RESULTS_ROLES = {Role.HEAD_OF_SERVICE, Role.PERFORMANCE_ANALYST, Role.QUALITY_LEAD}


def expected(role: Role, action: Action) -> bool:
    if action is Action.RESPOND:
        return role is not Role.ADMINISTRATOR
    if action is Action.SEE_RESULTS:
        return role in RESULTS_ROLES
    return role is Role.QUALITY_LEAD


CASES = list(product(Role, Action))


def test_the_matrix_covers_every_role_and_action() -> None:
    assert set(TABLE) == set(Role)
    assert len(CASES) == len(Role) * len(Action)


@pytest.mark.parametrize(("role", "action"), CASES)
def test_can_follows_the_table(role: Role, action: Action) -> None:
    user = make_user(f"u-{role}", role, "Test", "User", password=None, mfa=False)
    assert can(user, action) == expected(role, action)
    user.is_active = False
    assert not can(user, action)


# The page each action opens (GET only: no state changes here).
def pages(wave_id: int, closed_id: int) -> dict[Action, list[str]]:
    return {
        Action.RESPOND: [reverse("surveys:answer", args=[wave_id])],
        Action.MANAGE_WAVES: [
            reverse("surveys:open_wave"),
            reverse("surveys:close_wave", args=[wave_id]),
        ],
        Action.EDIT_QUESTIONS: [reverse("surveys:questions")],
        Action.SEE_RESULTS: [
            reverse("surveys:results"),
            reverse("surveys:results_csv"),
            reverse("surveys:wave_results", args=[closed_id]),
            reverse("surveys:wave_csv", args=[closed_id]),
        ],
    }


@pytest.mark.parametrize("role", list(Role))
def test_pages_follow_the_table(cast, role: Role) -> None:
    lead = make_user("lead", Role.QUALITY_LEAD, "Quinn", "Lead", password=None)
    past = closed(a_wave(lead, "Your Voice 2025", opened=date(2025, 10, 1)), lead)
    wave = a_wave(lead)
    user = make_user(f"u-{role}", role, "Test", "User", password=None)
    client = signed_in(user)
    for action, urls in pages(wave.pk, past.pk).items():
        for url in urls:
            status = client.get(url).status_code
            assert status == (200 if expected(role, action) else 404), (action, url, status)
    home = client.get(reverse("surveys:index")).status_code
    assert home == (200 if expected(role, Action.RESPOND) or role in RESULTS_ROLES else 404)


@pytest.mark.parametrize(("role", "state"), list(product(Role, ["open", "closed"])))
def test_free_text_only_for_the_quality_lead_once_closed(cast, role: Role, state: str) -> None:
    lead = make_user("lead", Role.QUALITY_LEAD, "Quinn", "Lead", password=None)
    wave = a_wave(lead)
    add_responses(wave, 5, free_text="Pod meetings help me think")
    if state == "closed":
        wave = closed(wave, lead)
    user = (
        lead
        if role is Role.QUALITY_LEAD
        else make_user(f"u-{role}", role, "Test", "User", password=None)
    )
    allowed = role is Role.QUALITY_LEAD and state == "closed"
    assert can_read_free_text(user, wave) == allowed
    client = signed_in(user)
    page = client.get(reverse("surveys:free_text", args=[wave.pk]))
    assert page.status_code == (200 if allowed else 404)
    assert ("Pod meetings help me think" in page.text) == allowed
    if role in RESULTS_ROLES:
        results = client.get(reverse("surveys:wave_results", args=[wave.pk])).text
        assert "Pod meetings help me think" not in results
        assert ("Read what people wrote" in results) == allowed
