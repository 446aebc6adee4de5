"""Answering a wave through the pages: saved without the person, once per person, only while
open, and time use adding up to 100; each refusal keeps what was typed."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from onestory.accounts.models import Role
from onestory.surveys.models import AgreementAnswer, Kind, Participation, Response, TimeUse
from onestory.surveys.responding import token
from onestory.surveys.tests.helpers import a_wave, answer_form, closed, questions
from onestory.test import make_user, signed_in, url_maker

url = url_maker("surveys")


@pytest.fixture
def lead(cast):
    return make_user("quinn", Role.QUALITY_LEAD, "Quinn", "Adebayo", password=None)


@pytest.fixture
def wave(lead):
    return a_wave(lead)


def test_an_answer_is_saved_without_the_person(cast, wave) -> None:
    client = signed_in(cast.sam)
    page = client.get(url("answer", wave.pk))
    assert "In an average month, what percentage of your time" in page.text
    assert "I feel safe and supported" in page.text
    response = client.post(
        url("answer", wave.pk), answer_form(wave, free_text="More time with families please")
    )
    assert response.status_code == 302
    saved = Response.objects.get(wave=wave)
    assert saved.role_group == "social_worker"
    assert saved.free_text == "More time with families please"
    percents = dict(TimeUse.objects.filter(response=saved).values_list("question__key", "percent"))
    assert percents["children"] == 40 and sum(percents.values()) == 100
    assert set(AgreementAnswer.objects.filter(response=saved).values_list("answer", flat=True)) == {
        "agree"
    }
    # Who answered is a keyed hash, not the person's id, and points to no response.
    assert list(Participation.objects.values_list("wave", "token")) == [
        (wave.pk, token(wave.pk, cast.sam.pk))
    ]
    assert str(cast.sam.pk) != token(wave.pk, cast.sam.pk)
    home = client.get(url("index"))
    assert "Thank you: your answers to Your Voice 2026 are saved." in home.text
    assert "You have answered Your Voice 2026" in home.text


def test_time_use_must_add_up_to_100_and_the_answers_are_kept(cast, wave) -> None:
    client = signed_in(cast.sam)
    data = answer_form(wave, time_use=(40, 20, 20, 10, 5, 3, 0), free_text="Kept text")
    response = client.post(url("answer", wave.pk), data)
    assert response.status_code == 200
    assert "Your percentages add up to 98%. Change them so that they add up to 100%." in (
        response.text
    )
    assert 'href="#time-use"' in response.text  # the summary leads to the questions
    first = questions(wave, Kind.TIME_USE)[0]
    assert f'name="time_{first.pk}" value="40"' in response.text
    assert "Kept text" in response.text
    assert 'value="agree" checked' in response.text
    assert not Response.objects.exists()
    assert not Participation.objects.exists()


def test_a_second_answer_is_refused_and_the_answers_are_kept(cast, wave) -> None:
    client = signed_in(cast.sam)
    client.post(url("answer", wave.pk), answer_form(wave))
    again = client.post(url("answer", wave.pk), answer_form(wave, free_text="Second go"))
    assert again.status_code == 200
    assert "You have already answered Your Voice 2026." in again.text
    assert "Second go" in again.text
    assert Response.objects.count() == 1
    assert "You have already answered" in client.get(url("answer", wave.pk)).text
    # Someone else may still answer.
    signed_in(cast.charlie).post(url("answer", wave.pk), answer_form(wave))
    assert Response.objects.count() == 2
    assert Participation.objects.count() == 2


def test_an_answer_after_the_wave_closed_is_refused_and_kept(cast, wave, lead) -> None:
    client = signed_in(cast.sam)
    client.get(url("answer", wave.pk))
    closed(wave, lead)
    response = client.post(url("answer", wave.pk), answer_form(wave, free_text="Too late"))
    assert response.status_code == 200
    assert "Your Voice 2026 closed on 28 October 2026, so it no longer takes answers." in (
        response.text
    )
    assert "Too late" in response.text
    assert not Response.objects.exists()
    assert "no longer takes answers" in client.get(url("answer", wave.pk)).text


def test_the_database_refuses_time_use_that_does_not_add_up(wave) -> None:
    first, second = questions(wave, Kind.TIME_USE)[:2]
    refused = pytest.raises(IntegrityError, match="Time use must add up to 100, not 90")
    with refused, transaction.atomic():
        response = Response.objects.create(wave=wave, role_group="other")
        TimeUse.objects.create(response=response, question=first, percent=60)
        TimeUse.objects.create(response=response, question=second, percent=30)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_response_adding_up_to_100_passes_the_database(wave) -> None:
    first, second = questions(wave, Kind.TIME_USE)[:2]
    with transaction.atomic():
        response = Response.objects.create(wave=wave, role_group="other")
        TimeUse.objects.create(response=response, question=first, percent=70)
        TimeUse.objects.create(response=response, question=second, percent=30)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert Response.objects.count() == 1


def test_the_answer_page_costs_a_fixed_number_of_queries(
    cast, wave, django_assert_num_queries
) -> None:
    client = signed_in(cast.sam)
    client.get(url("answer", wave.pk))
    with django_assert_num_queries(6):
        client.get(url("answer", wave.pk))
