"""docs/security.md, promise 12: logs carry no secrets or search terms, and input cannot forge a log
line."""

from __future__ import annotations

import io
import logging
import sys

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


CHILD = "Jayden Smith"
SEARCH = "/search/?q=Jayden+Smith"
FORGED = "\n2026-01-01 INFO fake entry"


def _raise_with_a_name(name: str, path: str) -> None:
    # The data arrives in variables, as it would from a request: only the messages carry it.
    try:
        raise KeyError(path)
    except KeyError as error:
        raise ValueError(f"could not save {name}{FORGED}") from error


def test_exception_text_is_scrubbed_too() -> None:
    try:
        _raise_with_a_name(CHILD, SEARCH)
    except ValueError:
        record = logging.LogRecord(
            "t", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/x",), sys.exc_info()
        )
    SafeLogFilter().filter(record)
    line = logging.Formatter("%(levelname)s %(message)s").format(record)
    # The type and the frames are kept for debugging; the messages, which can carry names, are not.
    assert "ValueError: [message removed]" in line
    assert "KeyError: [message removed]" in line
    assert "_raise_with_a_name" in line
    assert "Jayden" not in line
    assert "fake entry" not in line


def test_exception_text_is_scrubbed_by_the_configured_handler() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(SafeLogFilter())
    logger = logging.getLogger("onestory.tests.logsafe")
    logger.addHandler(handler)
    try:
        _raise_with_a_name(CHILD, SEARCH)
    except ValueError:
        logger.exception("Failed")
    finally:
        logger.removeHandler(handler)
    assert "ValueError: [message removed]" in stream.getvalue()
    assert "Jayden" not in stream.getvalue()
