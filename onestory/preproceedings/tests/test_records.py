"""Writing pre-proceedings: saved state, the entries on the family's story, the history, and
the rules kept by the functions and, behind them, by the database."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from onestory.preproceedings import records
from onestory.preproceedings.models import Outcome, PreProceedings, Response
from onestory.preproceedings.tests.helpers import application, days_ago, started
from onestory.stories.models import Entry, Kind, Status
from onestory.test import child_of

pytestmark = pytest.mark.django_db


def story_of(family) -> list[str]:
    entries = Entry.objects.filter(family=family, kind=Kind.PRE_PROCEEDINGS)
    return [e.story for e in entries.order_by("occurred_at", "pk")]


def test_start_writes_the_period_the_children_and_a_final_entry(cast) -> None:
    period = started(cast.okafors, cast.sam, ago=30)
    assert period.letter_date == days_ago(30)
    assert period.fgdm_in_letter and period.fgdm_offered_on == days_ago(30)
    assert list(period.children.all()) == [child_of(cast.okafors)]
    entry = Entry.objects.get(family=cast.okafors, kind=Kind.PRE_PROCEEDINGS)
    assert entry.status == Status.FINAL and entry.finalised_at is not None
    assert entry.author == cast.sam
    assert "letter before proceedings" in entry.story
    assert "family group decision-making meeting" in entry.story
    assert list(entry.concerns.all()) == [child_of(cast.okafors)]
    event = apps.get_model("preproceedings", "PreProceedingsEvent").objects.get(pgh_obj=period)
    assert event.pgh_context.metadata["action"] == "preproceedings.start"
    assert event.pgh_context.metadata["user"] == cast.sam.pk


def test_a_second_open_period_is_refused(cast) -> None:
    started(cast.okafors, cast.sam, ago=30)
    with pytest.raises(ValidationError) as refused:
        started(cast.okafors, cast.sam, ago=10)
    assert "already has pre-proceedings open" in str(refused.value.message_dict["letter_date"])


def test_only_the_familys_pod_records(cast) -> None:
    with pytest.raises(ValidationError):
        started(cast.okafors, cast.charlie)
    with pytest.raises(ValidationError):
        started(cast.okafors, cast.ben)
    started(cast.okafors, cast.priya)


def test_the_whole_journey_on_the_story(cast) -> None:
    period = started(cast.okafors, cast.sam, ago=60, in_letter=False)
    assert records.record_meeting(
        period=period, by=cast.sam, expected_version=1, meeting_date=days_ago(50)
    )
    assert records.record_fgdm(
        period=period,
        by=cast.sam,
        expected_version=2,
        fgdm_offered_on=days_ago(49),
        fgdm_in_letter=False,
        fgdm_response=Response.ACCEPTED,
        fgdm_held_on=days_ago(40),
        fgdm_plan_agreed=True,
        fgdm_plan="Grandma Rose has the children after school.",
    )
    proceedings = application(cast.okafors, days_ago(10))
    assert records.record_outcome(
        period=period,
        by=cast.priya,
        expected_version=3,
        ended=days_ago(10),
        outcome=Outcome.CARE_APPLICATION,
        outcome_note="",
        proceedings=proceedings,
    )
    period.refresh_from_db()
    assert period.version == 4 and period.proceedings == proceedings
    assert period.fgdm_held_on == days_ago(40) and period.fgdm_plan_agreed is True
    story = story_of(cast.okafors)
    assert len(story) == 4
    assert "pre-proceedings meeting was held" in story[1]
    assert "We offered a family group decision-making meeting on" in story[2]
    assert "The family accepted" in story[2] and "Grandma Rose" in story[2]
    assert "applied to Brighton Family Court for a care order" in story[3]


def test_a_save_against_an_old_version_loses_and_changes_nothing(cast) -> None:
    period = started(cast.okafors, cast.sam)
    assert records.record_meeting(
        period=period, by=cast.sam, expected_version=1, meeting_date=days_ago(50)
    )
    stale = PreProceedings.objects.get(pk=period.pk)
    stale.version = 1
    assert not records.record_meeting(
        period=stale, by=cast.priya, expected_version=1, meeting_date=days_ago(45)
    )
    period.refresh_from_db()
    assert period.meeting_date == days_ago(50) and period.version == 2
    assert len(story_of(cast.okafors)) == 2


def test_fgdm_rules_name_the_field(cast) -> None:
    period = started(cast.okafors, cast.sam, in_letter=False)
    with pytest.raises(ValidationError) as refused:
        records.record_fgdm(
            period=period,
            by=cast.sam,
            expected_version=1,
            fgdm_offered_on=days_ago(40),
            fgdm_in_letter=False,
            fgdm_response=Response.DECLINED,
            fgdm_held_on=days_ago(30),
            fgdm_plan_agreed=True,
            fgdm_plan="",
        )
    errors = refused.value.message_dict
    assert errors["fgdm_response"] == ["A meeting was held, so choose accepted"]
    assert errors["fgdm_plan"] == ["Write the family's plan in their words"]
    assert PreProceedings.objects.get(pk=period.pk).fgdm_offered_on is None


def test_outcome_care_application_needs_its_proceedings(cast) -> None:
    period = started(cast.okafors, cast.sam, ago=60)
    before = application(cast.okafors, days_ago(90))  # before the letter: not this period's
    with pytest.raises(ValidationError) as refused:
        records.record_outcome(
            period=period,
            by=cast.sam,
            expected_version=1,
            ended=days_ago(5),
            outcome=Outcome.CARE_APPLICATION,
            outcome_note="",
            proceedings=before,
        )
    assert "after the letter" in refused.value.message_dict["proceedings"][0]


BAD = [
    {"meeting_date": -70},  # before the letter
    {"ended": -1},  # ended with no outcome
    {"outcome": Outcome.CARE_APPLICATION, "ended": -1},  # no proceedings linked
    {"fgdm_held_on": -10},  # held without being accepted
    {"fgdm_plan": "A plan"},  # a plan with none agreed
    {"fgdm_offered_on": -59},  # "in the letter" on another day than the letter's
    {"fgdm_offered_on": None},  # "in the letter" with no date
]


@pytest.mark.parametrize("values", BAD)
def test_the_database_refuses_what_the_functions_refuse(cast, values) -> None:
    period = started(cast.okafors, cast.sam, ago=60)
    values = {k: days_ago(-v) if isinstance(v, int) else v for k, v in values.items()}
    with pytest.raises(IntegrityError), transaction.atomic():
        PreProceedings.objects.filter(pk=period.pk).update(**values)


def test_an_offer_in_the_letter_is_on_the_letters_date(cast) -> None:
    period = started(cast.okafors, cast.sam, ago=60, in_letter=False)
    with pytest.raises(ValidationError) as refused:
        records.record_fgdm(
            period=period,
            by=cast.sam,
            expected_version=1,
            fgdm_offered_on=days_ago(50),
            fgdm_in_letter=True,
            fgdm_response="",
            fgdm_held_on=None,
            fgdm_plan_agreed=None,
            fgdm_plan="",
        )
    assert "letter's date" in refused.value.message_dict["fgdm_offered_on"][0]
    assert records.record_fgdm(
        period=period,
        by=cast.sam,
        expected_version=1,
        fgdm_offered_on=None,
        fgdm_in_letter=True,
        fgdm_response="",
        fgdm_held_on=None,
        fgdm_plan_agreed=None,
        fgdm_plan="",
    )
    period.refresh_from_db()
    assert period.fgdm_offered_on == days_ago(60) and period.fgdm_in_letter
