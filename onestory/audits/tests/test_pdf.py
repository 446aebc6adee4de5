"""The cycle report as a PDF for the practice learning forum: asked for from the report page,
made by the task worker (onestory/exports), with the charts and their tables; only for those
who may see the report."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from onestory.audits import pdf
from onestory.audits.models import SampledChild
from onestory.audits.tests.helpers import World, a_cycle
from onestory.audits.tests.test_pages import complete
from onestory.exports.models import Export, Status
from onestory.families.models import AccessAction, AccessEvent, AccessOutcome
from onestory.lib.pdf import pdf_text
from onestory.test import signed_in


def finished_cycle(world: World) -> Any:
    cycle = a_cycle(world)
    for sample in SampledChild.objects.filter(cycle=cycle).select_related("audit", "cycle"):
        signed_in(sample.assignment.auditor).post(
            reverse("audits:audit", args=[sample.pk]), {**complete(sample), "finish": ""}
        )
    return cycle


def test_the_report_page_offers_the_pdf_and_the_worker_makes_it(world: World) -> None:
    cycle = finished_cycle(world)
    quinn = signed_in(world.quinn)
    page = quinn.get(reverse("audits:report", args=[cycle.pk])).text
    action = reverse("audits:report_pdf", args=[cycle.pk])
    assert f'action="{action}"' in page and "Download as PDF" in page

    response = quinn.post(action)
    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:status", args=[export.uuid])
    assert export.kind == "audits.cycle_report" and export.parameters == {"cycle": cycle.pk}
    assert export.created_by == world.quinn and export.status == Status.READY
    assert export.title == f"Audit cycle report, {cycle.label} (PDF)"
    assert "Your document is ready" in quinn.get(response["Location"]).text

    download = quinn.get(reverse("exports:download", args=[export.uuid]))
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    text = pdf_text(download.content)
    assert cycle.label in text
    assert "Cycle report for the practice learning forum" in text
    # Each chart is followed by its table: the captions and the numbers are in the text.
    for caption in ("Grades by domain (audits finished)", "Overall grades by pod"):
        assert caption in text
    assert "Pod Harbour" in text and "Pod Downs" in text
    assert "4 of 4 audits finished" in text
    logged = AccessEvent.objects.get(action=AccessAction.EXPORT)
    assert (logged.user, logged.outcome) == (world.quinn, AccessOutcome.ALLOWED)


def test_the_html_handed_to_weasyprint_has_each_chart_with_its_table(world: World) -> None:
    cycle = finished_cycle(world)
    html = pdf.report_html(cycle)
    assert html.count("<svg") >= 3 and html.count('<table class="govuk-table">') == 3
    assert "<script" not in html and "http" not in html.replace('"http://www.w3.org/2000/svg"', "")


def test_only_those_who_may_see_the_report_may_ask_for_it(world: World) -> None:
    cycle = finished_cycle(world)
    action = reverse("audits:report_pdf", args=[cycle.pk])
    # Sam audits, but reads no cycle report; Ben takes no part in audit.
    for user in (world.cast.sam, world.cast.ben):
        assert signed_in(user).post(action).status_code == 404
    assert Export.objects.count() == 0
    # The head of service learns from the reports.
    assert signed_in(world.cast.hana).post(action).status_code == 302
    assert signed_in(world.quinn).get(action).status_code == 405  # asked for by a button only
    missing = reverse("audits:report_pdf", args=[cycle.pk + 1000])
    assert signed_in(world.quinn).post(missing).status_code == 404


def test_a_removed_cycle_gives_a_plain_message(world: World, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cycle = finished_cycle(world)
    signed_in(world.quinn).post(reverse("audits:report_pdf", args=[cycle.pk]))
    export = Export.objects.get()
    Export.objects.filter(pk=export.pk).update(parameters={"cycle": cycle.pk + 1000})
    from onestory.exports.tests.helpers import run_the_worker

    run_the_worker()
    export.refresh_from_db()
    assert export.status == Status.FAILED
    assert export.error == "The audit cycle this report was for no longer exists."
