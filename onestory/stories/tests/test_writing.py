"""Writing the story through HTTP: drafts, autosave, finalising, amendments, conflicts, sign-off."""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from onestory.families.models import AccessEvent, Person
from onestory.stories.models import MAX_TEXT, Amendment, Entry, SignOff, Status
from onestory.stories.tests.helpers import make_entry, url, visit_form
from onestory.test import Cast, child_of, signed_in, when


def test_recording_a_visit_takes_three_screens(cast: Cast) -> None:
    client = signed_in(cast.sam)
    family = cast.okafors
    # Screen 1: the form, which reminds the writer who will read it.
    page = client.get(url("new", family.uuid))
    assert "The family will read this" in page.text
    response = client.post(url("new", family.uuid), visit_form(family))
    entry = Entry.objects.get()
    # Screen 2: the draft, ready to finalise.
    assert response.status_code == 302
    assert response["Location"] == url("entry", family.uuid, entry.uuid)
    assert entry.status == Status.DRAFT and entry.author == cast.sam
    child = child_of(family)
    assert list(entry.seen_alone.all()) == [child]
    assert set(entry.seen.all()) == set(Person.objects.filter(memberships__family=family))
    assert entry.child_words == "I like my teacher."
    assert "Finalise entry" in client.get(response["Location"]).text
    # Screen 3: back on the family page, with the visit in the story.
    finalised = client.post(url("finalise", family.uuid, entry.uuid))
    assert finalised.status_code == 302
    story = client.get(finalised["Location"]).text
    assert "We talked about school." in story
    entry.refresh_from_db()
    assert entry.status == Status.FINAL and entry.finalised_at is not None
    assert entry.search_vector is not None


def test_bad_input_gets_clear_messages_and_keeps_the_text(cast: Cast) -> None:
    client = signed_in(cast.sam)
    family = cast.okafors
    future = timezone.localdate() + timedelta(days=3)
    cases = {
        "Enter what happened": visit_form(family, story="  "),
        "What happened must be 20,000 characters or fewer": visit_form(
            family, story="x" * (MAX_TEXT + 1), child_words="Keep me"
        ),
        "cannot be in the future": visit_form(
            family, **when("occurred_on", future), child_words="Keep me"
        ),
        "A child seen alone must be a child in this family": visit_form(
            family, seen_alone=[child_of(cast.nashes).pk], child_words="Keep me"
        ),
        "was seen alone, so tick them": visit_form(family, concerns=[], child_words="Keep me"),
    }
    for message, data in cases.items():
        response = client.post(url("new", family.uuid), data)
        assert response.status_code == 200, message
        assert message in response.text, message
        assert "There is a problem" in response.text
        assert "I like my teacher" in response.text or "Keep me" in response.text
    assert not Entry.objects.exists()


def _draft_data(entry: Entry, **overrides: object) -> dict[str, object]:
    data = visit_form(entry.family, version=entry.version)
    data.update(overrides)
    return data


def test_autosave_saves_the_draft_and_returns_the_new_version(cast: Cast) -> None:
    entry = make_entry(cast.okafors, cast.sam, final=False)
    client = signed_in(cast.sam)
    response = client.post(
        url("autosave", cast.okafors.uuid, entry.uuid),
        _draft_data(entry, story="You showed me your room."),
        headers={"HX-Request": "true"},
    )
    assert "Draft saved automatically" in response.text
    entry.refresh_from_db()
    assert entry.story == "You showed me your room."
    assert entry.version == 2
    assert 'value="2"' in response.text and 'hx-swap-oob="true"' in response.text
    # Autosaving every few seconds is not a look at the record: the draft's opening was logged,
    # and the change itself is in history.
    assert not AccessEvent.objects.filter(user=cast.sam, family=cast.okafors).exists()
    saved = apps.get_model("stories", "EntryEvent").objects.get(pgh_obj=entry, pgh_label="update")
    assert saved.story == "You showed me your room."
    assert saved.pgh_context.metadata["user"] == cast.sam.pk


def test_autosave_and_finalise_query_counts(cast: Cast, django_assert_num_queries) -> None:
    """The autosave runs every 10 seconds for everyone writing: the most frequent request of
    all. It reads the entry alone, not who it concerns or its amendments, and nothing back."""
    entry = make_entry(cast.okafors, cast.sam, final=False)
    client = signed_in(cast.sam)
    client.get("/")  # the first request of a session also saves it
    data = _draft_data(entry, story="You showed me your room.")
    first = client.post(url("autosave", cast.okafors.uuid, entry.uuid), data)
    data.update(version=2, story="You showed me your room and your drawings.")
    # As every 10 seconds while writing: session, user, MFA; the family and the two
    # need-to-know checks; the entry; the form's three lists of people; then the transaction
    # (a savepoint here, inside the test's own, and its release), the update, and reading the
    # three lists to compare. Nothing is read back after the update.
    with django_assert_num_queries(16):
        saved = client.post(url("autosave", cast.okafors.uuid, entry.uuid), data)
    assert 'value="2"' in first.text and 'value="3"' in saved.text
    # The same six reads, the access log (finalising is a look), the entry alone; then the
    # savepoint, the update, the search index and the release; and the final row read back.
    with django_assert_num_queries(13):
        client.post(url("finalise", cast.okafors.uuid, entry.uuid))
    entry.refresh_from_db()
    assert entry.status == Status.FINAL
    assert entry.story == "You showed me your room and your drawings."


def test_a_saved_draft_object_matches_its_row(cast: Cast) -> None:
    """save_draft brings the object up to date without reading it back: it must hold exactly
    what a fresh read would."""
    entry = make_entry(cast.okafors, cast.sam, final=False)
    kelly = child_of(cast.okafors)
    list(Entry.objects.for_timeline().get(pk=entry.pk).concerns.all())  # a prefetch to drop
    assert entry.save_draft(
        expected_version=entry.version, by=cast.sam, story="Changed.", concerns=[kelly]
    )
    fresh = Entry.objects.get(pk=entry.pk)
    for field in Entry._meta.concrete_fields:
        assert getattr(entry, field.attname) == getattr(fresh, field.attname), field.name
    assert list(entry.concerns.all()) == [kelly]


def test_a_stale_draft_is_refused_and_both_versions_are_shown(cast: Cast) -> None:
    entry = make_entry(cast.okafors, cast.sam, final=False)
    sam, ben = signed_in(cast.sam), signed_in(cast.ben)
    first = ben.post(
        url("save", cast.okafors.uuid, entry.uuid), _draft_data(entry, story="Ben's version.")
    )
    assert first.status_code == 302
    stale = sam.post(
        url("save", cast.okafors.uuid, entry.uuid), _draft_data(entry, story="Sam's version.")
    )
    assert stale.status_code == 409
    assert "Someone else saved this draft" in stale.text
    assert "Ben&#x27;s version." in stale.text and "Sam&#x27;s version." in stale.text
    entry.refresh_from_db()
    assert entry.story == "Ben's version." and entry.version == 2
    # The refused autosave says so too, and changes nothing.
    auto = sam.post(url("autosave", cast.okafors.uuid, entry.uuid), _draft_data(entry, version=1))
    assert "someone else has saved this draft" in auto.text
    # Saving again from the conflict page (now at the current version) replaces it knowingly.
    again = sam.post(
        url("save", cast.okafors.uuid, entry.uuid),
        _draft_data(entry, story="Sam's version.", version=2),
    )
    assert again.status_code == 302
    entry.refresh_from_db()
    assert entry.story == "Sam's version." and entry.version == 3


def test_a_final_entry_cannot_be_edited_only_amended(cast: Cast) -> None:
    entry = make_entry(cast.okafors, cast.sam, story="We met at the park.")
    client = signed_in(cast.sam)
    refused = client.post(
        url("save", cast.okafors.uuid, entry.uuid), _draft_data(entry, story="Changed.")
    )
    assert refused.status_code == 409
    assert "This entry has been finalised, so it cannot be changed" in refused.text
    entry.refresh_from_db()
    assert entry.story == "We met at the park."
    assert client.post(url("finalise", cast.okafors.uuid, entry.uuid)).status_code == 409

    no_reason = client.post(url("amend", cast.okafors.uuid, entry.uuid), {"text": "At school."})
    assert no_reason.status_code == 400
    assert "Enter why the entry needs correcting" in no_reason.text
    assert not Amendment.objects.exists()

    client.post(
        url("amend", cast.okafors.uuid, entry.uuid),
        {"reason": "Wrong place", "text": "We met at school, not the park."},
    )
    amendment = Amendment.objects.get()
    assert amendment.author == cast.sam and amendment.entry == entry
    page = client.get(url("entry", cast.okafors.uuid, entry.uuid)).text
    assert "We met at the park." in page and "We met at school, not the park." in page
    assert "Wrong place" in page


def test_only_the_pods_manager_signs_off_assessments_and_plans(cast: Cast) -> None:
    entry = make_entry(cast.okafors, cast.sam, kind="assessment")
    sign_off = url("sign_off", cast.okafors.uuid, entry.uuid)
    assert signed_in(cast.sam).post(sign_off).status_code == 404
    assert signed_in(cast.charlie).post(sign_off).status_code == 404
    assert not SignOff.objects.exists()
    page = signed_in(cast.priya).get(url("entry", cast.okafors.uuid, entry.uuid)).text
    assert "Sign off this assessment" in page
    assert signed_in(cast.priya).post(sign_off).status_code == 302
    done = SignOff.objects.get()
    assert done.by == cast.priya and done.entry == entry
    # Once only: a second press (a double click, another tab) is told who signed it.
    again = signed_in(cast.priya).post(sign_off, follow=True)
    assert "Assessment was already signed off by Priya Shah" in again.text
    assert SignOff.objects.count() == 1
    # A visit needs no sign-off: a message, not a server error.
    visit = make_entry(cast.okafors, cast.sam)
    refused = signed_in(cast.priya).post(
        url("sign_off", cast.okafors.uuid, visit.uuid), follow=True
    )
    assert "Only a finalised assessment or plan is signed off" in refused.text
    assert not SignOff.objects.filter(entry=visit).exists()


def test_writing_is_logged_against_the_family(cast: Cast) -> None:
    client = signed_in(cast.sam)
    client.post(url("new", cast.okafors.uuid), visit_form(cast.okafors))
    assert AccessEvent.objects.filter(user=cast.sam, family=cast.okafors).count() >= 1


def test_writing_help_scores_and_hints_but_never_blocks(cast: Cast) -> None:
    client = signed_in(cast.sam)
    response = client.post(
        url("help"), {"story": "The ICPC agreed a CP plan. You told me about contact."}
    )
    assert "Reading ease" in response.text
    for term in ("ICPC", "CP", "contact"):
        assert f"<strong>{term}</strong>" in response.text
    assert "LADO" not in response.text
    # Jargon is advice only: the draft still saves.
    saved = client.post(
        url("new", cast.okafors.uuid), visit_form(cast.okafors, story="The LAC review.")
    )
    assert saved.status_code == 302


def test_the_date_hint_gives_one_example(cast: Cast) -> None:
    page = signed_in(cast.sam).get(url("new", cast.okafors.uuid)).text
    hint = page.split('id="id_occurred_on-hint"', 1)[1].split("</div>", 1)[0]
    assert hint.count("For example") == 1, hint
