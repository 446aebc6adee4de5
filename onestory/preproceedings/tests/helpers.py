"""Helpers for the pre-proceedings tests."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from onestory.accounts.models import User
from onestory.families.models import CareProceedings, Family
from onestory.preproceedings import records
from onestory.preproceedings.models import PreProceedings
from onestory.test import child_of


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def started(family: Family, by: User, *, ago: int = 60, in_letter: bool = True) -> PreProceedings:
    return records.start(
        family=family,
        by=by,
        children=[child_of(family)],
        letter_date=days_ago(ago),
        fgdm_in_letter=in_letter,
    )


def application(family: Family, day: date) -> CareProceedings:
    proceedings = CareProceedings.objects.create(
        family=family, application_date=day, court="Brighton Family Court"
    )
    proceedings.children.set([child_of(family)])
    return proceedings
