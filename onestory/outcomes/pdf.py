"""The evaluation report as a PDF, for any period, made in the background by onestory/exports:
the same report as the page (outcomes/_report_body.html), for print.

Counts of children from 1 to 4 are suppressed in anything printed: every count of children in
the report is written by `dashboard.shown` ("fewer than 5"), and the messages leave out a
figure that is suppressed (report.sentence). Whoever may see the report may ask for it
(`Action.REPORT`), asked again by the worker and at each download.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from onestory.exports import registry
from onestory.exports.models import Export
from onestory.lib.dates import month_start
from onestory.lib.pdf import PDF, render_pdf
from onestory.outcomes import dashboard, report
from onestory.outcomes.access import Action, can

KIND = "outcomes.evaluation_report"


def month(text: str | None) -> date | None:
    """ "2015-10" as 1 October 2015; None for anything else."""
    try:
        year, month = (text or "").split("-")
        return date(int(year), int(month), 1)
    except ValueError:
        return None


def period(data: Mapping[str, Any]) -> tuple[date, date]:
    """The report's period from "from" and "to" ("2015-10"), as the page's form and the
    export's parameters give it: from the dashboard's first month to this month by default,
    the earlier month first."""
    start = month(data.get("from")) or dashboard.DEFAULT_SINCE
    end = month(data.get("to")) or month_start(timezone.localdate())
    return (end, start) if end < start else (start, end)


def parameters_for(start: date, end: date) -> dict[str, str]:
    return {"from": f"{start:%Y-%m}", "to": f"{end:%Y-%m}"}


def title_for(start: date, end: date) -> str:
    return f"Evaluation report, {start:%B %Y} to {end:%B %Y} (PDF)"


def may_ask(user: Any, parameters: dict[str, Any]) -> bool:
    return can(user, Action.REPORT)


def report_html(start: date, end: date) -> str:
    """The complete HTML handed to WeasyPrint."""
    context = {"report": report.build(start, end), "printed": timezone.localdate()}
    return render_to_string("outcomes/report_pdf.html", context)


def build(export: Export, progress: registry.Progress) -> registry.Made:
    start, end = period(export.parameters)
    progress(10)
    html = report_html(start, end)
    progress(50)
    content = render_pdf(html)
    return registry.Made(f"evaluation-report-{start:%Y-%m}-to-{end:%Y-%m}.pdf", PDF, content)


def register() -> None:
    registry.register(KIND, label="Evaluation report (PDF)", build=build, may_ask=may_ask)
