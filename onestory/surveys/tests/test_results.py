"""Results and suppression: 4 respondents hide a figure, 5 show it; a hidden group cannot be
worked out from the overall figure; the CSV holds exactly what the page shows."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from onestory.accounts.models import Role
from onestory.surveys.models import Kind
from onestory.surveys.results import ALL, suppressed_groups, wave_results
from onestory.surveys.tests.helpers import a_wave, add_responses, closed, questions
from onestory.test import make_user, signed_in, url_maker

url = url_maker("surveys")
EMPTY = {"social_worker": 0, "pod_manager": 0, "business_support": 0, "other": 0}


@pytest.fixture
def lead(db):
    return make_user("quinn", Role.QUALITY_LEAD, "Quinn", "Adebayo", password=None)


def test_primary_suppression_4_against_5() -> None:
    assert suppressed_groups({**EMPTY, "social_worker": 4}) == {*EMPTY, ALL}
    # 5 in one group, nobody in the others: the hidden groups hold nobody, nothing to protect.
    assert suppressed_groups({**EMPTY, "social_worker": 5}) == {
        "pod_manager",
        "business_support",
        "other",
    }


def test_secondary_suppression_hides_the_next_smallest_group() -> None:
    counts = {**EMPTY, "social_worker": 20, "pod_manager": 6, "business_support": 2}
    # Business support (2) is hidden; with the overall figure and the social workers' and pod
    # managers' shown it could be worked out, so the pod managers (next smallest) go too.
    assert suppressed_groups(counts) == {"business_support", "pod_manager", "other"}
    # Two small groups that together reach 5 protect each other.
    counts = {**EMPTY, "social_worker": 20, "pod_manager": 3, "business_support": 2}
    assert suppressed_groups(counts) == {"business_support", "pod_manager", "other"}
    # Only one group besides the small one: both hidden, the overall figure stays.
    counts = {**EMPTY, "social_worker": 9, "other": 1}
    assert suppressed_groups(counts) == {
        "social_worker",
        "pod_manager",
        "business_support",
        "other",
    }


def test_a_wave_of_4_shows_nothing_and_of_5_shows_its_figures(lead) -> None:
    wave = a_wave(lead)
    add_responses(wave, 4)
    client = signed_in(lead)
    [four] = wave_results()
    assert four.respondents.suppressed and four.response_rate.suppressed
    assert all(row[ALL].suppressed for row in four.time_use.values())
    assert all(figure.suppressed for figure in four.agreement.values())
    # (The page shows nothing of an open wave in any case; the CSV and page of a closed wave
    # of 4 are checked in test_a_closed_wave_of_4_exports_nothing.)
    add_responses(wave, 1, time_use=(60, 10, 10, 10, 5, 3, 2), agreement="disagree")
    [five] = wave_results()
    children = questions(wave, Kind.TIME_USE)[0]
    safe = questions(wave, Kind.AGREEMENT)[0]
    # Hand-counted: (4 x 40 + 60) / 5 = 44; 4 of 5 agree = 80%.
    assert five.time_use[children.pk][ALL].value == 44.0
    assert five.time_use[children.pk]["social_worker"].value == 44.0
    assert five.agreement[safe.pk].value == 80.0
    assert five.respondents.value == 5
    closed(wave, lead)
    page = client.get(url("wave_results", wave.pk)).text
    assert "44.0%" in page and "80.0%" in page


def test_dont_know_is_left_out_of_agreement(lead) -> None:
    wave = a_wave(lead)
    add_responses(wave, 5, agreement="agree")
    add_responses(wave, 3, agreement="dont_know")
    add_responses(wave, 1, agreement="strongly_disagree")
    [result] = wave_results()
    safe = questions(wave, Kind.AGREEMENT)[0]
    assert result.agreement[safe.pk].value == round(100 * 5 / 6, 1)
    assert result.agreement[safe.pk].respondents == 6


def test_a_hidden_group_cannot_be_worked_out_on_the_page_or_in_the_csv(lead) -> None:
    wave = a_wave(lead)
    add_responses(wave, 10, role_group="social_worker", time_use=(40, 20, 20, 10, 5, 3, 2))
    add_responses(wave, 6, role_group="pod_manager", time_use=(10, 10, 40, 30, 5, 3, 2))
    add_responses(wave, 2, role_group="business_support", time_use=(0, 0, 90, 5, 5, 0, 0))
    closed(wave, lead)
    [result] = wave_results()
    children = questions(wave, Kind.TIME_USE)[0]
    row = result.time_use[children.pk]
    assert row["social_worker"].value == 40.0
    assert row["business_support"].suppressed and row["pod_manager"].suppressed
    # Hand-counted overall: (10 x 40 + 6 x 10 + 2 x 0) / 18 = 25.6.
    assert row[ALL].value == 25.6
    assert result.group_respondents["pod_manager"].suppressed
    exported = signed_in(lead).get(url("wave_csv", wave.pk))
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    mine = [r for r in rows if r[2] == children.text]
    assert [r[3:] for r in mine] == [
        ["Social worker (including senior and in training)", "10", "40.0"],
        ["Pod manager", "c", "c"],
        ["Business support", "c", "c"],
        ["Another role (for example a practice or quality lead)", "c", "c"],
        ["All respondents", "18", "25.6"],
    ]


def test_response_rate_against_staff_in_post_when_the_wave_closed(cast, lead) -> None:
    # The cast: six staff in post since 2020 (the quality lead here has no staff record).
    wave = a_wave(lead, opened=date(2026, 10, 1))
    add_responses(wave, 5)
    closed(wave, lead)
    [result] = wave_results()
    assert result.staff_in_post == 6
    assert result.response_rate.value == round(100 * 5 / 6, 1)


def test_the_results_pages_cost_a_fixed_number_of_queries(
    cast, lead, django_assert_num_queries
) -> None:
    client = signed_in(cast.hana)
    for year in (2024, 2025):
        wave = a_wave(lead, f"Your Voice {year}", opened=date(year, 10, 1))
        add_responses(wave, 6)
        closed(wave, lead)
    client.get(url("results"))  # the session's first request refreshes it
    with django_assert_num_queries(8):
        client.get(url("results"))
    with django_assert_num_queries(8):
        client.get(url("wave_results", wave.pk))
    wave = a_wave(lead, "Your Voice 2026", opened=date(2026, 10, 1))
    add_responses(wave, 12, role_group="other")
    closed(wave, lead)
    with django_assert_num_queries(8):
        page = client.get(url("results"))
    assert "Your Voice 2026" in page.text and "Percentage of time, by wave" in page.text
    assert '<svg class="onestory-chart"' in page.text


def test_an_open_waves_figures_are_not_shown_until_it_closes(cast, lead) -> None:
    # Figures that moved with each answer would give each answer away.
    wave = a_wave(lead)
    add_responses(wave, 12)
    client = signed_in(cast.hana)
    page = client.get(url("wave_results", wave.pk))
    assert "Its results are shown once it closes" in page.text
    assert "40.0" not in page.text and "Responses" not in page.text
    assert client.get(url("wave_csv", wave.pk)).status_code == 404
    everything = client.get(url("results_csv")).content.decode()
    assert "Your Voice 2026" not in everything
    assert "Your Voice 2026" not in client.get(url("results")).text
    closed(wave, lead)
    assert "40.0%" in client.get(url("wave_results", wave.pk)).text


def test_a_closed_wave_of_4_exports_nothing(lead) -> None:
    wave = a_wave(lead)
    add_responses(wave, 4)
    closed(wave, lead)
    client = signed_in(lead)
    page = client.get(url("wave_results", wave.pk)).text
    assert "40.0%" not in page and "100.0%" not in page
    rows = list(csv.reader(io.StringIO(client.get(url("wave_csv", wave.pk)).content.decode())))
    assert {tuple(r[4:]) for r in rows[1:]} == {("c", "c")}
    assert "What people wrote" not in page


def test_the_csv_neutralises_formulas(lead) -> None:
    # docs/security.md, promise 20: question texts are typed by people.
    from onestory.surveys.models import WaveQuestion

    wave = a_wave(lead)
    WaveQuestion.objects.filter(pk=questions(wave, Kind.AGREEMENT)[0].pk).delete()
    WaveQuestion.objects.create(
        wave=wave, kind=Kind.AGREEMENT, position=1, text='=HYPERLINK("http://x")'
    )
    add_responses(wave, 5)
    closed(wave, lead)
    exported = signed_in(lead).get(url("wave_csv", wave.pk)).content.decode()
    assert "'=HYPERLINK" in exported
    assert ",=HYPERLINK" not in exported


def test_time_across_waves_for_one_role_group(cast, lead) -> None:
    for year, children in ((2024, 20), (2025, 30)):
        wave = a_wave(lead, f"Your Voice {year}", opened=date(year, 10, 1))
        add_responses(wave, 5, time_use=(children, 20, 50 - children, 10, 10, 5, 5))
        add_responses(wave, 5, role_group="pod_manager", time_use=(0, 10, 50, 20, 10, 5, 5))
        closed(wave, lead)
    client = signed_in(cast.hana)
    everyone = client.get(url("results")).context["time_rows"][0]
    assert [f.value for f in everyone.figures] == [10.0, 15.0]
    social = client.get(url("results"), {"role": "social_worker"})
    assert [f.value for f in social.context["time_rows"][0].figures] == [20.0, 30.0]
    assert "Mean percentage of time: Social worker" in social.text
    odd = client.get(url("results"), {"role": "<script>"})
    assert odd.context["group"] == "all"
