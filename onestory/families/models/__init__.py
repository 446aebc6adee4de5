"""The family records: one module per concept, imported here by name (no star import).

records: families, people and who belongs to which; allocation: who holds each child;
access: the access log and emergency access; episodes: the statutory episodes;
returns_records: what the SSDA903 return asks for besides the episodes.
"""

from onestory.families.models.access import (
    AccessAction,
    AccessEvent,
    AccessOutcome,
    AuditAccess,
    AuditAccessQuerySet,
    EmergencyAccess,
    EmergencyAccessQuerySet,
)
from onestory.families.models.allocation import (
    Allocation,
    Cover,
    PodTransfer,
)
from onestory.families.models.episodes import (
    AdoptionDecision,
    AdoptionPlacement,
    Assessment,
    CareEpisode,
    CareProceedings,
    CINEpisode,
    CINPlan,
    CPPlan,
    CPReview,
    InitialConference,
    MissingEpisode,
    Review,
    Section47Enquiry,
    UASCPeriod,
)
from onestory.families.models.records import (
    Family,
    FamilyMember,
    FamilyQuerySet,
    MemberRole,
    MembershipRequest,
    Person,
)
from onestory.families.models.returns_records import (
    CareLeaverContact,
    DeprivationOfLiberty,
    HealthOutcomes,
    PreviousPermanence,
)

__all__ = [
    "AccessAction",
    "AccessEvent",
    "AccessOutcome",
    "AdoptionDecision",
    "AdoptionPlacement",
    "Allocation",
    "Assessment",
    "AuditAccess",
    "AuditAccessQuerySet",
    "CINEpisode",
    "CINPlan",
    "CPPlan",
    "CPReview",
    "CareEpisode",
    "CareLeaverContact",
    "CareProceedings",
    "Cover",
    "DeprivationOfLiberty",
    "EmergencyAccess",
    "EmergencyAccessQuerySet",
    "Family",
    "FamilyMember",
    "FamilyQuerySet",
    "HealthOutcomes",
    "InitialConference",
    "MemberRole",
    "MembershipRequest",
    "MissingEpisode",
    "Person",
    "PodTransfer",
    "PreviousPermanence",
    "Review",
    "Section47Enquiry",
    "UASCPeriod",
]
