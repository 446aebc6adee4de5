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

from datetime import date

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from onestory.feedback.models import Item, Kind, Stage
from onestory.lib.dates import financial_year, financial_year_end, financial_year_start


def financial_year_to(day: date) -> tuple[date, date]:
    """From 1 April of the financial year `day` is in, to `day`."""
    return financial_year_start(financial_year(day)), day


def _received(kind: str, day: date, pod: int | None) -> int:
    first, last = financial_year_to(day)
    items = Item.objects.filter(kind=kind, received__gte=first, received__lte=last)
    if pod is not None:
        items = items.filter(pod=pod)
    return items.count()


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


def stage_1_in_time(day: date, *, pod: int | None = None) -> float | None:
    """The percentage of stage 1 responses sent in the financial year to `day` that were sent
    by their date due (extended or not); None when none was sent."""
    first, last = financial_year_to(day)
    stages = Stage.objects.filter(number=1, responded__gte=first, responded__lte=last)
    if pod is not None:
        stages = stages.filter(item__pod=pod)
    counts = stages.aggregate(
        sent=Count("pk"),
        in_time=Count("pk", filter=Q(responded__lte=Coalesce(F("extended_due"), F("due")))),
    )
    if not counts["sent"]:
        return None
    return round(100 * int(counts["in_time"]) / int(counts["sent"]), 1)
