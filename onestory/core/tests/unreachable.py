"""Test helpers: a database that does not answer, made of a real connection to a closed port.

`unreachable_database()` puts, for the length of a `with`, a connection to 127.0.0.1 on a port
nobody listens on in place of the default one: every query of the request fails as it would
while the server is down (psycopg's own "connection refused"), with no mock of our tables. The
test's own connection, and its transaction, are put back untouched afterwards."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.urls import path

from onestory.core.unavailable import unavailable_response
from onestory.urls import handler403, handler404, handler500
from onestory.urls import urlpatterns as real_urlpatterns


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the `with` ends


def unreachable_connection() -> BaseDatabaseWrapper:
    real = connections["default"]
    settings_dict: dict[str, Any] = {
        **real.settings_dict,
        "HOST": "127.0.0.1",
        "PORT": closed_port(),
        "OPTIONS": {**real.settings_dict.get("OPTIONS", {}), "connect_timeout": 2},
    }
    return real.__class__(settings_dict, alias="default")


@contextmanager
def unreachable_database() -> Iterator[BaseDatabaseWrapper]:
    real = connections["default"]
    away = unreachable_connection()
    connections["default"] = away
    try:
        yield away
    finally:
        connections["default"] = real


class DatabaseGoesAwayHere:
    """Middleware for tests: the database goes away at this point of every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with unreachable_database():
            return self.get_response(request)


def database_goes_away_in_the_view(request: HttpRequest) -> HttpResponse:
    """A view whose query meets a server that has just gone."""
    with unreachable_connection().cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("not reached")


def the_unavailable_page(request: HttpRequest) -> HttpResponse:
    """The 503 page as the middleware answers it, for the browser's accessibility check (the
    live server's middleware is loaded once, so it cannot be made to lose its database)."""
    return unavailable_response(request)


urlpatterns = [
    *real_urlpatterns,
    path("test-only/database-goes-away/", database_goes_away_in_the_view),
    path("test-only/unavailable/", the_unavailable_page),
]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
