"""The small demo council's supervision history (onestory/demo/supervision.py)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from statistics import mean

from django.db.models import Min

from onestory.accounts.models import User
from onestory.outcomes import supervision as measures
from onestory.stories.models import Entry, Kind
from onestory.supervision.due import personal_tasks
from onestory.supervision.models import (
    Arrangement,
    CaseworkRecord,
    GroupSession,
    PersonalNotes,
    ReflectiveGroup,
    Session,
)
from onestory.supervision.records import names_a_family
from onestory.test import SMALL_COUNCIL_TODAY

TODAY = SMALL_COUNCIL_TODAY


def _gaps(first: date, last: date) -> float:
    gaps: list[int] = []
    for arrangement in Arrangement.objects.order_by("pk")[:200]:
        days = [
            day
            for day in Session.objects.filter(
                arrangement=arrangement, held_on__gte=first, held_on__lt=last
            )
            .order_by("held_on")
            .values_list("held_on", flat=True)
            if day is not None
        ]
        gaps += [(b - a).days for a, b in pairwise(days)]
    return mean(gaps)


def test_history_from_the_model_start_more_regular_after(small_council) -> None:
    assert small_council["supervision.Session"] == Session.objects.count() > 500
    first = Session.objects.aggregate(first=Min("held_on"))["first"]
    assert first is not None
    assert date(2015, 10, 1) <= first < date(2016, 1, 1)
    assert _gaps(date(2015, 10, 1), date(2016, 10, 1)) > _gaps(date(2020, 1, 1), date(2021, 1, 1))
    assert GroupSession.objects.exists()


def test_the_demo_workers_families_have_casework_records_on_their_story(small_council) -> None:
    sam = User.objects.get(username="demo-social-worker")
    records = CaseworkRecord.objects.filter(session__arrangement__supervisee__user=sam)
    assert records.count() > 20
    # Every one of Sam's sessions discusses families, not only the last year's.
    held = Session.objects.filter(arrangement__supervisee__user=sam, held_on__isnull=False)
    assert records.values("session").distinct().count() >= held.count() - 2
    assert records.filter(ratings__isnull=False).exists()
    assert PersonalNotes.objects.filter(session__arrangement__supervisee__user=sam).count() == 6
    assert (
        Entry.objects.filter(kind=Kind.SUPERVISION, family__in=records.values("family")).count()
        > 10
    )


def test_rpgs_monthly_with_themes_and_no_family_named(small_council) -> None:
    groups = ReflectiveGroup.objects.all()
    assert groups.count() >= 12 * 10
    assert groups.filter(attendees__isnull=False).exists()
    assert all(names_a_family(g.themes + g.learning) is None for g in groups)


def test_sam_and_priya_have_things_due_and_overdue_today(small_council) -> None:
    sam = User.objects.get(username="demo-social-worker")
    priya = User.objects.get(username="demo-pod-manager")
    sams = personal_tasks(sam, TODAY)
    whats = {t.what for t in sams}
    assert "1:1 supervision due" in whats
    assert "Discuss in supervision" in whats
    actions = [t for t in sams if t.what.startswith("Supervision action")]
    assert any(t.due < TODAY for t in actions) and any(t.due >= TODAY for t in actions)
    priyas = {(t.what, t.about) for t in personal_tasks(priya, TODAY)}
    assert ("Book 1:1 supervision", "With Sam Okafor") in priyas
    assert any(what == "Record 1:1 supervision" for what, _ in priyas)


def test_the_measures_have_something_to_show(small_council) -> None:
    for measure in measures.HEADLINES.values():
        value = measure(TODAY - timedelta(days=1))
        assert value is not None and 0 <= value <= 100 * 60, measure
    share = measures.supervised_share(TODAY)
    assert share is not None and 50 <= share <= 100
