"""Date arithmetic for the month-by-month simulation; calendar helpers come from lib/dates.py."""

from __future__ import annotations

import itertools
from datetime import date


def interpolate(points: list[tuple[date, int]], day: date) -> float:
    for (d0, v0), (d1, v1) in itertools.pairwise(points):
        if d0 <= day <= d1:
            return v0 + (v1 - v0) * (day - d0).days / (d1 - d0).days
    return float(points[-1][1])
