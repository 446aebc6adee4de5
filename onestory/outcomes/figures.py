"""The figures the council enters: the child population each year, and comparison figures
(statistical neighbours, England) for the measures. Keyword-only writes in one transaction
each, with the change in history.

Two people may change the same year's population at once (an analyst and the head of
service, each with the form open): the form carries the version it was shown, and the update
only applies if the row is still at that version, so the second save is refused with the
figure now saved, never silently overwriting the first.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F

from onestory.accounts.models import User
from onestory.lib.history import recorded
from onestory.outcomes.models import FIRST_YEAR, LAST_YEAR, ChildPopulation, ComparisonFigure
from onestory.outcomes.registry import BY_KEY


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}"})


def set_population(
    *, by: User, year: int, children: int, expected_version: int | None = None
) -> ChildPopulation:
    """Enters the population for a new year (`expected_version` None), or changes a year's
    when it is still at `expected_version`."""
    _check_year(year)
    if children <= 0:
        raise ValidationError({"children": "Enter a number of children greater than 0"})
    with recorded(by, "outcomes.set_population"):
        if expected_version is None:
            if ChildPopulation.objects.filter(year=year).exists():
                raise ValidationError(
                    {"year": f"There is already a population for {year}: change it in the table"}
                )
            return ChildPopulation.objects.create(year=year, children=children)
        # The race: two people change the same year; only the first save applies.
        changed = ChildPopulation.objects.filter(year=year, version=expected_version).update(
            children=children, version=F("version") + 1
        )
        if not changed:
            now = ChildPopulation.objects.filter(year=year).first()
            saved = f"{now.children:,}" if now else "nothing"
            raise ValidationError(
                {
                    "children": f"Someone else changed the population for {year} while you were"
                    f" editing it: it is now {saved}. Check it and save again"
                }
            )
        return ChildPopulation.objects.get(year=year)


def set_comparison(
    *, by: User, measure: str, group: str, year: int, value: float
) -> ComparisonFigure:
    """Enters or replaces a published comparison figure (a figure is as published: replacing
    it is a correction, kept in its history)."""
    _check_year(year)
    if measure not in BY_KEY:
        raise ValidationError({"measure": "Choose a measure from the list"})
    with recorded(by, "outcomes.set_comparison"):
        figure, _ = ComparisonFigure.objects.update_or_create(
            measure=measure,
            group=group,
            year=year,
            defaults={"value": value},
        )
        return figure
