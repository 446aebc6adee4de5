"""The demo council's audit history (onestory/demo/audits.py), on the small council: quarterly
cycles from 2016, grades that improve, moderated samples with both grades kept, themes."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import F

from onestory.audits.learning import agreement_for, cycle_report, over_time
from onestory.audits.models import Audit, Cycle, CycleStatus, ModeratedGrade, SampledChild
from onestory.outcomes import audit as measures
from onestory.test import SMALL_COUNCIL_TODAY

pytestmark = pytest.mark.django_db


def test_quarterly_cycles_from_2016_the_last_still_open(small_council: dict[str, int]) -> None:
    cycles = list(Cycle.objects.order_by("starts"))
    assert cycles[0].starts == date(2016, 1, 1)
    assert cycles[-1].starts == date(2026, 10, 1)
    assert len(cycles) == 44
    assert [c.status for c in cycles[-2:]] == [CycleStatus.CLOSED, CycleStatus.OPEN]
    assert small_council["audits.Cycle"] == 44
    assert cycles[0].domains.count() == 7 and cycles[-1].domains.count() == 8
    # Every sampled child was open and in their pod's stratum; none twice within 6 months.
    assert SampledChild.objects.count() == small_council["audits.SampledChild"] > 300


def test_grades_improve_over_the_years(small_council: dict[str, int]) -> None:
    early = measures.good_or_better(date(2016, 12, 31))
    late = measures.good_or_better(date(2025, 12, 31))
    assert early is not None and late is not None
    assert early < 40 < 70 < late
    later, earlier = (measures.action_completion(date(y, 12, 31)) for y in (2025, 2016))
    assert later is not None and earlier is not None and later > earlier


def test_moderation_keeps_both_grades_and_agrees_mostly(small_council: dict[str, int]) -> None:
    assert ModeratedGrade.objects.exists()
    agreement = agreement_for(Cycle.objects.values("pk"))
    assert agreement.pairs > 100
    assert 60 < (agreement.percent or 0) < 90
    assert agreement.kappa is not None and 0.3 < agreement.kappa < 0.95
    changed = Audit.objects.filter(moderation__isnull=False).exclude(
        moderation__overall_grade=F("overall_grade")
    )
    assert changed.exists()  # a changed grade: both kept


def test_reports_and_themes_from_the_demo(small_council: dict[str, int]) -> None:
    cycle = Cycle.objects.get(starts=date(2024, 1, 1))
    report = cycle_report(cycle)
    assert report.finished > 0 and report.good_or_better is not None
    assert report.themes
    page = over_time()
    assert len(page.table.rows) == 44
    assert page.themes.rows[0][1] > 3  # recurring: found in several cycles
    assert SMALL_COUNCIL_TODAY.year == 2026
