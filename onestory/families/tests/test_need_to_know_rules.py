"""docs/security.md, promises 4, 5, 7, 8, 9 and 11: the list filter and the object check agree for
any council; nothing leaks through search or counts; no self-escalation; emergency access; the
access log fails closed and is append-only in the database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onestory.accounts.models import Alert, Role, User
from onestory.families.access import Action, can, families_for
from onestory.families.models import AccessEvent, AuditAccess, EmergencyAccess, Person
from onestory.pods.models import Pod, PodMembership, PodRole
from onestory.test import Cast, make_family, make_staff, make_user, signed_in

ROLES = [r for r in Role]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    roles=st.lists(st.sampled_from(ROLES), min_size=1, max_size=4),
    memberships=st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 2), st.booleans()), max_size=6
    ),
    families=st.lists(
        st.tuples(st.integers(0, 2), st.booleans(), st.booleans(), st.sets(st.integers(0, 3))),
        min_size=1,
        max_size=5,
    ),
    grants=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), st.booleans()), max_size=3),
    audits=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4), st.booleans()), max_size=3),
)
def test_object_check_agrees_with_the_list_filter(
    db, roles, memberships, families, grants, audits
) -> None:
    """For random pods, memberships (current or ended), restrictions, names, emergency grants
    and audit access (open or ended):
    can(user, family, VIEW) if and only if the family is in families_for(user, VIEW)."""
    with transaction.atomic():
        pods = [Pod.objects.create(name=f"Pod {i}", formed=date(2020, 1, 1)) for i in range(3)]
        users = [
            make_user(f"user{i}", role, "User", str(i), mfa=False, password=None)
            for i, role in enumerate(roles)
        ]
        staff = [make_staff(user, None, None) for user in users]
        placed: set[int] = set()
        for who, pod, current in memberships:
            # One pod at a time (the database refuses overlapping memberships).
            if who < len(users) and who not in placed:
                placed.add(who)
                PodMembership.objects.create(
                    staff=staff[who],
                    pod=pods[pod],
                    role=PodRole.SOCIAL_WORKER,
                    fte=Decimal(1),
                    start=date(2021, 1, 1),
                    end=None if current else date(2022, 1, 1),
                )
        made = []
        for index, (pod, restricted, closed, named) in enumerate(families):
            family = make_family(f"F{index}", pods[pod])
            family.restricted, family.closed = restricted, date(2024, 1, 1) if closed else None
            family.save()
            family.restricted_to.set([users[n] for n in named if n < len(users)])
            made.append(family)
        for who, which, active in grants:
            if who < len(users) and which < len(made):
                now = timezone.now()
                EmergencyAccess.objects.create(
                    user=users[who],
                    family=made[which],
                    reason="test",
                    granted_at=now - timedelta(days=2),
                    expires_at=now + timedelta(hours=1) if active else now - timedelta(days=1),
                )
        for who, which, active in audits:
            if who < len(users) and which < len(made):
                now = timezone.now()
                AuditAccess.objects.create(
                    user=users[who],
                    family=made[which],
                    reason="Audit, test cycle",
                    starts_at=now - timedelta(days=2),
                    ends_at=None if active else now - timedelta(days=1),
                )
        for user in users:
            listed = set(families_for(user, Action.VIEW).values_list("pk", flat=True))
            for family in made:
                assert can(user, family, Action.VIEW) == (family.pk in listed)
        transaction.set_rollback(True)


class TestNoLeaks:
    def test_search_shows_others_only_a_card_and_restricted_not_at_all(self, cast: Cast) -> None:
        hidden = make_family("Okafor", cast.harbour, child="Secret")
        hidden.restricted = True
        hidden.save()
        response = signed_in(cast.charlie).get(reverse("access:search"), {"q": "Okafor"})
        assert response.status_code == 200
        assert "Jayden Okafor" in response.text  # the card: name, date of birth, pod
        assert "14 March 2016" in response.text and "Pod Harbour" in response.text
        assert f'href="{reverse("families:detail", args=[cast.okafors.uuid])}"' not in response.text
        assert cast.okafors.reference not in response.text
        assert "Secret" not in response.text

    def test_analysts_get_no_cards(self, cast: Cast) -> None:
        response = signed_in(cast.alex).get(reverse("access:search"), {"q": "Okafor"})
        assert "No one you work with matches “Okafor”" in response.text
        assert "Jayden" not in response.text

    def test_family_list_and_its_count_hold_only_visible_families(self, cast: Cast) -> None:
        response = signed_in(cast.charlie).get(reverse("families:list"))
        assert "The Nash family" in response.text
        assert "Okafor" not in response.text

    def test_person_lookup_for_membership_opens_no_one_out_of_reach(self, cast: Cast) -> None:
        response = signed_in(cast.charlie).get(
            reverse("families:member_find", args=[cast.nashes.uuid]), {"q": "Okafor"}
        )
        # No one Charlie may open or add: the Okafors are only search cards (name and date of
        # birth, as Find a person shows), each with a request to their pod manager.
        assert "No one called “Okafor” was found" in response.text
        jayden = cast.okafors.members.get(role="child").person
        assert reverse("families:person", args=[jayden.uuid]) not in response.text
        add = reverse("families:member_add_existing", args=[cast.nashes.uuid, jayden.uuid])
        assert add not in response.text
        ask = reverse("families:member_ask", args=[cast.nashes.uuid, jayden.uuid])
        assert ask in response.text

    def test_a_denied_response_carries_no_record_data(self, cast: Cast) -> None:
        child = cast.okafors.members.first().person  # type: ignore[union-attr]
        for url in (
            reverse("families:detail", args=[cast.okafors.uuid]),
            reverse("families:person", args=[child.uuid]),
            reverse("access:family_history", args=[cast.okafors.uuid]),
        ):
            response = signed_in(cast.charlie).get(url)
            assert response.status_code == 404
            assert "Page not found" in response.text
            assert "Okafor" not in response.text and child.first_name not in response.text


class TestNoSelfEscalation:
    def test_posting_privileged_fields_changes_nothing(self, cast: Cast) -> None:
        child = cast.okafors.members.first().person  # type: ignore[union-attr]
        client = signed_in(cast.ben)
        client.post(
            reverse("families:person_edit", args=[child.uuid]),
            {
                "role": "administrator",
                "is_staff": "on",
                "is_superuser": "on",
                "pod": cast.downs.pk,
                "first_name": child.first_name,
                "last_name": child.last_name,
            },
        )
        client.post(
            reverse("access:emergency_request", args=[cast.nashes.uuid]),
            {"reason": "Testing escalation through a form", "expires_at": "2099-01-01T00:00"},
        )
        ben = User.objects.get(pk=cast.ben.pk)
        assert (ben.role, ben.is_staff, ben.is_superuser) == (Role.BUSINESS_SUPPORT, False, False)
        assert PodMembership.objects.filter(staff__user=ben, pod=cast.downs).count() == 0
        grant = EmergencyAccess.objects.get(user=ben)
        assert grant.expires_at - grant.granted_at == timedelta(hours=24)


class TestEmergencyAccess:
    def url(self, cast: Cast) -> str:
        return reverse("access:emergency_request", args=[cast.okafors.uuid])

    def test_no_reason_no_access(self, cast: Cast) -> None:
        response = signed_in(cast.charlie).post(self.url(cast), {"reason": "  "})
        assert response.status_code == 200
        assert "Enter the reason you need to see this record" in response.text
        assert not EmergencyAccess.objects.exists()
        assert (
            signed_in(cast.charlie)
            .get(reverse("families:detail", args=[cast.okafors.uuid]))
            .status_code
            == 404
        )

    def test_granted_for_24_hours_alerting_the_pod_manager_and_logged(self, cast: Cast) -> None:
        client = signed_in(cast.charlie)
        reason = "Police called out of hours about Jayden; his worker is off today"
        response = client.post(self.url(cast), {"reason": reason})
        assert response.status_code == 302
        grant = EmergencyAccess.objects.get(user=cast.charlie, family=cast.okafors)
        assert grant.reason == reason
        lasts = grant.expires_at - grant.granted_at
        assert timedelta(hours=23, minutes=59) < lasts <= timedelta(hours=24)
        alert = Alert.objects.get(user=cast.priya)
        assert "Charlie Nash" in alert.text and "emergency access" in alert.text
        page = client.get(reverse("families:detail", args=[cast.okafors.uuid]))
        assert page.status_code == 200
        event = AccessEvent.objects.filter(user=cast.charlie, family=cast.okafors).latest("pk")
        assert (event.outcome, event.reason) == ("emergency", reason)
        # Listed for the pod manager's review, and the review is recorded.
        review = signed_in(cast.priya).get(reverse("access:emergency_review_list"))
        assert reason in review.text
        signed_in(cast.priya).post(
            reverse("access:emergency_review", args=[grant.pk]), {"note": "Needed: police call"}
        )
        grant.refresh_from_db()
        assert grant.reviewed_by == cast.priya and grant.review_note == "Needed: police call"

    def test_access_ends_when_the_grant_expires(self, cast: Cast) -> None:
        now = timezone.now()
        EmergencyAccess.objects.create(
            user=cast.charlie,
            family=cast.okafors,
            reason="Earlier emergency",
            granted_at=now - timedelta(hours=25),
            expires_at=now - timedelta(hours=1),
        )
        page = signed_in(cast.charlie).get(reverse("families:detail", args=[cast.okafors.uuid]))
        assert page.status_code == 404

    def test_restricted_families_cannot_be_opened_in_an_emergency(self, cast: Cast) -> None:
        cast.okafors.restricted = True
        cast.okafors.save()
        response = signed_in(cast.charlie).post(self.url(cast), {"reason": "I need to see it now"})
        assert response.status_code == 404
        assert not EmergencyAccess.objects.exists()


class TestAccessLog:
    def test_pod_manager_sees_who_looked_and_workers_see_their_own(self, cast: Cast) -> None:
        signed_in(cast.sam).get(reverse("families:detail", args=[cast.okafors.uuid]))
        signed_in(cast.charlie).get(reverse("families:detail", args=[cast.okafors.uuid]))
        log = signed_in(cast.priya).get(
            reverse("access:family_access_log", args=[cast.okafors.uuid])
        )
        assert "Sam Okafor" in log.text and "Charlie Nash" in log.text and "Refused" in log.text
        assert (
            signed_in(cast.sam)
            .get(reverse("access:family_access_log", args=[cast.okafors.uuid]))
            .status_code
            == 404
        )
        # Charlie's own list records the refused look without naming the record (issue 11).
        mine = signed_in(cast.charlie).get(reverse("access:mine"))
        assert "A record you were not allowed to open" in mine.text
        assert "Okafor" not in mine.text

    def test_the_log_fails_closed(self, cast: Cast) -> None:
        """If the access event cannot be written, the record is not shown."""
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE FUNCTION refuse_insert() RETURNS trigger AS $$ BEGIN "
                "RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql;"
                "CREATE TRIGGER refuse_insert BEFORE INSERT ON families_accessevent "
                "FOR EACH ROW EXECUTE FUNCTION refuse_insert();"
            )
        client = signed_in(cast.sam)
        client.raise_request_exception = False
        response = client.get(reverse("families:detail", args=[cast.okafors.uuid]))
        assert response.status_code == 500
        assert "Sorry, there is a problem with the service" in response.text
        assert "Jayden" not in response.text and "Okafor family" not in response.text

    def test_access_and_history_are_append_only_in_the_database(self, cast: Cast) -> None:
        signed_in(cast.sam).get(reverse("families:detail", args=[cast.okafors.uuid]))
        event = AccessEvent.objects.latest("pk")
        for change in (
            lambda: AccessEvent.objects.filter(pk=event.pk).update(reason="edited"),
            lambda: AccessEvent.objects.filter(pk=event.pk).delete(),
            lambda: apps.get_model("families", "PersonEvent").objects.all().delete(),
            lambda: apps.get_model("families", "FamilyEvent").objects.update(name="x"),
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                change()
        assert AccessEvent.objects.get(pk=event.pk).reason == ""


class TestHistoryAndSubjectAccess:
    def test_change_history_says_what_changed_who_and_when(self, cast: Cast) -> None:
        child = Person.objects.get(first_name="Jayden")
        import pghistory

        with pghistory.context(user=cast.ben.pk):
            Person.objects.filter(pk=child.pk).update(preferred_name="Jay")
        page = signed_in(cast.priya).get(reverse("access:family_history", args=[cast.okafors.uuid]))
        assert page.status_code == 200
        assert "Ben Hughes" in page.text and "Preferred name" in page.text and "Jay" in page.text

    def test_subject_access_bundle_for_information_governance(self, cast: Cast) -> None:
        iris = make_user("iris", Role.INFORMATION_GOVERNANCE, "Iris", "Bennett")
        child = Person.objects.get(first_name="Jayden")
        response = signed_in(iris).get(reverse("access:subject_access", args=[child.uuid]))
        assert response.status_code == 200
        assert "Everything held about Jayden Okafor" in response.text
        assert "Third party" in response.text and "Kelly Okafor" in response.text
        event = AccessEvent.objects.get(user=iris)
        assert (event.action, event.person) == ("subject_access", child)
        assert (
            signed_in(cast.sam).get(reverse("access:subject_access", args=[child.uuid])).status_code
            == 404
        )


def test_the_pod_manager_sees_the_alert_at_home_and_can_dismiss_it(cast: Cast) -> None:
    signed_in(cast.charlie).post(
        reverse("access:emergency_request", args=[cast.okafors.uuid]),
        {"reason": "Hospital called about Jayden; his worker is on leave"},
    )
    priya = signed_in(cast.priya)
    home = priya.get(reverse("core:home"))
    assert "Charlie Nash was given emergency access to The Okafor family" in home.text
    assert "Emergency access to review" in home.text
    alert = Alert.objects.get(user=cast.priya)
    assert (
        signed_in(cast.sam).post(reverse("access:dismiss_alert", args=[alert.pk])).status_code
        == 404
    )
    priya.post(reverse("access:dismiss_alert", args=[alert.pk]))
    home = priya.get(reverse("core:home"))
    assert "Welcome, Priya" in home.text
    assert "was given emergency access" not in home.text


def test_find_a_person_is_in_the_menu_for_those_who_may_look(cast: Cast) -> None:
    assert "Find a person" in signed_in(cast.sam).get(reverse("core:home")).text
    alexs_home = signed_in(cast.alex).get(reverse("core:home")).text
    assert "Welcome, Alex" in alexs_home
    assert "Find a person" not in alexs_home


def test_information_governance_see_who_looked_at_a_person(cast: Cast) -> None:
    iris = make_user("iris", Role.INFORMATION_GOVERNANCE, "Iris", "Bennett", password=None)
    signed_in(cast.sam).get(reverse("families:detail", args=[cast.okafors.uuid]))
    child = Person.objects.get(first_name="Jayden")
    found = signed_in(iris).get(reverse("access:search"), {"q": "Jayden"})
    assert reverse("access:person_access_log", args=[child.uuid]) in found.text
    log = signed_in(iris).get(reverse("access:person_access_log", args=[child.uuid]))
    assert log.status_code == 200 and "Sam Okafor" in log.text
    assert (
        signed_in(iris).get(reverse("families:detail", args=[cast.okafors.uuid])).status_code == 404
    )
