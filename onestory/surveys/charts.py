"""Server-side SVG bar charts. Each is drawn from the same suppressed figures as the data table
printed under it, so a chart never shows what the table hides; the table is the accessible
version, and the chart is marked as an image labelled by its title."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# GOV.UK colours with enough contrast against white and against each other.
COLOURS = ["#1d70b8", "#00703c", "#d4351c", "#4c2c92", "#f47738", "#505a5f", "#003078"]
LABEL_WIDTH = 260
BAR = 14
GAP = 4
GROUP_GAP = 14
WIDTH = 720


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]


def bar_chart(chart_id: str, title: str, labels: list[str], series: list[Series]) -> SafeString:
    """Grouped horizontal bars, 0 to 100%, one group per label and one bar per series. A
    suppressed value draws no bar and is written "c", as in the table."""
    plot = WIDTH - LABEL_WIDTH - 60
    group_height = len(series) * (BAR + GAP) + GROUP_GAP
    legend_height = 22 * len(series)
    height = legend_height + len(labels) * group_height + 10
    parts: list[SafeString] = []
    for i, s in enumerate(series):
        y = 4 + 22 * i
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="14" fill="{}"></rect>'
                '<text x="{}" y="{}" class="onestory-chart__legend">{}</text>',
                LABEL_WIDTH,
                y,
                COLOURS[i % len(COLOURS)],
                LABEL_WIDTH + 20,
                y + 12,
                s.name,
            )
        )
    for row, label in enumerate(labels):
        top = legend_height + row * group_height + 6
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="onestory-chart__label">{}</text>',
                LABEL_WIDTH - 8,
                top + BAR,
                label[:40] + ("…" if len(label) > 40 else ""),
            )
        )
        for i, s in enumerate(series):
            value = s.values[row]
            y = top + i * (BAR + GAP)
            if value is None:
                parts.append(
                    format_html('<text x="{}" y="{}">c</text>', LABEL_WIDTH + 4, y + BAR - 2)
                )
                continue
            width = max(1.0, plot * value / 100)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                    '<text x="{}" y="{}">{}%</text>',
                    LABEL_WIDTH,
                    y,
                    f"{width:.1f}",
                    BAR,
                    COLOURS[i % len(COLOURS)],
                    f"{LABEL_WIDTH + width + 4:.1f}",
                    y + BAR - 2,
                    f"{value:g}",
                )
            )
    body = format_html_join("", "{}", ((p,) for p in parts))
    return (
        format_html(
            '<svg class="onestory-chart" role="img" aria-labelledby="{}" viewBox="0 0 {} {}" '
            'width="100%" xmlns="http://www.w3.org/2000/svg" font-size="13" '
            'font-family="GDS Transport, arial, sans-serif">'
            '<title id="{}">{}</title>{}</svg>',
            chart_id,
            WIDTH,
            height,
            chart_id,
            title,
            body,
        )
        if labels
        else mark_safe("")
    )
