from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from onestory.accounts.http import AuthenticatedRequest
from onestory.core.homes import build_home
from onestory.core.unavailable import unavailable_response_for_current_error
from onestory.pods.access import can_see_overview

logger = logging.getLogger(__name__)


def home(request: AuthenticatedRequest) -> HttpResponse:
    """What needs this person today, by role (onestory/core/homes.py)."""
    user = request.user
    return render(
        request,
        "onestory/home.html",
        {
            "home": build_home(user, timezone.localdate()),
            "pods_overview": can_see_overview(user),
        },
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "onestory/accessibility.html")


def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: is the database reachable? Says nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        # One line, not a traceback: a load balancer asks every few seconds while it is away.
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
        logger.warning("Health check: the database is not reachable: %s", reason)
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered with the request so the page keeps the header, the nonce and the demo banner;
    # if that fails too, fall back to a plain page rather than a stack trace. The database
    # going away after the view (the session being saved) is the 503 page, not a 500.
    unavailable = unavailable_response_for_current_error(request)
    if unavailable is not None:
        return unavailable
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("The error page could not be rendered")
        return HttpResponse(
            "Sorry, there is a problem with the service. Try again later.",
            status=500,
            content_type="text/plain",
        )
