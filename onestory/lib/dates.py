"""Dates and periods in the council's words: one piece of code for each.

- **Today** is the council's date (Europe/London), `timezone.localdate()`, never the server's
  `date.today()`: the two differ for an hour each night in British Summer Time.
- **Long dates** are written the GOV.UK way, "1 October 2015": no leading zero, the month in
  full. `long_date` here and the `long_date` template filter (`core/templatetags/govuk_forms.py`)
  write the same text as Django's `date:"j F Y"`.
- **Months** run from their first day: `month_start`, `next_month_start`, `month_end` and
  `month_starts` (the months from one date to another, for monthly trends).
- **Years back**: `a_year_before` (29 February goes to 28 February) and `twelve_months_to`.
- **Financial years** run from 1 April to 31 March and are named by the year they start in:
  `financial_year(day)`, its `financial_year_start` and `financial_year_end`, its quarters
  (April to June is the first) and its label, "2015 to 2016" (docs/domain.md, "Periods and
  rates").
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import dateformat, timezone

# The average length of a month, for durations given in months.
DAYS_IN_A_MONTH = 365.25 / 12
FINANCIAL_YEAR_FIRST_MONTH = 4  # April


def today() -> date:
    """The council's date now: `timezone.localdate()`."""
    return timezone.localdate()


def long_date(day: date | datetime) -> str:
    """ "1 October 2015". A datetime is written as it is: convert it to local time first."""
    return dateformat.format(day, "j F Y")


# --- Months ---------------------------------------------------------------------------------


def month_start(day: date) -> date:
    """The first day of the month `day` is in."""
    return day.replace(day=1)


def next_month_start(day: date) -> date:
    """The first day of the month after the one `day` is in."""
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_end(day: date) -> date:
    """The last day of the month `day` is in."""
    return next_month_start(day) - timedelta(days=1)


def month_starts(first: date, last: date) -> list[date]:
    """The first day of each month from the month of `first` up to `last` (empty when `last` is
    before the month of `first`). A month is included when its first day is on or before
    `last`."""
    months, day = [], month_start(first)
    while day <= last:
        months.append(day)
        day = next_month_start(day)
    return months


# --- Years ----------------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    """The same day `years` later (earlier, if negative); 29 February becomes 28 February in a
    year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def a_year_before(day: date) -> date:
    return add_years(day, -1)


def twelve_months_to(day: date) -> tuple[date, date]:
    """The year to `day`, both days included: from the day after a year before, to `day`."""
    return a_year_before(day) + timedelta(days=1), day


# --- Financial years ------------------------------------------------------------------------


def financial_year(day: date) -> int:
    """The financial year `day` is in, named by the year it starts in: 31 March 2016 is in
    2015 (2015 to 2016), 1 April 2016 in 2016."""
    return day.year if day.month >= FINANCIAL_YEAR_FIRST_MONTH else day.year - 1


def financial_year_start(year: int) -> date:
    """1 April `year`."""
    return date(year, FINANCIAL_YEAR_FIRST_MONTH, 1)


def financial_year_end(year: int) -> date:
    """31 March of the year after `year`: the last day of the financial year."""
    return financial_year_start(year + 1) - timedelta(days=1)


def financial_quarter(month: int) -> int:
    """The quarter of the financial year a month (1 to 12) is in: 1 for April to June, 2 for
    July to September, 3 for October to December, 4 for January to March."""
    return (month - FINANCIAL_YEAR_FIRST_MONTH) % 12 // 3 + 1


def financial_year_label(year: int) -> str:
    """ "2015 to 2016" for the financial year starting 1 April 2015, as GOV.UK writes it."""
    return f"{year} to {year + 1}"
