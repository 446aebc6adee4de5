"""More of Pod Harbour than the shared cast has, for the pod and measure tests.

Ruth is a senior social worker and Tom a social worker in training in Harbour. The Okafor
family has two children, Jayden and his sister Amara; Jayden has had Sam as his social worker
since 4 March 2024 and Amara has no social worker yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from onestory.accounts.models import Role, User
from onestory.families.models import Allocation, FamilyMember, MemberRole, Person
from onestory.pods.models import PodRole, Staff
from onestory.test import LONG_AGO, Cast, make_staff, make_user

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
