"""Family experience measures, against hand-counted fixtures: the financial year to the day
(the day itself counted), the projection, and stage 1 timeliness over Christmas bank holidays."""

from __future__ import annotations

from datetime import date

import pytest

from onestory.feedback.models import Kind
from onestory.feedback.procedure import extend_stage
from onestory.feedback.tests.helpers import answered, logged, officer
from onestory.outcomes.feedback import (
    complaints,
    complaints_projected,
    compliments,
    compliments_on,
    compliments_projected,
    stage_1_in_time,
    stage_1_in_time_on,
)
from onestory.pods.models import Pod

DAY = date(2026, 1, 15)  # in the financial year 2025 to 2026


@pytest.fixture
def world(db):
    cora = officer()
    harbour = Pod.objects.create(name="Pod Harbour", formed=date(2020, 1, 6))
    for received, pod in [
        (date(2025, 3, 31), None),  # the year before
        (date(2025, 4, 1), None),  # the first day of the year
        (date(2025, 10, 10), harbour),
        (DAY, None),  # the day itself
        (date(2026, 1, 16), None),  # the day after
    ]:
        logged(cora, kind=Kind.COMPLIMENT, received=received, pod=pod)
    logged(cora, kind=Kind.COMMENT, received=DAY)

    # Thursday 18 December 2025: 10 working days skip Christmas Day, Boxing Day and New
    # Year's Day: 19, 22, 23, 24, 29, 30, 31 December, 2, 5, 6 January. Answered on the day
    # it was due: in time.
    christmas = logged(cora, received=date(2025, 12, 18), pod=harbour)
    assert christmas.stages.get().due == date(2026, 1, 6)
    answered(cora, christmas.stages.get(), date(2026, 1, 6))
    # Monday 1 December: due Monday 15 December; answered the 16th: late.
    late = logged(cora, received=date(2025, 12, 1))
    answered(cora, late.stages.get(), date(2025, 12, 16))
    # Monday 3 November: extended with a reason to 20 working days, 1 December; answered 28
    # November: in time.
    extended = logged(cora, received=date(2025, 11, 3)).stages.get()
    extended = extend_stage(
        by=cora,
        stage=extended,
        version=1,
        extended_due=date(2025, 12, 1),
        extension_reason="Waiting for the school's account.",
    )
    answered(cora, extended, date(2025, 11, 28))
    # Answered the day after DAY, and one in the year before: neither counts.
    after = logged(cora, received=date(2026, 1, 5))
    answered(cora, after.stages.get(), date(2026, 1, 16))
    before = logged(cora, received=date(2025, 3, 3))
    answered(cora, before.stages.get(), date(2025, 3, 20))
    return harbour


def test_compliments_and_complaints_in_the_financial_year_to_the_day(world: Pod) -> None:
    assert compliments(DAY) == 3
    assert compliments(DAY, pod=world.pk) == 1
    assert compliments(date(2025, 3, 31)) == 1
    # Christmas, 1 December, 3 November and 5 January; not 3 March 2025.
    assert complaints(DAY) == 4
    assert complaints(DAY, pod=world.pk) == 1


def test_the_projection_is_pro_rata_by_days_elapsed(world: Pod) -> None:
    # 1 April 2025 to 15 January 2026 is 290 days of the year's 365: 3 x 365 / 290 = 3.78.
    assert compliments_projected(DAY) == 4
    # 4 x 365 / 290 = 5.03.
    assert complaints_projected(DAY) == 5
    # On 31 March the year is over: the projection is the count.
    assert compliments_projected(date(2026, 3, 31)) == compliments(date(2026, 3, 31)) == 4


def test_stage_1_in_time(world: Pod) -> None:
    # Christmas (on the day it was due) and the extended one in time; 1 December late.
    assert stage_1_in_time(DAY) == 66.7
    assert stage_1_in_time(DAY, pod=world.pk) == 100.0
    # 16 January counts on 16 January.
    assert stage_1_in_time(date(2026, 1, 16)) == 75.0
    assert stage_1_in_time(date(2025, 4, 1)) is None


def test_each_measure_is_one_query(world: Pod, django_assert_num_queries) -> None:
    for measure in (compliments, complaints, compliments_projected, stage_1_in_time):
        with django_assert_num_queries(1):
            measure(DAY, pod=world.pk)


def test_many_days_at_once_keep_each_day_s_financial_year(
    world: Pod, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        found = compliments_on([date(2025, 3, 31), DAY])
    assert found[(DAY, None)] == 3
    assert found[(date(2025, 3, 31), None)] == 1
    assert found[(DAY, world.pk)] == 1
    in_time = stage_1_in_time_on([DAY, date(2026, 1, 16)])
    assert in_time[(DAY, None)] == 66.7
    assert in_time[(date(2026, 1, 16), None)] == 75.0
    assert in_time[(DAY, world.pk)] == 100.0
