"""Periods of time (a membership, an allocation, an episode) and the rules the database keeps.

A period runs from `start` to `end`; an empty end means it is still open. At a date d a period
counts when start <= d and (end is empty or end > d): the definition in docs/domain.md
("Counting at a date"), used by every measure. Overlap constraints use half-open ranges '[)'
for the same reason, so one allocation may end on the day the next begins.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import Func, Q
from django.utils import timezone


class DateRange(Func):
    function = "DATERANGE"
    output_field = models.Field()

    def __init__(self, start: str, end: str) -> None:
        # An end before the start is refused by its own check constraint; here it becomes an
        # empty range, so that checking for overlaps (Django validates exclusion constraints
        # with a query) answers with that message rather than a database error.
        safe_end = models.Case(
            models.When(**{f"{end}__lt": models.F(start)}, then=models.F(start)),
            default=models.F(end),
        )
        super().__init__(models.F(start), safe_end, models.Value("[)"))


def end_not_before_start(
    name: str, start: str = "start", end: str = "end"
) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
        violation_error_message="The end date cannot be before the start date.",
    )


def no_overlap(
    name: str, *fields: str, start: str = "start", end: str = "end", message: str
) -> ExclusionConstraint:
    return ExclusionConstraint(
        name=name,
        expressions=[
            *((field, RangeOperators.EQUAL) for field in fields),
            (DateRange(start, end), RangeOperators.OVERLAPS),
        ],
        violation_error_message=message,
    )


class PeriodQuerySet(models.QuerySet[Any]):
    def open_on(self, day: date) -> PeriodQuerySet:
        return self.filter(Q(end__isnull=True) | Q(end__gt=day), start__lte=day)

    def current(self) -> PeriodQuerySet:
        return self.open_on(timezone.localdate())


class Period(models.Model):
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_open_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end > day)
