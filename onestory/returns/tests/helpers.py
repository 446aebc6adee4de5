"""Hand-built records for the returns' tests: a pod, two social workers and children whose
care, reviews, missing episodes and allocations fall in and out of the 2025-26 year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from onestory.accounts.models import Role
from onestory.families.models import (
    Allocation,
    CareEpisode,
    MissingEpisode,
    Person,
    Review,
    UASCPeriod,
)
from onestory.pods.models import Contract, Pod, Staff

FORMED = date(2020, 1, 6)


@dataclass
class Records:
    amara: Person  # starts care in the year, changes placement, leaves care
    ben: Person  # in care all year, reviewed, missing once, changes social worker
    cara: Person  # left care before the year: in no table


def staff(first: str, swe: str) -> Staff:
    return Staff.objects.create(
        first_name=first,
        last_name="Worker",
        role=Role.SOCIAL_WORKER,
        fte=Decimal("1.00"),
        contract=Contract.PERMANENT,
        start=FORMED,
        swe_number=swe,
    )


def episode(child: Person, start: date, end: date | None = None, **fields: str) -> CareEpisode:
    values = {
        "reason_new_episode": "S",
        "legal_status": "C2",
        "category_of_need": "N1",
        "placement": "U4",
        "provider": "PR1",
        "home_postcode": "BN1 1AA",
        "placement_postcode": "BN2 1AB",
    }
    values.update(fields)
    return CareEpisode.objects.create(child=child, start=start, end=end, **values)


def make_records() -> Records:
    pod = Pod.objects.create(name="Pod Harbour", formed=FORMED)
    sam, kim = staff("Sam", "SW100001"), staff("Kim", "SW100002")
    amara = Person.objects.create(
        first_name="Amara",
        last_name="Okafor",
        date_of_birth=date(2012, 5, 1),
        sex="F",
        ethnicity="BAFR",
        upn="A123456789012",
    )
    ben = Person.objects.create(
        first_name="Ben", last_name="Hughes", date_of_birth=date(2019, 2, 3), sex="M"
    )
    cara = Person.objects.create(
        first_name="Cara", last_name="Nash", date_of_birth=date(2010, 1, 1), sex="F"
    )
    # Amara: starts care on 10 June 2025, moves on 1 September, leaves on 10 February 2026.
    episode(
        amara, date(2025, 6, 10), date(2025, 9, 1), reason_ceased="X1", reason_place_change="CARPL"
    )
    episode(
        amara,
        date(2025, 9, 1),
        date(2026, 2, 10),
        reason_new_episode="P",
        placement="U6",
        provider="PR4",
        reason_ceased="E13",
        urn="=1+2",
    )
    Allocation.objects.create(child=amara, worker=sam, pod=pod, start=date(2025, 6, 2))
    # Ben: in care since 2023; his episode ends after the year, so the return shows it open.
    episode(
        ben,
        date(2023, 1, 9),
        date(2026, 5, 1),
        reason_ceased="E13",
        home_postcode="-BN3",
        placement_postcode="@BN4",
    )
    Review.objects.create(child=ben, date=date(2024, 7, 1), participation="PN0")  # before
    Review.objects.create(child=ben, date=date(2025, 7, 1), participation="PN1")
    MissingEpisode.objects.create(
        child=ben, kind="M", start=date(2025, 10, 3), end=date(2025, 10, 4)
    )
    Allocation.objects.create(
        child=ben, worker=sam, pod=pod, start=date(2022, 12, 1), end=date(2025, 11, 3)
    )
    Allocation.objects.create(
        child=ben, worker=kim, pod=pod, start=date(2025, 11, 3), change_reason="LEFTRL"
    )
    UASCPeriod.objects.create(child=ben, start=date(2023, 1, 9))
    # Cara: her care ended before 1 April 2025.
    episode(cara, date(2019, 1, 7), date(2024, 3, 1), reason_ceased="E13")
    Review.objects.create(child=cara, date=date(2023, 7, 1), participation="PN1")
    Allocation.objects.create(
        child=cara, worker=kim, pod=pod, start=date(2019, 1, 1), end=date(2024, 3, 20)
    )
    return Records(amara=amara, ben=ben, cara=cara)
