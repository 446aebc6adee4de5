"""When each closed family's record may be disposed of, worked out in SQL from the records.

A child's date comes from the strongest rule that applies to them: adoption (a care episode that
ended with an adoption order, SSDA903 reasons E11 and E12: the episode ends on the order's
date) beats care (any care episode) beats other. A family's date is the latest of its
children's dates (every child who ever belonged to it), under the rule that gave that date. A
child with no date of birth (nor expected date) leaves the family's date unknown: it is never
listed as due, and needs a person to look at it. A family with no children is not listed either.

The rules are read once (`Rule.years_by_type`), so the list is one query: a page of it, with
the length of the whole list on each row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

from onestory.families.codes import ReasonEpisodeCeased
from onestory.retention.models import RecordType, Rule

ADOPTED = [ReasonEpisodeCeased.E11.value, ReasonEpisodeCeased.E12.value]

# One row per closed family with children, among the families `{families}` gives: its date and
# the rule that gave it.
DATES = """
WITH considered AS ({families}),
child AS (
    SELECT fm.family_id,
           COALESCE(p.date_of_birth, p.expected_date_of_birth) AS born,
           (SELECT max(ce."end") FROM families_careepisode ce
             WHERE ce.child_id = p.id AND ce.reason_ceased = ANY(%s)) AS adopted,
           EXISTS (SELECT 1 FROM families_careepisode ce WHERE ce.child_id = p.id) AS cared
    FROM considered k
    JOIN families_family f ON f.id = k.family_id
    JOIN families_familymember fm ON fm.family_id = f.id AND fm.role = 'child'
    JOIN families_person p ON p.id = fm.person_id
    WHERE f.closed IS NOT NULL
), dated AS (
    SELECT family_id,
           CASE WHEN adopted IS NOT NULL THEN 'adoption'
                WHEN cared THEN 'care' ELSE 'other' END AS rule,
           (CASE WHEN adopted IS NOT NULL THEN adopted + make_interval(years => %s)
                 WHEN cared THEN born + make_interval(years => %s)
                 ELSE born + make_interval(years => %s) END)::date AS until
    FROM child
), family_date AS (
    -- NULLS FIRST: one child whose date is unknown makes the family's date unknown.
    SELECT DISTINCT ON (family_id) family_id, rule, until
    FROM dated ORDER BY family_id, until DESC NULLS FIRST
)
"""
# The families that may be due by a day: those with a child born on or before the day less the
# shortest rule. Every rule counts from the birth or from an adoption order (which is later), so
# a family none of whose children was born by then cannot be due. This keeps the work to the
# few old enough, not every child of every closed family (a large council has hundreds of
# thousands).
MAY_BE_DUE = """SELECT DISTINCT fm.family_id
    FROM families_person p
    JOIN families_familymember fm ON fm.person_id = p.id AND fm.role = 'child'
    WHERE COALESCE(p.date_of_birth, p.expected_date_of_birth) <= %s"""
ONE_FAMILY = "SELECT %s::bigint AS family_id"
# No input in the text: every value is a parameter.
_DUE_TAIL = """
SELECT {columns}
FROM family_date d JOIN families_family f ON f.id = d.family_id
WHERE d.until <= %s
  AND NOT EXISTS (SELECT 1 FROM retention_legalhold h
                  WHERE h.family_id = f.id AND h.lifted_at IS NULL)
"""
DUE = "".join((DATES, _DUE_TAIL))
PAGE_COLUMNS = """f.id, f.uuid, f.reference, f.opened, f.closed, d.rule, d.until,
    EXISTS (SELECT 1 FROM retention_disposal r
            WHERE r.family_id = f.id AND r.approved_at IS NULL) AS waiting"""


@dataclass(frozen=True)
class Due:
    family_id: int
    uuid: Any
    reference: str
    opened: date
    closed: date
    rule: str
    until: date
    waiting: bool

    @property
    def rule_label(self) -> str:
        return RecordType(self.rule).label


def _cutoff(day: date, years: dict[str, int]) -> date:
    shortest = min(years.values())
    try:
        return day.replace(year=day.year - shortest)
    except ValueError:  # 29 February
        return day.replace(year=day.year - shortest, day=28)


def _params(first: Any, years: dict[str, int]) -> list[Any]:
    """The parameters of DATES, in order (positional: pgtrigger's and pghistory's wrappers
    add positional parameters of their own, which cannot be mixed with named ones)."""
    return [first, ADOPTED, years["adoption"], years["care"], years["other"]]


def due_count(day: date, years: dict[str, int]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            DUE.format(families=MAY_BE_DUE, columns="count(*)"),
            [*_params(_cutoff(day, years), years), day],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def due_page(day: date, years: dict[str, int], *, offset: int, limit: int) -> list[Due]:
    """Families due for disposal on `day`, longest overdue first, not under a legal hold."""
    return due_page_and_count(day, years, offset=offset, limit=limit)[0]


def due_page_and_count(
    day: date, years: dict[str, int], *, offset: int, limit: int
) -> tuple[list[Due], int]:
    """A page of the list and the length of the whole list, in one query (the count rides on
    each row); a second, for the count, only for a page past the end."""
    sql = DUE.format(families=MAY_BE_DUE, columns=PAGE_COLUMNS + ", count(*) OVER ()") + (
        " ORDER BY d.until, f.id LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_params(_cutoff(day, years), years), day, limit, offset])
        found = cursor.fetchall()
    if not found:
        return [], due_count(day, years) if offset else 0
    return [Due(*row[:-1]) for row in found], int(found[0][-1])


@dataclass(frozen=True)
class Retention:
    rule: str
    until: date | None

    @property
    def rule_label(self) -> str:
        return RecordType(self.rule).label


def retention_of(family_id: int, years: dict[str, int] | None = None) -> Retention | None:
    """One family's date and rule; None while it is open or has no children. `until` is None
    when a child's date of birth is missing."""
    years = years or Rule.years_by_type()
    sql = DATES.format(families=ONE_FAMILY) + "SELECT rule, until FROM family_date"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(family_id, years))
        row = cursor.fetchone()
    return Retention(rule=row[0], until=row[1]) if row else None
