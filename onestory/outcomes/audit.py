"""Practitioner-led audit measures, for the outcomes dashboard and the audit reports.

Definitions (used everywhere; docs/decisions/0014-practitioner-led-audit.md):

- **The grade of an audit** is the moderator's where it was moderated, the auditor's otherwise:
  both are kept, and moderation is the service's considered view. The same holds per domain.
- **Audits in the 12 months to d**: audits finished on a day in (d - 1 year, d].
- **Good or better**: graded Outstanding or Good.
- **Action completion at d**: of the audit actions due in the 12 months to d, the share done on
  or before their due date. An action done late counts as not done on time.
- **Per pod**: the pod the child was in when the sample was drawn.

Each function runs one query, whatever the number of audits. The dashboard contract:
`name(day, *, pod=None) -> float | int | None`, None when there is nothing to show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from onestory.audits.models import Audit, AuditStatus, DomainGrade, ModeratedGrade
from onestory.lib.dates import a_year_before, twelve_months_to
from onestory.outcomes.measures import ByDayAndPod
from onestory.outcomes.sql import Counted, events_in

GOOD_OR_BETTER = (1, 2)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _finished_in_year_to(day: date, pod: int | None) -> QuerySet[Audit]:
    audits = Audit.objects.filter(
        status=AuditStatus.FINISHED,
        finished_at__gte=_start_of(a_year_before(day) + timedelta(days=1)),
        finished_at__lt=_start_of(day + timedelta(days=1)),
    )
    return audits.filter(sample__pod=pod) if pod is not None else audits


def audits_finished(day: date, *, pod: int | None = None) -> int:
    """Audits finished in the 12 months to `day`."""
    return _finished_in_year_to(day, pod).count()


# The headlines, for many days at once (`*_on`, the snapshots) and for one day (the dashboard
# contract) through the same query (outcomes/sql.py). Finished is a moment: its day is the
# council's day (TIME_ZONE), as `_finished_in_year_to` counts it.
_FINISHED = """
    SELECT (a.finished_at AT TIME ZONE %(tz)s)::date, c.pod_id,
           COALESCE(m.overall_grade, a.overall_grade) = ANY(%(good)s)
    FROM audits_audit a
    JOIN audits_sampledchild c ON c.id = a.sample_id
    LEFT JOIN audits_moderation m ON m.audit_id = a.id
    WHERE a.status = %(finished)s
"""
_ACTIONS_DUE = """
    SELECT x.due, c.pod_id, x.done_on IS NOT NULL AND x.done_on <= x.due
    FROM audits_auditaction x
    JOIN audits_audit a ON a.id = x.audit_id
    JOIN audits_sampledchild c ON c.id = a.sample_id
"""


def _percent(found: Counted) -> ByDayAndPod:
    return {key: round(100 * hits / n, 1) for key, (n, hits) in found.items() if n}


def good_or_better_on(days: Iterable[date]) -> ByDayAndPod:
    """`good_or_better` on each day, for the service and each pod: one query."""
    params = {
        "tz": settings.TIME_ZONE,
        "good": list(GOOD_OR_BETTER),
        "finished": str(AuditStatus.FINISHED),
    }
    return _percent(events_in(_FINISHED, [twelve_months_to(day) for day in days], params))


def good_or_better(day: date, *, pod: int | None = None) -> float | None:
    """% of audits finished in the 12 months to `day` graded Good or Outstanding overall
    (the moderated grade where there is one). None when none were finished."""
    return good_or_better_on([day]).get((day, pod))


def action_completion_on(days: Iterable[date]) -> ByDayAndPod:
    """`action_completion` on each day, for the service and each pod: one query."""
    return _percent(events_in(_ACTIONS_DUE, [twelve_months_to(day) for day in days]))


def action_completion(day: date, *, pod: int | None = None) -> float | None:
    """% of audit actions due in the 12 months to `day` done by their due date. None when
    none were due."""
    return action_completion_on([day]).get((day, pod))


@dataclass(frozen=True)
class DomainYear:
    domain: str
    year: int
    counts: dict[int, int]  # grade (1 Outstanding .. 4 Inadequate) -> audits

    @property
    def audits(self) -> int:
        return sum(self.counts.values())

    @property
    def good_or_better(self) -> float | None:
        good = sum(self.counts.get(g, 0) for g in GOOD_OR_BETTER)
        return round(100 * good / self.audits, 1) if self.audits else None


def grades_by_domain(first: date, last: date, *, pod: int | None = None) -> list[DomainYear]:
    """Grades by domain and calendar year of the cycle, for cycles starting from `first` to
    `last`: finished audits, the moderated grade where there is one. Domains are matched by
    name across cycles (each cycle keeps its own copy of the list)."""
    moderated = ModeratedGrade.objects.filter(
        moderation__audit=OuterRef("audit"), domain=OuterRef("domain")
    ).values("grade")[:1]
    grades = DomainGrade.objects.filter(
        audit__status=AuditStatus.FINISHED,
        audit__sample__cycle__starts__gte=first,
        audit__sample__cycle__starts__lte=last,
        grade__isnull=False,
    )
    if pod is not None:
        grades = grades.filter(audit__sample__pod=pod)
    rows = (
        grades.annotate(
            final=Coalesce(Subquery(moderated), "grade"),
            year=ExtractYear("audit__sample__cycle__starts"),
        )
        .values_list("domain__name", "year", "final")
        .annotate(n=Count("pk"))
        .order_by("domain__name", "year", "final")
    )
    found: dict[tuple[str, int], dict[int, int]] = {}
    for name, year, grade, n in rows:
        found.setdefault((name, year), {})[grade] = n
    return [DomainYear(name, year, counts) for (name, year), counts in found.items()]
