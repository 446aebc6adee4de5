"""Date arithmetic for the month-by-month simulation."""

from __future__ import annotations

import itertools
from datetime import date


def interpolate(points: list[tuple[date, int]], day: date) -> float:
    for (d0, v0), (d1, v1) in itertools.pairwise(points):
        if d0 <= day <= d1:
            return v0 + (v1 - v0) * (day - d0).days / (d1 - d0).days
    return float(points[-1][1])


def month_starts(first: date, last: date) -> list[date]:
    months, day = [], first
    while day <= last:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def financial_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
