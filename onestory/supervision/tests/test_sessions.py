"""Booking and recording 1:1 supervision through HTTP: casework records with ratings and
actions, finalising one onto the family's story, and every kind of bad input the issue names
answered with a message naming the field and nothing typed lost."""

from __future__ import annotations

from datetime import timedelta

from onestory.families.models import AccessEvent
from onestory.stories.models import Entry, Kind, Status
from onestory.supervision.models import Action, CaseworkRecord, ChildRating, PersonalNotes, Session
from onestory.supervision.tests.helpers import booked, days_ago, discussed, held, supervise, today
from onestory.test import child_of, signed_in, url_maker, when

url = url_maker("supervision")


def test_the_supervisor_books_a_session(cast) -> None:
    arrangement = supervise(cast)
    response = signed_in(cast.priya).post(
        url("schedule", arrangement.pk), when("scheduled_for", today() + timedelta(days=3))
    )
    session = Session.objects.get(arrangement=arrangement)
    assert response.status_code == 302
    assert session.scheduled_for == today() + timedelta(days=3) and not session.is_held


def test_a_booking_in_the_past_is_refused_with_the_date_kept(cast) -> None:
    arrangement = supervise(cast)
    response = signed_in(cast.priya).post(
        url("schedule", arrangement.pk), when("scheduled_for", days_ago(2))
    )
    assert "The date of the session cannot be in the past" in response.text
    assert f'value="{days_ago(2).day}"' in response.text
    assert not Session.objects.exists()


def test_the_supervisee_cannot_book_and_others_get_404(cast) -> None:
    arrangement = supervise(cast)
    day = when("scheduled_for", today())
    assert signed_in(cast.sam).post(url("schedule", arrangement.pk), day).status_code == 404
    assert signed_in(cast.charlie).get(url("schedule", arrangement.pk)).status_code == 404
    assert not Session.objects.exists()


def _record_form(cast, **changes: object) -> dict[str, object]:
    family = cast.okafors
    child = child_of(family)
    p = f"f{family.pk}"
    data: dict[str, object] = {
        **when("held_on", today()),
        "minutes": "90",
        "present": [cast.sam.pk, cast.priya.pk],
        f"{p}_family": "on",
        f"{p}_reflection": "Mum is using the plan; Jayden is calmer at school.",
        f"{p}_decisions": "We will step down to child in need at the next review.",
        f"{p}_rating_{child.pk}": "3",
        f"{p}_action": "Book the review meeting",
        f"{p}_owner": str(cast.sam.pk),
        **when(f"{p}_due", today() + timedelta(days=10)),
        "wellbeing": "Tired after a long court week",
    }
    data.update(changes)
    return data


def _sams_family(cast) -> None:
    from onestory.families.models import Allocation

    Allocation.objects.create(
        child=child_of(cast.okafors),
        worker=cast.sam.staff,
        pod=cast.harbour,
        start=days_ago(200),
        change_reason="FCONTA",
    )


def test_recording_a_session_saves_casework_ratings_actions_and_private_notes(cast) -> None:
    _sams_family(cast)
    session = booked(supervise(cast), today())
    client = signed_in(cast.priya)
    form = client.get(url("record", session.pk))
    assert "We discussed The Okafor family" in form.text
    response = client.post(url("record", session.pk), _record_form(cast))
    assert response.status_code == 302, response.text
    session.refresh_from_db()
    assert (session.held_on, session.minutes, session.recorded_by) == (today(), 90, cast.priya)
    assert set(session.present.all()) == {cast.sam, cast.priya}
    record = CaseworkRecord.objects.get(session=session)
    assert record.family == cast.okafors and record.discussed_on == today()
    assert ChildRating.objects.get(record=record).rating == 3
    act = Action.objects.get(record=record)
    assert (act.owner, act.due, act.text) == (
        cast.sam,
        today() + timedelta(days=10),
        "Book the review meeting",
    )
    assert PersonalNotes.objects.get(session=session).wellbeing == "Tired after a long court week"


def test_bad_input_is_refused_field_by_field_with_everything_kept(cast) -> None:
    _sams_family(cast)
    session = booked(supervise(cast), today())
    p = f"f{cast.okafors.pk}"
    bad = _record_form(
        cast,
        minutes="600",
        **when("held_on", today() + timedelta(days=1)),
        **{f"{p}_owner": "", **when(f"{p}_due", days_ago(3))},
    )
    response = signed_in(cast.priya).post(url("record", session.pk), bad)
    assert response.status_code == 200
    text = response.text
    assert "There is a problem" in text
    assert "The date it was held cannot be in the future" in text
    assert "Minutes must be no more than 480" in text
    assert "Choose who owns the action for The Okafor family" in text
    assert "The due date of the action for The Okafor family cannot be in the past" in text
    # Nothing typed is lost.
    assert "Mum is using the plan; Jayden is calmer at school." in text
    assert "Tired after a long court week" in text
    assert 'value="600"' in text
    session.refresh_from_db()
    assert not session.is_held
    assert not CaseworkRecord.objects.exists() and not PersonalNotes.objects.exists()


def test_a_casework_record_for_a_family_the_supervisor_may_not_see_is_refused(cast) -> None:
    session = booked(supervise(cast), today())
    data = _record_form(
        cast,
        other_family=cast.nashes.reference,
        other_reflection="About the Nash family",
        other_decisions="Something",
    )
    response = signed_in(cast.priya).post(url("record", session.pk), data)
    assert "You can only write a casework record for a family you may see" in response.text
    assert cast.nashes.reference in response.text  # what was typed stays
    assert cast.nashes.name not in response.text
    assert not CaseworkRecord.objects.exists()


def test_finalising_writes_decisions_and_actions_on_the_familys_story(cast) -> None:
    session = held(supervise(cast), days_ago(1))
    record = discussed(session, cast.okafors, by=cast.priya, decisions="Step down to CIN.")
    Action.objects.create(
        record=record, owner=cast.sam, text="Book the review", set_on=days_ago(1), due=today()
    )
    client = signed_in(cast.priya)
    response = client.post(url("casework_finalise", record.pk))
    assert response.status_code == 302
    record.refresh_from_db()
    entry = Entry.objects.get(family=cast.okafors, kind=Kind.SUPERVISION)
    assert record.entry == entry and record.is_final
    assert entry.status == Status.FINAL and entry.finalised_at is not None
    assert "Step down to CIN." in entry.story
    assert "Book the review (Sam Okafor" in entry.next_steps
    # The reflection stays in supervision.
    assert "Things are steadier." not in entry.story + entry.next_steps
    # And it is searchable on the family's story, like any entry.
    assert Entry.objects.filter(pk=entry.pk, search_vector__isnull=False).exists()
    page = signed_in(cast.sam).get(f"/families/{cast.okafors.uuid}/")
    assert "Step down to CIN." in page.text
    # A second finalise is refused, and writes nothing more.
    client.post(url("casework_finalise", record.pk))
    assert Entry.objects.filter(family=cast.okafors, kind=Kind.SUPERVISION).count() == 1


def test_reading_a_casework_record_is_logged_as_a_look_at_the_family(cast) -> None:
    record = discussed(held(supervise(cast), days_ago(1)), cast.okafors, by=cast.priya)
    response = signed_in(cast.sam).get(url("casework", record.pk))
    assert "Things are steadier." in response.text
    assert AccessEvent.objects.filter(
        user=cast.sam, family=cast.okafors, outcome="allowed"
    ).exists()
    assert signed_in(cast.charlie).get(url("casework", record.pk)).status_code == 404


def test_two_people_saving_one_record_the_second_keeps_their_text(cast) -> None:
    record = discussed(held(supervise(cast), days_ago(1)), cast.okafors, by=cast.priya)
    first = {"reflection": "Priya's view", "decisions": "Priya's decision", "version": "1"}
    second = {"reflection": "Sam's view", "decisions": "Sam's decision", "version": "1"}
    assert signed_in(cast.priya).post(url("casework", record.pk), first).status_code == 302
    response = signed_in(cast.sam).post(url("casework", record.pk), second)
    assert response.status_code == 200
    assert "Someone else saved this casework record after you opened it" in response.text
    assert "Sam&#x27;s decision" in response.text  # the loser's text is kept
    assert "Priya&#x27;s decision" in response.text  # and the winner's is shown
    record.refresh_from_db()
    assert (record.decisions, record.version) == ("Priya's decision", 2)
    # Saving again, knowingly, goes through.
    again = {**second, "version": "2"}
    assert signed_in(cast.sam).post(url("casework", record.pk), again).status_code == 302
    record.refresh_from_db()
    assert record.decisions == "Sam's decision"


def test_the_owner_marks_an_action_done(cast) -> None:
    record = discussed(held(supervise(cast), days_ago(1)), cast.okafors, by=cast.priya)
    act = Action.objects.create(
        record=record, owner=cast.sam, text="Ring", set_on=days_ago(1), due=today()
    )
    assert signed_in(cast.priya).post(url("action_done", act.pk)).status_code == 404
    signed_in(cast.sam).post(url("action_done", act.pk))
    act.refresh_from_db()
    assert act.done_at is not None
