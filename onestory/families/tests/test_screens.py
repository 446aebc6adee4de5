"""The family list, the family's record, membership and the person page, through HTTP."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import IntegrityError
from django.utils import timezone

from onestory.families.models import (
    AccessEvent,
    Assessment,
    CareEpisode,
    CareProceedings,
    CINEpisode,
    CINPlan,
    CPPlan,
    CPReview,
    Family,
    FamilyMember,
    MemberRole,
    Person,
    Review,
    Section47Enquiry,
)
from onestory.test import LONG_AGO, Cast, signed_in, url_maker, when

# A real, checkable NHS number (from the NHS Data Dictionary's examples) and UPN.
NHS_NUMBER = "943 476 5919"
UPN = "A123456789012"


url = url_maker("families")


def member(family: Family, first_name: str):
    return FamilyMember.objects.select_related("person").get(
        family=family, person__first_name=first_name
    )


# --- The family list ------------------------------------------------------------------------


def test_family_list_shows_only_visible_families_open_ones_first(cast: Cast) -> None:
    Family.objects.create(
        name="The Abbott family", pod=cast.harbour, opened=LONG_AGO, closed=date(2023, 5, 1)
    )
    page = signed_in(cast.sam).get(url("list")).text
    assert "The Okafor family" in page
    assert cast.okafors.reference in page
    assert "Pod Harbour" in page
    assert "The Nash family" not in page
    # Alphabetically the Abbotts come first, but they are closed.
    assert page.index("The Okafor family") < page.index("The Abbott family")
    assert "1 May 2023" in page


def test_family_list_searches_names_and_references(cast: Cast) -> None:
    client = signed_in(cast.hana)  # head of service: sees both pods
    by_name = client.get(url("list"), {"q": "okafor"}).text
    assert "The Okafor family" in by_name and "The Nash family" not in by_name
    by_reference = client.get(url("list"), {"q": cast.nashes.reference.lower()}).text
    assert "The Nash family" in by_reference and "The Okafor family" not in by_reference
    # A family Sam may not see is not found by searching for it either.
    hidden = signed_in(cast.sam).get(url("list"), {"q": cast.nashes.reference}).text
    assert "No families match" in hidden
    assert "The Nash family" not in hidden


def test_family_list_pages_by_fifty(cast: Cast) -> None:
    Family.objects.bulk_create(
        Family(name=f"The Family{n:03}", pod=cast.harbour, opened=LONG_AGO) for n in range(60)
    )
    client = signed_in(cast.ben)
    first = client.get(url("list")).text
    assert "Showing 1 to 50 of 61" in first
    assert first.count('class="govuk-table__row"') == 51  # the header row and 50 families
    assert 'aria-label="Page 2"' in first and 'rel="next"' in first
    second = client.get(url("list"), {"page": 2}).text
    assert "Showing 51 to 61 of 61" in second
    assert "The Okafor family" in second  # after the 60 "Family0nn" names
    searched = client.get(url("list"), {"q": "Family", "page": "2"}).text
    assert "?q=Family&amp;page=1" in searched  # page links keep the search


def test_family_list_query_count_does_not_grow(cast: Cast, django_assert_num_queries) -> None:
    client = signed_in(cast.sam)
    client.get("/")  # the first request of a session also saves it
    # Session, user and MFA check for every signed-in page, then the count and the page.
    with django_assert_num_queries(5):
        client.get(url("list"))
    Family.objects.bulk_create(
        Family(name=f"The Family{n:03}", pod=pod, opened=LONG_AGO)
        for n in range(40)
        for pod in (cast.harbour, cast.downs)
    )
    with django_assert_num_queries(5):
        assert "The Family039" in client.get(url("list")).text


def test_navigation_offers_families_to_those_who_see_them(cast: Cast) -> None:
    assert ">Families<" in signed_in(cast.ben).get("/").text
    assert ">Families<" in signed_in(cast.hana).get("/").text
    alexs_home = signed_in(cast.alex).get("/").text
    assert "Welcome, Alex" in alexs_home
    assert ">Families<" not in alexs_home


# --- The family's record --------------------------------------------------------------------


def add_episodes(child: Person, family: Family) -> None:
    referral = CINEpisode.objects.create(
        child=child, family=family, start=date(2024, 1, 8), referral_source="2A", primary_need="N1"
    )
    CPPlan.objects.create(
        episode=referral,
        child=child,
        start=date(2024, 2, 1),
        initial_category="NEG",
        latest_category="EMO",
    )
    CareEpisode.objects.create(
        child=child,
        start=date(2024, 3, 1),
        reason_new_episode="S",
        legal_status="C2",
        category_of_need="N1",
        placement="U1",
        provider="PR1",
    )


def test_family_page_shows_the_record(cast: Cast) -> None:
    jayden = member(cast.okafors, "Jayden").person
    add_episodes(jayden, cast.okafors)
    page = signed_in(cast.ben).get(url("detail", cast.okafors.uuid)).text
    for text in (
        cast.okafors.reference,
        "Pod Harbour",
        "6 January 2020",
        "Jayden Okafor",
        "Kelly Okafor",
        f"14 Mar 2016 (age {jayden.age_on(timezone.localdate())})",
        "Referral 8 Jan 2024. Need: Abuse or neglect. Open.",
        "Child protection plan from 1 Feb 2024. Category: Emotional abuse.",
        "Legal status: Full care order.",
        "Add a person to this family",
    ):
        assert text in page
    assert url("person", jayden.uuid) in page
    assert url("member_end", cast.okafors.uuid, member(cast.okafors, "Kelly").pk) in page
    # The look is in the access log (docs/security.md, promise 9), written by the chokepoint.
    assert AccessEvent.objects.filter(user=cast.ben, family=cast.okafors).exists()


def test_family_page_offers_changes_only_to_record_keepers(cast: Cast) -> None:
    page = signed_in(cast.hana).get(url("detail", cast.okafors.uuid)).text
    assert "Jayden Okafor" in page
    assert "Add a person to this family" not in page
    assert "End membership" not in page
    assert "Add care proceedings" not in page


def test_a_closed_family_is_kept_by_business_support_not_social_workers(cast: Cast) -> None:
    cast.okafors.closed = date(2025, 1, 31)
    cast.okafors.save()
    detail = url("detail", cast.okafors.uuid)
    sam = signed_in(cast.sam)
    sams_view = sam.get(detail).text
    assert "Jayden Okafor" in sams_view
    assert "Add a person to this family" not in sams_view
    assert sam.get(url("member_add", cast.okafors.uuid)).status_code == 404
    assert "Add a person to this family" in signed_in(cast.ben).get(detail).text


@pytest.mark.parametrize("who", ["charlie", "alex"])
def test_family_page_is_not_found_outside_the_pod(cast: Cast, who: str) -> None:
    response = signed_in(getattr(cast, who)).get(url("detail", cast.okafors.uuid))
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Okafor" not in response.text


def test_family_page_query_count_does_not_grow(cast: Cast, django_assert_num_queries) -> None:
    client = signed_in(cast.sam)
    jayden = member(cast.okafors, "Jayden").person
    CareProceedings.objects.create(
        family=cast.okafors, application_date=date(2024, 5, 1), court="Brightwater"
    ).children.add(jayden)
    client.get("/")  # the first request of a session also saves it
    # Three for every signed-in page; nine for the access check and its log entry; the
    # members with their people; three kinds of episode; care proceedings and their children;
    # and One Story's part (stories/family_page.py): each child's status and worker, what is
    # due, and the count of the story's entries (none here, so no page of them to fetch).
    with django_assert_num_queries(18):
        client.get(url("detail", cast.okafors.uuid))
    for n in range(5):
        child = Person.objects.create(first_name=f"Child{n}", last_name="Okafor")
        FamilyMember.objects.create(
            family=cast.okafors, person=child, role=MemberRole.CHILD, start=LONG_AGO
        )
        add_episodes(child, cast.okafors)
    with django_assert_num_queries(18):
        assert "Child4 Okafor" in client.get(url("detail", cast.okafors.uuid)).text


# --- Adding a new person to the family ------------------------------------------------------


class TestAddNewPerson:
    @pytest.fixture
    def form(self) -> dict[str, object]:
        return {
            "role": "child",
            **when("start", date(2025, 9, 1)),
            "first_name": "Amara",
            "last_name": "Okafor",
            "preferred_name": "Mara",
            **when("date_of_birth", date(2019, 6, 30)),
            "sex": "F",
            "ethnicity": "BAFR",
            "upn": UPN,
            "nhs_number": NHS_NUMBER,
            "first_language": "English",
            "disabilities": ["HEAR", "VIS"],
        }

    def post(self, cast: Cast, data: dict[str, object], who: str = "ben"):
        return signed_in(getattr(cast, who)).post(url("member_add", cast.okafors.uuid), data)

    def test_adds_the_person_and_their_membership(self, cast: Cast, form) -> None:
        client = signed_in(cast.ben)
        response = client.post(url("member_add", cast.okafors.uuid), form)
        assert response.status_code == 302
        assert response["Location"] == url("detail", cast.okafors.uuid)
        amara = Person.objects.get(first_name="Amara")
        assert amara.date_of_birth == date(2019, 6, 30)
        assert amara.nhs_number == "9434765919"  # stored without its spaces
        assert amara.disabilities == ["HEAR", "VIS"]
        membership = amara.memberships.get()
        assert (membership.family, membership.role) == (cast.okafors, MemberRole.CHILD)
        assert membership.start == date(2025, 9, 1)
        page = client.get(response["Location"]).text
        assert "Amara Okafor has been added to the family." in page

    def test_the_form_page_uses_govuk_patterns(self, cast: Cast) -> None:
        page = signed_in(cast.sam).get(url("member_add", cast.okafors.uuid)).text
        assert '<legend class="govuk-fieldset__legend">Date of birth</legend>' in page
        assert '<label class="govuk-label govuk-date-input__label" for="id_date_of_birth">' in page
        assert 'name="date_of_birth_year"' in page
        assert '<legend class="govuk-fieldset__legend">Disabilities</legend>' in page
        assert '<option value="" selected>Not recorded</option>' in page  # sex, ethnicity
        assert "maxlength" not in page.split('name="nhs_number"')[1].split(">")[0]

    @pytest.mark.parametrize(
        ("change", "field", "message"),
        [
            ({"nhs_number": "943 476 5910"}, "nhs_number", "last digit should be 9, not 0"),
            ({"upn": "B123456789012"}, "upn", "check letter should be A, not B"),
            ({"first_name": ""}, "first_name", "Enter the first name"),
            ({"date_of_birth_year": ""}, "date_of_birth", "Date of birth must include a year"),
            (
                {"date_of_birth_day": "31", "date_of_birth_month": "2"},
                "date_of_birth",
                "Date of birth must be a real date",
            ),
            (
                {"date_of_birth_year": "19"},
                "date_of_birth",
                "Date of birth must have a year with 4 numbers",
            ),
            ({"start_month": ""}, "start", "Date they joined the family must include a month"),
            ({"sex": "X"}, "sex", "Select a valid choice. X is not one of the available choices."),
            ({"role": "lodger"}, "role", "Select a valid choice."),
            ({"disabilities": ["HEAR", "NOPE"]}, "disabilities", "Select a valid choice."),
            (
                {**when("date_of_birth", timezone.localdate() + timedelta(days=3))},
                "date_of_birth",
                "The date of birth cannot be in the future.",
            ),
        ],
    )
    def test_bad_input_is_explained_and_nothing_saved(
        self, cast: Cast, form, change, field, message
    ) -> None:
        people = Person.objects.count()
        response = self.post(cast, {**form, **change})
        assert response.status_code == 200
        assert message in response.context["form"].errors[field][0]
        assert "There is a problem" in response.text
        assert f'href="#id_{field}"' in response.text  # the error summary links to the field
        assert message in response.text
        assert Person.objects.count() == people
        assert 'value="Amara"' in response.text or field == "first_name"  # input is kept

    def test_born_and_expected_both_given_is_refused(self, cast: Cast, form) -> None:
        response = self.post(cast, {**form, **when("expected_date_of_birth", date(2026, 1, 1))})
        assert "Give a date of birth or an expected date of birth, not both." in response.text
        assert not Person.objects.filter(first_name="Amara").exists()

    def test_an_unborn_child_may_be_expected_in_the_future(self, cast: Cast, form) -> None:
        form = {
            **form,
            "date_of_birth_day": "",
            "date_of_birth_month": "",
            "date_of_birth_year": "",
        }
        due = timezone.localdate() + timedelta(days=60)
        self.post(
            cast, {**form, **when("expected_date_of_birth", due), "upn": "", "nhs_number": ""}
        )
        assert Person.objects.get(first_name="Amara").expected_date_of_birth == due

    def test_a_duplicate_nhs_number_is_explained(self, cast: Cast, form) -> None:
        Person.objects.create(first_name="Other", last_name="Child", nhs_number="9434765919")
        response = self.post(cast, form)
        assert "Another person already has this NHS number." in response.text
        assert not Person.objects.filter(first_name="Amara").exists()

    def test_person_and_membership_are_saved_together_or_not_at_all(
        self, cast: Cast, form, monkeypatch
    ) -> None:
        def fail(*args, **kwargs):
            raise IntegrityError("the database refused the membership")

        monkeypatch.setattr(FamilyMember.objects, "create", fail)
        with pytest.raises(IntegrityError):
            self.post(cast, form)
        assert not Person.objects.filter(first_name="Amara").exists()

    @pytest.mark.parametrize("who", ["charlie", "alex", "hana"])
    def test_only_record_keepers_in_the_pod_may_add(self, cast: Cast, form, who: str) -> None:
        assert (
            signed_in(getattr(cast, who)).get(url("member_add", cast.okafors.uuid)).status_code
            == 404
        )
        assert self.post(cast, form, who).status_code == 404
        assert not Person.objects.filter(first_name="Amara").exists()


# --- Adding someone already known, and ending a membership ----------------------------------


class TestExistingPerson:
    @pytest.fixture
    def new_home(self, cast: Cast) -> Family:
        return Family.objects.create(name="The Mensah family", pod=cast.harbour, opened=LONG_AGO)

    def test_find_shows_only_people_in_visible_families(self, cast: Cast, new_home) -> None:
        client = signed_in(cast.ben)
        found = client.get(url("member_find", new_home.uuid), {"q": "jayden okafor"}).text
        jayden = member(cast.okafors, "Jayden").person
        assert url("member_add_existing", new_home.uuid, jayden.uuid) in found
        other_pod = client.get(url("member_find", new_home.uuid), {"q": "Lily"}).text
        # Lily, held by Pod Downs, is only a search card with a request to her pod manager.
        lily = member(cast.nashes, "Lily").person
        assert "No one called" in other_pod
        assert url("member_ask", new_home.uuid, lily.uuid) in other_pod
        assert url("member_add_existing", new_home.uuid, lily.uuid) not in other_pod

    def test_a_child_moves_household(self, cast: Cast, new_home) -> None:
        jayden = member(cast.okafors, "Jayden").person
        data = {"role": "child", **when("start", date(2025, 4, 1))}
        response = signed_in(cast.ben).post(
            url("member_add_existing", new_home.uuid, jayden.uuid), data
        )
        assert response.status_code == 302
        assert FamilyMember.objects.get(family=new_home).person == jayden

    def test_overlapping_membership_is_refused(self, cast: Cast) -> None:
        jayden = member(cast.okafors, "Jayden").person
        data = {"role": "child", **when("start", date(2024, 4, 1))}
        response = signed_in(cast.ben).post(
            url("member_add_existing", cast.okafors.uuid, jayden.uuid), data
        )
        assert response.status_code == 200
        assert "This person is already in this family for some of these dates." in response.text
        assert "There is a problem" in response.text
        assert FamilyMember.objects.filter(family=cast.okafors, person=jayden).count() == 1

    def test_a_person_from_another_pod_cannot_be_added(self, cast: Cast) -> None:
        lily = member(cast.nashes, "Lily").person
        data = {"role": "child", **when("start", date(2025, 4, 1))}
        target = url("member_add_existing", cast.okafors.uuid, lily.uuid)
        assert signed_in(cast.ben).post(target, data).status_code == 404
        assert not FamilyMember.objects.filter(family=cast.okafors, person=lily).exists()


class TestEndMembership:
    def end(self, cast: Cast, family: Family, pk: int, day: date, who: str = "priya"):
        return signed_in(getattr(cast, who)).post(
            url("member_end", family.uuid, pk), when("end", day)
        )

    def test_ends_the_membership(self, cast: Cast) -> None:
        kelly = member(cast.okafors, "Kelly")
        client = signed_in(cast.priya)
        target = url("member_end", cast.okafors.uuid, kelly.pk)
        response = client.post(target, when("end", date(2025, 1, 31)))
        assert response.status_code == 302
        kelly.refresh_from_db()
        assert kelly.end == date(2025, 1, 31)
        page = client.get(response["Location"]).text
        assert "Kelly Okafor&#x27;s membership has ended." in page

    def test_an_end_before_the_start_is_refused(self, cast: Cast) -> None:
        kelly = member(cast.okafors, "Kelly")
        response = self.end(cast, cast.okafors, kelly.pk, date(2019, 12, 31))
        assert response.status_code == 200
        assert "The end date cannot be before the start date." in response.text
        kelly.refresh_from_db()
        assert kelly.end is None

    def test_an_empty_date_is_refused(self, cast: Cast) -> None:
        kelly = member(cast.okafors, "Kelly")
        response = signed_in(cast.priya).post(url("member_end", cast.okafors.uuid, kelly.pk), {})
        assert "Enter the date they left the family" in response.text

    def test_a_member_of_another_family_is_not_found_here(self, cast: Cast) -> None:
        dean = member(cast.nashes, "Dean")
        assert self.end(cast, cast.okafors, dean.pk, date(2025, 1, 31)).status_code == 404
        dean.refresh_from_db()
        assert dean.end is None

    @pytest.mark.parametrize("who", ["charlie", "alex", "hana"])
    def test_only_record_keepers_in_the_pod_may_end(self, cast: Cast, who: str) -> None:
        kelly = member(cast.okafors, "Kelly")
        assert self.end(cast, cast.okafors, kelly.pk, date(2025, 1, 31), who).status_code == 404
        kelly.refresh_from_db()
        assert kelly.end is None


# --- The person page ------------------------------------------------------------------------


def test_person_page_shows_details_families_and_episodes(cast: Cast) -> None:
    jayden = member(cast.okafors, "Jayden").person
    add_episodes(jayden, cast.okafors)
    # Jayden once lived with the Nashes, in the other pod: Sam must not learn of it here.
    FamilyMember.objects.create(
        family=cast.nashes,
        person=jayden,
        role=MemberRole.CHILD,
        start=date(2018, 1, 1),
        end=date(2019, 1, 1),
    )
    page = signed_in(cast.sam).get(url("person", jayden.uuid)).text
    assert "14 March 2016" in page
    assert "Male" in page
    assert "The Okafor family" in page
    assert "Nash" not in page
    assert "Referral on 8 January 2024" in page
    assert "Emotional abuse" in page
    assert "C2: Full care order" in page
    assert url("episode_add", jayden.uuid, "cp-plan") in page
    assert url("person_edit", jayden.uuid) in page


def test_person_page_query_count_is_constant(cast: Cast, django_assert_num_queries) -> None:
    jayden = member(cast.okafors, "Jayden").person
    add_episodes(jayden, cast.okafors)
    client = signed_in(cast.sam)
    client.get("/")  # the first request of a session also saves it
    # Three for every signed-in page; four for the access check (one query for the person and
    # how the user reaches them) and its log entry; one per kind of record shown (eighteen,
    # with CP plans' review conferences, conferences without an enquiry, health outcomes, care
    # leavers' circumstances and deprivation of liberty orders; previous permanence comes with
    # the care episodes); whether they may change it.
    with django_assert_num_queries(25):
        client.get(url("person", jayden.uuid))
    second_home = Family.objects.create(name="The Mensah family", pod=cast.harbour, opened=LONG_AGO)
    FamilyMember.objects.create(
        family=second_home, person=jayden, role=MemberRole.CHILD, start=date(2025, 1, 1)
    )
    referral = CINEpisode.objects.create(
        child=jayden, family=second_home, start=date(2025, 1, 8), referral_source="2A"
    )
    Assessment.objects.create(episode=referral, start=date(2025, 1, 9))
    Section47Enquiry.objects.create(episode=referral, start=date(2025, 1, 10))
    CINPlan.objects.create(episode=referral, start=date(2025, 2, 1))
    for n in range(3):
        Review.objects.create(child=jayden, date=date(2024, 6, n + 1), participation="PN1")
        CPReview.objects.create(plan=CPPlan.objects.get(child=jayden), date=date(2024, 5, n + 1))
    with django_assert_num_queries(25):
        assert "The Mensah family" in client.get(url("person", jayden.uuid)).text


@pytest.mark.parametrize("who", ["charlie", "alex"])
def test_person_page_is_not_found_outside_the_pod(cast: Cast, who: str) -> None:
    jayden = member(cast.okafors, "Jayden").person
    client = signed_in(getattr(cast, who))
    assert client.get(url("person", jayden.uuid)).status_code == 404
    assert client.get(url("person_edit", jayden.uuid)).status_code == 404


class TestEditPerson:
    def test_saves_the_change_and_who_made_it(self, cast: Cast) -> None:
        kelly = member(cast.okafors, "Kelly").person
        data = {
            "first_name": "Kelly",
            "last_name": "Okafor-Reid",
            "sex": "F",
            "nhs_number": NHS_NUMBER,
        }
        response = signed_in(cast.ben).post(url("person_edit", kelly.uuid), data)
        assert response.status_code == 302
        kelly.refresh_from_db()
        assert kelly.last_name == "Okafor-Reid"
        assert kelly.nhs_number == "9434765919"
        event = (
            apps.get_model("families", "PersonEvent").objects.filter(pgh_obj=kelly).latest("pgh_id")
        )
        assert event.last_name == "Okafor-Reid"
        assert event.pgh_context.metadata["user"] == cast.ben.pk
        assert event.pgh_context.metadata["url"] == url("person_edit", kelly.uuid)
        assert event.pgh_context.metadata["action"] == "families.change_person"

    def test_a_bad_upn_is_explained_and_nothing_saved(self, cast: Cast) -> None:
        kelly = member(cast.okafors, "Kelly").person
        data = {"first_name": "Kelly", "last_name": "Changed", "upn": "A12345"}
        response = signed_in(cast.ben).post(url("person_edit", kelly.uuid), data)
        assert "A UPN has 13 characters; this one has 6." in response.text
        assert 'value="Changed"' in response.text
        kelly.refresh_from_db()
        assert kelly.last_name == "Okafor"

    def test_head_of_service_may_see_but_not_change(self, cast: Cast) -> None:
        kelly = member(cast.okafors, "Kelly").person
        client = signed_in(cast.hana)
        assert client.get(url("person", kelly.uuid)).status_code == 200
        response = client.post(
            url("person_edit", kelly.uuid), {"first_name": "X", "last_name": "Y"}
        )
        assert response.status_code == 404
        kelly.refresh_from_db()
        assert kelly.first_name == "Kelly"
