"""Someone another pod holds joining a family: asked for by this family's pod, agreed by the
pod manager of a family they belong to now, never simply taken (issue 11, break-glass)."""

from __future__ import annotations

from datetime import date

from onestory.accounts.models import Alert, Role
from onestory.families.models import (
    AccessAction,
    AccessEvent,
    FamilyMember,
    MembershipRequest,
)
from onestory.pods.models import PodRole
from onestory.test import Cast, child_of, make_staff, make_user, signed_in, url_maker, when

url = url_maker("families")


def ask(cast: Cast):
    """Charlie, in Pod Downs, asks for Jayden (held by Pod Harbour) to join the Nashes."""
    jayden = child_of(cast.okafors)
    return jayden, signed_in(cast.charlie).post(
        url("member_ask", cast.nashes.uuid, jayden.uuid),
        {
            "role": "child",
            **when("start", date(2026, 9, 1)),
            "reason": "Jayden lives with Dean now",
        },
    )


def test_another_pods_child_is_found_as_a_card_with_a_request_not_an_add(cast: Cast) -> None:
    jayden = child_of(cast.okafors)
    page = signed_in(cast.charlie).get(url("member_find", cast.nashes.uuid), {"q": "Jayden"}).text
    assert "Held by other pods" in page
    assert url("member_ask", cast.nashes.uuid, jayden.uuid) in page
    assert url("member_add_existing", cast.nashes.uuid, jayden.uuid) not in page
    assert AccessEvent.objects.filter(
        user=cast.charlie, person=jayden, action=AccessAction.SEARCH
    ).exists()


def test_asking_alerts_the_childs_pod_manager_and_adds_no_one(cast: Cast) -> None:
    jayden, response = ask(cast)
    assert response.status_code == 302
    asked = MembershipRequest.objects.get()
    assert (asked.person, asked.family, asked.requested_by) == (jayden, cast.nashes, cast.charlie)
    assert asked.agreed is None
    assert not FamilyMember.objects.filter(family=cast.nashes, person=jayden).exists()
    alert = Alert.objects.get(user=cast.priya)
    assert "Charlie Nash asks for Jayden Okafor to join The Nash family" in alert.text
    assert alert.link == url("join_request", asked.pk)


def test_the_pod_manager_agrees_and_the_child_joins(cast: Cast) -> None:
    jayden, _ = ask(cast)
    asked = MembershipRequest.objects.get()
    client = signed_in(cast.priya)
    page = client.get(url("join_request", asked.pk)).text
    assert "Should Jayden Okafor join The Nash family?" in page
    assert "Jayden lives with Dean now" in page
    response = client.post(url("join_request", asked.pk), {"decision": "agree"})
    assert response.status_code == 302
    member = FamilyMember.objects.get(family=cast.nashes, person=jayden)
    assert (member.role, member.start) == ("child", date(2026, 9, 1))
    asked.refresh_from_db()
    assert (asked.agreed, asked.decided_by) == (True, cast.priya)
    event = member.events.get(pgh_label="insert")  # type: ignore[attr-defined]
    assert event.pgh_context.metadata["user"] == cast.priya.pk
    assert event.pgh_context.metadata["action"] == "families.agree_to_join"
    assert "agreed" in Alert.objects.get(user=cast.charlie).text
    # Decided once only.
    again = client.post(url("join_request", asked.pk), {"decision": "decline"})
    assert again.status_code == 404


def test_declining_adds_no_one(cast: Cast) -> None:
    jayden, _ = ask(cast)
    asked = MembershipRequest.objects.get()
    signed_in(cast.priya).post(url("join_request", asked.pk), {"decision": "decline"})
    asked.refresh_from_db()
    assert (asked.agreed, asked.decided_by) == (False, cast.priya)
    assert not FamilyMember.objects.filter(family=cast.nashes, person=jayden).exists()
    assert "declined" in Alert.objects.get(user=cast.charlie).text


def test_only_a_pod_manager_of_the_childs_family_may_decide(cast: Cast) -> None:
    ask(cast)
    asked = MembershipRequest.objects.get()
    downs_manager = make_user("dora", Role.POD_MANAGER, "Dora", "Evans")
    make_staff(downs_manager, cast.downs, PodRole.POD_MANAGER)
    for who in (cast.sam, cast.charlie, downs_manager, cast.hana):
        client = signed_in(who)
        assert client.get(url("join_request", asked.pk)).status_code == 404
        assert client.post(url("join_request", asked.pk), {"decision": "agree"}).status_code == 404
    asked.refresh_from_db()
    assert asked.agreed is None
    assert not FamilyMember.objects.filter(family=cast.nashes, person=asked.person).exists()


def test_a_request_needs_a_reason(cast: Cast) -> None:
    jayden = child_of(cast.okafors)
    response = signed_in(cast.charlie).post(
        url("member_ask", cast.nashes.uuid, jayden.uuid),
        {"role": "child", **when("start", date(2026, 9, 1)), "reason": ""},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Say why they are joining this family" in response.text
    assert not MembershipRequest.objects.exists()


def test_the_request_pages_cost_a_fixed_number_of_queries(
    cast: Cast, django_assert_num_queries
) -> None:
    jayden = child_of(cast.okafors)
    charlie = signed_in(cast.charlie)
    charlie.get("/")  # the first request of a session also saves it
    # Three for every signed-in page; the family, its access check and log entry; the card and
    # its log entry.
    with django_assert_num_queries(9):
        charlie.get(url("member_ask", cast.nashes.uuid, jayden.uuid))
    ask(cast)
    priya = signed_in(cast.priya)
    priya.get("/")
    # Three for every signed-in page; the request, found through the families she may change
    # (with its family, pod and people), and who asked.
    with django_assert_num_queries(5):
        priya.get(url("join_request", MembershipRequest.objects.get().pk))
