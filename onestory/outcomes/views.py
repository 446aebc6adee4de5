"""The outcomes pages: the dashboard (and its CSV), the evaluation report, and the figures the
council enters. Every page asks `outcomes.access` first (404 for anyone it does not serve) and
reads snapshots, never the records, except the report's care applications by year."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from onestory.accounts.http import AuthenticatedRequest, posted
from onestory.exports import views as exports
from onestory.lib.spreadsheets import safe_cell
from onestory.outcomes import dashboard, pdf, report
from onestory.outcomes.access import Action, can, get_scope, pods_for, require, sees_service
from onestory.outcomes.figures import set_comparison, set_population
from onestory.outcomes.forms import ComparisonForm, PopulationForm
from onestory.outcomes.models import ChildPopulation, ComparisonFigure
from onestory.outcomes.registry import BY_KEY


def _pod_id(request: AuthenticatedRequest) -> int | None:
    value = request.GET.get("pod", "")
    return int(value) if value.isdigit() else None


def dashboard_page(request: AuthenticatedRequest) -> HttpResponse:
    pod = get_scope(request.user, _pod_id(request))
    page = dashboard.build(pod, pdf.month(request.GET.get("since")))
    context = {
        "page": page,
        "pods": list(pods_for(request.user).order_by("name")),
        "service": sees_service(request.user),
        "may_report": can(request.user, Action.REPORT),
        "may_enter": can(request.user, Action.ENTER_FIGURES),
    }
    return render(request, "outcomes/dashboard.html", context)


def dashboard_csv(request: AuthenticatedRequest) -> HttpResponse:
    pod = get_scope(request.user, _pod_id(request))
    rows = dashboard.series(pod)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"outcomes-{pod.pk if pod else 'service'}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(["measure", "label", "unit", "pod", "month", "value"])
    for row in rows.values():
        for month, value in zip(row.months, row.values, strict=True):
            shown = "" if value is None else value
            if dashboard.suppressed(row.measure, value):
                shown = "c"  # the DfE's mark for a suppressed small number
            cells = (
                row.measure.key,
                row.measure.label,
                row.measure.unit.value,
                pod.name if pod else "Service",
                f"{month:%Y-%m-%d}",
                shown,
            )
            # A pod's name is typed by people: never let a spreadsheet run it (promise 20).
            writer.writerow([safe_cell(cell) for cell in cells])
    return response


def report_page(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.REPORT)
    page = report.build(*pdf.period(request.GET))
    return render(request, "outcomes/report.html", {"report": page})


@require_POST
def report_pdf(request: AuthenticatedRequest) -> HttpResponse:
    """Asks the task worker for the report of the period as a PDF and follows its progress."""
    require(request.user, Action.REPORT)
    start, end = pdf.period(request.POST)
    return exports.start(
        request,
        kind=pdf.KIND,
        parameters=pdf.parameters_for(start, end),
        title=pdf.title_for(start, end),
    )


def figures_page(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.ENTER_FIGURES)
    which = request.POST.get("form") if request.method == "POST" else None
    changing = ChildPopulation.objects.filter(year=request.GET.get("year") or 0).first()
    initial = (
        {"year": changing.year, "children": changing.children, "expected_version": changing.version}
        if changing
        else None
    )
    population = PopulationForm(
        posted(request) if which == "population" else None, prefix="population", initial=initial
    )
    comparison = ComparisonForm(
        posted(request) if which == "comparison" else None, prefix="comparison"
    )
    if population.is_bound and population.is_valid():
        saved = population.run(set_population, by=request.user)
        if saved is not None:
            messages.success(request, f"The population for {saved.year} is saved.")
            return redirect("outcomes:figures")
    if comparison.is_bound and comparison.is_valid():
        entered = comparison.run(set_comparison, by=request.user)
        if entered is not None:
            messages.success(request, "The comparison figure is saved.")
            return redirect("outcomes:figures")
    context = {
        "population": population,
        "comparison": comparison,
        "changing": changing,
        "populations": ChildPopulation.objects.order_by("-year"),
        "comparisons": [
            (BY_KEY.get(c.measure), c) for c in ComparisonFigure.objects.order_by("measure", "year")
        ],
    }
    return render(request, "outcomes/figures.html", context)
