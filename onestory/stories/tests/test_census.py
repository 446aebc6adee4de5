"""The CIN census takes an assessment's start and authorisation dates from the pod manager's
sign-off of the assessment entry (stories/census.py)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.utils import timezone

from onestory.families.models import Assessment, CINEpisode, FamilyMember, MemberRole, Person
from onestory.stories.models import CensusAuthorisation, Entry, Kind, SignOff
from onestory.stories.tests.helpers import make_entry, url
from onestory.test import Cast, child_of, parent_of, signed_in


def linked_entry(assessment: Assessment) -> Entry | None:
    """The entry whose sign-off authorised the assessment, if any."""
    link = CensusAuthorisation.objects.filter(assessment=assessment).first()
    return link.entry if link else None


def authorised_by(assessment: Assessment, entry: Entry) -> Assessment:
    CensusAuthorisation.objects.create(assessment=assessment, entry=entry)
    return assessment


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


@pytest.fixture
def day() -> date:
    """When the assessment was written up: ten days before today's sign-off."""
    return timezone.localdate() - timedelta(days=10)


@pytest.fixture
def jayden(cast: Cast) -> Person:
    return child_of(cast.okafors)


@pytest.fixture
def amara(cast: Cast) -> Person:
    sister = Person.objects.create(first_name="Amara", last_name="Okafor")
    FamilyMember.objects.create(
        family=cast.okafors, person=sister, role=MemberRole.CHILD, start=date(2020, 1, 6)
    )
    return sister


def referral(cast: Cast, child: Person, start: date, end: date | None = None) -> CINEpisode:
    return CINEpisode.objects.create(
        child=child,
        family=cast.okafors,
        referral_source="1A",
        start=start,
        end=end,
        closure_reason="RC8" if end else "",
    )


def assessment_entry(cast: Cast, day: date, *about: Person, kind: str = Kind.ASSESSMENT) -> Entry:
    return make_entry(cast.okafors, cast.sam, kind=kind, at=at(day), about=list(about))


def sign_off(cast: Cast, entry: Entry) -> str:
    """Priya signs the entry off; returns the message she is shown, checked to be on the page."""
    client = signed_in(cast.priya)
    response = client.post(url("sign_off", cast.okafors.uuid, entry.uuid))
    assert response["Location"] == url("entry", cast.okafors.uuid, entry.uuid)
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert message in client.get(response["Location"]).text
    return message


def test_signing_off_an_assessment_authorises_each_childs_census_assessment(
    cast: Cast, day: date, jayden: Person, amara: Person
) -> None:
    jaydens = referral(cast, jayden, day - timedelta(days=30))
    amaras = referral(cast, amara, day - timedelta(days=30))
    # Recorded by hand when the assessment began, not yet authorised.
    begun = Assessment.objects.create(episode=jaydens, start=day - timedelta(days=3))
    entry = assessment_entry(cast, day, jayden, amara, parent_of(cast.okafors))

    message = sign_off(cast, entry)

    today = timezone.localdate()
    assert SignOff.objects.get().entry == entry
    begun.refresh_from_db()
    assert (begun.start, begun.authorised, linked_entry(begun)) == (
        day - timedelta(days=3),
        today,
        entry,
    )
    assert jaydens.assessments.count() == 1
    (new,) = amaras.assessments.all()
    assert (new.start, new.authorised, linked_entry(new)) == (day, today, entry)
    assert set(Assessment.objects.filter(authorisation__entry=entry)) == {begun, new}
    # The parent has no census record, and is not named.
    assert message == (
        "Assessment signed off. Census assessment records updated for Amara Okafor and "
        "Jayden Okafor."
    )
    # The child's record shows the dates.
    person_page = signed_in(cast.ben).get(f"/people/{amara.uuid}/").text
    assert f"Started {day:%-d %b %Y}, authorised {today:%-d %b %Y}" in person_page


def test_the_sign_off_is_in_each_assessments_history(
    cast: Cast, day: date, jayden: Person, amara: Person
) -> None:
    begun = Assessment.objects.create(
        episode=referral(cast, jayden, day - timedelta(days=30)), start=day
    )
    referral(cast, amara, day - timedelta(days=30))
    sign_off(cast, assessment_entry(cast, day, jayden, amara))
    events = apps.get_model("families", "AssessmentEvent").objects.order_by("pgh_id")
    update = events.get(pgh_obj=begun, pgh_label="update")
    assert update.authorised == timezone.localdate()
    assert update.pgh_context.metadata["user"] == cast.priya.pk
    assert update.pgh_context.metadata["action"] == "stories.sign_off"
    insert = events.get(pgh_obj__episode__child=amara, pgh_label="insert")
    assert insert.start == day and insert.pgh_context.metadata["user"] == cast.priya.pk


def test_a_child_with_no_open_child_in_need_episode_is_named(
    cast: Cast, day: date, jayden: Person, amara: Person
) -> None:
    # Jayden's referral closed the day before the assessment; Amara's opened the day after.
    referral(cast, jayden, day - timedelta(days=60), end=day)
    referral(cast, amara, day + timedelta(days=1))
    entry = assessment_entry(cast, day, jayden, amara)
    assert sign_off(cast, entry) == (
        "Assessment signed off. No census record updated for Amara Okafor and Jayden Okafor: "
        "no open child in need episode."
    )
    assert not Assessment.objects.exists()
    assert SignOff.objects.get().entry == entry


def test_the_assessment_already_linked_to_the_entry_is_used(
    cast: Cast, day: date, jayden: Person
) -> None:
    episode = referral(cast, jayden, day - timedelta(days=30))
    entry = assessment_entry(cast, day, jayden)
    linked = authorised_by(
        Assessment.objects.create(episode=episode, start=day - timedelta(days=5)), entry
    )
    other = Assessment.objects.create(episode=episode, start=day - timedelta(days=2))
    message = sign_off(cast, entry)
    assert message == "Assessment signed off. Census assessment record updated for Jayden Okafor."
    linked.refresh_from_db()
    other.refresh_from_db()
    assert (linked.start, linked.authorised) == (day - timedelta(days=5), timezone.localdate())
    assert (other.authorised, linked_entry(other)) == (None, None)


def test_authorised_later_or_other_entries_assessments_are_left_alone(
    cast: Cast, day: date, jayden: Person
) -> None:
    episode = referral(cast, jayden, day - timedelta(days=90))
    earlier = make_entry(cast.okafors, cast.sam, kind=Kind.ASSESSMENT, at=at(day - timedelta(60)))
    untouched = [
        Assessment.objects.create(
            episode=episode, start=day - timedelta(days=80), authorised=day - timedelta(days=50)
        ),
        authorised_by(
            Assessment.objects.create(episode=episode, start=day - timedelta(days=60)), earlier
        ),
        Assessment.objects.create(episode=episode, start=day + timedelta(days=1)),
    ]
    before = [(a.start, a.authorised, linked_entry(a)) for a in untouched]
    sign_off(cast, assessment_entry(cast, day, jayden))
    for a in untouched:
        a.refresh_from_db()
    assert [(a.start, a.authorised, linked_entry(a)) for a in untouched] == before
    new = Assessment.objects.exclude(pk__in=[a.pk for a in untouched]).get()
    assert (new.start, new.authorised) == (day, timezone.localdate())


def test_a_plan_sign_off_leaves_census_assessments_alone(
    cast: Cast, day: date, jayden: Person
) -> None:
    begun = Assessment.objects.create(
        episode=referral(cast, jayden, day - timedelta(days=30)), start=day
    )
    entry = assessment_entry(cast, day, jayden, kind=Kind.STRENGTHENING_FAMILIES)
    assert sign_off(cast, entry) == "Plan: Strengthening Families signed off."
    assert SignOff.objects.get().entry == entry
    begun.refresh_from_db()
    assert (begun.authorised, linked_entry(begun)) == (None, None)
    assert Assessment.objects.count() == 1


def test_signing_off_is_all_or_nothing(
    cast: Cast, day: date, jayden: Person, amara: Person
) -> None:
    referral(cast, amara, day - timedelta(days=30))
    entry = assessment_entry(cast, day, jayden, amara)
    # A hand-made mistake: Jayden's assessment, linked to the entry, starts after today, so
    # authorising it today breaks the rule that authorisation follows the start. Amara's
    # assessment (created first, in name order) must not survive the failure.
    wrong = authorised_by(
        Assessment.objects.create(
            episode=referral(cast, jayden, day - timedelta(days=30)),
            start=timezone.localdate() + timedelta(days=3),
        ),
        entry,
    )
    # The manager is told what is wrong and what to do, never shown a server error.
    refused = sign_off(cast, entry)
    assert "would be authorised before it started" in refused
    assert "Nothing was saved" in refused
    assert not SignOff.objects.exists()
    assert list(Assessment.objects.all()) == [wrong]
    wrong.refresh_from_db()
    assert wrong.authorised is None
    # The entry can still be signed off once the record is put right.
    Assessment.objects.filter(pk=wrong.pk).update(start=day)
    assert "Census assessment records updated" in sign_off(cast, entry)
