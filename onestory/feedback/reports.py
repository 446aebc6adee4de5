"""The reports: compliments, complaints and comments by financial year (1 April to 31 March),
by source, stage and outcome, and how many responses came within the statutory limits.

The year in progress is shown as counted so far and **projected** to the whole year pro rata by
the days elapsed: count x (days in the year / days from 1 April to today, both included). It is
labelled like the council's own report, "2026 to 2027 - projected". Every chart is drawn here,
server-side, as SVG, and the page shows its data table beside it.

A fixed number of queries (one per table), whatever the number of items: counts are grouped by
calendar month in the database and folded into financial years here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

from onestory.feedback.models import Item, Kind, Outcome, Source, Stage, StageNumber
from onestory.lib.dates import (
    FINANCIAL_YEAR_FIRST_MONTH,
    financial_year,
    financial_year_end,
    financial_year_label,
    financial_year_start,
)

# The model of practice began in October 2015: the reports start with 2015 to 2016.
FIRST_YEAR = 2015


@dataclass(frozen=True)
class Year:
    year: int
    label: str
    in_progress: bool
    fraction: float  # of the year elapsed, 1 for a year that has ended

    @property
    def percent_elapsed(self) -> float:
        return round(100 * self.fraction, 1)

    def projected(self, count: int) -> int:
        return round(count / self.fraction) if self.in_progress else count


def years_to(day: date) -> list[Year]:
    current = financial_year(day)
    found = []
    for year in range(min(FIRST_YEAR, current), current + 1):
        start, end = financial_year_start(year), financial_year_end(year)
        in_progress = year == current and day < end
        fraction = ((day - start).days + 1) / ((end - start).days + 1) if in_progress else 1.0
        label = financial_year_label(year) + (" - projected" if in_progress else "")
        found.append(Year(year, label, in_progress, fraction))
    return found


def _by_year(rows: list[dict[str, int]], key: str | None) -> dict[int, dict[str, int]]:
    """{financial year: {key value: count}} from rows grouped by calendar year and month."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        fy = row["y"] if row["m"] >= FINANCIAL_YEAR_FIRST_MONTH else row["y"] - 1
        counts[fy][str(row[key]) if key else ""] += row["n"]
    return counts


def _grouped(queryset, date_field: str, key: str | None) -> dict[int, dict[str, int]]:  # type: ignore[no-untyped-def]
    fields = ["y", "m", *([key] if key else [])]
    rows = (
        queryset.annotate(y=ExtractYear(date_field), m=ExtractMonth(date_field))
        .values(*fields)
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _by_year(list(rows), key)


@dataclass
class Table:
    """A table of counts: one row per financial year, one column per category."""

    caption: str
    columns: list[tuple[str, str]]  # (key, heading)
    rows: list[tuple[Year, list[int]]]
    projected: list[tuple[Year, list[int]]] = field(default_factory=list)


@dataclass(frozen=True)
class Timeliness:
    stage: str
    limit: str
    responded: int
    within_limit: int
    within_extension: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.within_extension / self.responded) if self.responded else None


@dataclass
class Report:
    day: date
    years: list[Year]
    by_kind: Table
    by_source: Table
    by_stage: Table
    by_outcome: Table
    timeliness: list[Timeliness]
    chart: dict[str, object]


def _table(
    caption: str,
    years: list[Year],
    counts: dict[int, dict[str, int]],
    columns: list[tuple[str, str]],
) -> Table:
    rows = [(y, [counts.get(y.year, {}).get(k, 0) for k, _ in columns]) for y in years]
    projected = [(y, [y.projected(n) for n in values]) for y, values in rows if y.in_progress]
    return Table(caption=caption, columns=columns, rows=rows, projected=projected)


LIMIT_WORDS = {
    1: "10 working days, up to 20 if extended",
    2: "25 working days, up to 65 if extended",
    3: "30 working days",
}


def timeliness(since: date, until: date) -> list[Timeliness]:
    """Responses sent between the two dates, by stage: how many came by the statutory date due
    and by the date due after any extension. One query."""
    rows = (
        Stage.objects.filter(responded__gte=since, responded__lte=until)
        .values("number")
        .annotate(
            n=Count("pk"),
            limit=Count("pk", filter=Q(responded__lte=F("due"))),
            extended=Count("pk", filter=Q(responded__lte=Coalesce(F("extended_due"), F("due")))),
        )
    )
    found: dict[int, dict[str, int]] = {
        row["number"]: {"n": row["n"], "limit": row["limit"], "extended": row["extended"]}
        for row in rows
    }
    return [
        Timeliness(
            stage=f"Stage {number}",
            limit=LIMIT_WORDS[number],
            responded=found.get(number, {}).get("n", 0),
            within_limit=found.get(number, {}).get("limit", 0),
            within_extension=found.get(number, {}).get("extended", 0),
        )
        for number in (1, 2, 3)
    ]


def report(day: date) -> Report:
    """Everything on the reports page, for the years from 2015 to 2016 to the one `day` is
    in. Six queries."""
    years = years_to(day)
    items = Item.objects.filter(received__lte=day)
    kinds = [(k.value, str(k.label) + "s") for k in Kind]
    by_kind = _table("Received, by kind", years, _grouped(items, "received", "kind"), kinds)
    sources = [(s.value, str(s.label)) for s in Source]
    by_source = _table(
        "Complaints received, by who they came from",
        years,
        _grouped(items.filter(kind=Kind.COMPLAINT), "received", "source"),
        sources,
    )
    stages = [(str(s.value), f"Stage {s.value}") for s in StageNumber]
    by_stage = _table(
        "Complaint stages started",
        years,
        _grouped(Stage.objects.filter(started__lte=day), "started", "number"),
        stages,
    )
    outcomes = [(o.value, str(o.label)) for o in Outcome]
    by_outcome = _table(
        "Outcomes of the responses sent, all stages",
        years,
        _grouped(
            Stage.objects.filter(responded__lte=day).exclude(outcome=""), "responded", "outcome"
        ),
        outcomes,
    )
    current = years[-1]
    return Report(
        day=day,
        years=years,
        by_kind=by_kind,
        by_source=by_source,
        by_stage=by_stage,
        by_outcome=by_outcome,
        timeliness=timeliness(financial_year_start(current.year), day),
        chart=bar_chart(by_kind, ["compliment", "complaint"]),
    )


# --- The chart -----------------------------------------------------------------------------

WIDTH, HEIGHT = 640, 300
LEFT, BOTTOM, TOP = 48, 56, 16
COLOURS = {"compliment": "#00703c", "complaint": "#d4351c", "comment": "#1d70b8"}


def _nice_ceiling(value: int) -> int:
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if value <= step * 5:
            return max(step, -(-value // step) * step)
    return value


def bar_chart(table: Table, keys: list[str]) -> dict[str, object]:
    """Grouped bars for each year; the year in progress drawn at its projected height, in
    outline, and labelled projected. Coordinates for the template's SVG."""
    index = {key: i for i, (key, _) in enumerate(table.columns)}
    projected = {y.year: values for y, values in table.projected}
    values = [
        (y, [projected.get(y.year, counts)[index[k]] for k in keys]) for y, counts in table.rows
    ]
    top = _nice_ceiling(max([v for _, vs in values for v in vs] or [1]) or 1)
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - TOP
    group = plot_w / max(len(values), 1)
    bar = min(28.0, group * 0.8 / len(keys))
    bars, labels = [], []
    for i, (year, counts) in enumerate(values):
        x0 = LEFT + i * group + (group - bar * len(keys)) / 2
        for j, (key, count) in enumerate(zip(keys, counts, strict=True)):
            height = plot_h * count / top
            bars.append(
                {
                    "x": round(x0 + j * bar, 1),
                    "y": round(TOP + plot_h - height, 1),
                    "w": round(bar - 2, 1),
                    "h": round(height, 1),
                    "colour": COLOURS[key],
                    "projected": year.in_progress,
                }
            )
        labels.append(
            {
                "x": round(LEFT + (i + 0.5) * group, 1),
                "text": f"{year.year}-{str(year.year + 1)[2:]}",
                "projected": year.in_progress,
            }
        )
    ticks = [
        {"y": round(TOP + plot_h - plot_h * t / 4, 1), "value": top * t // 4} for t in range(5)
    ]
    legend = [{"key": k, "colour": COLOURS[k], "text": dict(table.columns)[k]} for k in keys]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "labels": labels,
        "ticks": ticks,
        "legend": legend,
        "left": LEFT,
        "right": WIDTH - 8,
        "axis_y": TOP + plot_h,
        "label_y": TOP + plot_h + 18,
    }
