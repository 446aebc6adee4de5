"""The statutory stages and the database's refusals: what the procedure does not allow cannot
be saved, by the write functions or around them."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from onestory.feedback.models import Item, Kind, Outcome, Stage
from onestory.feedback.procedure import (
    CONFLICT,
    extend_stage,
    log_item,
    reply_by,
    respond,
    start_stage,
)
from onestory.feedback.tests.helpers import answered, escalated, logged, officer
from onestory.test import Cast

# Thursday 26 March 2026: ten working days later skips Good Friday (3 April) and Easter
# Monday (6 April) as well as two weekends.
BEFORE_EASTER = date(2026, 3, 26)


def test_a_complaint_starts_at_stage_1_due_in_10_working_days(cast: Cast) -> None:
    cora = officer()
    item = logged(cora, received=BEFORE_EASTER, pod=cast.harbour, family=cast.okafors)
    stage = item.stages.get()
    assert (stage.number, stage.started) == (1, BEFORE_EASTER)
    # 27, 30, 31 March, 1, 2, 7, 8, 9, 10, 13 April.
    assert stage.due == date(2026, 4, 13)
    assert reply_by(Kind.COMPLAINT, BEFORE_EASTER) == date(2026, 4, 13)
    assert item.reference.startswith("FB-") and len(item.reference) == 10
    event = apps.get_model("feedback", "ItemEvent").objects.get(pgh_obj=item)
    assert event.pgh_context.metadata["action"] == "feedback.log_item"
    assert event.pgh_context.metadata["user"] == cora.pk


def test_compliments_have_no_stages(cast: Cast) -> None:
    cora = officer()
    item = logged(cora, kind=Kind.COMPLIMENT, received=date(2026, 5, 1))
    assert not item.stages.exists()
    with pytest.raises(ValidationError) as error:
        start_stage(by=cora, item=item, number=1, started=date(2026, 5, 1))
    assert error.value.message_dict == {"number": ["Only a complaint has stages."]}


def test_a_reply_needs_contact_details(cast: Cast) -> None:
    with pytest.raises(ValidationError) as error:
        logged(officer(), received=date(2026, 5, 1), reply_wanted=True, contact="  ")
    assert "contact" in error.value.message_dict
    assert not Item.objects.exists()


def test_stage_2_needs_stage_1_answered_first(cast: Cast) -> None:
    cora = officer()
    item = logged(cora, received=date(2026, 5, 1))
    with pytest.raises(ValidationError) as error:
        escalated(cora, item, 2, date(2026, 5, 5))
    assert "Stage 1 has not been answered yet" in error.value.message_dict["number"][0]
    with pytest.raises(ValidationError) as error:
        escalated(cora, item, 3, date(2026, 5, 5))
    assert error.value.message_dict["number"][0].startswith("Stage 3 needs a stage 2 first")
    answered(cora, item.stages.get(), date(2026, 5, 8), Outcome.NOT_UPHELD)
    two = escalated(cora, item, 2, date(2026, 5, 11))
    # 25 working days from Monday 11 May, over the spring bank holiday (25 May).
    assert two.due == date(2026, 6, 16)
    assert two.previous == item.stages.get(number=1)


def test_the_database_refuses_a_stage_2_without_stage_1(cast: Cast) -> None:
    item = logged(officer(), kind=Kind.COMMENT, received=date(2026, 5, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Stage.objects.create(item=item, number=2, started=date(2026, 5, 1), due=date(2026, 6, 5))


def test_an_extension_needs_a_reason_and_a_limit(cast: Cast) -> None:
    cora = officer()
    stage = logged(cora, received=date(2026, 5, 1)).stages.get()
    with pytest.raises(ValidationError) as error:
        extend_stage(
            by=cora, stage=stage, version=1, extended_due=date(2026, 5, 22), extension_reason=" "
        )
    assert list(error.value.message_dict) == ["extension_reason"]
    with pytest.raises(ValidationError) as error:
        extend_stage(
            by=cora, stage=stage, version=1, extended_due=date(2026, 6, 30), extension_reason="x"
        )
    # 20 working days from Friday 1 May 2026, with two bank holidays (4 and 25 May).
    assert "the latest date due is 2 June 2026" in error.value.message_dict["extended_due"][0]
    extended = extend_stage(
        by=cora,
        stage=stage,
        version=1,
        extended_due=date(2026, 6, 2),
        extension_reason="The social worker is on leave.",
    )
    assert (extended.due_by, extended.version) == (date(2026, 6, 2), 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stage.objects.filter(pk=stage.pk).update(extension_reason="")


def test_an_outcome_needs_a_response(cast: Cast) -> None:
    cora = officer()
    stage = logged(cora, received=date(2026, 5, 1)).stages.get()
    with pytest.raises(ValidationError) as error:
        respond(by=cora, stage=stage, version=1, responded=None, outcome=Outcome.UPHELD)
    assert list(error.value.message_dict) == ["responded"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Stage.objects.filter(pk=stage.pk).update(outcome=Outcome.UPHELD)
    done = respond(
        by=cora,
        stage=stage,
        version=1,
        responded=date(2026, 5, 14),
        outcome=Outcome.PARTLY_UPHELD,
        learning="Tell families when a visit moves.",
    )
    assert done.in_time() is True
    assert Stage.objects.get(pk=stage.pk).learning == "Tell families when a visit moves."


def test_the_loser_of_two_saves_is_told(cast: Cast) -> None:
    cora = officer()
    stage = logged(cora, received=date(2026, 5, 1)).stages.get()
    respond(by=cora, stage=stage, version=1, responded=date(2026, 5, 6))
    with pytest.raises(ValidationError) as error:
        respond(by=cora, stage=stage, version=1, responded=date(2026, 5, 7))
    assert error.value.messages == [CONFLICT]
    assert Stage.objects.get(pk=stage.pk).responded == date(2026, 5, 6)


def test_log_item_refuses_a_future_date(cast: Cast) -> None:
    with pytest.raises(ValidationError) as error:
        log_item(
            by=officer(),
            kind=Kind.COMPLIMENT,
            source="parent",
            channel="email",
            received=date(2099, 1, 1),
            summary="Thank you",
        )
    assert list(error.value.message_dict) == ["received"]
