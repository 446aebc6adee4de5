"""The records the returns need (issue 19): OC2 health outcomes, previous permanence, care
leavers, deprivation of liberty orders, a conference without an enquiry, the person's return
fields, and the blanks the rules refuse, asked for where they are entered and listed for
business support."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from onestory.families.models import (
    CareEpisode,
    CareLeaverContact,
    CINEpisode,
    DeprivationOfLiberty,
    FamilyMember,
    HealthOutcomes,
    InitialConference,
    MemberRole,
    Person,
    PreviousPermanence,
    Section47Enquiry,
)
from onestory.families.quality import data_quality
from onestory.test import Cast, signed_in, url_maker, when

url = url_maker("families")


@pytest.fixture
def jayden(cast: Cast) -> Person:
    return FamilyMember.objects.get(family=cast.okafors, person__first_name="Jayden").person


def in_care(child: Person, **kwargs: object) -> CareEpisode:
    values: dict[str, object] = {
        "start": date(2024, 3, 1),
        "reason_new_episode": "S",
        "legal_status": "C2",
        "category_of_need": "N1",
        "placement": "U1",
        "provider": "PR1",
        "home_postcode": "BW1 1AA",
        "placement_postcode": "BW2 2BB",
    }
    values.update(kwargs)
    return CareEpisode.objects.create(child=child, **values)


def refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


# --- The database refuses what the return refuses -----------------------------------------


def test_health_outcomes_rules_are_kept_by_the_database(cast: Cast, jayden: Person) -> None:
    def outcomes(**kwargs: object) -> HealthOutcomes:
        return HealthOutcomes.objects.create(child=jayden, year=2026, **kwargs)

    refused(lambda: outcomes(sdq_score=41))
    refused(lambda: outcomes(sdq_score=10, sdq_reason="SDQ2"))
    refused(lambda: outcomes(substance_misuse=False, intervention_received=True))
    refused(
        lambda: outcomes(
            substance_misuse=True, intervention_received=True, intervention_offered=False
        )
    )
    refused(lambda: HealthOutcomes.objects.create(child=jayden, year=1999))
    outcomes(substance_misuse=True, intervention_received=False, intervention_offered=True)
    refused(lambda: outcomes())  # a second for the year
    assert HealthOutcomes.objects.get(child=jayden).intervention_offered is True


def test_previous_permanence_needs_council_and_date_with_an_order(cast: Cast, jayden) -> None:
    episode = in_care(jayden)

    def permanence(**kwargs: object) -> PreviousPermanence:
        return PreviousPermanence.objects.create(care_episode=episode, **kwargs)

    refused(lambda: permanence(order="P1"))
    refused(lambda: permanence(order="Z1", council="306"))
    refused(lambda: permanence(order="P1", council="ENG", order_date=date(2020, 1, 1)))
    permanence(order="P1", council="NUK", order_date=date(2020, 1, 1))
    refused(lambda: permanence(order="Z1"))  # one for the episode


def test_care_leaver_codes_agree_with_being_in_touch(cast: Cast, jayden: Person) -> None:
    def leaver(**kwargs: object) -> CareLeaverContact:
        return CareLeaverContact.objects.create(child=jayden, year=2026, **kwargs)

    refused(lambda: leaver(in_touch="DIED", activity="F2", accommodation="0"))
    refused(lambda: leaver(in_touch="YES", activity="0", accommodation="U1"))
    leaver(in_touch="RHOM", activity="0", accommodation="0")


def test_deprivation_of_liberty_orders_do_not_overlap(cast: Cast, jayden: Person) -> None:
    DeprivationOfLiberty.objects.create(child=jayden, start=date(2026, 4, 1))
    refused(lambda: DeprivationOfLiberty.objects.create(child=jayden, start=date(2026, 5, 1)))
    refused(
        lambda: DeprivationOfLiberty.objects.create(
            child=jayden, start=date(2026, 3, 1), end=date(2026, 2, 1)
        )
    )


# --- Screens: plain messages on the field, input kept, nothing saved ----------------------


def post(cast: Cast, child: Person, kind: str, data: Mapping[str, object]):
    return signed_in(cast.ben).post(url("episode_add", child.uuid, kind), data)


def test_health_outcomes_questions_asked_only_where_they_apply(cast: Cast, jayden) -> None:
    response = post(
        cast,
        jayden,
        "health-outcomes",
        {
            "year": "2026",
            "substance_misuse": "false",
            "intervention_received": "true",
            "sdq_score": "12",
            "sdq_reason": "SDQ4",
        },
    )
    errors = response.context["form"].errors
    assert errors["intervention_received"] == ["Answer this only for a substance misuse problem"]
    assert errors["sdq_reason"] == ["Give the SDQ score or the reason there is none, not both"]
    assert 'value="12"' in response.text
    assert not HealthOutcomes.objects.exists()


def test_previous_permanence_explains_what_is_missing(cast: Cast, jayden) -> None:
    episode = in_care(jayden, end=date(2024, 9, 1), reason_ceased="X1")
    moved = in_care(jayden, start=date(2024, 9, 1), reason_new_episode="P")
    response = post(cast, jayden, "previous-permanence", {"care_episode": moved.pk, "order": "P2"})
    errors = response.context["form"].errors
    assert errors["care_episode"] == ["Choose the care episode that started the period of care"]
    assert errors["council"] == ["Enter the council that arranged the order"]
    assert errors["order_date"] == ["Enter the date of the order"]
    data = {"care_episode": episode.pk, "order": "P3", "council": "wal"}
    response = post(
        cast, jayden, "previous-permanence", {**data, **when("order_date", date(2019, 4, 2))}
    )
    assert response.status_code == 302
    saved = PreviousPermanence.objects.get()
    assert (saved.order, saved.council, saved.order_date) == ("P3", "WAL", date(2019, 4, 2))
    page = signed_in(cast.ben).get(url("person", jayden.uuid)).text
    assert "Residence order (2 Apr 2019, council WAL)" in page


def test_care_leaver_in_touch_needs_activity_and_accommodation(cast: Cast, jayden) -> None:
    data = {"year": "2026", "in_touch": "YES", "activity": "0", "accommodation": "U1"}
    response = post(cast, jayden, "care-leaver", data)
    assert response.context["form"].errors["activity"] == [
        "Choose their activity: the council is in touch"
    ]
    assert not CareLeaverContact.objects.exists()


class TestConferenceWithoutAnEnquiry:
    @pytest.fixture
    def referral(self, cast: Cast, jayden: Person) -> CINEpisode:
        return CINEpisode.objects.create(
            child=jayden, family=cast.okafors, start=date(2024, 1, 8), referral_source="2A"
        )

    def test_added_on_the_referral_and_shown_with_it(self, cast: Cast, jayden, referral) -> None:
        data = {"episode": referral.pk, **when("date", date(2024, 1, 22)), "plan_made": "on"}
        response = post(cast, jayden, "initial-conference", data)
        assert response.status_code == 302, response.context["form"].errors
        conference = InitialConference.objects.get()
        assert (conference.episode, conference.enquiry) == (referral, None)
        page = signed_in(cast.ben).get(url("person", jayden.uuid)).text
        assert "Conferences without an enquiry in this episode" in page
        assert "Initial conference 22 Jan 2024, plan made" in page
        edit = url("episode_edit", jayden.uuid, "initial-conference", conference.pk)
        assert edit in page
        assert signed_in(cast.ben).get(edit).status_code == 200

    def test_both_or_neither_is_refused(self, cast: Cast, jayden, referral) -> None:
        enquiry = Section47Enquiry.objects.create(episode=referral, start=date(2024, 1, 10))
        day = when("date", date(2024, 1, 22))
        both = post(
            cast,
            jayden,
            "initial-conference",
            {"episode": referral.pk, "enquiry": enquiry.pk, **day},
        )
        assert both.context["form"].errors["episode"] == [
            "Choose the section 47 enquiry or the referral, not both"
        ]
        neither = post(cast, jayden, "initial-conference", day)
        assert (
            neither.context["form"]
            .errors["enquiry"][0]
            .startswith("Choose the section 47 enquiry, or the referral if there was no enquiry")
        )
        assert not InitialConference.objects.exists()


# --- The person's return fields ------------------------------------------------------------


def details(jayden: Person, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "first_name": jayden.first_name,
        "last_name": jayden.last_name,
        **when("date_of_birth", jayden.date_of_birth or date(2016, 3, 14)),
        "sex": "M",
        "ethnicity": "WBRI",
        "disabilities": ["NONE"],
        "is_mother": "unknown",
    }
    data.update(changes)
    return data


def test_a_child_in_a_return_needs_a_upn_or_the_reason(cast: Cast, jayden: Person) -> None:
    in_care(jayden)
    client = signed_in(cast.ben)
    edit = url("person_edit", jayden.uuid)
    neither = client.post(edit, details(jayden, upn=""))
    assert neither.context["form"].errors["upn"] == [
        "Enter the Unique Pupil Number, or choose the reason there is none"
    ]
    both = client.post(edit, details(jayden, upn="A123456789012", no_upn_reason="UN2"))
    assert both.context["form"].errors["no_upn_reason"] == [
        "Give the UPN or the reason there is none, not both"
    ]
    blanks = client.post(
        edit, details(jayden, sex="", ethnicity="", disabilities=[], no_upn_reason="UN2")
    )
    errors = blanks.context["form"].errors
    assert errors["sex"] == ["Choose the sex"]
    assert errors["ethnicity"] == ["Choose the ethnicity"]
    assert errors["disabilities"] == ["Select the disabilities, or 'No disability'"]
    assert client.post(edit, details(jayden, no_upn_reason="UN2")).status_code == 302
    jayden.refresh_from_db()
    assert (jayden.upn, jayden.no_upn_reason, jayden.disabilities) == ("", "UN2", ["NONE"])
    page = client.get(url("person", jayden.uuid)).text
    assert "None (Has never attended an English school)" in page


def test_a_young_mother_and_her_first_childs_birth(cast: Cast, jayden: Person) -> None:
    amy = Person.objects.create(
        first_name="Amy", last_name="Okafor", date_of_birth=date(2008, 2, 1), sex="F"
    )
    FamilyMember.objects.create(
        family=cast.okafors, person=amy, role=MemberRole.CHILD, start=date(2020, 1, 1)
    )
    client = signed_in(cast.ben)
    edit = url("person_edit", amy.uuid)
    missing = client.post(edit, details(amy, sex="F", is_mother="true", no_upn_reason="UN2"))
    assert missing.context["form"].errors["first_child_born"] == [
        "Enter the date of birth of her first child"
    ]
    boy = client.post(edit, details(amy, sex="M", is_mother="false"))
    assert boy.context["form"].errors["is_mother"] == [
        "Answer whether she is a mother only for a girl or woman"
    ]
    data = details(amy, sex="F", is_mother="true", **when("first_child_born", date(2025, 7, 9)))
    assert client.post(edit, data).status_code == 302
    amy.refresh_from_db()
    assert (amy.is_mother, amy.first_child_born) == (True, date(2025, 7, 9))
    assert "her first child was born on 9 July 2025" in client.get(url("person", amy.uuid)).text


# --- Business support's data-quality list ------------------------------------------------


def test_the_blanks_the_rules_refuse_are_listed(
    cast: Cast, jayden: Person, django_assert_num_queries
) -> None:
    Person.objects.filter(pk=jayden.pk).update(
        sex="F", ethnicity="WBRI", nhs_number="9434765919", upn="", disabilities=[]
    )
    in_care(jayden, start=date(2024, 3, 1), placement="K2", placement_postcode="")
    CINEpisode.objects.create(
        child=jayden, family=cast.okafors, start=date(2024, 1, 8), referral_source="2A"
    )
    today = timezone.localdate()
    with django_assert_num_queries(3):
        gaps, _ = data_quality(cast.ben, today)
    (gap,) = [g for g in gaps if g.child.pk == jayden.pk]
    assert gap.missing == [
        "UPN or the reason there is none",
        "disability (or 'No disability')",
        "primary need of the referral",
        "placement or home postcode",
        "the placement's Ofsted URN",
        "whether she is a mother",
    ]
    Person.objects.filter(pk=jayden.pk).update(
        no_upn_reason="UN2", disabilities=["NONE"], is_mother=False
    )
    CareEpisode.objects.filter(child=jayden).update(placement_postcode="BW2 2BB", urn="SC123456")
    CINEpisode.objects.filter(child=jayden).update(primary_need="N1")
    gaps, _ = data_quality(cast.ben, today)
    assert all(g.child.pk != jayden.pk or g.missing == [] for g in gaps)
