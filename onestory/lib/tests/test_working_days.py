"""Working days in England and Wales, checked against published bank holidays and by property."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from onestory.lib.working_days import (
    add_working_days,
    bank_holidays,
    easter_sunday,
    is_working_day,
    working_days_between,
)

# GOV.UK's published England and Wales bank holidays.
PUBLISHED = {
    2020: ["01-01", "04-10", "04-13", "05-08", "05-25", "08-31", "12-25", "12-28"],
    2021: ["01-01", "04-02", "04-05", "05-03", "05-31", "08-30", "12-27", "12-28"],
    2022: [
        "01-03", "04-15", "04-18", "05-02", "06-02", "06-03", "08-29", "09-19", "12-26", "12-27",
    ],
    2023: ["01-02", "04-07", "04-10", "05-01", "05-08", "05-29", "08-28", "12-25", "12-26"],
    2024: ["01-01", "03-29", "04-01", "05-06", "05-27", "08-26", "12-25", "12-26"],
    2025: ["01-01", "04-18", "04-21", "05-05", "05-26", "08-25", "12-25", "12-26"],
    2026: ["01-01", "04-03", "04-06", "05-04", "05-25", "08-31", "12-25", "12-28"],
}  # fmt: skip


def test_bank_holidays_match_the_published_lists() -> None:
    for year, days in PUBLISHED.items():
        assert bank_holidays(year) == {date.fromisoformat(f"{year}-{d}") for d in days}, year


def test_easter() -> None:
    assert easter_sunday(2024) == date(2024, 3, 31)
    assert easter_sunday(2025) == date(2025, 4, 20)
    assert easter_sunday(2038) == date(2038, 4, 25)  # the latest possible
    assert easter_sunday(2285) == date(2285, 3, 22)  # the earliest possible


def test_ten_working_days_over_christmas() -> None:
    # Friday 19 December 2025: Christmas Day and Boxing Day are skipped, as are weekends.
    assert add_working_days(date(2025, 12, 19), 10) == date(2026, 1, 7)


days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@given(days)
def test_every_year_has_eight_regular_holidays_on_weekdays(day: date) -> None:
    holidays = bank_holidays(day.year)
    assert all(h.weekday() < 5 for h in holidays)
    assert len(holidays) >= 8


@given(days, st.integers(min_value=0, max_value=400))
def test_adding_working_days_lands_on_a_working_day_that_far_away(day: date, n: int) -> None:
    later = add_working_days(day, n)
    assert working_days_between(day, later) == n
    if n:
        assert is_working_day(later)
        assert later > day
    # And back again, when we start on a working day.
    if is_working_day(day):
        assert add_working_days(later, -n) == day


@given(days, days)
def test_between_is_antisymmetric_and_at_most_the_calendar_days(a: date, b: date) -> None:
    assert working_days_between(a, b) == -working_days_between(b, a)
    assert abs(working_days_between(a, b)) <= abs((b - a).days)
    assert (
        abs(working_days_between(a, b))
        >= abs((b - a).days) * 5 // 7 - 12 * (abs(b.year - a.year) + 1) - 2
    )


def test_weekends_are_not_working_days() -> None:
    saturday = date(2025, 3, 1)
    assert not is_working_day(saturday)
    assert not is_working_day(saturday + timedelta(days=1))
    assert is_working_day(saturday + timedelta(days=2))
