"""While the database is away, every page says so plainly, with status 503 (issue 18).

A database server that is restarting, or has crashed, must not turn into a 500 with a traceback
in the log for every request: people see "One Story is unavailable, try again in a minute", the
load balancer sees 503, and the log gets one warning line per request. Nothing is half-saved:
each write is one transaction (docs/security.md, promise 23), so a write cut off by the outage
is rolled back by the server and the person simply tries again.

Three places catch it, because the database can go away at any moment of a request:
- before the session and authentication middlewares read the session table, for a request that
  has a session cookie (`DatabaseUnavailableMiddleware.__call__`, placed before them);
- in the view or its template (`process_exception`);
- anywhere else, such as the session being saved after the view: Django hands the error to its
  500 handler, `server_error` in onestory/core/views.py, which asks
  `unavailable_response_for_current_error` first.

The page needs no database: it is rendered with a context built here, not the context
processors (navigation asks about the user, messages may read the session). Recovery needs
nothing either: persistent connections are health-checked at the start of each request
(CONN_HEALTH_CHECKS, onestory/lib/config.py), so the first request after the server is back
opens a fresh connection.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

import psycopg
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("onestory.unavailable")

# Answered by their own views, which report on the database in their own words.
EXEMPT_PATHS = frozenset({"/healthz"})


# Django wraps the driver's errors in its own, but not everywhere: a server-side cursor (a
# queryset's `.iterator()`, as a form's choices use) is closed in a `finally` that lets
# psycopg's own error out. Both kinds mean the same.
DATABASE_ERRORS = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)


def is_database_unavailable(error: BaseException) -> bool:
    """True for an error that means the server cannot be reached or is going away, as opposed to
    one that a query caused: a deadlock, a cancelled statement or a refused value are still
    500s, as they are bugs to see.

    psycopg gives a lost or refused connection no SQLSTATE; a server shutting down, crashing or
    still starting up answers with class 57P (operator intervention); class 08 is a connection
    exception. Django wraps psycopg's error and keeps it as `__cause__`."""
    if isinstance(error, (InterfaceError, psycopg.InterfaceError)):
        return True
    if isinstance(error, OperationalError):
        sqlstate = getattr(error.__cause__, "sqlstate", None)
    elif isinstance(error, psycopg.OperationalError):
        sqlstate = error.sqlstate
    else:
        return False
    return sqlstate is None or sqlstate.startswith(("08", "57P"))


def database_answers(alias: str = "default") -> bool:
    """Opens (or health-checks) the connection this request will use. A broken persistent
    connection is closed and replaced here, so it never reaches a view."""
    connection = connections[alias]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except DATABASE_ERRORS as error:
        if not is_database_unavailable(error):
            raise
        _close_quietly(alias)
        return False
    return True


def _close_quietly(alias: str) -> None:
    connection = connections[alias]
    if connection.in_atomic_block:
        # A view's transaction is unwinding: Atomic.__exit__ closes the broken connection.
        return
    try:
        connection.close()
    except DatabaseError:
        connection.connection = None


def unavailable_response(request: HttpRequest, error: BaseException | None = None) -> HttpResponse:
    """The 503 page, with one warning line in the log (no traceback), and the request made safe
    for the middlewares it passes back through."""
    first_line = str(error).strip().splitlines()[0] if error and str(error).strip() else ""
    logger.warning(
        "One Story is unavailable: the database did not answer (%s %s)%s",
        request.method,
        request.path,
        f": {first_line}" if first_line else "",
    )
    # SecurityHeadersMiddleware asks whether the user is signed in, and SessionMiddleware saves
    # a changed session: neither must reach for the database on the way out.
    request.user = AnonymousUser()
    session = getattr(request, "session", None)
    if session is not None:
        session.modified = False
    context = {
        "request": request,
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "demo_mode": settings.DEMO_MODE,
    }
    response = HttpResponse(render_to_string("unavailable.html", context), status=503)
    # A minute, as the page says: browsers and load balancers may try again after it.
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    # Answered before XFrameOptionsMiddleware, which would otherwise add it.
    response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    # Django's request logger would otherwise log the error again, with its traceback.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def unavailable_response_for_current_error(request: HttpRequest) -> HttpResponse | None:
    """For the 500 handler: the 503 page when the error being handled is the database away."""
    error = sys.exc_info()[1]
    if error is None or not is_database_unavailable(error):
        return None
    _close_quietly("default")
    return unavailable_response(request, error)


class DatabaseUnavailableMiddleware:
    """Answers 503 while the database is away. It sits before the session middleware (which
    reads the session table) and after WhiteNoise (static files need no database)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A request with a session cookie is about to read the session table: find out first,
        # so the common case never reaches the error handler. One without (a stranger, a
        # static file, the health check) may need no database at all: it is not made to.
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.path not in EXEMPT_PATHS
            and not database_answers()
        ):
            return unavailable_response(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        _close_quietly("default")
        return unavailable_response(request, exception)
