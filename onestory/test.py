"""The shared cast for One Story's tests (STYLE.md), and helpers for signing them in.

Sam is a social worker in Pod Harbour, Priya its pod manager and Ben its business support
officer; Charlie is a social worker in Pod Downs and must never see Harbour's families; Hana is
head of service; Alex is a performance analyst who sees aggregates only. Pods arrive with the
records; until then the cast differ by role.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt
from django.test import Client

from onestory.accounts.models import Role, User

PASSWORD = "correct horse battery staple"


def make_user(username: str, role: Role, first: str, last: str, *, mfa: bool = True) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        first_name=first,
        last_name=last,
        email=f"{username}@example.invalid",
    )
    if mfa:
        TOTP.activate(user, generate_totp_secret())
    return user


def totp_code(user: User, *, offset: int = 0) -> str:
    """The code the user's authenticator app would show now (offset in 30-second periods).

    Waits out the last two seconds of a period, so the code cannot expire between being read
    here and being checked by the server.
    """
    if 30 - time.time() % 30 < 2:
        time.sleep(2.1)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    counter = int(time.time()) // 30 + offset
    return str(format_hotp_value(hotp_value(decrypt(authenticator.data["secret"]), counter)))


@dataclass
class Cast:
    sam: User
    priya: User
    ben: User
    charlie: User
    hana: User
    alex: User


def make_cast() -> Cast:
    return Cast(
        sam=make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor"),
        priya=make_user("priya", Role.POD_MANAGER, "Priya", "Shah"),
        ben=make_user("ben", Role.BUSINESS_SUPPORT, "Ben", "Hughes"),
        charlie=make_user("charlie", Role.SOCIAL_WORKER, "Charlie", "Nash"),
        hana=make_user("hana", Role.HEAD_OF_SERVICE, "Hana", "Kowalski"),
        alex=make_user("alex", Role.PERFORMANCE_ANALYST, "Alex", "Moreno"),
    )


def signed_in(user: User) -> Client:
    """A client with a fully signed-in, MFA-verified session (MFA is tested through HTTP)."""
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client
