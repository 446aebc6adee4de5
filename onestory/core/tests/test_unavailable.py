"""Issue 18: while the database is away, pages are a plain 503, the log has one line per request
(no traceback), and everything recovers by itself when it is back."""

from __future__ import annotations

import logging

import psycopg
import pytest
from django.db import OperationalError, connection, connections
from django.test import Client, RequestFactory

from onestory.core.tests.unreachable import unreachable_connection, unreachable_database
from onestory.core.unavailable import database_answers, is_database_unavailable
from onestory.core.views import server_error
from onestory.test import Cast, signed_in

pytestmark = pytest.mark.urls("onestory.core.tests.unreachable")

UNAVAILABLE = "One Story is unavailable, try again in a minute"


def assert_one_warning_and_no_traceback(caplog: pytest.LogCaptureFixture, path: str) -> None:
    ours = [r for r in caplog.records if r.name == "onestory.unavailable"]
    assert len(ours) == 1, [r.getMessage() for r in caplog.records]
    assert ours[0].levelno == logging.WARNING
    assert path in ours[0].getMessage()
    assert "database did not answer" in ours[0].getMessage()
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("path", ["/", "/families/", "/stories/search/?q=school", "/due/"])
def test_a_signed_in_page_is_a_plain_503_while_the_database_is_away(
    cast: Cast, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    client = signed_in(cast.sam)
    caplog.set_level(logging.INFO)
    with unreachable_database():
        response = client.get(path)
    assert response.status_code == 503
    assert UNAVAILABLE in response.text
    assert "Anything you had already saved has been kept" in response.text
    assert response["Retry-After"] == "60"
    # Still the service's page: its headers, and no navigation that would need the database.
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "Sign out" not in response.text
    assert_one_warning_and_no_traceback(caplog, path.split("?")[0])
    # Back: the same session works again, nothing to restart.
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_signing_in_is_a_503_too(caplog: pytest.LogCaptureFixture) -> None:
    """No session cookie yet: the sign-in form's rate limits and the account meet the outage."""
    caplog.set_level(logging.INFO)
    with unreachable_database():
        posted = Client().post(
            "/accounts/login/", {"login": "demo-social-worker", "password": "x" * 12}
        )
    assert posted.status_code == 503 and UNAVAILABLE in posted.text
    assert_one_warning_and_no_traceback(caplog, "/accounts/login/")


def test_the_database_going_away_before_the_session_is_read_is_a_503(
    cast: Cast, caplog: pytest.LogCaptureFixture, settings
) -> None:
    """Just after the check: the session and authentication middlewares meet the outage
    themselves, and Django hands the error to the 500 handler."""
    ours = "onestory.core.unavailable.DatabaseUnavailableMiddleware"
    position = settings.MIDDLEWARE.index(ours) + 1
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:position],
        "onestory.core.tests.unreachable.DatabaseGoesAwayHere",
        *settings.MIDDLEWARE[position:],
    ]
    client = signed_in(cast.sam)
    client.raise_request_exception = False  # the test client re-raises what Django handled
    caplog.set_level(logging.INFO)
    response = client.get("/families/")
    assert response.status_code == 503
    assert UNAVAILABLE in response.text
    assert_one_warning_and_no_traceback(caplog, "/families/")


def test_the_database_going_away_during_a_view_is_a_503(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    client = signed_in(cast.sam)
    caplog.set_level(logging.INFO)
    response = client.get("/test-only/database-goes-away/")
    assert response.status_code == 503
    assert UNAVAILABLE in response.text
    assert_one_warning_and_no_traceback(caplog, "/test-only/database-goes-away/")


@pytest.mark.django_db
def test_the_database_going_away_after_the_view_is_a_503_from_the_error_handler(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The session saved on the way out, say: Django hands the error to handler500."""
    caplog.set_level(logging.INFO)
    request = RequestFactory().get("/families/")
    try:
        unreachable_connection().ensure_connection()
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert UNAVAILABLE in response.content.decode()
    # Django's own request logger leaves it alone: no second line, no traceback.
    assert response._has_been_logged  # type: ignore[attr-defined]
    assert_one_warning_and_no_traceback(caplog, "/families/")


@pytest.mark.django_db
def test_any_other_error_is_still_a_500(caplog: pytest.LogCaptureFixture) -> None:
    request = RequestFactory().get("/families/")
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(request)
    assert response.status_code == 500


@pytest.mark.django_db
def test_health_check_says_the_database_is_unavailable_in_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    with unreachable_database():
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.text == "database unreachable\n"
    lines = [r for r in caplog.records if r.name == "onestory.core.views"]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING
    assert not [r for r in caplog.records if r.exc_info]
    assert Client().get("/healthz").text == "ok\n"


@pytest.mark.django_db
def test_static_files_need_no_database() -> None:
    with unreachable_database():
        response = Client().get("/static/onestory/favicon.svg")
    assert response.status_code in (200, 404)  # 404 when the assets are not built


@pytest.mark.django_db
def test_a_lost_connection_and_a_server_shutting_down_mean_unavailable() -> None:
    try:
        unreachable_connection().ensure_connection()
    except OperationalError as refused:
        assert is_database_unavailable(refused)
    else:
        pytest.fail("the closed port answered")
    # A server terminating the connection (as a fast shutdown does): SQLSTATE 57P01.
    real = connections["default"]
    other = real.__class__(real.settings_dict, alias="default")
    other.ensure_connection()
    pid = other.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    # Straight to psycopg, as a query already under way meets it (Django's own cursor would
    # health-check and reconnect first).
    with pytest.raises(OperationalError) as terminated, other.wrap_database_errors:
        other.connection.execute("SELECT 1")
    other.close()
    assert is_database_unavailable(terminated.value)


def test_psycopgs_own_error_unwrapped_by_django_means_unavailable_too() -> None:
    """A server-side cursor closed in a `finally` lets psycopg's error out as it is."""
    settings_dict = unreachable_connection().settings_dict
    with pytest.raises(psycopg.OperationalError) as refused:
        psycopg.connect(
            host=settings_dict["HOST"], port=settings_dict["PORT"], dbname="x", connect_timeout=2
        )
    assert is_database_unavailable(refused.value)
    assert not is_database_unavailable(psycopg.errors.QueryCanceled("cancelled"))


@pytest.mark.django_db
def test_an_error_a_query_caused_is_not_unavailable() -> None:
    """A cancelled statement is a bug to see (a 500), not an outage."""
    with pytest.raises(OperationalError) as cancelled, connection.cursor() as cursor:
        cursor.execute("SAVEPOINT before_timeout")
        cursor.execute("SET LOCAL statement_timeout = 1")
        try:
            cursor.execute("SELECT pg_sleep(1)")
        finally:
            cursor.execute("ROLLBACK TO SAVEPOINT before_timeout")
    assert isinstance(cancelled.value.__cause__, psycopg.errors.QueryCanceled)
    assert not is_database_unavailable(cancelled.value)


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_dropped_is_replaced_before_the_request_uses_it() -> None:
    """What happens after a restart: the persistent connection is dead, the next request's
    health check (reset by Django at each request's start) finds it and opens a new one."""
    connection.ensure_connection()
    before = connection.connection.info.backend_pid
    with psycopg.connect(**connection.get_connection_params()) as killer:
        killer.execute("SELECT pg_terminate_backend(%s)", [before])
    connection.health_check_done = False  # type: ignore[attr-defined]  # as request_started does
    assert database_answers()
    assert connection.connection.info.backend_pid != before
    assert Client().get("/healthz").text == "ok\n"
