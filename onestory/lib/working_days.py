"""Working days in England and Wales: Monday to Friday, less bank holidays.

Bank holidays are computed, not looked up, so the arithmetic works for any year: New Year's
Day, Good Friday and Easter Monday, the early May and spring bank holidays, the summer bank
holiday, Christmas Day and Boxing Day, each moved to the next free weekday when it falls at a
weekend (the "substitute day"), plus the one-off changes proclaimed for royal events and VE day.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache, lru_cache

# Proclaimed one-offs, and the regular holidays they replaced that year.
EXTRA = {
    1995: [date(1995, 5, 8)],  # VE day 50th anniversary (instead of the early May holiday)
    2002: [date(2002, 6, 3), date(2002, 6, 4)],  # Golden Jubilee (spring holiday moved)
    2011: [date(2011, 4, 29)],  # Royal wedding
    2012: [date(2012, 6, 4), date(2012, 6, 5)],  # Diamond Jubilee (spring holiday moved)
    2020: [date(2020, 5, 8)],  # VE day 75th anniversary (instead of the early May holiday)
    2022: [date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19)],  # Jubilee; state funeral
    2023: [date(2023, 5, 8)],  # Coronation
}
# Regular holidays that did not happen in a year because a one-off replaced them.
REPLACED = {date(1995, 5, 1), date(2002, 5, 27), date(2012, 5, 28), date(2020, 5, 4)}
REPLACED |= {date(2022, 5, 30)}


def easter_sunday(year: int) -> date:
    """The anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_monday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=day.weekday())


@cache
def bank_holidays(year: int) -> frozenset[date]:
    easter = easter_sunday(year)
    holidays: set[date] = {easter - timedelta(days=2), easter + timedelta(days=1)}
    new_year = date(year, 1, 1)
    if new_year.weekday() >= 5:
        new_year += timedelta(days=7 - new_year.weekday())
    holidays.add(new_year)
    holidays |= {_first_monday(year, 5), _last_monday(year, 5), _last_monday(year, 8)}
    # Christmas and Boxing Day: a day at the weekend moves to the next weekday not already taken.
    for fixed in (date(year, 12, 25), date(year, 12, 26)):
        day = fixed
        while day.weekday() >= 5 or day in holidays:
            day += timedelta(days=1)
        holidays.add(day)
    holidays -= REPLACED
    holidays |= set(EXTRA.get(year, []))
    return frozenset(holidays)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


# Kept for the dates asked most: a pod's What's due asks this for each of its hundreds of
# children, from the few dates their last visits fell on, and walking the days cost 2 ms a page.
@lru_cache(maxsize=8192)
def add_working_days(day: date, days: int) -> date:
    """The date `days` working days after `day` (before it, for a negative number)."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if end is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(n)))
