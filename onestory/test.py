"""The shared cast for One Story's tests (docs/architecture.md, "Tests"), and the helpers every test
module uses.

Sam is a social worker in Pod Harbour, Priya its pod manager and Ben its business support
officer; Charlie is a social worker in Pod Downs and must never see Harbour's families (the
Okafors); Hana is head of service; Alex is a performance analyst who sees aggregates only.

More of Pod Harbour, for the pod and measure tests (`make_harbour`): Ruth is a senior social
worker and Tom a social worker in training there. The Okafor family has two children, Jayden
and his sister Amara; Jayden has had Sam as his social worker since 4 March 2024 and Amara has
no social worker yet.

The fixtures (`cast`, `harbour`, the small demo council, the browser) are in conftest.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Generic, TypeVar

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from onestory.accounts.models import Role, User
from onestory.families.models import Allocation, Family, FamilyMember, MemberRole, Person
from onestory.pods.models import Contract, Pod, PodMembership, PodRole, Staff

PASSWORD = "correct horse battery staple"
T = TypeVar("T")


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


def sign_in(client: Client, user: User) -> Client:
    """Signs `user` in on `client` as a real sign-in does (MFA itself is tested through HTTP):
    the session records the password and, for a user with MFA, the code, in allauth's
    authentication records, which MFARequiredMiddleware checks (docs/security.md, promise 14).
    """
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = client.session
    request = RequestFactory().get("/")
    request.session = session
    request.user = user
    record_authentication(request, user, "password", username=user.username)
    authenticator = (
        Authenticator.objects.filter(user=user)
        .exclude(type=Authenticator.Type.RECOVERY_CODES)
        .first()
    )
    if authenticator is not None:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    session.save()
    return client


def signed_in(user: User) -> Client:
    """A client with a fully signed-in, MFA-verified session (`sign_in`)."""
    return sign_in(Client(), user)


# --- More of Pod Harbour -------------------------------------------------------------------

SAM_SINCE = date(2024, 3, 4)


@dataclass
class Harbour:
    cast: Cast
    sam: Staff
    priya: Staff
    ben: Staff
    ruth: Staff
    ruth_user: User
    tom: Staff
    charlie: Staff
    jayden: Person
    amara: Person


def make_harbour(cast: Cast) -> Harbour:
    ruth_user = make_user("ruth", Role.SENIOR_SOCIAL_WORKER, "Ruth", "Ellison")
    ruth = make_staff(ruth_user, cast.harbour, PodRole.SENIOR_SOCIAL_WORKER)
    tom = make_staff(
        make_user("tom", Role.SOCIAL_WORKER_IN_TRAINING, "Tom", "Askew"),
        cast.harbour,
        PodRole.SOCIAL_WORKER_IN_TRAINING,
    )
    tom.memberships.update(fte=Decimal("1.00"))
    jayden = Person.objects.get(first_name="Jayden", last_name="Okafor")
    amara = Person.objects.create(
        first_name="Amara", last_name="Okafor", date_of_birth=date(2019, 6, 30), sex="F"
    )
    FamilyMember.objects.create(
        family=cast.okafors, person=amara, role=MemberRole.CHILD, start=LONG_AGO
    )
    sam = cast.sam.staff
    Allocation.objects.create(
        child=jayden, worker=sam, pod=cast.harbour, start=SAM_SINCE, change_reason="FCONTA"
    )
    return Harbour(
        cast=cast,
        sam=sam,
        priya=cast.priya.staff,
        ben=cast.ben.staff,
        ruth=ruth,
        ruth_user=ruth_user,
        tom=tom,
        charlie=cast.charlie.staff,
        jayden=jayden,
        amara=amara,
    )


# --- Data made once for many tests --------------------------------------------------------

# The small demo council with its stories, which the demo and measure tests share (conftest.py).
SMALL_COUNCIL_SEED = 2015
SMALL_COUNCIL_TODAY = date(2026, 11, 2)


class MadeOnce(Generic[T]):
    """Data for many tests, made as Django's TestCase.setUpTestData makes it: `make()` runs in
    an outer transaction, each test's own transaction (pytest-django's `db`) is a savepoint
    inside it, and `roll_back()` ends it when the last of those tests has ended: never DELETE,
    which the history and access log tables refuse. Not for transactional tests, which commit
    and flush. The database is open only while the data is made and rolled back: a test that
    reads it still needs `db`."""

    def __init__(self, django_db_blocker: Any, make: Callable[[], T]) -> None:
        self._blocker = django_db_blocker
        self._outer = transaction.atomic()
        self.open = True
        with django_db_blocker.unblock():
            self._outer.__enter__()
            try:
                self.data = make()
                # Checks the new rows' deferred foreign keys now, once. Otherwise each test
                # checks them again as it ends, because rolling back its savepoint puts the
                # checks back in the queue: seconds a test for a demo council.
                connection.check_constraints()
            except BaseException:
                self.roll_back()
                raise

    def roll_back(self) -> None:
        """Once; only when every transaction opened inside this one has ended."""
        if not self.open:
            return
        self.open = False
        with self._blocker.unblock():
            if connection.atomic_blocks[-1:] != [self._outer]:
                raise RuntimeError("Data made once must be rolled back after all it contains.")
            transaction.set_rollback(True)
            self._outer.__exit__(None, None, None)


@contextmanager
def made_once(django_db_blocker: Any, make: Callable[[], T]) -> Iterator[T]:
    """`MadeOnce` for a fixture's lifetime."""
    shared = MadeOnce(django_db_blocker, make)
    try:
        yield shared.data
    finally:
        shared.roll_back()


# --- Pages and forms -----------------------------------------------------------------------


def url_maker(app: str) -> Callable[..., str]:
    """`url = url_maker("pods")`; then `url("pod", pk)` is `reverse("pods:pod", args=(pk,))`."""

    def url(name: str, *args: object) -> str:
        return reverse(f"{app}:{name}", args=args)

    return url


def when(name: str, day: date) -> dict[str, str]:
    """A GOV.UK date field's three inputs, as a form posts them."""
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def child_of(family: Family) -> Person:
    """The family's first child (the cast's families have one each)."""
    found = Person.objects.filter(memberships__family=family, memberships__role="child")
    child = found.order_by("pk").first()
    assert child is not None
    return child


def parent_of(family: Family) -> Person:
    return Person.objects.get(memberships__family=family, memberships__role="parent")


# --- The browser tests ---------------------------------------------------------------------

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def browser_signed_in(page: Any, live_server: Any, user: User) -> None:
    """Hands the user's signed-in session to the browser (signing in through the real pages
    is the job of onestory/core/tests/test_browser.py)."""
    session = signed_in(user).cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


def assert_accessible(page: Any) -> None:
    """axe-core finds nothing against WCAG 2.2 AA on the page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_22_AA,
    )
    problems = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} element(s), e.g. {v['nodes'][0]['html']})"
        for v in result["violations"]
    ]
    assert problems == [], f"{page.url}\n" + "\n".join(problems)
