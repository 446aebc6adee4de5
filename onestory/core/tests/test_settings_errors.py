"""A missing or malformed setting stops One Story with a plain message, never a stack trace."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = "k" * 30 + "abcdefghijklmnopqrstuvwxyz0123"
MFA_KEY = "bWZhLWtleS1mb3ItdGhlLWRlcGxveS1jaGVjay10ZXM="


def run_check(**env: str) -> subprocess.CompletedProcess[str]:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; production never has it.
    dropped = {"SECRET_KEY", "ONESTORY_DEMO", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**base, "ALLOWED_HOSTS": "onestory.example.org", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ONESTORY_ENV": "production"}, "SECRET_KEY is not set"),
        ({"ONESTORY_ENV": "production", "SECRET_KEY": "short"}, "SECRET_KEY is too short"),
        ({"ONESTORY_ENV": "staging"}, "ONESTORY_ENV is 'staging'"),
        ({"ONESTORY_ENV": "test", "DATABASE_URL": ""}, "DATABASE_URL is not set"),
        (
            {"ONESTORY_ENV": "test", "DATABASE_URL": "mysql://u:p@h/db"},
            "must start with postgres://",
        ),
        ({"ONESTORY_ENV": "test", "DATABASE_URL": "postgres://u:p@h"}, "names no database"),
        ({"ONESTORY_ENV": "test", "ONESTORY_DEMO": "perhaps"}, "ONESTORY_DEMO is 'perhaps'"),
        # Demo mode never starts beside real records (docs/security.md, promise 17).
        (
            {"ONESTORY_ENV": "production", "SECRET_KEY": GOOD_KEY, "ONESTORY_DEMO": "1"},
            "ONESTORY_DEMO is on while ONESTORY_ENV is production",
        ),
    ],
)
def test_bad_setting_gives_a_plain_message(env: dict[str, str], message: str) -> None:
    result = run_check(**env)
    assert result.returncode != 0
    assert message in result.stderr
    assert result.stderr.startswith("One Story cannot start:")
    assert "Traceback" not in result.stderr


def test_secret_key_is_never_echoed() -> None:
    result = run_check(ONESTORY_ENV="production", SECRET_KEY="hunter2-short")
    assert "SECRET_KEY is too short" in result.stderr
    assert "hunter2" not in result.stderr


def test_deploy_check_refuses_demo_mode() -> None:
    # Production settings refuse demo mode before the check runs (above); the check still
    # refuses it wherever else `check --deploy` is run.
    result = run_check(ONESTORY_ENV="development", ONESTORY_DEMO="1")
    assert result.returncode != 0
    assert "onestory.E001" in result.stderr


def test_deploy_check_passes_with_production_settings() -> None:
    result = run_check(ONESTORY_ENV="production", SECRET_KEY=GOOD_KEY, ONESTORY_MFA_KEY=MFA_KEY)
    assert result.returncode == 0, result.stderr
