"""Trend lines as server-side SVG, each with the data table it is drawn from.

The chart is an image with a text alternative (its title and a one-sentence summary); the same
points are in a table beside it, which a screen reader reads and which prints. Points are the
first month of each quarter (January, April, July, October) and the latest month, so the
table stays short enough to read. Small counts of children are gaps in the line and
"fewer than 5" in the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from onestory.outcomes.registry import Measure

WIDTH, HEIGHT, PAD = 320, 90, 6
QUARTER_MONTHS = (1, 4, 7, 10)


@dataclass(frozen=True)
class Chart:
    lines: list[str]  # polyline "points" attributes, one per unbroken run
    dots: list[tuple[float, float]]  # single points between gaps
    summary: str
    # (month as shown, "April 2025"; value as shown): written here rather than by the template's
    # date filter, which for a dashboard's 1,600 rows was a fifth of the page's time.
    table: list[tuple[str, str]]
    low: str
    high: str
    first: date
    last: date
    width: int = WIDTH
    height: int = HEIGHT


def line_chart(
    measure: Measure, months: Sequence[date], values: Sequence[float | int | None]
) -> Chart:
    from onestory.outcomes.dashboard import shown, suppressed

    picked = [
        (month, value)
        for index, (month, value) in enumerate(zip(months, values, strict=True))
        if month.month in QUARTER_MONTHS or index == len(months) - 1
    ]
    plotted = [(month, None if suppressed(measure, value) else value) for month, value in picked]
    known = [float(v) for _, v in plotted if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 0.0)
    if measure.unit.value in ("%",):
        low, high = min(low, 0.0), max(high, 100.0) if high > 0 else 100.0
    else:
        low = min(low, 0.0)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(plotted) - 1, 1)
    runs: list[list[tuple[float, float]]] = [[]]
    for index, (_, value) in enumerate(plotted):
        if value is None:
            runs.append([])
            continue
        x = PAD + index * step
        y = HEIGHT - PAD - (float(value) - low) / span * (HEIGHT - 2 * PAD)
        runs[-1].append((round(x, 1), round(y, 1)))
    lines = [" ".join(f"{x},{y}" for x, y in run) for run in runs if len(run) > 1]
    dots = [run[0] for run in runs if len(run) == 1]
    return Chart(
        lines=lines,
        dots=dots,
        summary=summary(measure, picked),
        table=[(f"{month:%B %Y}", shown(measure, value)) for month, value in picked],
        low=shown(measure, low),
        high=shown(measure, high),
        first=picked[0][0] if picked else date.min,
        last=picked[-1][0] if picked else date.min,
    )


def summary(measure: Measure, picked: Sequence[tuple[date, float | int | None]]) -> str:
    """One sentence for the chart's text alternative: first and last values, highest and
    lowest."""
    from onestory.outcomes.dashboard import shown, suppressed

    known = [(m, v) for m, v in picked if v is not None and not suppressed(measure, v)]
    if not known:
        return f"{measure.label}: no figures to show."
    first, last = known[0], known[-1]
    top = max(known, key=lambda p: p[1] or 0)
    bottom = min(known, key=lambda p: p[1] or 0)
    return (
        f"{measure.label}, {first[0]:%B %Y} to {last[0]:%B %Y}: "
        f"{shown(measure, first[1])} to {shown(measure, last[1])}; "
        f"highest {shown(measure, top[1])} in {top[0]:%B %Y}, "
        f"lowest {shown(measure, bottom[1])} in {bottom[0]:%B %Y}."
    )
