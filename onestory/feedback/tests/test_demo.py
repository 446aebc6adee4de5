"""The demo council's compliments and complaints, on the small council."""

from __future__ import annotations

from django.db.models import Count

from onestory.accounts.models import User
from onestory.feedback.models import Item, Kind, Stage
from onestory.lib import due
from onestory.lib.dates import financial_year, financial_year_end
from onestory.outcomes.feedback import complaints, compliments
from onestory.test import SMALL_COUNCIL_TODAY

TODAY = SMALL_COUNCIL_TODAY


def test_compliments_rise_and_complaints_fall(small_council: dict[str, int]) -> None:
    assert small_council["feedback.Item"] == Item.objects.count() > 100
    assert small_council["feedback.Stage"] == Stage.objects.count()
    first, second, later = 2016, 2017, 2019
    year_end = [financial_year_end(y) for y in (first, second, later)]
    praised = [compliments(day) for day in year_end]
    complained = [complaints(day) for day in year_end]
    assert praised[0] < praised[1] < praised[2]
    assert complained[0] > complained[1] > complained[2]
    assert Item.objects.filter(received__lt="2015-10-01").count() == 0
    assert Item.objects.filter(received__gt=TODAY).count() == 0
    assert financial_year(Item.objects.earliest("received").received) == 2015


def test_complaints_at_each_stage_some_open_today(small_council: dict[str, int]) -> None:
    numbers = dict(Stage.objects.values_list("number").annotate(n=Count("pk")))
    assert set(numbers) == {1, 2, 3} and numbers[1] > numbers[2] >= numbers[3]
    assert not Stage.objects.exclude(item__kind=Kind.COMPLAINT).exists()
    open_stages = list(Stage.objects.open())
    overdue = [s for s in open_stages if s.due_by < TODAY]
    assert overdue and len(overdue) < len(open_stages)
    assert {s.number for s in open_stages} == {1, 2, 3}
    assert Stage.objects.exclude(extended_due=None).exists()
    assert Stage.objects.exclude(learning="").exists()


def test_whats_due_for_the_demo_accounts(small_council: dict[str, int]) -> None:
    officer = User.objects.get(username="demo-complaints-officer")
    manager = User.objects.get(username="demo-pod-manager")
    mine = [t for t in due.tasks_for(officer, TODAY) if t.source == "Complaint"]
    assert len(mine) == Stage.objects.open().count()
    theirs = [t for t in due.tasks_for(manager, TODAY) if t.source == "Complaint"]
    assert len(theirs) >= 6 and any(t.overdue_on(TODAY) for t in theirs)
