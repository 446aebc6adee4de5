"""Family experience: compliments and complaints per financial year, and how many stage 1
complaint responses came in time (issue 15; docs/decisions/0016-compliments-and-complaints.md).

The source reports compliments and complaints "from all sources" by financial year (1 April to
31 March, "2015 to 2016"), with the year in progress projected. So these measures count over the
**financial year to `day`**: from 1 April of the financial year `day` is in, to `day`, both
included (something received on `day` counts; the day after does not). This differs on purpose
from the 12 months to `day` that the other period measures use: it is the council's own measure.

- `compliments(day)`, `complaints(day)`: items of that kind received in the financial year to
  `day`, from every source and however they arrived.
- `compliments_projected(day)`, `complaints_projected(day)`: the same, projected to the whole
  financial year pro rata by the days elapsed (count x days in the year / days from 1 April to
  `day`); for a `day` of 31 March, the count itself.
- `stage_1_in_time(day)`: of the stage 1 responses sent in the financial year to `day`, the
  percentage sent by the date due: 10 working days after the stage started (England and Wales
  bank holidays skipped), or the extended date, at most 20 working days, when it was extended
  with a reason. None when no response was sent.

`pod`: only items naming that pod. Each function is one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from onestory.feedback.models import Kind
from onestory.lib.dates import financial_year, financial_year_end, financial_year_start
from onestory.outcomes.measures import ByDayAndPod
from onestory.outcomes.sql import events_in


def financial_year_to(day: date) -> tuple[date, date]:
    """From 1 April of the financial year `day` is in, to `day`."""
    return financial_year_start(financial_year(day)), day


# Each measure for many days at once (`*_on`, the snapshots) and for one day (the dashboard
# contract) through the same query (outcomes/sql.py), over the financial year to each day.
_RECEIVED = "SELECT received, pod_id, true FROM feedback_item WHERE kind = %(kind)s"
_STAGE_1_SENT = """
    SELECT s.responded, i.pod_id, s.responded <= COALESCE(s.extended_due, s.due)
    FROM feedback_stage s JOIN feedback_item i ON i.id = s.item_id
    WHERE s.number = 1 AND s.responded IS NOT NULL
"""


def _received_on(kind: str, days: Iterable[date]) -> ByDayAndPod:
    found = events_in(_RECEIVED, [financial_year_to(day) for day in days], {"kind": kind})
    return {key: n for key, (n, _) in found.items()}


def compliments_on(days: Iterable[date]) -> ByDayAndPod:
    """`compliments` on each day, for the service and each pod named: one query."""
    return _received_on(Kind.COMPLIMENT, days)


def complaints_on(days: Iterable[date]) -> ByDayAndPod:
    """`complaints` on each day, for the service and each pod named: one query."""
    return _received_on(Kind.COMPLAINT, days)


def _received(kind: str, day: date, pod: int | None) -> int:
    return int(_received_on(kind, [day]).get((day, pod)) or 0)


def _projected(count: int, day: date) -> int:
    first = financial_year_start(financial_year(day))
    whole = (financial_year_end(financial_year(day)) - first).days + 1
    elapsed = (day - first).days + 1
    return round(count * whole / elapsed)


def compliments(day: date, *, pod: int | None = None) -> int:
    """Compliments received in the financial year to `day`."""
    return _received(Kind.COMPLIMENT, day, pod)


def complaints(day: date, *, pod: int | None = None) -> int:
    """Complaints received in the financial year to `day`."""
    return _received(Kind.COMPLAINT, day, pod)


def compliments_projected(day: date, *, pod: int | None = None) -> int:
    """Compliments in the financial year to `day`, projected to the whole year pro rata."""
    return _projected(compliments(day, pod=pod), day)


def complaints_projected(day: date, *, pod: int | None = None) -> int:
    """Complaints in the financial year to `day`, projected to the whole year pro rata."""
    return _projected(complaints(day, pod=pod), day)


def stage_1_in_time_on(days: Iterable[date]) -> ByDayAndPod:
    """`stage_1_in_time` on each day, for the service and each pod named: one query."""
    found = events_in(_STAGE_1_SENT, [financial_year_to(day) for day in days])
    return {key: round(100 * hits / n, 1) for key, (n, hits) in found.items() if n}


def stage_1_in_time(day: date, *, pod: int | None = None) -> float | None:
    """The percentage of stage 1 responses sent in the financial year to `day` that were sent
    by their date due (extended or not); None when none was sent."""
    return stage_1_in_time_on([day]).get((day, pod))
