"""The evaluation report for any period, in the source's structure ("Empathy, tenacity and
compassion: an evaluation of relationship based practice"), with its figures from the snapshots
and its key messages written from those figures, never typed in.

The period runs from the first of one month to the first of another: the snapshots' days. The
care applications by financial year are counted from the records (one query a year). Counts
of children fewer than 5 are shown as "fewer than 5" and left out of the messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from onestory.lib.dates import (
    financial_year,
    financial_year_label,
    long_date,
    month_start,
    next_month_start,
)
from onestory.outcomes.dashboard import Change, Row, series, shown
from onestory.outcomes.measures import average_care_applications_a_quarter
from onestory.outcomes.registry import MEASURES, Measure, Section, Unit
from onestory.pods.models import Pod


@dataclass(frozen=True)
class Figure:
    measure: Measure
    start: float | int | None
    end: float | int | None
    change: Change

    @property
    def start_shown(self) -> str:
        return shown(self.measure, self.start)

    @property
    def end_shown(self) -> str:
        return shown(self.measure, self.end)


@dataclass
class Part:
    section: Section
    figures: list[Figure] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def better(self) -> int:
        return sum(f.change.verdict == "better" for f in self.figures)

    @property
    def worse(self) -> int:
        return sum(f.change.verdict == "worse" for f in self.figures)


@dataclass(frozen=True)
class YearOfApplications:
    year: int
    a_quarter: float

    @property
    def label(self) -> str:
        return financial_year_label(self.year)


@dataclass
class Report:
    start: date
    end: date
    parts: dict[Section, Part]
    applications: list[YearOfApplications]
    pods: int
    agency_free_since: date | None
    key_messages: list[str]

    @property
    def has_figures(self) -> bool:
        return any(part.figures for part in self.parts.values())


def sentence(figure: Figure, start: date, end: date) -> str | None:
    """ "In October 2015 there were 403 children on child protection plans, compared with 333
    in January 2019." None when either figure is missing or suppressed."""
    change = figure.change
    if change.difference is None:
        return None
    measure = figure.measure
    label = measure.label[:1].lower() + measure.label[1:]
    if measure.unit is Unit.CHILDREN:
        said = label.removeprefix("children ")
        return (
            f"On {long_date(start)} there were {figure.start_shown} children {said}, "
            f"compared with {figure.end_shown} on {long_date(end)}."
        )
    return (
        f"{measure.label}: {figure.start_shown} on {long_date(start)}, "
        f"compared with {figure.end_shown} on {long_date(end)} ({change.words})."
    )


def _agency_free_since(rows: dict[str, Row], end: date) -> date | None:
    """The month after the last with an agency social worker, if none since (to `end`)."""
    row = rows.get("agency")
    if row is None or not row.months:
        return None
    seen = [(m, v) for m, v in zip(row.months, row.values, strict=True) if m <= end]
    if not seen or (seen[-1][1] or 0) > 0:
        return None
    with_agency = [m for m, v in seen if (v or 0) > 0]
    if not with_agency:
        return None
    return next_month_start(with_agency[-1])


def _verdict_message(part: Part, good: str, mixed: str) -> str | None:
    judged = part.better + part.worse
    if not judged:
        return None
    if part.better > part.worse:
        return f"{good} ({part.better} of the {judged} measures that show a direction improved)."
    if part.better == part.worse:
        return f"{mixed} ({part.better} of the {judged} measures improved, {part.worse} worsened)."
    return f"{mixed}: more measures worsened than improved ({part.worse} of {judged} worsened)."


def build(start: date, end: date) -> Report:
    start, end = month_start(start), month_start(end)
    rows = series(None)
    parts = {section: Part(section) for section in Section}
    for measure in MEASURES:
        row = rows.get(measure.key)
        if row is None or not row.months:
            continue
        before, after = row.at(start), row.at(end)
        if before is None and after is None:
            continue
        figure = Figure(measure, before, after, Change(start, before, after, measure))
        parts[measure.section].figures.append(figure)
        said = sentence(figure, start, end)
        if said and measure.higher_is_better is not None:
            parts[measure.section].messages.append(said)
    years = range(financial_year(start), financial_year(end) + 1)
    applications = [YearOfApplications(y, average_care_applications_a_quarter(y)) for y in years]
    agency_free = _agency_free_since(rows, end)
    messages = [
        m
        for m in (
            _verdict_message(
                parts[Section.FAMILIES],
                "Families have a better experience of social work",
                "Families' experience of social work has not clearly improved",
            ),
            _verdict_message(
                parts[Section.STAFF],
                "Social workers are more stable and better supported",
                "Social workers' stability and support have not clearly improved",
            ),
            _verdict_message(
                parts[Section.SAFE],
                "Relationship based practice appears to be supporting safe and stable family"
                " lives for children",
                "The measures of safe and stable family lives are mixed",
            ),
        )
        if m
    ]
    demand = [
        f
        for f in parts[Section.SAFE].figures
        if f.measure.key in ("cp_plans", "in_care", "care_applications")
    ]
    fewer = [f for f in demand if f.change.verdict == "better"]
    if demand and len(fewer) == len(demand):
        messages.append(
            "The model of practice seems to have decreased demand for high level social work"
            " interventions: fewer children on plans and in care, and fewer care applications."
        )
    if agency_free is not None:
        messages.append(f"There have been no agency social workers since {agency_free:%B %Y}.")
    return Report(
        start=start,
        end=end,
        parts=parts,
        applications=applications,
        pods=Pod.objects.filter(formed__lte=end).exclude(disbanded__lte=end).count(),
        agency_free_since=agency_free,
        key_messages=messages,
    )
