"""Adding and changing a child's statutory episodes, and a family's care proceedings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from onestory.families.forms import EPISODES
from onestory.families.models import (
    CareEpisode,
    CareProceedings,
    CINEpisode,
    CINPlan,
    CPPlan,
    CPReview,
    FamilyMember,
    InitialConference,
    Person,
    Section47Enquiry,
)
from onestory.test import Cast, signed_in, url_maker, when

url = url_maker("families")


def child(family, first_name: str) -> Person:
    return FamilyMember.objects.get(family=family, person__first_name=first_name).person


@pytest.fixture
def jayden(cast: Cast) -> Person:
    return child(cast.okafors, "Jayden")


@pytest.fixture
def referral(cast: Cast, jayden: Person) -> CINEpisode:
    return CINEpisode.objects.create(
        child=jayden, family=cast.okafors, start=date(2024, 1, 8), referral_source="2A"
    )


@pytest.fixture
def enquiry(referral: CINEpisode) -> Section47Enquiry:
    return Section47Enquiry.objects.create(episode=referral, start=date(2024, 1, 10))


@pytest.fixture
def plan(referral: CINEpisode, jayden: Person) -> CPPlan:
    return CPPlan.objects.create(
        episode=referral,
        child=jayden,
        start=date(2024, 1, 21),
        initial_category="NEG",
        latest_category="NEG",
    )


def valid(
    kind: str,
    cast: Cast,
    referral: CINEpisode,
    enquiry: Section47Enquiry,
    plan: CPPlan | None = None,
) -> dict[str, object]:
    """A complete, correct form for each kind of record (a CP review needs its `plan`)."""
    forms: dict[str, dict[str, object]] = {
        "referral": {
            "family": cast.okafors.pk,
            **when("start", date(2024, 6, 3)),
            "referral_source": "3A",
            "primary_need": "N1",
        },
        "assessment": {
            "episode": referral.pk,
            **when("start", date(2024, 1, 9)),
            **when("authorised", date(2024, 2, 1)),
            "factors": ["1A", "1B"],
        },
        "section-47-enquiry": {"episode": referral.pk, **when("start", date(2024, 1, 11))},
        "initial-conference": {
            "enquiry": enquiry.pk,
            **when("date", date(2024, 1, 20)),
            "plan_made": "on",
        },
        "cin-plan": {"episode": referral.pk, **when("start", date(2024, 2, 1))},
        "cp-plan": {
            "episode": referral.pk,
            **when("start", date(2024, 1, 21)),
            "initial_category": "NEG",
            "latest_category": "EMO",
        },
        "cp-review": {"plan": plan.pk if plan else "", **when("date", date(2024, 4, 15))},
        "care-episode": {
            **when("start", date(2024, 3, 1)),
            "reason_new_episode": "S",
            "legal_status": "C2",
            "category_of_need": "N1",
            "placement": "U1",
            "provider": "PR1",
            "home_postcode": "BW1 1AA",
            "placement_postcode": "BW2 2BB",
            "urn": "SC123456",
        },
        "review": {**when("date", date(2024, 9, 1)), "participation": "PN1"},
        "missing": {
            "kind": "M",
            **when("start", date(2024, 5, 1)),
            **when("end", date(2024, 5, 2)),
        },
        "uasc": {**when("start", date(2023, 1, 1))},
        "adoption-decision": {
            **when("decided", date(2024, 4, 1)),
            **when("matched", date(2024, 6, 1)),
            "number_of_adopters": "2",
            "adopter_sex": "MF",
            "adopter_legal_status": "L11",
        },
        "adoption-placement": {**when("start", date(2024, 4, 1))},
        "health-outcomes": {
            "year": "2024",
            "immunisations": "true",
            "teeth_check": "true",
            "health_assessment": "false",
            "health_check": "unknown",
            "substance_misuse": "false",
            "convicted": "false",
            "sdq_score": "12",
        },
        "care-leaver": {
            "year": "2025",
            "in_touch": "YES",
            "activity": "F2",
            "accommodation": "U1",
        },
        "deprivation-of-liberty": {**when("start", date(2024, 5, 1))},
    }
    if kind == "previous-permanence":
        # Made here, and only for this kind: its care episode would clash with the one
        # the care-episode kind adds.
        return {
            "care_episode": started_care(referral.child).pk,
            "order": "P2",
            "council": "wal",
            **when("order_date", date(2020, 6, 1)),
        }
    return forms[kind]


def started_care(child: Person) -> CareEpisode:
    episode, _ = CareEpisode.objects.get_or_create(
        child=child,
        start=date(2024, 3, 1),
        defaults={
            "reason_new_episode": "S",
            "legal_status": "C2",
            "category_of_need": "N1",
            "placement": "U1",
            "provider": "PR1",
            "home_postcode": "BW1 1AA",
            "placement_postcode": "BW2 2BB",
        },
    )
    return episode


CHILD_KINDS = [slug for slug, kind in EPISODES.items() if not kind.for_family]


@pytest.mark.parametrize("kind", CHILD_KINDS)
def test_each_kind_of_record_can_be_added_and_changed(
    request: pytest.FixtureRequest,
    cast: Cast,
    jayden: Person,
    referral: CINEpisode,
    enquiry: Section47Enquiry,
    kind: str,
) -> None:
    # A review conference belongs to a plan; the other kinds need none (a plan here would
    # clash with the CP plan being added).
    plan = request.getfixturevalue("plan") if kind == "cp-review" else None
    entry = EPISODES[kind]
    client = signed_in(cast.ben)
    add = url("episode_add", jayden.uuid, kind)
    page = client.get(add)
    assert f"Add {entry.article} {entry.name}" in page.text
    before = set(entry.model._default_manager.values_list("pk", flat=True))
    response = client.post(add, valid(kind, cast, referral, enquiry, plan))
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == url("person", jayden.uuid)
    (created,) = set(entry.model._default_manager.values_list("pk", flat=True)) - before
    person_page = client.get(response["Location"]).text
    assert f"{entry.name[0].upper()}{entry.name[1:]} added." in person_page
    edit = url("episode_edit", jayden.uuid, kind, created)
    assert edit in person_page
    assert client.get(edit).status_code == 200
    assert client.post(edit, valid(kind, cast, referral, enquiry, plan)).status_code == 302
    assert entry.model._default_manager.filter(pk__in=before | {created}).count() == len(before) + 1


def test_a_cp_review_is_kept_with_its_plan_and_shown_with_it(
    cast: Cast, jayden, referral, enquiry, plan
) -> None:
    client = signed_in(cast.ben)
    add = url("episode_add", jayden.uuid, "cp-review")
    assert "CP plan (Neglect) from 21/01/2024" in client.get(add).text
    response = client.post(add, valid("cp-review", cast, referral, enquiry, plan))
    review = CPReview.objects.get()
    assert (review.plan, review.date) == (plan, date(2024, 4, 15))
    page = client.get(response["Location"]).text
    assert "Child protection review added." in page
    assert "15 Apr 2024" in page
    edit = url("episode_edit", jayden.uuid, "cp-review", review.pk)
    assert edit in page
    client.post(edit, {"plan": plan.pk, **when("date", date(2024, 4, 18))})
    review.refresh_from_db()
    assert review.date == date(2024, 4, 18)
    events = apps.get_model("families", "CPReviewEvent").objects.filter(pgh_obj=review)
    events = events.order_by("pgh_id")
    assert [(e.pgh_label, e.date) for e in events] == [
        ("insert", date(2024, 4, 15)),
        ("update", date(2024, 4, 18)),
    ]
    assert events[0].pgh_context.metadata["user"] == cast.ben.pk


def test_a_care_episode_keeps_every_ssda903_field(cast: Cast, jayden, referral, enquiry) -> None:
    data = {
        **valid("care-episode", cast, referral, enquiry),
        **when("end", date(2024, 8, 1)),
        "reason_ceased": "E11",
        "reason_place_change": "CARPL",
    }
    signed_in(cast.ben).post(url("episode_add", jayden.uuid, "care-episode"), data)
    episode = CareEpisode.objects.get(child=jayden)
    assert (episode.start, episode.end) == (date(2024, 3, 1), date(2024, 8, 1))
    assert (episode.legal_status, episode.placement, episode.provider) == ("C2", "U1", "PR1")
    assert (episode.reason_ceased, episode.reason_place_change) == ("E11", "CARPL")
    assert (episode.home_postcode, episode.placement_postcode, episode.urn) == (
        "BW1 1AA",
        "BW2 2BB",
        "SC123456",
    )


# --- Bad input: a clear message, the input kept, nothing saved -----------------------------


def counts() -> list[int]:
    return [kind.model._default_manager.count() for kind in EPISODES.values()]


class TestBadInput:
    def refused(
        self,
        cast: Cast,
        child: Person,
        kind: str,
        data: dict[str, object],
        message: str,
        field=None,
    ):
        before = counts()
        response = signed_in(cast.ben).post(url("episode_add", child.uuid, kind), data)
        assert response.status_code == 200
        assert "There is a problem" in response.text
        assert message in response.text
        if field:
            assert message in " ".join(response.context["form"].errors[field])
        assert counts() == before
        return response

    def test_an_end_before_the_start(self, cast, jayden, referral, enquiry) -> None:
        data = {**valid("cin-plan", cast, referral, enquiry), **when("end", date(2024, 1, 31))}
        message = "The end date cannot be before the start date."
        response = self.refused(cast, jayden, "cin-plan", data, message, "end")
        assert 'name="end_day" value="31"' in response.text  # what they typed is kept

    def test_an_overlapping_cp_plan(self, cast, jayden, referral, enquiry) -> None:
        CPPlan.objects.create(
            episode=referral,
            child=jayden,
            start=date(2024, 1, 1),
            initial_category="NEG",
            latest_category="NEG",
        )
        message = "This child already has a child protection plan for some of these dates."
        self.refused(cast, jayden, "cp-plan", valid("cp-plan", cast, referral, enquiry), message)

    def test_an_overlapping_care_episode(self, cast, jayden, referral, enquiry) -> None:
        data = valid("care-episode", cast, referral, enquiry)
        signed_in(cast.ben).post(url("episode_add", jayden.uuid, "care-episode"), data)
        assert CareEpisode.objects.count() == 1
        later = {**data, **when("start", date(2024, 5, 1))}
        message = "This child already has a care episode for some of these dates."
        self.refused(cast, jayden, "care-episode", later, message)

    @pytest.mark.parametrize(
        ("kind", "field", "message"),
        [
            ("referral", "start", "Referral date cannot be in the future"),
            ("care-episode", "start", "Date the episode started cannot be in the future"),
            ("review", "date", "Review date cannot be in the future"),
        ],
    )
    def test_a_future_event(self, cast, jayden, referral, enquiry, kind, field, message) -> None:
        data = {
            **valid(kind, cast, referral, enquiry),
            **when(field, timezone.localdate() + timedelta(1)),
        }
        self.refused(cast, jayden, kind, data, message, field)

    @pytest.mark.parametrize(
        ("change", "field", "message"),
        [
            ({"start_year": ""}, "start", "Referral date must include a year"),
            (
                {"start_day": "", "start_month": ""},
                "start",
                "Referral date must include a day and month",
            ),
            ({"start_day": "30", "start_month": "2"}, "start", "Referral date must be a real date"),
            ({"start_month": "thirteen"}, "start", "Referral date must be a real date"),
            (
                {"start_day": "", "start_month": "", "start_year": ""},
                "start",
                "Enter the referral date",
            ),
            (
                {"referral_source": "99"},
                "referral_source",
                "Select a valid choice. 99 is not one of the available choices.",
            ),
        ],
    )
    def test_a_bad_referral(self, cast, jayden, referral, enquiry, change, field, message) -> None:
        data = {**valid("referral", cast, referral, enquiry), **change}
        self.refused(cast, jayden, "referral", data, message, field)

    def test_a_closure_without_a_reason(self, cast, jayden, referral, enquiry) -> None:
        data = {**valid("referral", cast, referral, enquiry), **when("end", date(2024, 7, 1))}
        message = "Give the reason for closure when the episode closes."
        self.refused(cast, jayden, "referral", data, message)

    def test_a_code_not_in_the_list(self, cast, jayden, referral, enquiry) -> None:
        data = {**valid("care-episode", cast, referral, enquiry), "legal_status": "Z9"}
        message = "Select a valid choice. Z9 is not one of the available choices."
        self.refused(cast, jayden, "care-episode", data, message, "legal_status")

    def test_another_childs_referral_cannot_be_chosen(self, cast, jayden, referral, enquiry):
        lily = child(cast.nashes, "Lily")
        theirs = CINEpisode.objects.create(
            child=lily, family=cast.nashes, start=date(2024, 1, 8), referral_source="2A"
        )
        data = {**valid("cin-plan", cast, referral, enquiry), "episode": theirs.pk}
        self.refused(cast, jayden, "cin-plan", data, "Select a valid choice.", "episode")

    def test_a_second_conference_for_one_enquiry(self, cast, jayden, referral, enquiry) -> None:
        InitialConference.objects.create(enquiry=enquiry, date=date(2024, 1, 15))
        data = valid("initial-conference", cast, referral, enquiry)
        message = "This enquiry already has an initial conference."
        self.refused(cast, jayden, "initial-conference", data, message, "enquiry")

    def test_a_cp_review_before_its_plan_started(self, cast, jayden, referral, enquiry, plan):
        data = {
            **valid("cp-review", cast, referral, enquiry, plan),
            **when("date", date(2024, 1, 20)),
        }
        message = "The review cannot be before the plan started (21 January 2024)."
        response = self.refused(cast, jayden, "cp-review", data, message, "date")
        assert 'name="date_day" value="20"' in response.text

    def test_a_cp_review_after_its_plan_ended(self, cast, jayden, referral, enquiry, plan):
        plan.end = date(2024, 3, 1)
        plan.save()
        data = valid("cp-review", cast, referral, enquiry, plan)
        message = "The review cannot be after the plan ended (1 March 2024)."
        self.refused(cast, jayden, "cp-review", data, message, "date")

    def test_a_second_cp_review_on_the_same_day(self, cast, jayden, referral, enquiry, plan):
        CPReview.objects.create(plan=plan, date=date(2024, 4, 15))
        data = valid("cp-review", cast, referral, enquiry, plan)
        message = "This plan already has a review on this date."
        self.refused(cast, jayden, "cp-review", data, message)

    def test_a_cp_review_needs_its_plan(self, cast, jayden, referral, enquiry):
        data = valid("cp-review", cast, referral, enquiry)
        message = "Choose the child protection plan. If it is not listed, add it first."
        self.refused(cast, jayden, "cp-review", data, message, "plan")

    def test_another_childs_cp_plan_cannot_be_chosen(self, cast, jayden, referral, enquiry):
        lily = child(cast.nashes, "Lily")
        theirs = CPPlan.objects.create(
            episode=CINEpisode.objects.create(
                child=lily, family=cast.nashes, start=date(2024, 1, 8), referral_source="2A"
            ),
            child=lily,
            start=date(2024, 1, 21),
            initial_category="NEG",
            latest_category="NEG",
        )
        data = valid("cp-review", cast, referral, enquiry, theirs)
        self.refused(cast, jayden, "cp-review", data, "Select a valid choice.", "plan")

    def test_a_referral_for_a_family_the_child_is_not_in(self, cast, jayden, referral, enquiry):
        data = {**valid("referral", cast, referral, enquiry), "family": cast.nashes.pk}
        self.refused(cast, jayden, "referral", data, "Select a valid choice.", "family")


# --- Who may, and nested ids ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["charlie", "alex", "hana"])
def test_only_record_keepers_in_the_pod_may_add_or_change(
    cast: Cast, jayden, referral, enquiry, who: str
) -> None:
    client = signed_in(getattr(cast, who))
    add = url("episode_add", jayden.uuid, "cin-plan")
    assert client.get(add).status_code == 404
    assert client.post(add, valid("cin-plan", cast, referral, enquiry)).status_code == 404
    edit = url("episode_edit", jayden.uuid, "referral", referral.pk)
    assert client.post(edit, valid("referral", cast, referral, enquiry)).status_code == 404
    assert not CINPlan.objects.exists()
    referral.refresh_from_db()
    assert referral.start == date(2024, 1, 8)


def test_only_record_keepers_in_the_pod_may_add_or_change_cp_reviews(
    cast: Cast, jayden, referral, enquiry, plan
) -> None:
    review = CPReview.objects.create(plan=plan, date=date(2024, 4, 15))
    data = {"plan": plan.pk, **when("date", date(2024, 4, 1))}
    for who in (cast.charlie, cast.alex, cast.hana):
        client = signed_in(who)
        assert client.post(url("episode_add", jayden.uuid, "cp-review"), data).status_code == 404
        edit = url("episode_edit", jayden.uuid, "cp-review", review.pk)
        assert client.post(edit, data).status_code == 404
    assert list(CPReview.objects.values_list("date", flat=True)) == [date(2024, 4, 15)]
    # Nor is the review found under another child's address.
    lily = child(cast.nashes, "Lily")
    assert (
        signed_in(cast.ben).get(url("episode_edit", lily.uuid, "cp-review", review.pk)).status_code
        == 404
    )
    kelly = child(cast.okafors, "Kelly")
    assert (
        signed_in(cast.ben).get(url("episode_edit", kelly.uuid, "cp-review", review.pk)).status_code
        == 404
    )


def test_another_childs_record_is_not_found_under_this_child(cast: Cast, jayden, referral):
    lily = child(cast.nashes, "Lily")
    theirs = CINEpisode.objects.create(
        child=lily, family=cast.nashes, start=date(2024, 1, 8), referral_source="2A"
    )
    client = signed_in(cast.ben)
    edit = url("episode_edit", jayden.uuid, "referral", theirs.pk)
    assert client.get(edit).status_code == 404
    assert (
        client.post(
            edit, {"family": cast.okafors.pk, **when("start", date(2024, 2, 2))}
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.start == date(2024, 1, 8)
    # Nor is a child Ben may not see, under their own address.
    assert client.get(url("episode_add", lily.uuid, "review")).status_code == 404
    assert client.get(url("episode_edit", lily.uuid, "referral", theirs.pk)).status_code == 404


def test_unknown_kinds_and_kinds_at_the_wrong_address_are_not_found(cast: Cast, jayden) -> None:
    client = signed_in(cast.ben)
    assert client.get(url("episode_add", jayden.uuid, "no-such-thing")).status_code == 404
    assert client.get(url("episode_add", jayden.uuid, "care-proceedings")).status_code == 404
    assert client.get(url("family_episode_add", cast.okafors.uuid, "review")).status_code == 404


# --- Care proceedings, for the family -------------------------------------------------------


class TestCareProceedings:
    def form(self, *children: Person) -> dict[str, object]:
        return {
            "children": [c.pk for c in children],
            **when("application_date", date(2024, 5, 1)),
            "court": "Brightwater Family Court",
            "orders_sought": "Care order",
        }

    def test_added_for_the_chosen_children_and_changed(self, cast: Cast, jayden) -> None:
        client = signed_in(cast.priya)
        add = url("family_episode_add", cast.okafors.uuid, "care-proceedings")
        page = client.get(add).text
        assert "Jayden Okafor" in page
        assert "Kelly Okafor" not in page  # parents are not the subject of an application
        response = client.post(add, self.form(jayden))
        assert response["Location"] == url("detail", cast.okafors.uuid)
        application = CareProceedings.objects.get()
        assert (application.family, list(application.children.all())) == (cast.okafors, [jayden])
        family_page = client.get(response["Location"]).text
        assert "Care proceedings added." in family_page
        assert "Brightwater Family Court" in family_page
        edit = url("family_episode_edit", cast.okafors.uuid, "care-proceedings", application.pk)
        data = {
            **self.form(jayden),
            "outcome": "care_order",
            **when("concluded", date(2024, 11, 1)),
        }
        assert client.post(edit, data).status_code == 302
        application.refresh_from_db()
        assert (application.outcome, application.concluded) == ("care_order", date(2024, 11, 1))

    def test_only_children_of_this_family_may_be_chosen(self, cast: Cast, jayden) -> None:
        lily = child(cast.nashes, "Lily")
        add = url("family_episode_add", cast.okafors.uuid, "care-proceedings")
        response = signed_in(cast.priya).post(add, self.form(jayden, lily))
        assert (
            f"Select a valid choice. {lily.pk} is not one of the available choices."
            in response.text
        )
        assert not CareProceedings.objects.exists()

    def test_concluded_before_the_application_is_refused(self, cast: Cast, jayden) -> None:
        add = url("family_episode_add", cast.okafors.uuid, "care-proceedings")
        data = {**self.form(jayden), **when("concluded", date(2024, 4, 1))}
        response = signed_in(cast.priya).post(add, data)
        assert "The end date cannot be before the start date." in response.text
        assert not CareProceedings.objects.exists()

    def test_another_familys_proceedings_are_not_found_here(self, cast: Cast) -> None:
        theirs = CareProceedings.objects.create(
            family=cast.nashes, application_date=date(2024, 5, 1), court="Downs Court"
        )
        edit = url("family_episode_edit", cast.okafors.uuid, "care-proceedings", theirs.pk)
        assert signed_in(cast.priya).get(edit).status_code == 404
        assert signed_in(cast.charlie).get(edit).status_code == 404
