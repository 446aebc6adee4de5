"""The dashboard, its CSV, the evaluation report and the figures page, from snapshots of the
hand-counted council (tests/helpers.py, `nine_children`)."""

from __future__ import annotations

import csv
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from onestory.outcomes.figures import set_population
from onestory.outcomes.models import ChildPopulation, ComparisonFigure, Snapshot
from onestory.outcomes.snapshots import rebuild
from onestory.outcomes.tests.helpers import DAY, nine_children
from onestory.test import Cast, signed_in


@pytest.fixture
def council(cast: Cast) -> Cast:
    nine_children(cast)
    ChildPopulation.objects.create(year=2020, children=40_000)
    rebuild(date(2024, 1, 1), DAY)
    return cast


def dashboard(user: Any, **params: Any) -> str:
    response = signed_in(user).get(reverse("outcomes:dashboard"), params)
    assert response.status_code == 200
    return response.text


def test_the_dashboard_shows_each_measure_now_its_trend_and_the_change(council: Cast) -> None:
    text = dashboard(council.hana, since="2024-10")
    assert "Figures on 1 January 2025" in text
    assert "Children on child protection plans" in text
    assert "Summary: 1 January 2025 compared with 1 October 2024" in text
    # A trend: an SVG image with a text alternative and the table it is drawn from.
    assert 'role="img"' in text and "<polyline" in text
    assert "Figures for children in care" in text
    # Small numbers of children are not shown: 2 children on plans is "fewer than 5".
    assert "fewer than 5" in text
    assert ">2</span>" not in text
    # The rate per 10,000 (2 children of 40,000) is shown: it does not identify a child.
    assert "0.5" in text


def test_the_dashboard_reads_snapshots_in_a_fixed_number_of_queries(
    council: Cast, django_assert_num_queries: Any
) -> None:
    client = signed_in(council.hana)
    client.get(reverse("outcomes:dashboard"))
    with django_assert_num_queries(7):
        assert client.get(reverse("outcomes:dashboard")).status_code == 200
    rebuild(date(2020, 1, 1), DAY)  # five years more history: the same queries
    with django_assert_num_queries(7):
        assert client.get(reverse("outcomes:dashboard")).status_code == 200


def test_a_pod_shows_only_the_measures_with_a_value_per_pod(council: Cast) -> None:
    text = dashboard(council.priya)
    assert "Pod Harbour" in text
    assert "Children on child protection plans" in text
    assert "Referrals in the last 12 months" not in text  # the service's only


def test_comparison_figures_are_shown_as_lait_shows_them(council: Cast) -> None:
    ComparisonFigure.objects.create(measure="cp_rate", group="england", year=2024, value=42.1)
    ComparisonFigure.objects.create(measure="cp_rate", group="neighbours", year=2024, value=47.3)
    text = dashboard(council.hana)
    assert "how we compare" in text
    assert "42.1" in text and "47.3" in text and "Statistical neighbours" in text


def test_the_csv_has_every_month_with_small_counts_suppressed(council: Cast) -> None:
    response = signed_in(council.alex).get(reverse("outcomes:csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(response.content.decode().splitlines()))
    months = {row["month"] for row in rows}
    assert len(months) == 13  # January 2024 to January 2025
    plans = [r for r in rows if r["measure"] == "cp_plans" and r["month"] == "2025-01-01"]
    assert plans == [
        {
            "measure": "cp_plans",
            "label": "Children on child protection plans",
            "unit": "children",
            "pod": "Service",
            "month": "2025-01-01",
            "value": "c",
        }
    ]
    referrals = [r for r in rows if r["measure"] == "referrals" and r["month"] == "2025-01-01"]
    assert referrals[0]["value"] == "3.0"  # not a count of children


def test_no_snapshots_yet_says_so(cast: Cast) -> None:
    assert Snapshot.objects.count() == 0
    assert "There are no figures yet" in dashboard(cast.hana)


def test_the_report_follows_the_source_and_writes_its_messages_from_the_figures(
    council: Cast,
) -> None:
    page = signed_in(council.hana).get(
        reverse("outcomes:report"), {"from": "2024-11", "to": "2025-01"}
    )
    text = page.text
    for heading in (
        "Key messages",
        "Why a model of practice",
        "The theory of change and its principles",
        "How the model was implemented",
        "Has the experience of families improved?",
        "Has the experience of staff improved?",
        "Are we supporting families to be safe and stable?",
    ):
        assert heading in text
    # 4 children on plans on 1 November 2024, 2 on 1 January 2025: both suppressed, so
    # neither the table nor a message gives them.
    assert "fewer than 5" in text
    assert "there were 4 children" not in text
    # Care applications by financial year, from the records.
    assert "2024 to 2025" in text
    # The rate fell from 1.0 to 0.5 per 10,000: a message written from the figures.
    assert "Children on child protection plans per 10,000 children: 1.0 on 1 November 2024" in text


def test_entering_the_population_keeps_what_was_typed_on_error(council: Cast) -> None:
    client = signed_in(council.alex)
    url = reverse("outcomes:figures")
    bad = client.post(
        url, {"form": "population", "population-year": "1999", "population-children": "abc"}
    )
    assert bad.status_code == 200
    assert "There is a problem" in bad.text
    assert "Enter a year from 2000 to 2100" in bad.text
    assert "Enter the number of children as a whole number" in bad.text
    assert 'value="1999"' in bad.text and 'value="abc"' in bad.text
    good = client.post(
        url, {"form": "population", "population-year": "2019", "population-children": "52000"}
    )
    assert good.status_code == 302
    assert ChildPopulation.objects.get(year=2019).children == 52000
    again = client.post(
        url, {"form": "population", "population-year": "2019", "population-children": "1"}
    )
    assert "There is already a population for 2019" in again.text


def test_two_people_changing_the_same_year_never_overwrite_each_other(council: Cast) -> None:
    shown = ChildPopulation.objects.get(year=2020)
    set_population(by=council.hana, year=2020, children=41_000, expected_version=shown.version)
    client = signed_in(council.alex)
    stale = client.post(
        reverse("outcomes:figures") + "?year=2020",
        {
            "form": "population",
            "population-year": "2020",
            "population-children": "39000",
            "population-expected_version": str(shown.version),
        },
    )
    assert "Someone else changed the population for 2020" in stale.text
    assert "it is now 41,000" in stale.text
    assert 'value="39000"' in stale.text  # the loser keeps what they typed
    assert ChildPopulation.objects.get(year=2020).children == 41_000


def test_entering_a_comparison_figure(council: Cast) -> None:
    response = signed_in(council.hana).post(
        reverse("outcomes:figures"),
        {
            "form": "comparison",
            "comparison-measure": "in_care_rate",
            "comparison-group": "england",
            "comparison-year": "2019",
            "comparison-value": "65",
        },
    )
    assert response.status_code == 302
    assert ComparisonFigure.objects.get(measure="in_care_rate", year=2019).value == 65.0


def test_the_home_page_headline_for_the_head_of_service(
    council: Cast, django_assert_num_queries: Any
) -> None:
    from django.template.loader import render_to_string

    from onestory.outcomes.home import headline_for

    assert headline_for(council.sam) is None
    with django_assert_num_queries(1):
        found = headline_for(council.hana)
    assert found is not None and found.pod is None
    assert [row.measure.key for row in found.rows][:2] == ["cp_plans", "in_care"]
    html = render_to_string("outcomes/_home.html", {"outcomes": found})
    assert "Children on child protection plans" in html and "<polyline" in html
    assert "Read the evaluation report" in html
    mine = headline_for(council.priya)
    assert mine is not None and mine.pod == council.harbour
