from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from onestory.accounts.models import Alert
from onestory.families.access import reviews_emergency_access
from onestory.pods.access import can_see_overview

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "onestory/home.html",
        {
            "pods_overview": can_see_overview(user),
            "alerts": Alert.objects.filter(user=user.pk, dismissed_at__isnull=True)[:20],
            "reviews_emergency_access": reviews_emergency_access(user),
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
    except Exception:
        logger.exception("Health check: the database is not reachable")
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered with the request so the page keeps the header, the nonce and the demo banner;
    # if that fails too, fall back to a plain page rather than a stack trace.
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("The error page could not be rendered")
        return HttpResponse(
            "Sorry, there is a problem with the service. Try again later.",
            status=500,
            content_type="text/plain",
        )
