"""The headline measures for the home page of those who see the outcomes: each with its value
now, its trend and the change over the last year, from the snapshots (two queries), with
links to the dashboard and the report.

The home view calls `headline_for(user)` and includes `outcomes/_home.html` when it is not
None: `{% if outcomes %}{% include "outcomes/_home.html" %}{% endif %}`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from onestory.lib.dates import a_year_before
from onestory.outcomes.access import Action, can, can_see_outcomes, get_scope
from onestory.outcomes.charts import line_chart
from onestory.outcomes.dashboard import Change, Row, series
from onestory.outcomes.registry import BY_KEY, HEADLINE
from onestory.pods.models import Pod


@dataclass
class Headline:
    pod: Pod | None
    rows: list[Row]
    may_report: bool


def headline_for(user: object) -> Headline | None:
    """None for anyone who may not see the outcomes; otherwise the service's headline
    figures (the first pod they manage, for a pod manager)."""
    if not can_see_outcomes(user):
        return None
    try:
        pod = get_scope(user, None)  # type: ignore[arg-type]
    except Http404:  # a pod manager who manages no pod today
        return None
    measures = [BY_KEY[key] for key in HEADLINE if key in BY_KEY]
    rows = [row for row in series(pod, measures).values() if row.months]
    for row in rows:
        year_ago = a_year_before(row.months[-1])
        row.change = Change(year_ago, row.at(year_ago), row.now, row.measure)
        row.chart = line_chart(row.measure, row.months, row.values)
    return Headline(pod=pod, rows=rows, may_report=can(user, Action.REPORT))
