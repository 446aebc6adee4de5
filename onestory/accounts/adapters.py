from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.utils import is_mfa_enabled
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import render

from onestory.accounts import sso

logger = logging.getLogger(__name__)

# docs/security.md, promise 15: failures are locked out per account *and* address (the
# "login_failed" rate in settings.py). An address with many failures across accounts (a password
# spray from an office's shared address) is slowed instead: every password attempt from it waits
# a little longer, up to a cap, so the spray crawls and its colleagues still get in.
FREE_FAILURES_PER_ADDRESS = 20
PAUSE_STEP_SECONDS = 0.1
MAX_PAUSE_SECONDS = 5.0
ADDRESS_WINDOW_SECONDS = 5 * 60

# Injectable, so tests record the delay instead of sleeping.
pause: Callable[[float], None] = time.sleep


def client_address(request: HttpRequest) -> str:
    """The client's address as allauth's rate limits see it: X-Forwarded-For is believed only
    as far as ALLAUTH_TRUSTED_PROXY_COUNT says (ONESTORY_TRUSTED_PROXIES), else the connection."""
    return str(get_account_adapter(request).get_client_ip(request))


def _failures_key(request: HttpRequest) -> str:
    return f"onestory:sign-in-failures:{client_address(request)}"


def pause_for(failures: int) -> float:
    """Seconds to hold a password attempt from an address with this many recent failures."""
    if failures <= FREE_FAILURES_PER_ADDRESS:
        return 0.0
    return min(MAX_PAUSE_SECONDS, PAUSE_STEP_SECONDS * (failures - FREE_FAILURES_PER_ADDRESS))


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts are created by the council's administrators, never by sign-up.
        return False

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # Count failures per account *and* address (docs/security.md, promise 15), so an
        # attacker elsewhere cannot lock a worker out, and one office's shared address cannot
        # lock out everyone.
        login = str(credentials.get("username", "")).lower()
        return f"{client_address(request)}:{login}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        delay = pause_for(int(cache.get(_failures_key(request), 0)))
        if delay:
            pause(delay)
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        # Counted in the shared cache, like allauth's own limits. The window starts at the
        # first failure; a race between two processes may lose a count, which only delays less.
        key = _failures_key(request)
        if not cache.add(key, 1, timeout=ADDRESS_WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=ADDRESS_WINDOW_SECONDS)
        super().authentication_failed(request, **credentials)

    def get_login_stages(self) -> list[str]:
        # A sign-in through the council's identity provider has had its MFA there (sso.py).
        return [
            "onestory.accounts.sso.SSOAwareAuthenticateStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # A first MFA enrolment comes straight after the password sign-in that we force it
        # into, so asking for the password again adds friction and no safety. Once MFA is on,
        # changing it (recovery codes, a new device) asks again as usual.
        user = getattr(self.request, "user", None)
        if app == "allauth.mfa" and user is not None and not is_mfa_enabled(user):
            return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Council sign-in (onestory/accounts/sso.py): only into an account an administrator linked."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        # allauth has looked the identity up by its Entra object id among the links that
        # administrators made (never by email). No link, a link to a deactivated account, or a
        # user linking an identity to themselves: refused, and nothing is created.
        linked = sociallogin.is_existing and sociallogin.account.provider == sso.PROVIDER
        why = (
            "no account is linked to this identity"
            if not linked
            else "the linked account is deactivated"
            if not sociallogin.user.is_active
            else "linking an identity is for administrators"
            if sociallogin.state.get("process") == "connect"
            else ""
        )
        if why:
            # For the security log, like a failed password: why, and from where; no names.
            logger.warning("Council sign-in refused from %s: %s", client_address(request), why)
            response = render(request, "socialaccount/refused.html", status=403)
            raise ImmediateHttpResponse(response)

    def get_app(self, request: HttpRequest, provider: str, client_id: str | None = None) -> Any:
        # Without ONESTORY_ENTRA_* there is no council sign-in: its pages are not found.
        from allauth.socialaccount.models import SocialApp

        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404("Council sign-in is not set up.") from None

    def validate_disconnect(self, account: Any, accounts: Any) -> None:
        raise ValidationError("Only an administrator can unlink your council account.")


class MFAAdapter(DefaultMFAAdapter):
    # TOTP secrets and recovery-code seeds are encrypted with ONESTORY_MFA_KEY, which lives
    # outside the database, so a copy of the database or a backup cannot mint codes
    # (docs/security.md, promise 14). MultiFernet: the first key encrypts, any decrypts.
    def _fernet(self) -> MultiFernet:
        return MultiFernet([Fernet(key) for key in settings.ONESTORY_MFA_KEYS])

    def encrypt(self, text: str) -> str:
        return self._fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return self._fernet().decrypt(encrypted_text.encode()).decode()
        except InvalidToken:
            # Never echo the stored value: it may be a secret stored before encryption.
            raise ValueError(
                "An MFA secret could not be decrypted with ONESTORY_MFA_KEY: the key is wrong, "
                "or the key that encrypted it was removed from the list."
            ) from None

    def get_totp_label(self, user: Any) -> str:
        return str(user.username)

    def get_totp_issuer(self) -> str:
        return str(settings.MFA_TOTP_ISSUER)

    def can_delete_authenticator(self, authenticator: Any) -> bool:
        # MFA is required for every account: removing it would only send the user straight
        # back to set it up again. A lost phone is reset by an administrator.
        return False
