"""The Your Voice measures against hand-counted waves."""

from __future__ import annotations

from datetime import date

import pytest

from onestory.accounts.models import Role
from onestory.outcomes.your_voice import (
    by_wave,
    feeling_safe_and_supported,
    time_with_children_and_families,
)
from onestory.surveys.tests.helpers import a_wave, add_responses, closed
from onestory.test import make_user


@pytest.fixture
def waves(db):
    lead = make_user("quinn", Role.QUALITY_LEAD, "Quinn", "Adebayo", password=None)
    # 2024: 4 agree, 1 disagrees, 1 does not know -> 4 / 5 = 80%.
    # Time with children and families: 4 x (30 + 20) and 2 x (10 + 10): (200 + 40) / 6 = 40.
    w2024 = a_wave(lead, "Your Voice 2024", opened=date(2024, 10, 1))
    add_responses(w2024, 4, time_use=(30, 20, 30, 10, 5, 3, 2), agreement="agree")
    add_responses(w2024, 1, time_use=(10, 10, 50, 20, 5, 3, 2), agreement="disagree")
    add_responses(w2024, 1, time_use=(10, 10, 50, 20, 5, 3, 2), agreement="dont_know")
    closed(w2024, lead)  # 28 October 2024
    # 2025: 9 strongly agree, 1 neither -> 90%; (9 x 60 + 1 x 40) / 10 = 58.
    w2025 = a_wave(lead, "Your Voice 2025", opened=date(2025, 10, 1))
    add_responses(w2025, 9, time_use=(40, 20, 20, 10, 5, 3, 2), agreement="strongly_agree")
    add_responses(w2025, 1, time_use=(20, 20, 40, 10, 5, 3, 2), agreement="neither")
    closed(w2025, lead)  # 28 October 2025
    # 2026: only 4 answered: nothing may be shown.
    w2026 = a_wave(lead, "Your Voice 2026", opened=date(2026, 10, 1))
    add_responses(w2026, 4, time_use=(90, 10, 0, 0, 0, 0, 0))
    closed(w2026, lead)
    # 2027 is open: its figures still move, so they are not used.
    w2027 = a_wave(lead, "Your Voice 2027", opened=date(2027, 10, 1))
    add_responses(w2027, 10, agreement="disagree")
    return w2024, w2025, w2026


def test_feeling_safe_and_supported_at_a_date(waves, django_assert_num_queries) -> None:
    assert feeling_safe_and_supported(date(2024, 10, 27)) is None  # before any wave closed
    with django_assert_num_queries(2):
        assert feeling_safe_and_supported(date(2024, 10, 28)) == 80.0
    assert feeling_safe_and_supported(date(2025, 10, 27)) == 80.0
    assert feeling_safe_and_supported(date(2025, 12, 31)) == 90.0
    assert feeling_safe_and_supported(date(2026, 10, 28)) is None  # 4 respondents
    assert feeling_safe_and_supported(date(2028, 1, 1)) is None  # the 2027 wave is open
    assert feeling_safe_and_supported(date(2025, 12, 31), pod=1) is None


def test_time_with_children_and_families_at_a_date(waves, django_assert_num_queries) -> None:
    with django_assert_num_queries(3):
        assert time_with_children_and_families(date(2024, 11, 1)) == 40.0
    assert time_with_children_and_families(date(2025, 11, 1)) == 58.0
    assert time_with_children_and_families(date(2026, 11, 1)) is None
    assert time_with_children_and_families(date(2024, 1, 1)) is None
    assert time_with_children_and_families(date(2025, 11, 1), pod=1) is None


def test_by_wave(waves) -> None:
    rows = [(r.wave.title, safe, time) for r, safe, time in by_wave()]
    assert rows == [
        ("Your Voice 2024", 80.0, 40.0),
        ("Your Voice 2025", 90.0, 58.0),
        ("Your Voice 2026", None, None),
    ]
