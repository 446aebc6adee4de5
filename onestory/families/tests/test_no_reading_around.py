"""No reading around the rules: history without story text for those who may not read the
story, Find a person for finding (not browsing), an access list that names nothing refused, a
subject access bundle of what the officer may see, and no signing off one's own work."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from onestory.accounts.models import Role
from onestory.families import access_views
from onestory.families.models import (
    AccessAction,
    AccessEvent,
    Family,
    FamilyMember,
    MemberRole,
    Person,
)
from onestory.stories.models import Entry, Kind, SignOff
from onestory.stories.tests.helpers import make_entry
from onestory.test import LONG_AGO, Cast, child_of, make_staff, make_user, signed_in, url_maker

access_url = url_maker("access")
stories_url = url_maker("stories")


@pytest.fixture
def iris(cast: Cast):
    user = make_user("iris", Role.INFORMATION_GOVERNANCE, "Iris", "Bennett")
    make_staff(user, None, None)
    return user


class TestHistoryWithoutStoryText:
    def test_information_governance_see_that_the_story_changed_but_not_what_it_says(
        self, cast: Cast, iris
    ) -> None:
        entry = make_entry(cast.okafors, cast.sam, story="First words.", final=False)
        entry.save_draft(expected_version=entry.version, by=cast.sam, story="Kelly's new partner.")
        theirs = signed_in(iris).get(access_url("family_history", cast.okafors.uuid)).text
        assert "Changes to" in theirs or "History" in theirs
        assert "(not shown)" in theirs
        assert "Kelly&#x27;s new partner" not in theirs and "Kelly's new partner" not in theirs
        # The pod manager, who may read the story, sees the change itself.
        priyas = signed_in(cast.priya).get(access_url("family_history", cast.okafors.uuid)).text
        assert "Kelly&#x27;s new partner." in priyas
        assert "(not shown)" not in priyas

    def test_a_childs_history_leaves_out_families_the_user_may_not_see(self, cast: Cast) -> None:
        jayden = child_of(cast.okafors)
        refuge = Family.objects.create(
            name="The Refuge household", pod=cast.downs, opened=LONG_AGO, restricted=True
        )
        # Jayden stayed in the refuge for a while, and is back with the Okafors.
        FamilyMember.objects.create(
            family=refuge,
            person=jayden,
            role=MemberRole.CHILD,
            start=LONG_AGO,
            end=LONG_AGO + timedelta(days=30),
        )
        # One entry about him in each family: who an entry concerns is in history too.
        make_entry(cast.okafors, cast.sam, story="At home.", about=[jayden])
        make_entry(refuge, cast.charlie, story="At the refuge.", about=[jayden])
        page = signed_in(cast.sam).get(access_url("person_history", jayden.uuid)).text
        assert "Jayden Okafor" in page
        # His membership of the Okafors is shown; the refuge's is not (nor does it name it).
        assert page.count("Added: Family member") == 1
        assert page.lower().count("an entry concerns") == 1
        assert "Refuge" not in page
        assert (
            signed_in(cast.charlie).get(access_url("person_history", jayden.uuid)).status_code
            == 404
        )


class TestFindAPerson:
    def test_a_search_needs_three_letters(self, cast: Cast) -> None:
        response = signed_in(cast.sam).get(access_url("search"), {"q": "Ok"})
        assert "Enter at least 3 letters of the person" in response.text
        assert "Jayden Okafor" not in response.text
        assert not AccessEvent.objects.filter(action=AccessAction.SEARCH).exists()

    def test_each_person_found_is_logged(self, cast: Cast) -> None:
        page = signed_in(cast.sam).get(access_url("search"), {"q": "Okafor"}).text
        assert "Jayden Okafor" in page
        found = AccessEvent.objects.filter(user=cast.sam, action=AccessAction.SEARCH)
        assert {e.person.first_name for e in found if e.person} == {"Jayden", "Kelly"}
        assert found.count() == 2

    def test_search_cards_count_only_todays_members(self, cast: Cast) -> None:
        kelly = FamilyMember.objects.get(family=cast.okafors, role=MemberRole.PARENT)
        client = signed_in(cast.charlie)
        assert "Kelly Okafor" in client.get(access_url("search"), {"q": "Kelly"}).text
        kelly.end = timezone.localdate() - timedelta(days=1)
        kelly.save()
        page = client.get(access_url("search"), {"q": "Kelly"}).text
        assert "No one you work with matches" in page
        assert "Kelly Okafor" not in page

    def test_searching_too_often_is_slowed(
        self, cast: Cast, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(access_views, "SEARCHES_PER_TEN_MINUTES", 2)
        client = signed_in(cast.sam)
        for _ in range(2):
            assert client.get(access_url("search"), {"q": "Okafor"}).status_code == 200
        response = client.get(access_url("search"), {"q": "Okafor"})
        assert response.status_code == 429
        assert "You have searched many times" in response.text
        assert "Jayden Okafor" not in response.text


def test_records_you_have_looked_at_never_names_a_refused_record(cast: Cast) -> None:
    client = signed_in(cast.charlie)
    client.get(url_maker("families")("detail", cast.nashes.uuid))
    client.get(url_maker("families")("detail", cast.okafors.uuid))
    page = client.get(access_url("mine")).text
    assert "The Nash family" in page
    assert "A record you were not allowed to open" in page
    assert "Okafor" not in page


def test_the_subject_access_bundle_has_the_story_and_only_what_the_officer_may_see(
    cast: Cast, iris
) -> None:
    jayden = child_of(cast.okafors)
    make_entry(cast.okafors, cast.sam, story="We went swimming together.", about=[jayden])
    refuge = Family.objects.create(
        name="The Refuge household", pod=cast.downs, opened=LONG_AGO, restricted=True
    )
    FamilyMember.objects.create(
        family=refuge,
        person=jayden,
        role=MemberRole.CHILD,
        start=LONG_AGO,
        end=LONG_AGO + timedelta(days=30),
    )
    page = signed_in(iris).get(access_url("subject_access", jayden.uuid)).text
    assert "We went swimming together." in page
    assert "Member of The Okafor family" in page
    assert "Refuge" not in page


def test_a_pod_manager_cannot_sign_off_their_own_assessment(cast: Cast) -> None:
    mine = make_entry(cast.okafors, cast.priya, kind=Kind.ASSESSMENT)
    client = signed_in(cast.priya)
    page = client.get(stories_url("entry", cast.okafors.uuid, mine.uuid)).text
    assert "Assessment" in page
    assert "Sign off" not in page
    response = client.post(stories_url("sign_off", cast.okafors.uuid, mine.uuid))
    assert response.status_code == 404
    assert not SignOff.objects.exists()
    # Sam's assessment is hers to sign off.
    sams = make_entry(cast.okafors, cast.sam, kind=Kind.ASSESSMENT)
    assert client.post(stories_url("sign_off", cast.okafors.uuid, sams.uuid)).status_code == 302
    assert SignOff.objects.get().entry == Entry.objects.get(pk=sams.pk)


def test_a_short_surname_is_found_with_a_date_of_birth(cast: Cast) -> None:
    li = Person.objects.create(first_name="Mei", last_name="Li", date_of_birth=date(2015, 3, 27))
    FamilyMember.objects.create(
        family=cast.okafors, person=li, role=MemberRole.CHILD, start=LONG_AGO
    )
    client = signed_in(cast.sam)
    refused = client.get(access_url("search"), {"q": "Li"}).text
    assert "or their surname and date of birth" in refused
    assert "Mei Li" not in refused
    born = {"born_day": "27", "born_month": "3", "born_year": "2015"}
    found = client.get(access_url("search"), {"q": "Li", **born}).text
    assert "Mei Li" in found
    assert "Jayden Okafor" not in found
