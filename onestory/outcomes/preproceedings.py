"""Pre-proceedings measures: how many care applications came after a family group
decision-making (FGDM) meeting was offered, and after one was held (issue 19, item 3;
docs/decisions/0024-pre-proceedings-and-fgdm.md).

Definitions:

- **Care applications in the 12 months to d**: `families.CareProceedings` with an
  application date in (d - 1 year, d], each application counted once however many children.
- **Preceded by an offered FGDM meeting**: the application is the recorded outcome of a
  pre-proceedings period (`PreProceedings.proceedings`) whose FGDM meeting was offered on or
  before the application date. An application with no pre-proceedings before it (an
  emergency, say) was not preceded by an offer: that is what the measure is for.
- **Preceded by a held FGDM meeting**: the same, with the meeting held on or before the
  application date.
- **Per pod**: the pod that holds the family's record today.

`offered_share(day, *, pod=None)` and `held_share(day, *, pod=None)` are the dashboard
contract: a percentage with one decimal, None when no application was made in the 12 months.
`offered_on(days)` and `held_on(days)` give every day and pod at once for the snapshots. Each
function is one query.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from onestory.lib.dates import twelve_months_to
from onestory.outcomes.measures import ByDayAndPod
from onestory.outcomes.sql import Counted, events_in

_APPLICATIONS = """
    SELECT cp.application_date, f.pod_id, EXISTS (
        SELECT 1 FROM preproceedings_preproceedings p
        WHERE p.proceedings_id = cp.id AND p.{column} <= cp.application_date
    )
    FROM families_careproceedings cp JOIN families_family f ON f.id = cp.family_id
"""


def _percent(found: Counted) -> ByDayAndPod:
    return {key: round(100 * hits / n, 1) for key, (n, hits) in found.items() if n}


def _preceded_on(column: str, days: Iterable[date]) -> ByDayAndPod:
    sql = _APPLICATIONS.format(column=column)
    return _percent(events_in(sql, [twelve_months_to(day) for day in days]))


def offered_on(days: Iterable[date]) -> ByDayAndPod:
    """`offered_share` on each day, for the service and each pod with an application."""
    return _preceded_on("fgdm_offered_on", days)


def held_on(days: Iterable[date]) -> ByDayAndPod:
    """`held_share` on each day, for the service and each pod with an application."""
    return _preceded_on("fgdm_held_on", days)


def offered_share(day: date, *, pod: int | None = None) -> float | None:
    """Of the care applications in the 12 months to `day`, the percentage that came after an
    FGDM meeting was offered in pre-proceedings. None when there were none."""
    value = offered_on([day]).get((day, pod))
    return None if value is None else float(value)


def held_share(day: date, *, pod: int | None = None) -> float | None:
    """Of the care applications in the 12 months to `day`, the percentage that came after an
    FGDM meeting was held in pre-proceedings. None when there were none."""
    value = held_on([day]).get((day, pod))
    return None if value is None else float(value)


def counts(day: date, *, pod: int | None = None) -> tuple[int, int, int]:
    """(applications, after an offered meeting, after a held one) in the 12 months to `day`:
    the figures behind the two shares, for a table beside them. Two queries."""
    window = [twelve_months_to(day)]
    offered = events_in(_APPLICATIONS.format(column="fgdm_offered_on"), window).get((day, pod))
    held = events_in(_APPLICATIONS.format(column="fgdm_held_on"), window).get((day, pod))
    if offered is None or held is None:
        return 0, 0, 0
    return offered[0], offered[1], held[1]
