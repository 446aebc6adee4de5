from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


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

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # A first MFA enrolment comes straight after the password sign-in that we force it
        # into, so asking for the password again adds friction and no safety. Once MFA is on,
        # changing it (recovery codes, a new device) asks again as usual.
        user = getattr(self.request, "user", None)
        if app == "allauth.mfa" and user is not None and not is_mfa_enabled(user):
            return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_label(self, user: Any) -> str:
        return str(user.username)

    def get_totp_issuer(self) -> str:
        return str(settings.MFA_TOTP_ISSUER)

    def can_delete_authenticator(self, authenticator: Any) -> bool:
        # MFA is required for every account: removing it would only send the user straight
        # back to set it up again. A lost phone is reset by an administrator.
        return False
