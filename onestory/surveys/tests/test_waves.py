"""Running the survey: opening a wave freezes a copy of the questions, the question set is
edited only between waves, and closing forgets who took part."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from onestory.accounts.models import Role
from onestory.surveys.models import Kind, Question, Wave, WaveQuestion
from onestory.surveys.tests.helpers import a_wave, closed, questions
from onestory.surveys.waves import fingerprint, open_wave, question_set
from onestory.test import make_user, signed_in, url_maker, when

url = url_maker("surveys")


@pytest.fixture
def lead(db):
    return make_user("quinn", Role.QUALITY_LEAD, "Quinn", "Adebayo", password=None)


def edit(client, changes: dict[str, str]):
    """Posts the question form as shown, with `changes`."""
    page = client.get(url("questions"))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(changes)
    return client.post(url("questions"), data)


def test_opening_a_wave_through_the_page_copies_the_default_questions(lead) -> None:
    client = signed_in(lead)
    response = client.post(
        url("open_wave"),
        {
            "title": "Your Voice 2026",
            **when("opened", date(2026, 10, 1)),
            **when("closes_on", date(2026, 10, 31)),
        },
    )
    assert response.status_code == 302
    wave = Wave.objects.get()
    assert wave.opened_by == lead and wave.closed is None
    texts = [q.text for q in questions(wave, Kind.TIME_USE)]
    assert texts[0] == "With children and young people" and len(texts) == 7
    statements = questions(wave, Kind.AGREEMENT)
    assert statements[0].text == "I feel safe and supported"
    assert statements[0].key == "safe_and_supported" and len(statements) == 8
    assert Question.objects.count() == 15  # the default set, saved when first used


def test_questions_cannot_be_edited_while_a_wave_is_open_and_the_edit_is_kept(lead) -> None:
    wave = a_wave(lead)
    client = signed_in(lead)
    response = edit(client, {"statements_1": "I feel safe, supported and listened to"})
    assert response.status_code == 200
    assert "You cannot change the questions while Your Voice 2026 is open" in response.text
    assert 'value="I feel safe, supported and listened to"' in response.text
    assert Question.objects.get(key="safe_and_supported").text == "I feel safe and supported"
    assert questions(wave, Kind.AGREEMENT)[0].text == "I feel safe and supported"


def test_editing_between_waves_never_changes_a_past_wave(lead) -> None:
    past = closed(a_wave(lead, "Your Voice 2025", opened=date(2025, 10, 1)), lead)
    client = signed_in(lead)
    response = edit(
        client,
        {"statements_1": "I feel safe and supported in my work", "time_use_8": "Court"},
    )
    assert response.status_code == 302
    reworded = Question.objects.get(key="safe_and_supported")
    assert reworded.text == "I feel safe and supported in my work"
    assert Question.objects.filter(kind=Kind.TIME_USE).count() == 8
    assert questions(past, Kind.AGREEMENT)[0].text == "I feel safe and supported"
    assert len(questions(past, Kind.TIME_USE)) == 7
    new = a_wave(lead, "Your Voice 2026")
    assert questions(new, Kind.AGREEMENT)[0].text == "I feel safe and supported in my work"
    assert questions(new, Kind.AGREEMENT)[0].key == "safe_and_supported"
    assert questions(new, Kind.TIME_USE)[-1].text == "Court"


def test_a_stale_edit_is_refused_not_saved_over_another(lead) -> None:
    client = signed_in(lead)
    page = client.get(url("questions"))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    edit(signed_in(lead), {"time_use_5": "Travel between visits"})
    data["time_use_5"] = "Driving"
    response = client.post(url("questions"), data)
    assert "Someone else changed the questions while you were editing them" in response.text
    assert 'value="Driving"' in response.text
    assert Question.objects.get(key="travel").text == "Travel between visits"


def test_one_wave_open_at_a_time_and_closing_dates(lead) -> None:
    a_wave(lead)
    with pytest.raises(ValidationError) as refused:
        open_wave(by=lead, title="Another", opened=date(2026, 10, 2), closes_on=date(2026, 11, 1))
    assert refused.value.message_dict["title"] == ["Your Voice 2026 is still open: close it first"]
    wave = Wave.objects.get()
    client = signed_in(lead)
    early = client.post(url("close_wave", wave.pk), when("closed", date(2026, 9, 1)))
    assert "The closing date must be on or after 1 October 2026" in early.text
    done = client.post(url("close_wave", wave.pk), when("closed", date(2026, 10, 20)))
    assert done.status_code == 302
    wave.refresh_from_db()
    assert wave.closed == date(2026, 10, 20) and wave.closed_by == lead


def test_the_default_set_is_the_issues_until_edited(db) -> None:
    current = question_set()
    assert [q.key for q in current if q.kind == Kind.AGREEMENT][:2] == [
        "safe_and_supported",
        "caseload",
    ]
    assert fingerprint(current) == fingerprint(question_set())
    assert not WaveQuestion.objects.exists()


def test_the_database_refuses_to_change_a_waves_questions(lead) -> None:
    wave = a_wave(lead)
    first = questions(wave, Kind.AGREEMENT)[0]
    first.text = "I feel fine"
    refused = pytest.raises(IntegrityError, match="cannot be changed once it has opened")
    with refused, transaction.atomic():
        first.save()
    assert questions(wave, Kind.AGREEMENT)[0].text == "I feel safe and supported"
