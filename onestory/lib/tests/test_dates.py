"""Dates and periods, checked by hand at the edges: the end of March, leap years, December to
January, and the hour each night when London and UTC are on different days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.template import engines
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from onestory.lib.dates import (
    a_year_before,
    add_years,
    financial_quarter,
    financial_year,
    financial_year_end,
    financial_year_label,
    financial_year_start,
    long_date,
    month_end,
    month_start,
    month_starts,
    next_month_start,
    today,
    twelve_months_to,
)


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # 23:30 UTC on 30 June is 00:30 on 1 July in London (British Summer Time).
        (datetime(2024, 6, 30, 23, 30, tzinfo=UTC), date(2024, 7, 1)),
        # In winter London is on UTC: the same day.
        (datetime(2024, 12, 31, 23, 30, tzinfo=UTC), date(2024, 12, 31)),
    ],
)
def test_today_is_the_councils_date(
    monkeypatch: pytest.MonkeyPatch, at: datetime, expected: date
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: at)
    assert today() == expected


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2015, 10, 1), "1 October 2015"),
        (date(2024, 2, 29), "29 February 2024"),
        (date(2016, 3, 31), "31 March 2016"),
        (date(2016, 4, 1), "1 April 2016"),
        (date(1999, 12, 9), "9 December 1999"),
        (datetime(2024, 5, 7, 14, 30, tzinfo=UTC), "7 May 2024"),
    ],
)
def test_long_dates_have_no_leading_zero_and_the_month_in_full(day: date, text: str) -> None:
    assert long_date(day) == text


def test_the_template_filter_writes_what_date_j_f_y_wrote() -> None:
    django = engines["django"]
    ours = django.from_string('{{ v|long_date }}|{{ v|long_date|default:"Now" }}')
    theirs = django.from_string('{{ v|date:"j F Y" }}|{{ v|date:"j F Y"|default:"Now" }}')
    for value in (
        date(2015, 10, 1),
        datetime(2024, 6, 30, 23, 30, tzinfo=UTC),  # 1 July in London
        None,
        "",
    ):
        assert ours.render({"v": value}) == theirs.render({"v": value})
    late_in_june = datetime(2024, 6, 30, 23, 30, tzinfo=UTC)
    assert ours.render({"v": late_in_june}) == "1 July 2024|1 July 2024"
    assert ours.render({"v": None}) == "|Now"


@pytest.mark.parametrize(
    ("day", "start", "following", "end"),
    [
        (date(2015, 10, 1), date(2015, 10, 1), date(2015, 11, 1), date(2015, 10, 31)),
        (date(2015, 12, 31), date(2015, 12, 1), date(2016, 1, 1), date(2015, 12, 31)),
        (date(2016, 1, 15), date(2016, 1, 1), date(2016, 2, 1), date(2016, 1, 31)),
        (date(2024, 2, 10), date(2024, 2, 1), date(2024, 3, 1), date(2024, 2, 29)),
        (date(2023, 2, 28), date(2023, 2, 1), date(2023, 3, 1), date(2023, 2, 28)),
        (date(2100, 2, 1), date(2100, 2, 1), date(2100, 3, 1), date(2100, 2, 28)),  # not leap
        (date(2016, 4, 30), date(2016, 4, 1), date(2016, 5, 1), date(2016, 4, 30)),
    ],
)
def test_months(day: date, start: date, following: date, end: date) -> None:
    assert month_start(day) == start
    assert next_month_start(day) == following
    assert month_end(day) == end


def test_month_starts_run_from_the_month_of_the_first_day_across_the_new_year() -> None:
    assert month_starts(date(2015, 11, 20), date(2016, 2, 1)) == [
        date(2015, 11, 1),
        date(2015, 12, 1),
        date(2016, 1, 1),
        date(2016, 2, 1),
    ]
    # The last month counts only once its first day is reached.
    assert month_starts(date(2015, 11, 20), date(2016, 1, 31)) == [
        date(2015, 11, 1),
        date(2015, 12, 1),
        date(2016, 1, 1),
    ]
    assert month_starts(date(2015, 11, 20), date(2015, 11, 20)) == [date(2015, 11, 1)]
    assert month_starts(date(2015, 11, 20), date(2015, 10, 31)) == []


def test_a_year_back_spans_thirteen_month_starts_and_a_trend_keeps_twelve() -> None:
    day = date(2024, 2, 29)
    assert len(month_starts(a_year_before(day), day)) == 13
    assert month_starts(a_year_before(day), day)[-12:][0] == date(2023, 3, 1)


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2024, 2, 29), -1, date(2023, 2, 28)),
        (date(2024, 2, 29), 4, date(2028, 2, 29)),
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2023, 3, 1), 1, date(2024, 3, 1)),
        (date(2016, 12, 31), -1, date(2015, 12, 31)),
    ],
)
def test_add_years(day: date, years: int, expected: date) -> None:
    assert add_years(day, years) == expected


def test_a_year_before_and_the_twelve_months_to_a_day() -> None:
    assert a_year_before(date(2024, 2, 29)) == date(2023, 2, 28)
    assert a_year_before(date(2016, 1, 1)) == date(2015, 1, 1)
    assert twelve_months_to(date(2016, 3, 31)) == (date(2015, 4, 1), date(2016, 3, 31))
    assert twelve_months_to(date(2024, 2, 29)) == (date(2023, 3, 1), date(2024, 2, 29))


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2016, 3, 31), 2015),
        (date(2016, 4, 1), 2016),
        (date(2016, 1, 1), 2015),
        (date(2015, 12, 31), 2015),
        (date(2024, 2, 29), 2023),
        (date(2016, 4, 30), 2016),
    ],
)
def test_the_financial_year_a_day_is_in(day: date, year: int) -> None:
    assert financial_year(day) == year


def test_a_financial_year_runs_from_1_april_to_31_march_and_is_written_2015_to_2016() -> None:
    assert financial_year_start(2015) == date(2015, 4, 1)
    assert financial_year_end(2015) == date(2016, 3, 31)
    assert financial_year_end(2023) == date(2024, 3, 31)
    assert financial_year_label(2015) == "2015 to 2016"
    assert financial_year_label(1999) == "1999 to 2000"


@pytest.mark.parametrize(
    ("month", "quarter"),
    [(4, 1), (6, 1), (7, 2), (9, 2), (10, 3), (12, 3), (1, 4), (3, 4)],
)
def test_financial_quarters_start_in_april(month: int, quarter: int) -> None:
    assert financial_quarter(month) == quarter


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2998, 12, 31)))
def test_every_day_lies_in_its_month_and_its_financial_year(day: date) -> None:
    assert month_start(day) <= day <= month_end(day)
    assert next_month_start(day) == month_end(day) + timedelta(days=1)
    year = financial_year(day)
    assert financial_year_start(year) <= day <= financial_year_end(year)
    assert financial_quarter(day.month) in (1, 2, 3, 4)
    assert 365 <= (day - a_year_before(day)).days <= 366
