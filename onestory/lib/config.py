"""Reading settings from the environment, with plain errors when something is wrong.

A council's operator sees these messages when One Story will not start, so each one says which
setting is wrong and what a right one looks like; none of them echoes a secret.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_KEY_LENGTH = 50
# Used only outside production, so a developer's checkout runs with nothing set.
_DEVELOPMENT_SECRET_KEY = "development-only-not-secret-" + "x" * 40


class SettingsError(ImproperlyConfigured):
    """A setting is missing or malformed; the message is meant for the operator."""


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} is {raw!r}; use 1 or 0 (or true or false).")


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def require_secret_key(raw: str | None, *, required: bool) -> str:
    if raw is None or raw.strip() == "":
        if required:
            raise SettingsError(
                "SECRET_KEY is not set. Set it to a random string of at least "
                f"{MIN_SECRET_KEY_LENGTH} characters, for example the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
            )
        return _DEVELOPMENT_SECRET_KEY
    if len(raw) < MIN_SECRET_KEY_LENGTH or len(set(raw)) < 5:
        raise SettingsError(
            f"SECRET_KEY is too short or too simple: it needs at least {MIN_SECRET_KEY_LENGTH} "
            "characters with at least 5 different characters."
        )
    return raw


def parse_database_url(raw: str | None) -> dict[str, Any]:
    if raw is None or raw.strip() == "":
        raise SettingsError(
            "DATABASE_URL is not set. Give the council's PostgreSQL as "
            "postgres://USER:PASSWORD@HOST:5432/NAME, or run through `make demo` or "
            "`make test`, which start the embedded PostgreSQL and set it for you."
        )
    parts = urlsplit(raw)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        shown = parts.scheme or "(none)"
        raise SettingsError(
            f"DATABASE_URL must start with postgres:// or postgresql:// (found scheme {shown}). "
            "One Story runs on PostgreSQL only."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise SettingsError(f"DATABASE_URL could not be read: {error}.") from None
    if not config.get("NAME"):
        raise SettingsError(
            "DATABASE_URL names no database: add it after the last slash, "
            "as in postgres://USER:PASSWORD@HOST:5432/NAME."
        )
    config["ENGINE"] = "django.db.backends.postgresql"
    return dict(config)


# Used only outside production. A fixed key, so a developer's enrolled authenticator survives a
# restart; it protects nothing and is never accepted in production.
_DEVELOPMENT_MFA_KEY = "ZGV2ZWxvcG1lbnQtb25seS1ub3Qtc2VjcmV0LW1mYSE="


def require_mfa_keys(raw: str | None, *, required: bool) -> list[str]:
    """ONESTORY_MFA_KEY: the key that encrypts TOTP secrets and recovery-code seeds in the
    database (docs/security.md, promise 14). Several keys, comma-separated, rotate it: the
    first encrypts, any of them decrypts."""
    keys = [key.strip() for key in (raw or "").split(",") if key.strip()]
    if not keys:
        if required:
            raise SettingsError(
                "ONESTORY_MFA_KEY is not set. It encrypts the MFA secrets in the database and "
                "must be kept outside it (and outside its backups). Make one with "
                "`python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`."
            )
        return [_DEVELOPMENT_MFA_KEY]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise SettingsError(
                f"ONESTORY_MFA_KEY is not a valid key (key {position} of {len(keys)}): each key "
                "must be 32 bytes in URL-safe base64, as Fernet.generate_key() makes."
            ) from None
    return keys
