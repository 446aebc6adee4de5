"""The shared cast for One Story's tests (STYLE.md), and helpers for signing them in.

Sam is a social worker in Pod Harbour, Priya its pod manager and Ben its business support
officer; Charlie is a social worker in Pod Downs and must never see Harbour's families (the
Okafors); Hana is head of service; Alex is a performance analyst who sees aggregates only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt
from django.test import Client

from onestory.accounts.models import Role, User
from onestory.families.models import Family, FamilyMember, MemberRole, Person
from onestory.pods.models import Contract, Pod, PodMembership, PodRole, Staff

PASSWORD = "correct horse battery staple"


def make_user(
    username: str,
    role: Role,
    first: str,
    last: str,
    *,
    mfa: bool = True,
    password: str | None = PASSWORD,
) -> User:
    """password=None skips Argon2 hashing, for tests that sign users in with force_login."""
    user = User.objects.create_user(
        username=username,
        password=password,
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
    harbour: Pod
    downs: Pod
    # One open family in each pod, each with a child and a parent.
    okafors: Family
    nashes: Family


LONG_AGO = date(2020, 1, 6)


def make_staff(user: User, pod: Pod | None, role: PodRole | None) -> Staff:
    staff = Staff.objects.create(
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        role=user.role,
        fte=Decimal("1.00"),
        contract=Contract.PERMANENT,
        start=LONG_AGO,
    )
    if pod is not None and role is not None:
        PodMembership.objects.create(
            staff=staff, pod=pod, role=role, fte=Decimal("1.00"), start=LONG_AGO
        )
    return staff


def make_family(name: str, pod: Pod, *, child: str = "Jayden", parent: str = "Kelly") -> Family:
    family = Family.objects.create(name=f"The {name} family", pod=pod, opened=LONG_AGO)
    kid = Person.objects.create(
        first_name=child, last_name=name, date_of_birth=date(2016, 3, 14), sex="M"
    )
    adult = Person.objects.create(first_name=parent, last_name=name, sex="F")
    FamilyMember.objects.create(family=family, person=kid, role=MemberRole.CHILD, start=LONG_AGO)
    FamilyMember.objects.create(family=family, person=adult, role=MemberRole.PARENT, start=LONG_AGO)
    return family


def make_cast() -> Cast:
    harbour = Pod.objects.create(name="Pod Harbour", formed=LONG_AGO)
    downs = Pod.objects.create(name="Pod Downs", formed=LONG_AGO)
    cast = Cast(
        sam=make_user("sam", Role.SOCIAL_WORKER, "Sam", "Okafor"),
        priya=make_user("priya", Role.POD_MANAGER, "Priya", "Shah"),
        ben=make_user("ben", Role.BUSINESS_SUPPORT, "Ben", "Hughes"),
        charlie=make_user("charlie", Role.SOCIAL_WORKER, "Charlie", "Nash"),
        hana=make_user("hana", Role.HEAD_OF_SERVICE, "Hana", "Kowalski"),
        alex=make_user("alex", Role.PERFORMANCE_ANALYST, "Alex", "Moreno"),
        harbour=harbour,
        downs=downs,
        okafors=make_family("Okafor", harbour),
        nashes=make_family("Nash", downs, child="Lily", parent="Dean"),
    )
    make_staff(cast.sam, harbour, PodRole.SOCIAL_WORKER)
    make_staff(cast.priya, harbour, PodRole.POD_MANAGER)
    make_staff(cast.ben, harbour, PodRole.BUSINESS_SUPPORT)
    make_staff(cast.charlie, downs, PodRole.SOCIAL_WORKER)
    make_staff(cast.hana, None, None)
    make_staff(cast.alex, None, None)
    return cast


def signed_in(user: User) -> Client:
    """A client with a fully signed-in, MFA-verified session (MFA is tested through HTTP)."""
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client
