"""Who may reach what, before any view runs.

Login is required everywhere except an allow-list (docs/security.md, promise 1); an account
without MFA is sent to set it up before anything else (promise 14); sessions end after 30
minutes idle or 12 hours in all (promise 16).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# Paths anyone may open. Everything else needs a signed-in, MFA-verified user.
PUBLIC_PATHS = frozenset(
    {
        "/accounts/login/",
        "/accounts/logout/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/2fa/authenticate/",
        "/healthz",
        "/accessibility/",
    }
)
PUBLIC_PREFIXES = ("/static/", "/accounts/password/reset/key/")
# Pages an account without MFA may still open: the set-up itself and signing out.
MFA_SETUP_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/login/",
    "/healthz",
    "/accessibility/",
    "/static/",
)

Handler = Callable[[HttpRequest], HttpResponse]


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


class LoginRequiredMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not is_public(request.path):
            if request.headers.get("HX-Request"):
                # htmx would swap the sign-in page into a fragment; ask it to reload instead.
                response = HttpResponse(status=401)
                response["HX-Redirect"] = reverse("account_login")
                return response
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return self.get_response(request)


def mfa_exempt(user: object) -> bool:
    return bool(settings.DEMO_MODE and getattr(user, "is_demo", False))


class MFARequiredMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(MFA_SETUP_PREFIXES)
            and not mfa_exempt(user)
            and not is_mfa_enabled(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Ends a session 30 minutes after its last request or 12 hours after sign-in."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault("onestory_started", now)
            last_seen = request.session.get("onestory_last_seen", now)
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if now - last_seen > idle or now - started > absolute:
                reason = (
                    "you had not used One Story for 30 minutes"
                    if now - last_seen > idle
                    else "you had been signed in for 12 hours"
                )
                logout(request)
                messages.info(
                    request, f"You have been signed out because {reason}. Please sign in again."
                )
                return redirect(f"{reverse('account_login')}?next={request.path}")
            # Saving the session costs a write: a minute's precision is enough for 30 minutes.
            if now - last_seen >= 60 or "onestory_last_seen" not in request.session:
                request.session["onestory_last_seen"] = now
        return self.get_response(request)
