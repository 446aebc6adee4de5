"""The data-quality list business support works from: children whose records miss what the
statutory returns need (each blank one of the DfE's rules refuses), and children waiting for
a social worker.

Only children in families the user may edit appear (`families_for(user, Action.EDIT)`): the
list is a way in to records, so need to know decides it, counts included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Q

from onestory.accounts.models import User
from onestory.families import codes
from onestory.families.access import Action, families_for
from onestory.families.models import (
    Allocation,
    CareEpisode,
    CINEpisode,
    FamilyMember,
    MemberRole,
    Person,
)

# What a child's record lacks, by the name of its annotation, as the list says it: each is a
# blank that a rule of the SSDA903 or the CIN census refuses (for example SSDA903 rule 442 for
# no UPN and no reason, 393 for a looked-after girl not asked whether she is a mother, 218 for
# a registered placement's URN; the CIN census wants a disability code, NONE included).
GAPS = (
    ("no_sex", "sex"),
    ("no_ethnicity", "ethnicity"),
    ("no_birth_date", "date of birth"),
    ("no_nhs_number", "NHS number"),
    ("no_upn", "UPN or the reason there is none"),
    ("no_disability_answer", "disability (or 'No disability')"),
    ("no_primary_need", "primary need of the referral"),
    ("care_gap", "placement or home postcode"),
    ("no_urn", "the placement's Ofsted URN"),
    ("mother_not_asked", "whether she is a mother"),
)


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
    # Short breaks have no placement location in the return (rules 214 and 398).
    in_care = (
        CareEpisode.objects.open_on(day)
        .filter(child=OuterRef("person"))
        .exclude(legal_status__in=codes.SHORT_BREAK_LEGAL_STATUSES)
    )
    care_gap = in_care.filter(Q(placement_postcode="") | Q(home_postcode=""))
    no_urn = in_care.filter(urn="").exclude(placement__in=codes.PLACEMENT_TYPES_WITHOUT_URN)
    no_primary_need = CINEpisode.objects.open_on(day).filter(
        child=OuterRef("person"), primary_need="", no_further_action=False
    )
    person = Q(role=MemberRole.CHILD, family__in=families)
    members = (
        FamilyMember.objects.open_on(day)
        .filter(person)
        .annotate(
            allocated=Exists(allocated),
            care_gap=Exists(care_gap),
            no_urn=Exists(no_urn),
            no_primary_need=Exists(no_primary_need),
            looked_after=Exists(in_care),
        )
        .filter(
            Q(person__ethnicity="")
            | Q(person__sex="")
            | Q(person__nhs_number="", person__date_of_birth__isnull=False)
            | Q(person__date_of_birth__isnull=True, person__expected_date_of_birth__isnull=True)
            | Q(person__upn="", person__no_upn_reason="", person__date_of_birth__isnull=False)
            | Q(person__disabilities=[], person__date_of_birth__isnull=False)
            | Q(allocated=False)
            | Q(care_gap=True)
            | Q(no_urn=True)
            | Q(no_primary_need=True)
            | Q(looked_after=True, person__sex=codes.Sex.FEMALE, person__is_mother__isnull=True)
        )
        .select_related("person", "family")
        .order_by("family__name", "person__first_name", "pk")
    )
    total = members.count()
    gaps = []
    for member in members[:limit]:
        child = member.person
        born = child.date_of_birth is not None
        blank = {
            "no_sex": not child.sex,
            "no_ethnicity": not child.ethnicity,
            "no_birth_date": not born and child.expected_date_of_birth is None,
            "no_nhs_number": born and not child.nhs_number,
            "no_upn": born and not child.upn and not child.no_upn_reason,
            "no_disability_answer": born and not child.disabilities,
            "no_primary_need": member.no_primary_need,
            "care_gap": member.care_gap,
            "no_urn": member.no_urn,
            "mother_not_asked": member.looked_after
            and child.sex == codes.Sex.FEMALE
            and child.is_mother is None,
        }
        gaps.append(
            Gap(
                child=child,
                family_name=member.family.name,
                missing=[label for name, label in GAPS if blank[name]],
                unallocated=not member.allocated,
            )
        )
    return gaps, total
