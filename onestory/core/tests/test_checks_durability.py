"""docs/security.md, promise 26: production refuses a database that would lose acknowledged
writes in a crash (fsync or synchronous_commit off), in `check --deploy` and as the web server
and the task worker start."""

from __future__ import annotations

import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import connection

from onestory.core.checks import commits_are_durable, durability_settings_off, refusal_to_start
from onestory.core.tests.unreachable import unreachable_database


def synchronous_commit_off() -> None:
    """For this session only, as a role's or a database's setting would be."""
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")


@pytest.mark.django_db
def test_the_test_server_runs_with_durable_commits() -> None:
    assert durability_settings_off() == []


@pytest.mark.django_db
def test_outside_production_the_check_asks_nothing(settings) -> None:
    settings.PRODUCTION = False
    synchronous_commit_off()
    assert commits_are_durable(None) == []
    assert refusal_to_start() is None


@pytest.mark.django_db
def test_production_check_refuses_synchronous_commit_off(settings) -> None:
    settings.PRODUCTION = True
    assert commits_are_durable(None) == []
    synchronous_commit_off()
    assert durability_settings_off() == ["synchronous_commit = off"]
    errors = commits_are_durable(None)
    assert [error.id for error in errors] == ["onestory.E004"]
    assert "synchronous_commit = off" in errors[0].msg
    assert "would lose writes" in errors[0].msg


@pytest.mark.django_db
def test_check_deploy_fails_on_it(settings) -> None:
    settings.PRODUCTION = True
    synchronous_commit_off()
    with pytest.raises(SystemCheckError, match=r"onestory\.E004"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


@pytest.mark.django_db(transaction=True)
def test_web_server_and_worker_refuse_to_start_with_it(settings) -> None:
    settings.PRODUCTION = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert refusal_to_start() is None
    synchronous_commit_off()
    reason = refusal_to_start()
    assert reason is not None and "synchronous_commit = off" in reason
    synchronous_commit_off()
    with pytest.raises(CommandError, match="The task worker cannot start: PostgreSQL runs with"):
        call_command("task_worker", "--batch")


@pytest.mark.django_db
def test_a_database_that_does_not_answer_does_not_stop_the_start(
    settings, caplog: pytest.LogCaptureFixture
) -> None:
    """The processes must come up during an outage and serve the "unavailable" page."""
    settings.PRODUCTION = True
    caplog.set_level(logging.INFO)
    with unreachable_database():
        assert refusal_to_start() is None
        errors = commits_are_durable(None)
    assert [error.id for error in errors] == ["onestory.E005"]
    warned = [r for r in caplog.records if r.name == "onestory.checks"]
    assert len(warned) == 1 and "did not answer" in warned[0].getMessage()
