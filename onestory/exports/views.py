"""Your documents, a document's progress, and its download.

The pages that offer a document (an audit cycle report, the evaluation report) check their own
access, then call `start`, which asks for it and sends the person to its progress page.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from onestory.accounts.http import AuthenticatedRequest
from onestory.exports import registry
from onestory.exports.access import Action, exports_for, get_export_for
from onestory.exports.making import NotAllowed, request_export
from onestory.families.access import log_access
from onestory.families.models import AccessAction, AccessOutcome


def start(
    request: AuthenticatedRequest, *, kind: str, parameters: dict[str, Any], title: str
) -> HttpResponse:
    """Asks for the document and goes to its progress page; 404 if the user may not have it
    (the offering page checks first, so this is the second line)."""
    try:
        export = request_export(by=request.user, kind=kind, parameters=parameters, title=title)
    except NotAllowed:
        raise Http404("No such document") from None
    return redirect("exports:status", export.uuid)


def documents(request: AuthenticatedRequest) -> HttpResponse:
    """The user's own documents that have not expired, newest first."""
    found = list(exports_for(request.user, Action.SEE).order_by("-created_at", "-id")[:100])
    context = {"exports": found, "polling": any(e.in_progress for e in found)}
    if request.htmx:
        return render(request, "exports/documents.html#list", context)
    return render(request, "exports/documents.html", context)


def status(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    """How far the worker has got; htmx asks again every 2 seconds until it is done."""
    context = {"export": get_export_for(request.user, uuid, Action.SEE)}
    if request.htmx:
        return render(request, "exports/status.html#progress", context)
    return render(request, "exports/status.html", context)


def download(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    """The file, for the person who asked, until it expires, if they may still have this kind
    of document; each download is in the access log as an export."""
    try:
        export = get_export_for(request.user, uuid, Action.DOWNLOAD, with_file=True)
    except Http404:
        # Someone else's document, or one that has gone: the attempt is logged.
        log_access(request, action=AccessAction.EXPORT, outcome=AccessOutcome.DENIED)
        raise
    if not export.downloadable:
        return redirect("exports:status", export.uuid)
    if not registry.may_ask(request.user, export.kind, export.parameters):
        log_access(
            request, action=AccessAction.EXPORT, outcome=AccessOutcome.DENIED, reason=export.title
        )
        raise Http404("No such document")
    log_access(
        request, action=AccessAction.EXPORT, outcome=AccessOutcome.ALLOWED, reason=export.title
    )
    response = HttpResponse(bytes(export.content), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
