"""Single sign-on through the council's Microsoft Entra ID (allauth's "microsoft" provider).

docs/decisions/0002-sign-in-mfa-and-sessions.md, "Single sign-on": an Entra identity signs in
only as the staff account an administrator linked it to (a social account with the user's Entra
object id, added in the admin); nobody is created on first sign-in; the identity provider asks
for MFA, so a session signed in this way counts as MFA-verified (docs/security.md, promise 14).
"""

from __future__ import annotations

from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.mfa.stages import AuthenticateStage
from django.conf import settings
from django.http import HttpRequest

PROVIDER = "microsoft"

# Paths a stranger must reach to sign in through the council: starting the sign-in, Entra's
# redirect back, and allauth's pages for a cancelled or failed sign-in.
SSO_PUBLIC_PREFIXES = (
    f"/accounts/{PROVIDER}/login/",
    "/accounts/3rdparty/login/",
)


def sso_enabled() -> bool:
    return bool(settings.SOCIALACCOUNT_PROVIDERS.get(PROVIDER, {}).get("APPS"))


def signed_in_through_sso(request: HttpRequest, user: Any) -> bool:
    """True when this session signed `user` in through the council's identity provider, which
    asked for MFA itself: allauth records it as {"method": "socialaccount", "provider":
    "microsoft"} among the session's authentication records (allauth.account.authentication)."""
    return any(
        record.get("method") == "socialaccount" and record.get("provider") == PROVIDER
        for record in get_authentication_records(request, user)
    )


class SSOAwareAuthenticateStage(AuthenticateStage):
    """allauth's MFA challenge, skipped for a sign-in through the council's identity provider:
    it has already asked for MFA, and asking again adds friction and no safety."""

    def _should_handle(self, request: HttpRequest) -> bool:
        signal_kwargs: dict[str, Any] = self.login.signal_kwargs or {}
        sociallogin = signal_kwargs.get("sociallogin")
        if sociallogin is not None and sociallogin.account.provider == PROVIDER:
            return False
        return bool(super()._should_handle(request))
