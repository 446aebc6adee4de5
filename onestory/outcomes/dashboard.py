"""The dashboard's figures, read from the snapshots only: each measure's value now, its trend,
the change since a chosen month and the comparison figures the council entered.

Three queries whatever the history's length: the snapshots of the scope (the service or one
pod), the comparison figures, and the freshness of the service's latest month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from onestory.outcomes.charts import Chart, line_chart
from onestory.outcomes.models import ComparisonFigure, Group, Snapshot
from onestory.outcomes.registry import MEASURES, Measure, Unit
from onestory.pods.models import Pod

# The source compares October 2015, when the model began, with January 2019.
DEFAULT_SINCE = date(2015, 10, 1)
SMALL = 5  # counts of children below this are not shown


def shown(measure: Measure, value: float | int | None) -> str:
    """A value as the pages and the CSV write it: small counts of children suppressed (1 to 4:
    "fewer than 5"), rates and percentages to one decimal place."""
    if value is None:
        return "No data"
    if measure.suppressible and 0 < value < SMALL:
        return "fewer than 5"
    if measure.unit is Unit.PERCENT:
        return f"{value:.1f}%"
    if measure.unit is Unit.RATE:
        return f"{value:.1f}"
    if measure.unit is Unit.MONTHS:
        return f"{value:.1f} months"
    return f"{value:,.1f}".removesuffix(".0")


def suppressed(measure: Measure, value: float | int | None) -> bool:
    return value is not None and measure.suppressible and 0 < value < SMALL


@dataclass(frozen=True)
class Change:
    then: date
    before: float | int | None
    now: float | int | None
    measure: Measure

    @property
    def before_shown(self) -> str:
        return shown(self.measure, self.before)

    @property
    def now_shown(self) -> str:
        return shown(self.measure, self.now)

    @property
    def difference(self) -> float | None:
        if self.before is None or self.now is None:
            return None
        if suppressed(self.measure, self.before) or suppressed(self.measure, self.now):
            return None
        return round(float(self.now) - float(self.before), 1)

    @property
    def percent(self) -> float | None:
        if self.difference is None or not self.before or self.measure.unit is Unit.PERCENT:
            return None
        return round(100 * self.difference / float(self.before))

    @property
    def verdict(self) -> str:
        """ "better", "worse", "same" or "" (no direction, or no figures)."""
        difference = self.difference
        if difference is None or self.measure.higher_is_better is None:
            return "" if difference != 0 else "same"
        if difference == 0:
            return "same"
        return "better" if (difference > 0) == self.measure.higher_is_better else "worse"

    @property
    def words(self) -> str:
        difference = self.difference
        if difference is None:
            return "No comparison"
        if difference == 0:
            return "No change"
        direction = "up" if difference > 0 else "down"
        amount = (
            f"{abs(difference):.1f} points"
            if self.measure.unit is Unit.PERCENT
            else shown_plain(self.measure, abs(difference))
        )
        percent = f" ({abs(self.percent)}%)" if self.percent else ""
        return f"{direction} {amount}{percent}"


def shown_plain(measure: Measure, value: float) -> str:
    if measure.unit is Unit.MONTHS:
        return f"{value:.1f} months"
    return f"{value:,.1f}".removesuffix(".0")


@dataclass(frozen=True)
class Comparison:
    year: int
    ours: float | int | None
    neighbours: float | None
    england: float | None


@dataclass
class Row:
    measure: Measure
    months: list[date] = field(default_factory=list)
    values: list[float | int | None] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    change: Change | None = None
    chart: Chart | None = None

    @property
    def now(self) -> float | int | None:
        return self.values[-1] if self.values else None

    @property
    def month(self) -> date | None:
        return self.months[-1] if self.months else None

    @property
    def now_shown(self) -> str:
        return shown(self.measure, self.now)

    def at(self, month: date) -> float | int | None:
        for when, value in zip(self.months, self.values, strict=True):
            if when == month:
                return value
        return None


@dataclass
class Dashboard:
    pod: Pod | None
    since: date
    rows: list[Row]
    months: list[date]
    computed_at: datetime | None
    code_version: str

    @property
    def latest(self) -> date | None:
        return self.months[-1] if self.months else None

    @property
    def sections(self) -> list[tuple[str, list[Row]]]:
        """The measures with figures, by the report's sections, in the registry's order."""
        found: dict[str, list[Row]] = {}
        for row in self.rows:
            if row.months:
                found.setdefault(row.measure.section.value, []).append(row)
        return list(found.items())

    @property
    def choices(self) -> list[date]:
        """The months to compare with: each January, April, July and October, and the
        chosen one."""
        return [m for m in self.months if m.month in (1, 4, 7, 10) or m == self.since]


def series(pod: Pod | None, measures: list[Measure] | None = None) -> dict[str, Row]:
    """Every snapshot of the scope, by measure key, oldest first: one query."""
    measures = measures if measures is not None else MEASURES
    rows = {m.key: Row(m) for m in measures if pod is None or m.per_pod}
    found = (
        Snapshot.objects.filter(pod=pod, measure__in=list(rows))
        .order_by("measure", "month")
        .values_list("measure", "month", "value")
    )
    for key, month, value in found:
        rows[key].months.append(month)
        rows[key].values.append(value)
    return rows


def comparisons(keys: list[str], rows: dict[str, Row]) -> None:
    """The council's comparison figures with our own for the same year, LAIT's way: our
    snapshot of 1 April stands for the published figure at 31 March. One query."""
    by: dict[str, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for key, group, year, value in ComparisonFigure.objects.filter(measure__in=keys).values_list(
        "measure", "group", "year", "value"
    ):
        by[key][year][group] = value
    for key, years in by.items():
        row = rows.get(key)
        if row is None:
            continue
        row.comparisons = [
            Comparison(
                year=year,
                ours=row.at(date(year, 4, 1)),
                neighbours=figures.get(Group.STATISTICAL_NEIGHBOURS),
                england=figures.get(Group.ENGLAND),
            )
            for year, figures in sorted(years.items())
        ]


def build(pod: Pod | None, since: date | None) -> Dashboard:
    rows = series(pod)
    if pod is None:
        comparisons(list(rows), rows)
    months = sorted({month for row in rows.values() for month in row.months})
    chosen = since or DEFAULT_SINCE
    if months and chosen not in months:
        chosen = min(months, key=lambda m: abs((m - chosen).days))
    for row in rows.values():
        if row.months:
            row.change = Change(chosen, row.at(chosen), row.now, row.measure)
            row.chart = line_chart(row.measure, row.months, row.values)
    fresh = (
        Snapshot.objects.filter(pod__isnull=True, month=months[-1])
        .order_by("computed_at")
        .values_list("computed_at", "code_version")
        .first()
        if months
        else None
    )
    return Dashboard(
        pod=pod,
        since=chosen,
        rows=list(rows.values()),
        months=months,
        computed_at=fresh[0] if fresh else None,
        code_version=fresh[1] if fresh else "",
    )
