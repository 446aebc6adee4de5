"""The data-quality list business support works from: children whose records miss what the
statutory returns need, and children waiting for a social worker.

Only children in families the user may edit appear (`families_for(user, Action.EDIT)`): the
list is a way in to records, so need to know decides it, counts included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q

from onestory.accounts.models import User
from onestory.families.access import Action, families_for
from onestory.families.models import Allocation, CareEpisode, FamilyMember, MemberRole, Person

# A UPN is only expected once a child is of school age (the CIN census and SSDA903 ask for
# it from reception year); an NHS number from birth.
SCHOOL_AGE = 4


@dataclass
class Gap:
    child: Person
    family_name: str
    missing: list[str] = field(default_factory=list)
    unallocated: bool = False


def data_quality(user: User, day: date, *, limit: int = 50) -> tuple[list[Gap], int]:
    """Children today in the user's open families with something missing, and how many in
    all: three queries whatever the size of the pod."""
    # The families first, as a list of a pod's few hundred: asked inside the one query, the
    # planner guesses the rule's families across the whole council and reads every membership
    # (at the `large` scale, 290 ms against a few this way; families/access.py,
    # `allocated_people_for`, does the same for children).
    families = list(
        families_for(user, Action.EDIT).filter(closed__isnull=True).values_list("pk", flat=True)
    )
    allocated = Allocation.objects.open_on(day).filter(child=OuterRef("person"))
    care_gap = (
        CareEpisode.objects.open_on(day)
        .filter(child=OuterRef("person"))
        .filter(Q(placement_postcode="") | Q(home_postcode=""))
    )
    school_age = date(day.year - SCHOOL_AGE, day.month, min(day.day, 28))
    members = (
        FamilyMember.objects.open_on(day)
        .filter(role=MemberRole.CHILD, family__in=families, person__date_of_birth__isnull=False)
        .annotate(allocated=Exists(allocated), care_gap=Exists(care_gap))
        .filter(
            Q(person__ethnicity="")
            | Q(person__sex="")
            | Q(person__nhs_number="")
            | Q(person__upn="", person__date_of_birth__lte=school_age)
            | Q(allocated=False)
            | Q(care_gap=True)
        )
        .select_related("person", "family")
        .order_by("family__name", "person__first_name", "pk")
    )
    total = members.count()
    gaps = []
    for member in members[:limit]:
        person = member.person
        missing = [
            label
            for label, empty in (
                ("sex", not person.sex),
                ("ethnicity", not person.ethnicity),
                ("NHS number", not person.nhs_number),
                (
                    "UPN",
                    not person.upn
                    and person.date_of_birth is not None
                    and person.date_of_birth <= school_age,
                ),
                ("placement or home postcode", member.care_gap),
            )
            if empty
        ]
        gaps.append(
            Gap(
                child=person,
                family_name=member.family.name,
                missing=missing,
                unallocated=not member.allocated,
            )
        )
    return gaps, total
