"""People have their own access rule, and break-glass stays read-only and temporary.

docs/decisions/0005-need-to-know.md, "People": a person is reached through their families, past
or present, except that someone in a restricted family today is seen only by those named on it;
changing a person needs a family they belong to now; an emergency grant opens a family to read,
never a lasting way in.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from onestory.accounts.models import Alert
from onestory.families.access import (
    MAX_GRANTS_AWAITING_REVIEW,
    Action,
    grant_emergency_access,
    people_for,
)
from onestory.families.models import (
    AccessAction,
    AccessEvent,
    AccessOutcome,
    Allocation,
    EmergencyAccess,
    Family,
    FamilyMember,
    MemberRole,
    Person,
)
from onestory.pods.models import PodMembership
from onestory.test import LONG_AGO, Cast, child_of, signed_in, url_maker, when

url = url_maker("families")
access_url = url_maker("access")
MOVED = date(2025, 9, 1)


def move(child: Person, *, from_family: Family, to_family: Family) -> None:
    """The child leaves one household for another on MOVED."""
    FamilyMember.objects.filter(family=from_family, person=child).update(end=MOVED)
    FamilyMember.objects.create(family=to_family, person=child, role=MemberRole.CHILD, start=MOVED)


class TestRestrictedToday:
    def test_a_child_now_in_a_restricted_family_is_hidden_from_their_old_pod(
        self, cast: Cast
    ) -> None:
        jayden = child_of(cast.okafors)
        refuge = Family.objects.create(
            name="The Refuge household", pod=cast.downs, opened=LONG_AGO, restricted=True
        )
        refuge.restricted_to.add(cast.charlie)
        client = signed_in(cast.sam)
        # Before the move Sam sees Jayden, as a member of a family in Sam's pod.
        assert client.get(url("person", jayden.uuid)).status_code == 200
        move(jayden, from_family=cast.okafors, to_family=refuge)
        response = client.get(url("person", jayden.uuid))
        assert response.status_code == 404
        assert "Jayden" not in response.text
        assert jayden not in people_for(cast.sam)
        assert AccessEvent.objects.filter(
            user=cast.sam, person=jayden, outcome=AccessOutcome.DENIED
        ).exists()
        # Charlie, named on the restricted family, still sees him; Sam's search does not.
        assert jayden in people_for(cast.charlie)
        found = client.get(access_url("search"), {"q": "Jayden"}).text
        assert "No one you work with matches" in found


class TestEndedMemberships:
    def test_a_child_who_left_shows_only_what_was_seen_then(self, cast: Cast) -> None:
        jayden = child_of(cast.okafors)
        move(jayden, from_family=cast.okafors, to_family=cast.nashes)
        page = signed_in(cast.sam).get(url("person", jayden.uuid)).text
        assert "Jayden Okafor" in page
        assert "no longer belongs to a family you work with" in page
        assert "Statutory episodes" not in page
        assert "Child protection plans" not in page
        # Charlie, whose pod holds the family Jayden lives in now, sees everything.
        current = signed_in(cast.charlie).get(url("person", jayden.uuid)).text
        assert "Statutory episodes" in current
        assert "no longer belongs" not in current

    def test_a_child_who_left_keeps_their_new_worker_out_of_their_old_pods_history(
        self, cast: Cast
    ) -> None:
        jayden = child_of(cast.okafors)
        move(jayden, from_family=cast.okafors, to_family=cast.nashes)
        Allocation.objects.create(
            child=jayden, worker=cast.charlie.staff, pod=cast.downs, start=MOVED
        )
        history = access_url("person_history", jayden.uuid)
        priyas = signed_in(cast.priya).get(history).text
        assert priyas.count("Added: Family member") == 1  # the Okafors', not the Nashes'
        assert "Allocation" not in priyas
        charlies = signed_in(cast.charlie).get(history).text
        assert "Added: Allocation" in charlies

    def test_a_child_who_left_cannot_be_changed(self, cast: Cast) -> None:
        jayden = child_of(cast.okafors)
        move(jayden, from_family=cast.okafors, to_family=cast.nashes)
        client = signed_in(cast.ben)
        assert client.get(url("person", jayden.uuid)).status_code == 200
        assert client.get(url("person_edit", jayden.uuid)).status_code == 404
        assert jayden not in people_for(cast.ben, Action.EDIT)

    def test_the_family_page_lists_todays_children_only(self, cast: Cast) -> None:
        jayden = child_of(cast.okafors)
        move(jayden, from_family=cast.okafors, to_family=cast.nashes)
        page = signed_in(cast.sam).get(url("detail", cast.okafors.uuid)).text
        # He is still listed among the people who were in the family, but not as one of its
        # children with a status and worker.
        assert "Jayden Okafor" in page
        assert "No open plan or episode" not in page
        assert "Kelly Okafor" in page


class TestBreakGlass:
    def grant(self, cast: Cast) -> EmergencyAccess:
        return grant_emergency_access(
            user=cast.charlie, family=cast.okafors, reason="Police called about Jayden tonight"
        )

    def test_a_grant_cannot_be_turned_into_lasting_access(self, cast: Cast) -> None:
        jayden = child_of(cast.okafors)
        self.grant(cast)
        client = signed_in(cast.charlie)
        # Charlie can read Jayden's record under the grant...
        assert client.get(url("person", jayden.uuid)).status_code == 200
        # ...but cannot add him to a family in Charlie's own pod: he is sent to ask Jayden's
        # pod manager instead, and nothing is added.
        response = client.post(
            url("member_add_existing", cast.nashes.uuid, jayden.uuid),
            {"role": "child", **when("start", date(2020, 1, 1))},
        )
        assert response.status_code == 302
        assert response["Location"] == url("member_ask", cast.nashes.uuid, jayden.uuid)
        assert not FamilyMember.objects.filter(family=cast.nashes, person=jayden).exists()
        # When the grant ends, so does the way in.
        EmergencyAccess.objects.update(
            granted_at=timezone.now() - timedelta(days=1),
            expires_at=timezone.now() - timedelta(seconds=1),
        )
        assert client.get(url("person", jayden.uuid)).status_code == 404

    def test_a_person_seen_under_a_grant_is_logged_as_emergency_with_its_reason(
        self, cast: Cast
    ) -> None:
        jayden = child_of(cast.okafors)
        self.grant(cast)
        assert signed_in(cast.charlie).get(url("person", jayden.uuid)).status_code == 200
        event = AccessEvent.objects.filter(user=cast.charlie, person=jayden).latest("pk")
        assert (event.action, event.outcome) == (AccessAction.VIEW, AccessOutcome.EMERGENCY)
        assert event.reason == "Police called about Jayden tonight"
        # Sam, in the child's own pod, is logged as an ordinary look.
        signed_in(cast.sam).get(url("person", jayden.uuid))
        mine = AccessEvent.objects.filter(user=cast.sam, person=jayden).latest("pk")
        assert (mine.outcome, mine.reason) == (AccessOutcome.ALLOWED, "")

    def test_grants_are_capped_until_reviewed(self, cast: Cast) -> None:
        others = [
            Family.objects.create(name=f"The Family {n}", pod=cast.harbour, opened=LONG_AGO)
            for n in range(MAX_GRANTS_AWAITING_REVIEW + 1)
        ]
        client = signed_in(cast.charlie)
        reason = {"reason": "Police called out of hours; the worker is away"}
        for family in others[:MAX_GRANTS_AWAITING_REVIEW]:
            assert client.post(
                access_url("emergency_request", family.uuid), reason
            ).status_code == (302)
        refused = client.post(access_url("emergency_request", others[-1].uuid), reason)
        assert refused.status_code == 429
        assert "There is a problem" in refused.text
        assert "emergency access grants that are open or not yet reviewed" in refused.text
        assert not EmergencyAccess.objects.filter(family=others[-1]).exists()
        # The refusal is in the access log, and nothing says it was allowed.
        asked = AccessEvent.objects.filter(family=others[-1], action=AccessAction.EMERGENCY)
        assert [event.outcome for event in asked] == [AccessOutcome.DENIED]
        # Once the pod manager has reviewed them and they have ended, Charlie may ask again.
        EmergencyAccess.objects.update(
            expires_at=timezone.now() - timedelta(seconds=1),
            granted_at=timezone.now() - timedelta(days=2),
            reviewed_at=timezone.now(),
            reviewed_by=cast.priya,
            review_note="Needed",
        )
        assert client.post(
            access_url("emergency_request", others[-1].uuid), reason
        ).status_code == (302)

    def test_a_pod_without_a_manager_alerts_the_head_of_service(self, cast: Cast) -> None:
        PodMembership.objects.filter(pod=cast.harbour, staff__user=cast.priya).update(
            end=timezone.localdate() - timedelta(days=1)
        )
        self.grant(cast)
        assert [alert.user for alert in Alert.objects.all()] == [cast.hana]
        assert "Charlie Nash" in Alert.objects.get().text
