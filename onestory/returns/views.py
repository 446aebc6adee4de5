"""The returns page (each return and year: make its files, check it by the DfE's rules) and a
check's findings, by rule and by child, each linking to the record to fix.

Who may do what comes from access.py; the files are made by onestory/exports and the checks by
the same task worker (making.py); children's names come through the families' chokepoint
(findings.py).
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from onestory.accounts.http import AuthenticatedRequest
from onestory.exports import views as exports
from onestory.returns import making
from onestory.returns.access import Action, require
from onestory.returns.findings import findings_page, returns_page
from onestory.returns.models import Check, Return


def _offered(return_name: str, year: int) -> None:
    if not making.year_is_offered(return_name, year):
        raise Http404("No such return")


def index(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.SEE_FINDINGS)
    context = {"page": returns_page(request.user)}
    if request.htmx:
        return render(request, "returns/index.html#returns", context)
    return render(request, "returns/index.html", context)


@require_POST
def make(request: AuthenticatedRequest, return_name: str, year: int) -> HttpResponse:
    """Asks the task worker for the return's files; the exports' progress page follows."""
    require(request.user, Action.MAKE)
    _offered(return_name, year)
    kind = making.KINDS[Return(return_name)]
    title = making.title_for(return_name, year)
    return exports.start(request, kind=kind, parameters={"year": year}, title=title)


@require_POST
def check(request: AuthenticatedRequest, return_name: str, year: int) -> HttpResponse:
    """Asks the task worker to check the return by the DfE's rules."""
    require(request.user, Action.CHECK)
    _offered(return_name, year)
    found = making.request_check(by=request.user, return_name=return_name, year=year)
    return redirect("returns:check_detail", found.uuid)


def check_detail(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    """The check's progress while it runs (polled by htmx), then its findings."""
    require(request.user, Action.SEE_FINDINGS)
    found = get_object_or_404(Check.objects.select_related("asked_by"), uuid=uuid)
    if request.htmx and not found.in_progress:
        # Finished while the page waited: the whole page changes, so load it again.
        return HttpResponse(headers={"HX-Refresh": "true"})
    by = "child" if request.GET.get("by") == "child" else "rule"
    rule = request.GET.get("rule", "")[:20]
    page = findings_page(request, found, by=by, rule=rule, page_number=request.GET.get("page"))
    if request.htmx:
        return render(request, "returns/check.html#progress", {"page": page})
    return render(request, "returns/check.html", {"page": page})
