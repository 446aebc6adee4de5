"""Pre-proceedings measures against hand-counted fixtures: care applications in the 12 months
to the day (the day itself counted, a year before it not), each preceded or not by an FGDM
meeting offered and held on or before the application, for the service and per pod."""

from __future__ import annotations

from datetime import date

import pytest

from onestory.families.models import CareProceedings
from onestory.outcomes.preproceedings import counts, held_on, held_share, offered_share
from onestory.preproceedings.models import Outcome, PreProceedings, Response
from onestory.test import make_family

DAY = date(2026, 9, 30)


def _application(family, day: date, *, offered=None, held=None, by) -> CareProceedings:
    proceedings = CareProceedings.objects.create(family=family, application_date=day, court="C")
    if offered is not None:
        PreProceedings.objects.create(
            family=family,
            letter_date=offered,
            fgdm_offered_on=offered,
            fgdm_response=Response.ACCEPTED if held else Response.DECLINED,
            fgdm_held_on=held,
            ended=day,
            outcome=Outcome.CARE_APPLICATION,
            proceedings=proceedings,
            created_by=by,
        )
    return proceedings


@pytest.fixture
def world(cast):
    harbour_a = make_family("Ash", cast.harbour)
    harbour_b = make_family("Birch", cast.harbour)
    downs = make_family("Cedar", cast.downs)
    sam = cast.sam
    # Counted (in the 12 months to DAY): five applications, three in Harbour, two in Downs.
    _application(
        harbour_a, date(2026, 2, 1), offered=date(2026, 1, 2), held=date(2026, 1, 20), by=sam
    )
    _application(harbour_b, date(2026, 5, 1), offered=date(2026, 3, 1), by=sam)  # declined
    _application(cast.okafors, DAY, by=sam)  # no pre-proceedings: not preceded
    _application(downs, date(2025, 10, 1), offered=date(2025, 6, 1), held=date(2025, 7, 1), by=sam)
    # Offered after the application: not "preceded".
    late = _application(cast.nashes, date(2026, 7, 1), by=sam)
    PreProceedings.objects.create(
        family=cast.nashes,
        letter_date=date(2026, 6, 1),
        fgdm_offered_on=date(2026, 7, 2),
        ended=date(2026, 7, 2),
        outcome=Outcome.CARE_APPLICATION,
        proceedings=late,
        created_by=sam,
    )
    # Not counted: a year before the day, and the day after.
    _application(harbour_a, date(2025, 9, 30), offered=date(2025, 9, 1), by=sam)
    _application(harbour_b, date(2026, 10, 1), offered=date(2026, 9, 1), by=sam)
    return cast


def test_service_shares(world) -> None:
    assert counts(DAY) == (5, 3, 2)
    assert offered_share(DAY) == 60.0
    assert held_share(DAY) == 40.0


def test_per_pod(world) -> None:
    harbour, downs = world.harbour.pk, world.downs.pk
    assert counts(DAY, pod=harbour) == (3, 2, 1)
    assert offered_share(DAY, pod=harbour) == 66.7
    assert held_share(DAY, pod=harbour) == 33.3
    assert counts(DAY, pod=downs) == (2, 1, 1)
    assert offered_share(DAY, pod=downs) == 50.0


def test_nothing_to_show_is_none(world) -> None:
    assert offered_share(date(2020, 1, 1)) is None
    assert held_share(DAY, pod=999_999) is None


def test_many_days_in_one_query(world, django_assert_num_queries) -> None:
    days = [date(2026, 3, 31), DAY]
    with django_assert_num_queries(1):
        found = held_on(days)
    # To 31 March 2026: Ash (held), Cedar (held), and Ash's of 30 September 2025 (offered,
    # declined): two of three.
    assert found[(days[0], None)] == 66.7
    assert found[(DAY, None)] == 40.0
