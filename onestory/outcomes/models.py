"""What the outcomes dashboard reads: the child population the council enters each year, the
comparison figures it enters (statistical neighbours, England), and the monthly snapshots of
every measure.

Snapshots are derived data: the task worker recomputes them from the records
(`onestory/outcomes/snapshots.py`), so they carry no change history; a wrong one is fixed by
recomputing it, never by hand. The figures the council types in are tracked like any other
record.
"""

from __future__ import annotations

import pghistory
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from onestory.lib.history import history
from onestory.pods.models import Pod

FIRST_YEAR = 2000
LAST_YEAR = 2100


def year_field(label: str) -> models.PositiveSmallIntegerField[int, int]:
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )


@pghistory.track(*history())
class ChildPopulation(models.Model):
    """The number of children under 18 living in the council's area in a year (the ONS
    mid-year estimate), for the rates per 10,000 children. A rate at a date uses the latest
    year entered that is not after the date's year."""

    year = year_field("year of the estimate")
    children = models.PositiveIntegerField("children under 18")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                name="childpopulation_one_a_year",
                violation_error_message="There is already a population for that year.",
            ),
            models.CheckConstraint(
                condition=Q(children__gt=0),
                name="childpopulation_some_children",
                violation_error_message="Enter a number of children greater than 0.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="childpopulation_year_in_range",
                violation_error_message=f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.children:,} children in {self.year}"


class Group(models.TextChoices):
    """Who a comparison figure is for, as the DfE's LAIT tool shows them."""

    STATISTICAL_NEIGHBOURS = "neighbours", "Statistical neighbours"
    ENGLAND = "england", "England"


@pghistory.track(*history())
class ComparisonFigure(models.Model):
    """A published figure to compare one of our measures with: the average of our statistical
    neighbours, or England's, for a year (as published, for example a rate per 10,000 at 31
    March). `measure` is a key of the registry (`onestory/outcomes/registry.py`)."""

    measure = models.CharField(max_length=60)
    group = models.CharField(max_length=12, choices=Group.choices)
    year = year_field("year")
    value = models.FloatField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["measure", "group", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "group", "year"],
                name="comparisonfigure_one_a_year",
                violation_error_message=(
                    "There is already a figure for that measure, group and year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="comparisonfigure_year_in_range",
                violation_error_message=f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}, {self.get_group_display()}, {self.year}: {self.value}"


class Snapshot(models.Model):
    """One measure's value on the first day of a month, for a pod or (pod empty) the whole
    service, with the version of the code that computed it and when."""

    measure = models.CharField(max_length=60)
    month = models.DateField("first day of the month")
    pod = models.ForeignKey(
        Pod, null=True, blank=True, on_delete=models.CASCADE, related_name="snapshots"
    )
    value = models.FloatField(null=True, blank=True)  # empty: nothing to show that month
    code_version = models.CharField(max_length=60)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "month", "pod"],
                nulls_distinct=False,
                name="snapshot_one_per_measure_month_pod",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="snapshot_month_starts",
                violation_error_message="A snapshot is taken on the first day of a month.",
            ),
        ]
        indexes = [models.Index(fields=["pod", "month"], name="snapshot_pod_month")]

    def __str__(self) -> str:
        return f"{self.measure} {self.month:%Y-%m} {self.pod_id or 'service'}: {self.value}"
