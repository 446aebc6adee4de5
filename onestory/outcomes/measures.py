"""The outcome measures, each a function of the records at a date or over a period.

Definitions follow docs/domain.md ("The measures"), which follows the DfE: a period
counts at a date d when it started on or before d and has not ended by d; children are counted
once however many periods they have.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear

from onestory.families.codes import SHORT_BREAK_LEGAL_STATUSES
from onestory.families.models import CareEpisode, CareProceedings, CPPlan
from onestory.lib.dates import financial_quarter, financial_year_start


def children_on_cp_plans(day: date) -> int:
    """Children subject to a child protection plan at `day` (CIN census definition)."""
    return CPPlan.objects.open_on(day).values("child").distinct().count()


def children_in_care(day: date) -> int:
    """Children looked after at `day`, leaving out those whose only open episode is a short
    break (legal status V3 or V4), as the DfE's SSDA903 statistics do."""
    return (
        CareEpisode.objects.open_on(day)
        .exclude(legal_status__in=SHORT_BREAK_LEGAL_STATUSES)
        .values("child")
        .distinct()
        .count()
    )


def care_applications_by_quarter(year: int) -> list[int]:
    """Section 31 applications in each quarter of the financial year starting 1 April `year`,
    each application counted once however many children it covers."""
    start, end = financial_year_start(year), financial_year_start(year + 1)
    rows = (
        CareProceedings.objects.filter(application_date__gte=start, application_date__lt=end)
        .annotate(y=ExtractYear("application_date"), m=ExtractMonth("application_date"))
        .values("y", "m")
        .annotate(n=Count("id"))
    )
    quarters = [0, 0, 0, 0]
    for row in rows:
        quarters[financial_quarter(row["m"]) - 1] += row["n"]
    return quarters


def average_care_applications_a_quarter(year: int) -> float:
    return sum(care_applications_by_quarter(year)) / 4
