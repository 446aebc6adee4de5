"""The demo council's Your Voice, on the small council: the source's figures, from individual
responses stored under the same rules as real ones."""

from __future__ import annotations

from datetime import date

from django.db.models import Sum

from onestory.outcomes.your_voice import (
    by_wave,
    feeling_safe_and_supported,
    time_with_children_and_families,
)
from onestory.surveys.models import Participation, Response, TimeUse, Wave
from onestory.test import SMALL_COUNCIL_TODAY


def test_waves_every_year_from_2016(small_council) -> None:
    titles = list(Wave.objects.order_by("opened").values_list("title", flat=True))
    assert titles == [f"Your Voice {y}" for y in range(2016, SMALL_COUNCIL_TODAY.year + 1)]
    # The wave of the current year is still open on 2 November 2026; the others closed.
    assert list(Wave.objects.filter(closed__isnull=True).values_list("title", flat=True)) == [
        "Your Voice 2026"
    ]
    assert small_council["surveys.Response"] == Response.objects.count() > 0


def test_feeling_safe_and_supported_64_in_2016_and_89_in_2019(small_council) -> None:
    safe = {r.wave.opened.year: value or 0.0 for r, value, _ in by_wave()}
    assert round(safe[2016]) == 64
    assert round(safe[2019]) == 89
    assert feeling_safe_and_supported(date(2016, 12, 31)) == safe[2016]
    assert feeling_safe_and_supported(date(2019, 12, 31)) == safe[2019]


def test_time_with_children_and_families_grows(small_council) -> None:
    found = {r.wave.opened.year: t for r, _, t in by_wave()}
    assert None not in found.values()
    time = {year: t or 0.0 for year, t in found.items()}
    assert time[2016] < time[2017] < time[2019] < time[2025]
    assert time_with_children_and_families(date(2025, 12, 31)) == time[2025]


def test_the_demo_keeps_the_anonymity_rules(small_council) -> None:
    # Tokens only for the open wave; every response's time use adds up to 100.
    assert set(Participation.objects.values_list("wave__closed", flat=True)) == {None}
    sums = TimeUse.objects.values("response").annotate(total=Sum("percent"))
    assert set(sums.values_list("total", flat=True)) == {100}
