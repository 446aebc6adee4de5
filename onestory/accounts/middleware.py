"""Who may reach what, before any view runs.

Login is required everywhere except an allow-list (docs/security.md, promise 1); an account
without MFA is sent to set it up before anything else, and a session that has not passed MFA
reaches nothing (promise 14); sessions end after 30 minutes idle or 12 hours in all (promise 16).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from onestory.accounts import sso

# Paths anyone may open. Everything else needs a signed-in, MFA-verified user.
PUBLIC_PATHS = frozenset(
    {
        "/accounts/login/",
        "/accounts/logout/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/2fa/authenticate/",
        # Only sends people to the sign-in above; it signs no one in (accounts/views.py).
        "/admin/login/",
        "/healthz",
        "/accessibility/",
    }
)
# The council sign-in's start and its return from Entra ID come before anyone is signed in.
PUBLIC_PREFIXES = (
    "/static/",
    "/accounts/password/reset/key/",
    *sso.SSO_PUBLIC_PREFIXES,
    # The public page where families send compliments and complaints without signing in; it
    # looks nothing up and shows no record (onestory/feedback/public_views.py).
    "/feedback/",
)
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


def passed_mfa(request: HttpRequest, user: Any) -> bool:
    """Whether this session passed MFA for this user: allauth records each method used to sign
    in within the session (allauth.account.authentication), cleared when the session ends."""
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def sign_in_again(request: HttpRequest) -> HttpResponse:
    logout(request)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=401)
        response["HX-Redirect"] = reverse("account_login")
        return response
    messages.info(request, "Please sign in with your password and your security code.")
    return redirect(f"{reverse('account_login')}?next={request.path}")


class MFARequiredMiddleware:
    """MFA is checked per session (docs/security.md, promise 14;
    docs/decisions/0011-admin-and-mfa-per-session.md).

    An account with MFA must have passed it in this session, whatever signed the session in (a
    password-only view, the admin, `force_login`): otherwise the session is ended and the user
    sent to sign in, except on the sign-in pages themselves. An account without MFA reaches only
    the set-up; setting it up with a code from the new device counts as passing MFA. A sign-in
    through the council's identity provider had its MFA there.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or mfa_exempt(user):
            return self.get_response(request)
        if sso.signed_in_through_sso(request, user):
            # The council's identity provider asked for MFA (onestory/accounts/sso.py).
            return self.get_response(request)
        if is_mfa_enabled(user):
            if not passed_mfa(request, user) and not is_public(request.path):
                return sign_in_again(request)
            return self.get_response(request)
        if not request.path.startswith(MFA_SETUP_PREFIXES):
            return redirect("mfa_activate_totp")
        response = self.get_response(request)
        if request.method == "POST" and request.user.is_authenticated:
            enrolled = (
                Authenticator.objects.filter(user_id=user.pk)
                .exclude(type=Authenticator.Type.RECOVERY_CODES)
                .first()
            )
            if enrolled is not None:
                record_authentication(
                    request, user, "mfa", id=enrolled.pk, type=enrolled.type, enrolled=True
                )
        return response


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
