"""Allocation, a change of worker, cover and transfers, through HTTP: what is saved, what is
said, what is kept in history, and bad input refused with a clear message and nothing saved."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from onestory.families.models import Allocation, Cover, Family, PodTransfer
from onestory.outcomes.continuity import pod_transfers
from onestory.pods.allocation import allocate, arrange_cover, transfer_family
from onestory.test import SAM_SINCE, Harbour, signed_in, url_maker, when

CHANGE = date(2026, 1, 5)


url = url_maker("pods")


def child_url(h: Harbour, name: str, child) -> str:
    return url(name, h.cast.harbour.pk, h.cast.okafors.uuid, child.uuid)


def history_of(model: str, obj):
    return apps.get_model("families", f"{model}Event").objects.filter(pgh_obj=obj)


def snapshot() -> tuple[int, int, int, list[tuple[Any, ...]]]:
    """Everything an allocation action can write, to show nothing was saved."""
    return (
        Allocation.objects.count(),
        Cover.objects.count(),
        PodTransfer.objects.count(),
        list(Allocation.objects.order_by("pk").values_list("pk", "worker", "start", "end")),
    )


# --- Allocating and changing a child's worker ---------------------------------------------


def test_pod_manager_allocates_a_childs_first_social_worker(harbour: Harbour) -> None:
    client = signed_in(harbour.cast.priya)
    page = client.get(child_url(harbour, "child_allocate", harbour.amara)).text
    assert "Allocate Amara Okafor&#x27;s social worker" in page
    assert "Reason for the change" not in page  # a first worker: always "first contact"
    response = client.post(
        child_url(harbour, "child_allocate", harbour.amara),
        {"worker": harbour.ruth.pk, **when("start", CHANGE)},
        follow=True,
    )
    assert "Ruth Ellison is Amara Okafor&#x27;s social worker from 5 January 2026." in response.text
    allocation = harbour.amara.allocations.get()
    assert (allocation.worker, allocation.pod, allocation.start, allocation.end) == (
        harbour.ruth,
        harbour.cast.harbour,
        CHANGE,
        None,
    )
    assert allocation.change_reason == "FCONTA"
    event = history_of("Allocation", allocation).get(pgh_label="insert")
    assert event.pgh_context.metadata["user"] == harbour.cast.priya.pk
    assert event.pgh_context.metadata["action"] == "pods.allocate"


def test_a_change_of_worker_ends_the_current_allocation_the_day_the_new_one_begins(
    harbour: Harbour,
) -> None:
    client = signed_in(harbour.cast.priya)
    page = client.get(child_url(harbour, "child_allocate", harbour.jayden)).text
    assert "Change Jayden Okafor&#x27;s social worker" in page
    assert "Sam Okafor" in page and "4 Mar 2024" in page  # his workers in the last year
    client.post(
        child_url(harbour, "child_allocate", harbour.jayden),
        {"worker": harbour.ruth.pk, "reason": "MANAGE", **when("start", CHANGE)},
    )
    before, after = harbour.jayden.allocations.order_by("start")
    assert (before.worker, before.start, before.end) == (harbour.sam, SAM_SINCE, CHANGE)
    assert (after.worker, after.start, after.end, after.change_reason) == (
        harbour.ruth,
        CHANGE,
        None,
        "MANAGE",
    )
    ended = history_of("Allocation", before).get(pgh_label="update")
    assert ended.end == CHANGE and ended.pgh_context.metadata["user"] == harbour.cast.priya.pk


def test_changing_on_the_day_it_began_corrects_rather_than_counts_a_change(
    harbour: Harbour,
) -> None:
    by = harbour.cast.priya
    allocate(child=harbour.amara, worker=harbour.sam, start=CHANGE, by=by)
    allocate(child=harbour.amara, worker=harbour.ruth, start=CHANGE, reason="OTHERS", by=by)
    only = harbour.amara.allocations.get()
    assert (only.worker, only.change_reason) == (harbour.ruth, "FCONTA")


def test_siblings_are_allocated_together_by_default(harbour: Harbour) -> None:
    client = signed_in(harbour.cast.priya)
    family_url = url("family_allocate", harbour.cast.harbour.pk, harbour.cast.okafors.uuid)
    page = client.get(family_url).text
    assert page.count('type="checkbox"') == 2 and page.count(" checked") == 2
    client.post(
        family_url,
        {
            "children": [harbour.jayden.pk, harbour.amara.pk],
            "worker": harbour.tom.pk,
            "reason": "MANAGE",
            **when("start", CHANGE),
        },
    )
    assert Allocation.objects.open_on(CHANGE).filter(worker=harbour.tom).count() == 2
    # Jayden changed worker (with the reason); Amara had none (first contact).
    assert harbour.jayden.allocations.get(worker=harbour.tom).change_reason == "MANAGE"
    assert harbour.amara.allocations.get().change_reason == "FCONTA"


def test_a_change_of_worker_needs_its_reason(harbour: Harbour) -> None:
    before = snapshot()
    response = signed_in(harbour.cast.priya).post(
        child_url(harbour, "child_allocate", harbour.jayden),
        {"worker": harbour.ruth.pk, **when("start", CHANGE)},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Choose the reason for the change" in response.text
    assert snapshot() == before


# --- Bad input: a clear error and nothing saved --------------------------------------------


def test_an_allocation_to_someone_outside_the_pod_is_refused(harbour: Harbour) -> None:
    before = snapshot()
    # The form offers only the pod's case holders: Charlie (Downs) is not a valid choice.
    response = signed_in(harbour.cast.priya).post(
        child_url(harbour, "child_allocate", harbour.jayden),
        {"worker": harbour.charlie.pk, "reason": "MANAGE", **when("start", CHANGE)},
    )
    assert "Select a valid choice" in response.text
    # The function itself says why, whoever calls it.
    with pytest.raises(ValidationError) as refused:
        allocate(
            child=harbour.jayden,
            worker=harbour.charlie,
            start=CHANGE,
            reason="MANAGE",
            by=harbour.cast.priya,
        )
    assert refused.value.message_dict["worker"] == [
        "Charlie Nash works in Pod Downs, but Jayden Okafor's family is not in Pod Downs on "
        "5 January 2026. Choose a worker in the family's pod, or transfer the family first."
    ]
    # Business support officers and pod managers hold no cases.
    with pytest.raises(ValidationError, match="business support officer"):
        allocate(child=harbour.amara, worker=harbour.ben, start=CHANGE, by=harbour.cast.priya)
    assert snapshot() == before


def test_a_change_dated_before_a_later_change_is_refused(harbour: Harbour) -> None:
    allocate(
        child=harbour.jayden,
        worker=harbour.ruth,
        start=CHANGE,
        reason="MANAGE",
        by=harbour.cast.priya,
    )
    before = snapshot()
    response = signed_in(harbour.cast.priya).post(
        child_url(harbour, "child_allocate", harbour.jayden),
        {"worker": harbour.tom.pk, "reason": "ABSENC", **when("start", date(2025, 12, 1))},
    )
    assert (
        "Jayden Okafor already has a social worker from 5 January 2026, after this date. "
        "Record changes in date order." in response.text.replace("&#x27;", "'")
    )
    assert snapshot() == before


def test_a_date_that_is_not_a_date_is_refused(harbour: Harbour) -> None:
    before = snapshot()
    response = signed_in(harbour.cast.priya).post(
        child_url(harbour, "child_allocate", harbour.jayden),
        {
            "worker": harbour.ruth.pk,
            "reason": "MANAGE",
            **when("start", CHANGE),
            "start_month": "13",
        },
    )
    assert "must be a real date" in response.text
    assert snapshot() == before


# --- Cover -------------------------------------------------------------------------------


def test_cover_for_a_caseload_and_for_one_child(harbour: Harbour) -> None:
    client = signed_in(harbour.cast.priya)
    sam_membership = harbour.sam.memberships.get()
    back, away = date(2026, 12, 14), date(2026, 12, 1)
    response = client.post(
        url("cover_caseload", harbour.cast.harbour.pk, sam_membership.pk),
        {"covering": harbour.ruth.pk, **when("start", away), **when("end", back)},
        follow=True,
    )
    assert (
        "Ruth Ellison covers Sam Okafor&#x27;s caseload from 1 December 2026 "
        "until 14 December 2026." in response.text
    )
    cover = Cover.objects.get()
    assert (cover.absent, cover.covering, cover.child, cover.start, cover.end) == (
        harbour.sam,
        harbour.ruth,
        None,
        away,
        back,
    )
    assert cover.recorded_by == harbour.cast.priya
    # A senior social worker may arrange cover for one child.
    signed_in(harbour.ruth_user).post(
        child_url(harbour, "child_cover", harbour.jayden),
        {
            "covering": harbour.tom.pk,
            **when("start", date(2027, 1, 4)),
            **when("end", date(2027, 1, 8)),
        },
    )
    assert Cover.objects.get(child=harbour.jayden).covering == harbour.tom
    # The cover is changed (ended early) through its own page.
    client.post(
        url("cover_change", harbour.cast.harbour.pk, cover.pk), when("end", date(2026, 12, 10))
    )
    cover.refresh_from_db()
    assert cover.end == date(2026, 12, 10)
    assert history_of("Cover", cover).filter(pgh_label="update").get().end == date(2026, 12, 10)


def test_cover_by_the_same_worker_is_refused(harbour: Harbour) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        arrange_cover(
            absent=harbour.sam,
            covering=harbour.sam,
            start=CHANGE,
            end=CHANGE + timedelta(days=7),
            by=harbour.cast.priya,
        )
    assert refused.value.message_dict["covering"] == [
        "A worker cannot cover for themselves: choose someone else in the pod."
    ]
    # Through the page, the worker away is not even offered.
    page = signed_in(harbour.cast.priya).get(
        url("cover_caseload", harbour.cast.harbour.pk, harbour.sam.memberships.get().pk)
    )
    assert f'value="{harbour.ruth.pk}"' in page.text
    assert f'value="{harbour.sam.pk}"' not in page.text
    assert snapshot() == before


def test_cover_dates_out_of_order_and_overlapping_cover_are_refused(harbour: Harbour) -> None:
    client = signed_in(harbour.cast.priya)
    cover_url = url("cover_caseload", harbour.cast.harbour.pk, harbour.sam.memberships.get().pk)
    before = snapshot()
    response = client.post(
        cover_url,
        {
            "covering": harbour.ruth.pk,
            **when("start", date(2026, 12, 14)),
            **when("end", date(2026, 12, 1)),
        },
    )
    assert "The cover must end after the day it starts." in response.text
    assert snapshot() == before
    arrange_cover(
        absent=harbour.sam,
        covering=harbour.ruth,
        start=date(2026, 12, 1),
        end=date(2026, 12, 14),
        by=harbour.cast.priya,
    )
    before = snapshot()
    response = client.post(
        cover_url,
        {
            "covering": harbour.tom.pk,
            **when("start", date(2026, 12, 10)),
            **when("end", date(2026, 12, 20)),
        },
    )
    assert (
        "Someone is already covering this worker&#x27;s caseload for some of these dates."
        in response.text
    )
    assert snapshot() == before


def test_cover_by_someone_outside_the_pod_is_refused(harbour: Harbour) -> None:
    with pytest.raises(ValidationError) as refused:
        arrange_cover(
            absent=harbour.sam,
            covering=harbour.charlie,
            start=CHANGE,
            end=CHANGE + timedelta(days=7),
            by=harbour.cast.priya,
        )
    assert "Charlie Nash is not in Pod Harbour for the whole of the cover" in str(refused.value)
    assert not Cover.objects.exists()


# --- Transfers between pods ---------------------------------------------------------------


def test_a_family_is_transferred_to_another_pod_with_a_reason_and_counted(
    harbour: Harbour,
) -> None:
    client = signed_in(harbour.cast.priya)
    transfer_url = url("family_transfer", harbour.cast.harbour.pk, harbour.cast.okafors.uuid)
    arrange_cover(
        absent=harbour.sam,
        covering=harbour.ruth,
        start=date(2026, 1, 1),
        end=date(2026, 3, 1),
        by=harbour.cast.priya,
        child=harbour.jayden,
    )
    before = snapshot()
    refused = client.post(
        transfer_url, {"to_pod": harbour.cast.downs.pk, **when("day", CHANGE), "reason": " "}
    )
    assert "Say why the family is moving to another pod" in refused.text
    assert snapshot() == before

    client.post(
        transfer_url,
        {
            "to_pod": harbour.cast.downs.pk,
            **when("day", date(2026, 2, 2)),
            "reason": "The family moved to the other side of town.",
            "worker": harbour.charlie.pk,
            "change_reason": "TSPROC",
        },
    )
    family = Family.objects.get(pk=harbour.cast.okafors.pk)
    assert family.pod == harbour.cast.downs
    transfer = PodTransfer.objects.get()
    assert (transfer.from_pod, transfer.to_pod, transfer.transferred) == (
        harbour.cast.harbour,
        harbour.cast.downs,
        date(2026, 2, 2),
    )
    assert transfer.recorded_by == harbour.cast.priya
    jayden_now = harbour.jayden.allocations.get(end__isnull=True)
    assert (jayden_now.worker, jayden_now.pod, jayden_now.change_reason) == (
        harbour.charlie,
        harbour.cast.downs,
        "TSPROC",
    )
    assert harbour.jayden.allocations.get(worker=harbour.sam).end == date(2026, 2, 2)
    assert harbour.amara.allocations.get().worker == harbour.charlie
    assert Cover.objects.get(child=harbour.jayden).end == date(2026, 2, 2)
    counted = pod_transfers(date(2026, 1, 1), date(2026, 12, 31))
    assert (counted.total, counted.out_of, counted.into) == (
        1,
        {harbour.cast.harbour.pk: 1},
        {harbour.cast.downs.pk: 1},
    )
    # Charlie's pod now holds the family; Priya's no longer does.
    assert (
        signed_in(harbour.cast.charlie)
        .get(reverse("families:detail", args=[family.uuid]))
        .status_code
        == 200
    )
    assert client.get(transfer_url).status_code == 404


def test_a_transfer_to_a_worker_outside_the_new_pod_is_refused(harbour: Harbour) -> None:
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        transfer_family(
            family=harbour.cast.okafors,
            to_pod=harbour.cast.downs,
            day=CHANGE,
            reason="Moved house.",
            worker=harbour.ruth,
            by=harbour.cast.priya,
        )
    assert refused.value.message_dict["worker"] == [
        "Ruth Ellison is not in Pod Downs on 5 January 2026."
    ]
    assert snapshot() == before
    assert Family.objects.get(pk=harbour.cast.okafors.pk).pod == harbour.cast.harbour


# --- Who may do what ------------------------------------------------------------------------


def test_only_the_pods_manager_and_the_head_of_service_allocate(harbour: Harbour) -> None:
    target = child_url(harbour, "child_allocate", harbour.amara)
    data = {"worker": harbour.ruth.pk, **when("start", CHANGE)}
    for who in (harbour.cast.sam, harbour.cast.ben, harbour.cast.charlie, harbour.cast.alex):
        assert signed_in(who).post(target, data).status_code == 404
        assert signed_in(who).get(target).status_code == 404
    assert not harbour.amara.allocations.exists()
    assert signed_in(harbour.cast.hana).post(target, data).status_code == 302
    assert harbour.amara.allocations.get().worker == harbour.ruth


def test_a_family_from_another_pod_under_this_pods_address_is_404(harbour: Harbour) -> None:
    nash_child = harbour.cast.nashes.members.get(role="child").person
    client = signed_in(harbour.cast.hana)
    wrong = url(
        "child_allocate", harbour.cast.harbour.pk, harbour.cast.nashes.uuid, nash_child.uuid
    )
    assert client.get(wrong).status_code == 404
    # A child of another family under the Okafors' address is 404 too.
    mixed = url(
        "child_allocate", harbour.cast.harbour.pk, harbour.cast.okafors.uuid, nash_child.uuid
    )
    assert client.get(mixed).status_code == 404
