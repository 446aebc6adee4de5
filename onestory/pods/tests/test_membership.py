"""Who is in a pod, in which role, for what FTE, over time; and the one rule that refuses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from onestory.accounts.models import Role
from onestory.pods.membership import add_member
from onestory.pods.models import PodMembership, PodRole, Staff
from onestory.test import Harbour, make_staff, make_user, signed_in, url_maker, when

JOINS = date(2026, 2, 2)


url = url_maker("pods")


@pytest.fixture
def newcomer(harbour: Harbour) -> Staff:
    return make_staff(make_user("nia", Role.SOCIAL_WORKER, "Nia", "Osei"), None, None)


def memberships() -> list[tuple[Any, ...]]:
    return list(
        PodMembership.objects.order_by("pk").values_list(
            "pk", "staff", "pod", "role", "fte", "start", "end"
        )
    )


def test_pod_manager_adds_a_member_changes_their_fte_and_ends_it(
    harbour: Harbour, newcomer: Staff
) -> None:
    client = signed_in(harbour.cast.priya)
    page = client.get(url("member_add", harbour.cast.harbour.pk)).text
    assert "Nia Osei" in page and "Sam Okafor" not in page  # only people in no pod today
    client.post(
        url("member_add", harbour.cast.harbour.pk),
        {"staff": newcomer.pk, "role": PodRole.SOCIAL_WORKER, "fte": "1", **when("start", JOINS)},
    )
    joined = newcomer.memberships.get()
    assert (joined.pod, joined.role, joined.fte, joined.start, joined.end) == (
        harbour.cast.harbour,
        PodRole.SOCIAL_WORKER,
        Decimal("1.00"),
        JOINS,
        None,
    )
    response = client.post(
        url("member_change", harbour.cast.harbour.pk, joined.pk),
        {"role": PodRole.SOCIAL_WORKER, "fte": "0.8", **when("day", date(2026, 6, 1))},
        follow=True,
    )
    assert "From 1 June 2026 Nia Osei is a social worker at 0.8 FTE." in response.text
    first, second = newcomer.memberships.order_by("start")
    assert (first.end, second.start, second.fte, second.end) == (
        date(2026, 6, 1),
        date(2026, 6, 1),
        Decimal("0.80"),
        None,
    )
    client.post(
        url("member_end", harbour.cast.harbour.pk, second.pk), when("end", date(2026, 9, 1))
    )
    second.refresh_from_db()
    assert second.end == date(2026, 9, 1)
    # Both FTEs stay in the pod's history, on its page.
    page = client.get(url("detail", harbour.cast.harbour.pk)).text
    assert page.count("Nia Osei") >= 2


def test_a_second_full_time_manager_is_refused(harbour: Harbour, newcomer: Staff) -> None:
    before = memberships()
    response = signed_in(harbour.cast.hana).post(
        url("member_add", harbour.cast.harbour.pk),
        {"staff": newcomer.pk, "role": PodRole.POD_MANAGER, "fte": "1.00", **when("start", JOINS)},
    )
    assert (
        "Pod Harbour already has a full-time pod manager, Priya Shah, from 6 January 2020. "
        "End their membership first, or record this one as part-time." in response.text
    )
    assert memberships() == before
    # A part-time manager (a handover, a job share) is recorded, with a warning on the page.
    add_member(
        pod=harbour.cast.harbour,
        staff=newcomer,
        role=PodRole.POD_MANAGER,
        fte=Decimal("0.5"),
        start=JOINS,
        by=harbour.cast.hana,
    )
    page = signed_in(harbour.cast.hana).get(url("detail", harbour.cast.harbour.pk)).text
    assert "There are 1.5 FTE of pod managers. The model has one full-time pod manager." in page


def test_the_database_refuses_two_full_time_managers_too(harbour: Harbour, newcomer: Staff) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        PodMembership.objects.create(
            staff=newcomer,
            pod=harbour.cast.harbour,
            role=PodRole.POD_MANAGER,
            fte=Decimal("1.00"),
            start=JOINS,
        )


def test_membership_dates_out_of_order_and_two_pods_at_once_are_refused(
    harbour: Harbour, newcomer: Staff
) -> None:
    client = signed_in(harbour.cast.priya)
    before = memberships()
    response = client.post(
        url("member_add", harbour.cast.harbour.pk),
        {
            "staff": newcomer.pk,
            "role": PodRole.SOCIAL_WORKER,
            "fte": "1",
            **when("start", JOINS),
            **when("end", date(2026, 1, 1)),
        },
    )
    assert "The membership must end after the day it starts." in response.text
    assert memberships() == before
    with pytest.raises(ValidationError, match="already in a pod for some of these dates"):
        add_member(
            pod=harbour.cast.downs,
            staff=harbour.sam,
            role=PodRole.SOCIAL_WORKER,
            fte=Decimal("1"),
            start=JOINS,
            by=harbour.cast.hana,
        )
    assert memberships() == before


def test_a_change_outside_the_membership_is_refused(harbour: Harbour) -> None:
    sam = harbour.sam.memberships.get()
    before = memberships()
    response = signed_in(harbour.cast.priya).post(
        url("member_change", harbour.cast.harbour.pk, sam.pk),
        {"role": PodRole.SENIOR_SOCIAL_WORKER, "fte": "1", **when("day", date(2019, 1, 1))},
    )
    assert "The change must be after 6 January 2020, while they are in this role." in response.text
    assert memberships() == before


def test_only_managers_change_membership(harbour: Harbour, newcomer: Staff) -> None:
    add = url("member_add", harbour.cast.harbour.pk)
    data = {"staff": newcomer.pk, "role": PodRole.SOCIAL_WORKER, "fte": "1", **when("start", JOINS)}
    for who in (harbour.cast.sam, harbour.ruth_user, harbour.cast.charlie, harbour.cast.alex):
        assert signed_in(who).post(add, data).status_code == 404
    assert not newcomer.memberships.exists()
