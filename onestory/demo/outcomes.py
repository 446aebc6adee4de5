"""The demo council's figures for the outcomes: the child population by year, some comparison
figures, and the monthly snapshots of every measure from January 2014, built once every other
part of the council is written (they are computed from it, as the nightly task would).

The population is about 51,000 children under 18 at the default scale (a city the size of
the source's), scaled with the council and growing slowly. The comparison figures are
illustrative: England's rates are close to the published ones at 31 March; the statistical
neighbours' are invented for the demo.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.apps import apps
from django.db import connection

from onestory.demo.council.calibration import SCALES, START
from onestory.outcomes.models import ChildPopulation, ComparisonFigure, Group
from onestory.outcomes.snapshots import rebuild

CHILDREN_AT_DEFAULT = 51_000
GROWTH_A_YEAR = 0.004
# Rates per 10,000 children at 31 March: (CP plans, in care) for England and for neighbours.
ENGLAND = {
    2015: (42.9, 60.0), 2016: (43.1, 60.0), 2017: (43.3, 62.0), 2018: (45.3, 64.0),
    2019: (43.7, 65.0), 2020: (42.8, 67.0), 2021: (41.4, 67.0), 2022: (42.1, 70.0),
    2023: (43.2, 71.0), 2024: (41.6, 70.0),
}  # fmt: skip
NEIGHBOURS = {
    2015: (48.0, 78.0), 2016: (47.1, 77.5), 2017: (46.5, 76.0), 2018: (47.9, 77.0),
    2019: (46.2, 76.4), 2020: (45.0, 75.8), 2021: (44.1, 75.0), 2022: (44.8, 76.2),
    2023: (45.5, 76.9), 2024: (44.0, 76.0),
}  # fmt: skip
# The tables the snapshots read, analysed first: they were loaded moments ago in this
# transaction, and a plan made for empty tables would take minutes at the large scale.
READ = [
    "families_cpplan",
    "families_careepisode",
    "families_cinepisode",
    "families_careproceedings",
    "families_allocation",
    "pods_staff",
    "pods_podmembership",
    "pods_pod",
    "stories_entry",
    "stories_entry_seen",
]


def seed(*, seed: int, today: date, scale: str, say: Callable[[str], None]) -> dict[str, int]:
    """Writes the population, the comparisons and the snapshots; returns the rows per model."""
    children = CHILDREN_AT_DEFAULT * SCALES[scale]
    populations = [
        ChildPopulation(year=year, children=round(children * (1 + GROWTH_A_YEAR) ** (year - 2013)))
        for year in range(START.year - 1, today.year + 1)
    ]
    ChildPopulation.objects.bulk_create(populations)
    comparisons = [
        ComparisonFigure(measure=key, group=group, year=year, value=rates[index])
        for group, table in ((Group.ENGLAND, ENGLAND), (Group.STATISTICAL_NEIGHBOURS, NEIGHBOURS))
        for year, rates in table.items()
        for index, key in enumerate(("cp_rate", "in_care_rate"))
    ]
    ComparisonFigure.objects.bulk_create(comparisons)
    # The model's processes were written moments ago too: their measures read them.
    processes = [
        model._meta.db_table
        for label in ("supervision", "audits", "surveys", "feedback")
        for model in apps.get_app_config(label).get_models()
    ]
    with connection.cursor() as cursor:
        for table in READ + processes:
            cursor.execute(f"ANALYZE {table}")

    def progress(done: int, total: int) -> None:
        say(f"Outcome snapshots: {done} of {total} months")

    snapshots = rebuild(START, today, progress=progress)
    return {
        "outcomes.ChildPopulation": len(populations),
        "outcomes.ComparisonFigure": len(comparisons),
        "outcomes.Snapshot": snapshots,
    }
