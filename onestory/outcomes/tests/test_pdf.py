"""The evaluation report as a PDF for any period, made by the task worker (onestory/exports),
with counts of children from 1 to 4 suppressed in print as on the page."""

from __future__ import annotations

import re
from datetime import date

from django.urls import reverse
from django.utils import timezone

from onestory.exports.models import Export, Status
from onestory.lib.pdf import pdf_text
from onestory.outcomes import pdf
from onestory.outcomes.models import Snapshot
from onestory.outcomes.registry import MEASURES
from onestory.test import Cast, signed_in

START, END = date(2024, 11, 1), date(2025, 1, 1)
# A count of 3 standing alone: not part of a longer number, a decimal, a date or a list's "3."
THREE = re.compile(r"(?<![\d.,:/-])3(?![\d.,%:/-])")


def snapshots(values: dict[date, float]) -> list[str]:
    """Every count of children at these values, on these months; the keys written."""
    now = timezone.now()
    keys = [m.key for m in MEASURES if m.suppressible]
    Snapshot.objects.bulk_create(
        Snapshot(measure=key, month=month, value=value, code_version="test", computed_at=now)
        for key in keys
        for month, value in values.items()
    )
    return keys


def test_the_report_page_offers_the_pdf_of_its_period(cast: Cast) -> None:
    snapshots({START: 250, END: 240})
    client = signed_in(cast.hana)
    page = client.get(reverse("outcomes:report"), {"from": "2024-11", "to": "2025-01"}).text
    assert f'action="{reverse("outcomes:report_pdf")}"' in page and "Download as PDF" in page
    assert 'name="from" value="2024-11"' in page and 'name="to" value="2025-01"' in page

    # The months the wrong way round are put right, as on the page.
    response = client.post(reverse("outcomes:report_pdf"), {"from": "2025-01", "to": "2024-11"})
    export = Export.objects.get()
    assert response["Location"] == reverse("exports:status", args=[export.uuid])
    assert export.kind == "outcomes.evaluation_report"
    assert export.parameters == {"from": "2024-11", "to": "2025-01"}
    assert export.title == "Evaluation report, November 2024 to January 2025 (PDF)"
    assert export.status == Status.READY
    download = client.get(reverse("exports:download", args=[export.uuid]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        'attachment; filename="evaluation-report-2024-11-to-2025-01.pdf"'
    )
    text = pdf_text(download.content)
    for heading in (
        "Key messages",
        "Why a model of practice",
        "Are we supporting families to be safe and stable?",
    ):
        assert heading in text
    assert "250" in text and "240" in text
    assert "Children in care" in text


def test_a_count_of_three_children_never_appears_in_the_pdf(cast: Cast) -> None:
    keys = snapshots({START: 3, END: 3})
    assert "cp_plans" in keys and "in_care" in keys
    html = pdf.report_html(START, END)
    # The HTML handed to WeasyPrint: each count in the tables is "fewer than 5".
    assert html.count("fewer than 5") >= 2 * len(keys)
    assert not re.search(r">\s*3\s*<", html)
    signed_in(cast.alex).post(reverse("outcomes:report_pdf"), {"from": "2024-11", "to": "2025-01"})
    made = Export.objects.get()
    assert made.status == Status.READY
    text = pdf_text(bytes(made.content))
    assert "fewer than 5" in text
    # Only the list of the six principles is numbered ("3." in the text); no count of 3.
    assert THREE.findall(text) == [], [
        text[max(0, m.start() - 40) : m.end() + 40] for m in THREE.finditer(text)
    ]
    assert "there were 3 children" not in text and "3 children" not in text


def test_only_those_who_may_see_the_report_may_ask_for_it(cast: Cast) -> None:
    for user in (cast.sam, cast.priya, cast.ben):
        response = signed_in(user).post(reverse("outcomes:report_pdf"), {"from": "2024-11"})
        assert response.status_code == 404
    assert Export.objects.count() == 0
    assert signed_in(cast.hana).get(reverse("outcomes:report_pdf")).status_code == 405


def test_the_period_is_read_as_the_page_reads_it() -> None:
    assert pdf.period({"from": "2015-10", "to": "2019-01"}) == (date(2015, 10, 1), date(2019, 1, 1))
    assert pdf.period({"from": "2019-01", "to": "2015-10"}) == (date(2015, 10, 1), date(2019, 1, 1))
    start, end = pdf.period({"from": "nonsense"})
    assert end == timezone.localdate().replace(day=1) and start < end
    assert pdf.parameters_for(date(2015, 10, 1), date(2019, 1, 1)) == {
        "from": "2015-10",
        "to": "2019-01",
    }
