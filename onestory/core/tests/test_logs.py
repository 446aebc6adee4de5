"""docs/security.md, promise 12: logs carry no secrets or search terms, and input cannot forge a log
line."""

from __future__ import annotations

import logging

import pytest

from onestory.lib.logsafe import SafeLogFilter


def formatted(msg: str, *args: object) -> str:
    record = logging.LogRecord("t", logging.INFO, __file__, 1, msg, args, None)
    SafeLogFilter().filter(record)
    return record.getMessage()


def test_line_breaks_cannot_forge_a_line() -> None:
    line = formatted("Not Found: %s", "/x\n2026-01-01 INFO fake entry")
    assert "\n" not in line
    assert "fake entry" in line  # kept, but on the same line


def test_query_strings_are_removed() -> None:
    line = formatted("Not Found: %s", "/search/?q=Jayden+Smith")
    assert "Not Found: /search/?[query removed]" in line
    assert "Jayden" not in line


def test_secret_named_arguments_are_removed() -> None:
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "%(password)s", (), None)
    record.args = {"password": "hunter2"}
    SafeLogFilter().filter(record)
    assert "[removed]" in record.getMessage()
    assert "hunter2" not in record.getMessage()


@pytest.mark.django_db
def test_a_failed_sign_in_logs_no_password(client, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    response = client.post(
        "/accounts/login/", {"login": "someone", "password": "hunter2-secret-pass"}
    )
    assert "There is a problem" in response.text  # the sign-in was tried, and failed
    assert "hunter2-secret-pass" not in caplog.text
