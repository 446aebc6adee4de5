"""The DfE code lists that statutory returns are built from.

Records store the DfE code itself, so the SSDA903 (children looked after) return and the
children in need (CIN) census are a projection of what workers record, not a re-keying of it.

Specification years: the SSDA903 lists follow the 2024 to 2025 and 2025 to 2026 collections
(where the two differ, both sets of codes are kept, so that episodes recorded under either year
stay valid; see the PLACEMENT_TYPES_* sets). The CIN census lists follow the 2024 to 2025
census. Labels are the DfE descriptions, lightly shortened where the DfE text refers to other
paragraphs of its guide, written in plain sentence case with ASCII punctuation.

Checked against public sources: the DfE SSDA903 and CIN census schemas and code lists as
published in SocialFinanceDigitalLabs/liia-tools (liiatools/spec/s903, liiatools/spec/cin_census);
the validation rules for each collection year in data-to-insight's csc-validator-be-903
(the lac_validator package, rules for 2023-24, 2024-25 and 2025-26) and csc-validator-be-cin
(the cin_validator package, rules to 2024-25); the code descriptions in data-to-insight's
SSDA903 tools; and DfE's published statistics on reasons for a change of social worker
(Explore education statistics, "Stability measures for children looked after in England").
Codes whose DfE wording could not be seen in those sources are marked where they are defined.

The CIN census records section 47 enquiries and initial child protection conferences only as
dates plus a yes/no "ICPC not required" flag, so there is no DfE outcome code list to mirror
here: model those as dates and a boolean.
"""

from __future__ import annotations

from django.db import models

# --- SSDA903: episodes of care ----------------------------------------------------------------


class LegalStatus(models.TextChoices):
    """SSDA903 Episodes LS."""

    C1 = "C1", "Interim care order"
    C2 = "C2", "Full care order"
    D1 = "D1", "Freeing order granted"
    E1 = "E1", "Placement order granted"
    J1 = "J1", "Remanded to local authority accommodation or to youth detention accommodation"
    J2 = (
        "J2",
        (
            "Placed in local authority accommodation under the Police and Criminal Evidence Act "
            "1984, including secure accommodation"
        ),
    )
    J3 = (
        "J3",
        (
            "Sentenced to a youth rehabilitation order with a residence or intensive fostering "
            "requirement"
        ),
    )
    L1 = "L1", "Under police protection and in local authority accommodation"
    L2 = "L2", "Emergency protection order (EPO)"
    L3 = "L3", "Under child assessment order and in local authority accommodation"
    V2 = "V2", "Single period of accommodation under section 20 (Children Act 1989)"
    V3 = (
        "V3",
        (
            "Accommodated under an agreed series of short-term breaks, when individual episodes "
            "of care are recorded"
        ),
    )
    V4 = (
        "V4",
        (
            "Accommodated under an agreed series of short-term breaks, when agreements are "
            "recorded (not individual episodes of care)"
        ),
    )


# DfE leaves a child whose only care is a series of short breaks out of its "children looked
# after" counts, so reports of children in care must filter on these before counting.
SHORT_BREAK_LEGAL_STATUSES = frozenset({LegalStatus.V3, LegalStatus.V4})


class CategoryOfNeed(models.TextChoices):
    """CIN census PrimaryNeedCode and SSDA903 Episodes CIN."""

    N0 = "N0", "Not stated"
    N1 = "N1", "Abuse or neglect"
    N2 = "N2", "Child's disability"
    N3 = "N3", "Parental illness or disability"
    N4 = "N4", "Family in acute stress"
    N5 = "N5", "Family dysfunction"
    N6 = "N6", "Socially unacceptable behaviour"
    N7 = "N7", "Low income"
    N8 = "N8", "Absent parenting"
    N9 = "N9", "Cases other than children in need"


# The SSDA903 accepts only N1 to N8: a looked-after child always has a stated need.
SSDA903_CATEGORIES_OF_NEED = frozenset(
    {
        CategoryOfNeed.N1,
        CategoryOfNeed.N2,
        CategoryOfNeed.N3,
        CategoryOfNeed.N4,
        CategoryOfNeed.N5,
        CategoryOfNeed.N6,
        CategoryOfNeed.N7,
        CategoryOfNeed.N8,
    }
)


class ReasonNewEpisode(models.TextChoices):
    """SSDA903 Episodes RNE."""

    S = "S", "Started to be looked after"
    L = "L", "Change of legal status only"
    P = "P", "Change of placement and carer(s) only"
    T = "T", "Change of placement (but same carer(s)) only"
    U = "U", "Change of legal status and change of placement (but same carer(s)) at the same time"
    B = "B", "Change of legal status and placement and carer(s) at the same time"


class PlacementType(models.TextChoices):
    """SSDA903 Episodes PLACE."""

    A3 = (
        "A3",
        (
            "Placed for adoption with parental/guardian consent with current foster carer(s) "
            "(section 19 of the Adoption and Children Act 2002) or with a freeing order where "
            "parental/guardian consent has been given (section 18(1)(a) of the Adoption Act 1976)"
        ),
    )
    A4 = (
        "A4",
        (
            "Placed for adoption with parental/guardian consent not with current foster carer(s) "
            "(section 19 of the Adoption and Children Act 2002) or with a freeing order where "
            "parental/guardian consent has been given (section 18(1)(a) of the Adoption Act 1976)"
        ),
    )
    A5 = (
        "A5",
        (
            "Placed for adoption with placement order with current foster carer(s) (section 21 "
            "of the Adoption and Children Act 2002) or with a freeing order where "
            "parental/guardian consent was dispensed with (section 18(1)(b) of the Adoption Act "
            "1976)"
        ),
    )
    A6 = (
        "A6",
        (
            "Placed for adoption with placement order not with current foster carer(s) (section "
            "21 of the Adoption and Children Act 2002) or with a freeing order where "
            "parental/guardian consent was dispensed with (section 18(1)(b) of the Adoption Act "
            "1976)"
        ),
    )
    H5 = "H5", "Semi-independent living accommodation not subject to children's homes regulations"
    K1 = "K1", "Secure children's homes"
    K2 = "K2", "Children's homes subject to Children's Homes Regulations"
    K3 = "K3", "Registered supported accommodation"
    P1 = "P1", "Placed with own parent(s) or other person(s) with parental responsibility"
    P2 = (
        "P2",
        (
            "Independent living, for example in a flat, lodgings, bedsit, bed and breakfast (B&B) "
            "or with friends, with or without formal support"
        ),
    )
    P3 = "P3", "Residential employment"
    R1 = "R1", "Residential care home"
    R2 = (
        "R2",
        (
            "National Health Service (NHS)/health trust or other establishment providing medical "
            "or nursing care"
        ),
    )
    R3 = "R3", "Family centre or mother and baby unit"
    R5 = "R5", "Young offender institution (YOI)"
    S1 = (
        "S1",
        "All residential schools, except where dual-registered as a school and children's home",
    )
    T0 = "T0", "All types of temporary move"
    T1 = "T1", "Temporary periods in hospital"
    T2 = "T2", "Temporary absences of the child on holiday"
    T3 = "T3", "Temporary accommodation whilst normal foster carer(s) is/are on holiday"
    T4 = (
        "T4",
        "Temporary accommodation of seven days or less, for any reason, not covered by T1 to T3",
    )
    U1 = "U1", "Foster placement with relative(s) or friend(s): long-term fostering"
    U2 = (
        "U2",
        (
            "Foster placement with relative(s) or friend(s) who is/are also approved adopter(s): "
            "fostering for adoption or concurrent planning"
        ),
    )
    U3 = (
        "U3",
        (
            "Foster placement with relative(s) or friend(s): not long-term or fostering for "
            "adoption or concurrent planning"
        ),
    )
    U4 = "U4", "Foster placement with other foster carer(s): long-term fostering"
    U5 = (
        "U5",
        (
            "Foster placement with other foster carer(s) who is/are also approved adopter(s): "
            "fostering for adoption or concurrent planning"
        ),
    )
    U6 = (
        "U6",
        (
            "Foster placement with other foster carer(s): not long-term or fostering for adoption "
            "or concurrent planning"
        ),
    )
    Z1 = "Z1", "Other placements"
    # The 2025-26 collection splits Z1 into Z11 to Z14. The validators confirm the codes, but
    # the DfE descriptions were not in any source checked: confirm the wording against the
    # DfE 2025 to 2026 guide before these are offered to workers.
    Z11 = "Z11", "Other placement (Z11)"
    Z12 = "Z12", "Other placement (Z12)"
    Z13 = "Z13", "Other placement (Z13)"
    Z14 = "Z14", "Other placement (Z14)"


# Valid in 2024-25 but withdrawn from the 2025-26 collection: kept so that older episodes stay
# valid, but new episodes starting on or after 1 April 2025 should not use them.
PLACEMENT_TYPES_WITHDRAWN_2025_26 = frozenset(
    {PlacementType.H5, PlacementType.P2, PlacementType.Z1}
)
PLACEMENT_TYPES_ADDED_2025_26 = frozenset(
    {PlacementType.Z11, PlacementType.Z12, PlacementType.Z13, PlacementType.Z14}
)

# The return wants no placement provider and no reason for a placement change on a temporary
# move: the child goes back to the placement they came from.
# Placements with no Ofsted URN in the SSDA903 (validator rule 218: family and friends,
# independent living, placed with parents, temporary and the Z codes); every other placement
# type is an Ofsted-registered provision and needs its URN.
PLACEMENT_TYPES_WITHOUT_URN = frozenset(
    {"P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1", "Z11", "Z12", "Z13", "Z14"}
)

TEMPORARY_PLACEMENT_TYPES = frozenset(
    {PlacementType.T0, PlacementType.T1, PlacementType.T2, PlacementType.T3, PlacementType.T4}
)


class PlacementProvider(models.TextChoices):
    """SSDA903 Episodes PLACE_PROVIDER."""

    PR0 = "PR0", "Parent(s) or other person(s) with parental responsibility"
    PR1 = (
        "PR1",
        (
            "Own provision (by the local authority), including a regional adoption agency where "
            "the child's responsible local authority is the host authority"
        ),
    )
    PR2 = (
        "PR2",
        (
            "Other local authority provision, including a regional adoption agency where another "
            "local authority is the host authority"
        ),
    )
    PR3 = "PR3", "Other public provision (for example, a primary care trust)"
    PR4 = "PR4", "Private provision"
    PR5 = "PR5", "Voluntary/third sector provision"


class ReasonEpisodeCeased(models.TextChoices):
    """SSDA903 Episodes REC."""

    E11 = "E11", "Adopted: application for an adoption order unopposed"
    E12 = "E12", "Adopted: consent dispensed with by the court"
    E13 = (
        "E13",
        (
            "Left care to live with parent(s), relative(s), or other person(s) with no parental "
            "responsibility"
        ),
    )
    E14 = "E14", "Accommodation on remand ended"
    E15 = (
        "E15",
        (
            "Age assessment determined child is aged 18 or over and E5, E6 and E7 do not apply, "
            "such as an unaccompanied asylum-seeking child (UASC) whose age has been disputed"
        ),
    )
    E16 = "E16", "Child moved abroad"
    E17 = (
        "E17",
        (
            "Aged 18 (or over) and remained with current carers (including under staying put "
            "arrangements)"
        ),
    )
    E2 = "E2", "Died"
    E3 = "E3", "Care taken over by another local authority in the UK"
    E41 = (
        "E41",
        (
            "Residence order or child arrangements order granted, setting out with whom the child "
            "is to live"
        ),
    )
    E45 = (
        "E45",
        (
            "Special guardianship order made to former foster carer(s), who was/are a relative(s) "
            "or friend(s)"
        ),
    )
    E46 = (
        "E46",
        (
            "Special guardianship order made to former foster carer(s), other than relative(s) or "
            "friend(s)"
        ),
    )
    E47 = (
        "E47",
        (
            "Special guardianship order made to carer(s), other than former foster carer(s), who "
            "was/are a relative(s) or friend(s)"
        ),
    )
    E48 = (
        "E48",
        (
            "Special guardianship order made to carer(s), other than former foster carer(s), other "
            "than relative(s) or friend(s)"
        ),
    )
    E4A = (
        "E4A",
        (
            "Returned home to live with parent(s), relative(s), or other person(s) with parental "
            "responsibility as part of the care planning process (not under a special guardianship "
            "order, residence order or child arrangements order)"
        ),
    )
    E4B = (
        "E4B",
        (
            "Returned home to live with parent(s), relative(s), or other person(s) with parental "
            "responsibility which was not part of the current care planning process (not under a "
            "special guardianship order, residence order or child arrangements order)"
        ),
    )
    E5 = (
        "E5",
        (
            "Moved into independent living arrangement and no longer looked after: supportive "
            "accommodation providing formalised advice or support (such as most hostels, foyers, "
            "staying close and care leavers projects)"
        ),
    )
    E6 = (
        "E6",
        (
            "Moved into independent living arrangement and no longer looked after: accommodation "
            "providing no formalised advice or support (such as a bedsit, own flat, or living with "
            "friends)"
        ),
    )
    E7 = "E7", "Transferred to residential care funded by adult social care services"
    E8 = "E8", "Period of being looked after ceased for any other reason"
    E9 = "E9", "Sentenced to custody"
    X1 = "X1", "Episode ceases, and new episode begins on same day, for any reason"


class ReasonPlaceChange(models.TextChoices):
    """SSDA903 Episodes REASON_PLACE_CHANGE."""

    CARPL = "CARPL", "Change to/implementation of care plan"
    CLOSE = "CLOSE", "Resignation/closure of provision"
    ALLEG = "ALLEG", "Allegation (s47)"
    STAND = "STAND", "Standards of care concern"
    APPRR = "APPRR", "Approval removed"
    CREQB = "CREQB", "Carer(s) requests placement end due to child's behaviour"
    CREQO = "CREQO", "Carer(s) requests placement end other than due to child's behaviour"
    CHILD = "CHILD", "Child requests placement end"
    LAREQ = "LAREQ", "Responsible/area authority requests placement end"
    PLACE = "PLACE", "Change in the status of placement only"
    CUSTOD = "CUSTOD", "Custody arrangement"
    OTHER = "OTHER", "Other"


# --- SSDA903: social worker episodes (from 2023-24) -------------------------------------------


class SocialWorkerChangeReason(models.TextChoices):
    """SSDA903 SWEpisodes SW_REASON."""

    # Codes checked against the validator (rule SW13STG1). The wording of ABSENC, CHCHAN,
    # FCONTA, MANAGE and TSPROC is DfE's, as published in its statistics on social worker
    # changes; the other five could not be seen in a public source, so their labels are a
    # plain reading of the code and should be checked against the DfE guide.
    MANAGE = "MANAGE", "Managing caseloads"
    FCONTA = "FCONTA", "First contact or re-referral"
    LEFTRL = "LEFTRL", "Social worker left the role"
    ORGRST = "ORGRST", "Organisational restructure"
    TSPROC = "TSPROC", "New social worker assigned following child transfer due to standard process"
    ABSENC = "ABSENC", "Absence cover or return from absence"
    CHCHAN = "CHCHAN", "Child requested change from previous social worker"
    PCCHAN = "PCCHAN", "Parent or carer requested change from previous social worker"
    SWDIED = "SWDIED", "Social worker died"
    OTHERS = "OTHERS", "Other"


# --- SSDA903: reviews, missing, adoption ------------------------------------------------------


class ReviewParticipation(models.TextChoices):
    """SSDA903 Reviews REVIEW_CODE."""

    PN0 = "PN0", "Child aged under 4 at the time of the review"
    PN1 = "PN1", "Child physically attends and speaks for him or herself"
    PN2 = "PN2", "Child physically attends and an advocate speaks on his or her behalf"
    PN3 = "PN3", "Child attends and conveys his or her view symbolically (non-verbally)"
    PN4 = (
        "PN4",
        (
            "Child physically attends but does not speak for him or herself, does not convey his "
            "or her view symbolically and does not ask an advocate to speak for him or her"
        ),
    )
    PN5 = "PN5", "Child does not attend physically but briefs an advocate to speak for him or her"
    PN6 = (
        "PN6",
        (
            "Child does not attend but conveys his or her feelings to the review by a facilitative "
            "medium (such as texting the chair, writing, phone, audio or video)"
        ),
    )
    PN7 = "PN7", "Child does not attend nor are his or her views conveyed to the review"


class MissingType(models.TextChoices):
    """SSDA903 Missing MISSING."""

    MISSING = "M", "Missing from care"
    AWAY = "A", "Away from placement without authorisation"


class AdopterSex(models.TextChoices):
    """SSDA903 AD1 SEX_ADOPTR."""

    # Codes checked against the schema and validators; the wording is a plain reading of the
    # codes, not seen in a public copy of the DfE guide.
    M1 = "M1", "Male adopter (single)"
    F1 = "F1", "Female adopter (single)"
    MM = "MM", "Male couple"
    FF = "FF", "Female couple"
    MF = "MF", "Male and female couple"


class AdopterLegalStatus(models.TextChoices):
    """SSDA903 AD1 LS_ADOPTR."""

    # L0, L11 and L2 are confirmed by the validator rules (514, 520, 519); L12, L3 and L4 are
    # unconfirmed readings of the DfE list and should be checked against the guide.
    L0 = "L0", "Single person"
    L11 = "L11", "Married couple of different sexes"
    L12 = "L12", "Married couple of the same sex"
    L2 = "L2", "Civil partners"
    L3 = "L3", "Unmarried couple of different sexes"
    L4 = "L4", "Unmarried couple of the same sex"


class ReasonPlacedCeased(models.TextChoices):
    """SSDA903 PlacedAdoption REASON_PLACED_CEASED."""

    RD1 = "RD1", "The child's needs changed after the decision"
    RD2 = "RD2", "The court did not make a placement order"
    RD3 = "RD3", "Prospective adopters could not be found"
    RD4 = "RD4", "Any other reason"


# --- SSDA903: outcomes, previous permanence and care leavers ------------------------------------


class SDQReason(models.TextChoices):
    """SSDA903 OC2 SDQ_REASON: why there is no SDQ score (validator rule 196)."""

    SDQ1 = "SDQ1", "No form returned as the child was aged under 4 or over 17 at the assessment"
    SDQ2 = "SDQ2", "Carer refused to complete and return the questionnaire"
    SDQ3 = "SDQ3", "Not possible to complete the questionnaire due to the severity of disability"
    SDQ4 = "SDQ4", "Other"
    SDQ5 = "SDQ5", "Child or young person refuses to allow an SDQ to be completed"


class PermanenceOrder(models.TextChoices):
    """SSDA903 PrevPerm PREV_PERM: the order a child had before this care (rule 631)."""

    P1 = "P1", "Adoption"
    P2 = "P2", "Special guardianship order"
    P3 = "P3", "Residence order"
    P4 = "P4", "Child arrangements order naming with whom the child is to live"
    Z1 = "Z1", "None, or not known"


# Where a previous permanence order was made outside England (LA_PERM; rule 633). In England
# it is the council's 3-digit number.
PERMANENCE_OUTSIDE_ENGLAND = {
    "WAL": "Wales",
    "SCO": "Scotland",
    "NIR": "Northern Ireland",
    "NUK": "Outside the UK",
}


class InTouch(models.TextChoices):
    """SSDA903 OC3 IN_TOUCH: in touch with a care leaver around their birthday (rule 131)."""

    YES = "YES", "Yes, the council is in touch"
    NO = "NO", "No, the council is not in touch"
    DIED = "DIED", "The young person has died"
    REFU = "REFU", "The young person refuses contact"
    NREQ = "NREQ", "The young person no longer needs services"
    RHOM = "RHOM", "Returned home to a parent for 6 months or more"


# In touch codes after which activity and accommodation are not asked and are written 0
# (rule 344); with YES they must be given, never 0 (rule 345).
IN_TOUCH_NOTHING_ASKED = frozenset({InTouch.DIED, InTouch.RHOM})


class CareLeaverActivity(models.TextChoices):
    """SSDA903 OC3 ACTIV: the care leaver's main activity (validator rule 132)."""

    F1 = "F1", "Full-time in higher education"
    P1 = "P1", "Part-time in higher education"
    F2 = "F2", "Full-time in education other than higher education"
    P2 = "P2", "Part-time in education other than higher education"
    F4 = "F4", "Full-time apprenticeship"
    P4 = "P4", "Part-time apprenticeship"
    F5 = "F5", "Full-time in training or employment (not an apprenticeship)"
    P5 = "P5", "Part-time in training or employment (not an apprenticeship)"
    G4 = "G4", "Not in education, employment or training: illness or disability"
    G5 = "G5", "Not in education, employment or training: other reasons"
    G6 = "G6", "Not in education, employment or training: pregnancy or parenting"
    NONE = "0", "Not known: not in touch, died or returned home"


class CareLeaverAccommodation(models.TextChoices):
    """SSDA903 OC3 ACCOM: accommodation, 1 suitable and 2 not suitable (rule 133)."""

    # A homeless young person or one in custody is never in suitable accommodation: there is
    # no S1 or X1.

    B1 = "B1", "With parents or relatives: suitable"
    B2 = "B2", "With parents or relatives: not suitable"
    C1 = "C1", "Community home or other residential care: suitable"
    C2 = "C2", "Community home or other residential care: not suitable"
    D1 = "D1", "Semi-independent, transitional accommodation: suitable"
    D2 = "D2", "Semi-independent, transitional accommodation: not suitable"
    E1 = "E1", "Supported lodgings: suitable"
    E2 = "E2", "Supported lodgings: not suitable"
    G1 = "G1", "Gone abroad: suitable"
    G2 = "G2", "Gone abroad: not suitable"
    H1 = "H1", "Deported: suitable"
    H2 = "H2", "Deported: not suitable"
    K1 = "K1", "Ordinary lodgings, without formal support: suitable"
    K2 = "K2", "Ordinary lodgings, without formal support: not suitable"
    R1 = "R1", "Residence not known: suitable"
    R2 = "R2", "Residence not known: not suitable"
    S2 = "S2", "No fixed abode or homeless"
    T1 = "T1", "Foyer or similar supported accommodation: suitable"
    T2 = "T2", "Foyer or similar supported accommodation: not suitable"
    U1 = "U1", "Independent living, for example a flat or tenancy: suitable"
    U2 = "U2", "Independent living, for example a flat or tenancy: not suitable"
    V1 = "V1", "Emergency accommodation: suitable"
    V2 = "V2", "Emergency accommodation: not suitable"
    W1 = "W1", "Bed and breakfast: suitable"
    W2 = "W2", "Bed and breakfast: not suitable"
    X2 = "X2", "In custody"
    Y1 = "Y1", "Other accommodation: suitable"
    Y2 = "Y2", "Other accommodation: not suitable"
    Z1 = "Z1", "With former foster carers (staying put): suitable"
    Z2 = "Z2", "With former foster carers (staying put): not suitable"
    NONE = "0", "Not known: not in touch, died or returned home"


# --- Both returns: the child ------------------------------------------------------------------


class Sex(models.TextChoices):
    """SSDA903 Header SEX and CIN census Sex (from 2024-25)."""

    # Both returns moved to M/F/U in 2024-25; before that the SSDA903 used 1/2 and the CIN
    # census "gender" used 0/1/2/9. sex_from_legacy_code reads those older values.
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    # The CIN census requires U for an unborn child.
    UNKNOWN = "U", "Unknown"


class UPNUnknown(models.TextChoices):
    """CIN census UPNunknown (the SSDA903 Header takes UN1 to UN5 as its UPN)."""

    UN1 = "UN1", "Aged under 6 and not yet registered at school"
    UN2 = "UN2", "Has never attended an English school"
    UN3 = "UN3", "Educated outside school (home educated)"
    UN4 = "UN4", "Newly arrived in the UK for the first time, UPN awaited"
    UN5 = "UN5", "Sources disagree on the child's name or date of birth, so no reliable match"
    # UN6's DfE wording was not seen in the sources above; the CIN validator accepts it.
    UN6 = "UN6", "Aged 6 or over and not yet registered at school"
    UN7 = "UN7", "Referral with no further action"


# The codes the SSDA903 Header accepts in its UPN column (rule 168).
UPN_UNKNOWN_SSDA903 = frozenset({"UN1", "UN2", "UN3", "UN4", "UN5"})


_LEGACY_SEX = {
    "1": Sex.MALE,
    "2": Sex.FEMALE,
    # 0 was "not recorded or unborn" and 9 "indeterminate" in the CIN census; M/F/U keeps
    # neither distinction, so both become U.
    "0": Sex.UNKNOWN,
    "9": Sex.UNKNOWN,
}


def sex_from_legacy_code(code: str) -> Sex:
    """Read a sex or gender code from an SSDA903 or CIN return made before 2024-25.

    Current codes (M, F, U) pass through, so imports need not know which year they came from.
    """
    cleaned = code.strip().upper()
    if cleaned in Sex.values:
        return Sex(cleaned)
    try:
        return _LEGACY_SEX[cleaned]
    except KeyError:
        raise ValueError(f"{code!r} is not a DfE sex or gender code") from None


class Ethnicity(models.TextChoices):
    """SSDA903 Header ETHNIC and CIN census Ethnicity."""

    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


# --- CIN census -------------------------------------------------------------------------------


class Disability(models.TextChoices):
    """CIN census Disability."""

    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism"
    DDA = "DDA", "Other"


class ReferralSource(models.TextChoices):
    """CIN census ReferralSource."""

    INDIVIDUAL_FAMILY = "1A", "Individual: family member, relative or carer"
    INDIVIDUAL_ACQUAINTANCE = (
        "1B",
        ("Individual: acquaintance (including neighbours and child minders)"),
    )
    INDIVIDUAL_SELF = "1C", "Individual: self"
    INDIVIDUAL_OTHER = "1D", "Individual: other (including strangers)"
    SCHOOLS = "2A", "Schools"
    EDUCATION_SERVICES = "2B", "Education services"
    HEALTH_GP = "3A", "Health services: general practitioner (GP)"
    HEALTH_VISITOR = "3B", "Health services: health visitor"
    HEALTH_SCHOOL_NURSE = "3C", "Health services: school nurse"
    HEALTH_OTHER_PRIMARY = "3D", "Health services: other primary health services"
    HEALTH_A_AND_E = "3E", "Health services: A&E (accident and emergency department)"
    HEALTH_OTHER = "3F", "Health services: other (for example, hospice)"
    HOUSING = "4", "Housing: local authority housing or housing association"
    LA_SOCIAL_CARE = "5A", "LA services: social care, for example adults' social care services"
    LA_OTHER_INTERNAL = (
        "5B",
        (
            "LA services: other internal (a department other than social care, for example youth "
            "offending, excluding housing)"
        ),
    )
    LA_EXTERNAL = (
        "5C",
        (
            "LA services: external, for example another local authority's adults' social care "
            "services"
        ),
    )
    # 5D is confirmed by the validator (rule 8866); the wording is from memory of the DfE
    # 2023 to 2024 census guide, not seen in a public copy.
    LA_EARLY_HELP = "5D", "LA services: early help"
    POLICE = "6", "Police"
    OTHER_LEGAL_AGENCY = (
        "7",
        (
            "Other legal agency, including courts, probation, immigration, CAFCASS (Children and "
            "Family Court Advisory and Support Service) or prison"
        ),
    )
    OTHER = (
        "8",
        (
            "Other, including children's centres, independent agency providers or voluntary "
            "organisations"
        ),
    )
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class CINClosureReason(models.TextChoices):
    """CIN census ReasonForClosure."""

    RC1 = "RC1", "Adopted"
    RC2 = "RC2", "Died"
    RC3 = "RC3", "Child arrangements order"
    RC4 = "RC4", "Special guardianship order"
    RC5 = "RC5", "Transferred to services of another local authority"
    RC6 = "RC6", "Transferred to adult social care services"
    RC7 = "RC7", "Services ceased for any other reason, including child no longer in need"
    RC8 = "RC8", "Case closed after assessment, no further action"
    # RC9 is confirmed by the validator (rule 8640); the wording is from memory of the DfE
    # guide, not seen in a public copy.
    RC9 = "RC9", "Case closed after assessment, referred to early help"


class CPCategory(models.TextChoices):
    """CIN census ChildProtectionPlans InitialCategoryOfAbuse and LatestCategoryOfAbuse."""

    NEG = "NEG", "Neglect"
    PHY = "PHY", "Physical abuse"
    EMO = "EMO", "Emotional abuse"
    SAB = "SAB", "Sexual abuse"
    MUL = "MUL", "Multiple/not recommended"


class AssessmentFactor(models.TextChoices):
    """CIN census Assessments AssessmentFactors."""

    # 18A and 19A are left out: the 2024-25 validator queries them (rules 8945Q and 8950Q)
    # because 18B/18C and 19B/19C replaced them.
    ALCOHOL_CHILD = "1A", "Alcohol misuse: concerns about alcohol misuse by the child"
    ALCOHOL_PARENT = (
        "1B",
        ("Alcohol misuse: concerns about alcohol misuse by the parent(s)/carer(s)"),
    )
    ALCOHOL_HOUSEHOLD = (
        "1C",
        ("Alcohol misuse: concerns about alcohol misuse by another person living in the household"),
    )
    DRUGS_CHILD = "2A", "Drug misuse: concerns about drug misuse by the child"
    DRUGS_PARENT = "2B", "Drug misuse: concerns about drug misuse by the parent(s)/carer(s)"
    DRUGS_HOUSEHOLD = (
        "2C",
        ("Drug misuse: concerns about drug misuse by another person living in the household"),
    )
    DOMESTIC_VIOLENCE_CHILD = (
        "3A",
        ("Domestic violence: concerns about the child being the subject of domestic violence"),
    )
    DOMESTIC_VIOLENCE_PARENT = (
        "3B",
        (
            "Domestic violence: concerns about the child's parent(s)/carer(s) being the subject of "
            "domestic violence"
        ),
    )
    DOMESTIC_VIOLENCE_HOUSEHOLD = (
        "3C",
        (
            "Domestic violence: concerns about another person living in the household being the "
            "subject of domestic violence"
        ),
    )
    MENTAL_HEALTH_CHILD = "4A", "Mental health: concerns about the mental health of the child"
    MENTAL_HEALTH_PARENT = (
        "4B",
        ("Mental health: concerns about the mental health of the parent(s)/carer(s)"),
    )
    MENTAL_HEALTH_HOUSEHOLD = (
        "4C",
        (
            "Mental health: concerns about the mental health of another person in the "
            "family/household"
        ),
    )
    LEARNING_DISABILITY_CHILD = (
        "5A",
        ("Learning disability: concerns about the child's learning disability"),
    )
    LEARNING_DISABILITY_PARENT = (
        "5B",
        ("Learning disability: concerns about the parent(s)/carer(s) learning disability"),
    )
    LEARNING_DISABILITY_HOUSEHOLD = (
        "5C",
        (
            "Learning disability: concerns about another person in the family/household's learning "
            "disability"
        ),
    )
    PHYSICAL_CHILD = (
        "6A",
        (
            "Physical disability or illness: concerns about a physical disability or illness of "
            "the child"
        ),
    )
    PHYSICAL_PARENT = (
        "6B",
        (
            "Physical disability or illness: concerns about a physical disability or illness of "
            "the parent(s)/carer(s)"
        ),
    )
    PHYSICAL_HOUSEHOLD = (
        "6C",
        (
            "Physical disability or illness: concerns about a physical disability or illness of "
            "another person in the family/household"
        ),
    )
    YOUNG_CARER = (
        "7A",
        (
            "Young carer: concerns that services may be required or the child's health or "
            "development may be impaired due to their caring responsibilities"
        ),
    )
    PRIVATE_FOSTERING_OVERSEAS_RETURN = (
        "8B",
        ("Privately fostered: overseas children who intend to return"),
    )
    PRIVATE_FOSTERING_OVERSEAS_STAY = (
        "8C",
        "Privately fostered: overseas children who intend to stay",
    )
    PRIVATE_FOSTERING_EDUCATION = (
        "8D",
        ("Privately fostered: UK children in educational placements"),
    )
    PRIVATE_FOSTERING_FAMILY = (
        "8E",
        ("Privately fostered: UK children making alternative family arrangements"),
    )
    PRIVATE_FOSTERING_OTHER = "8F", "Privately fostered: other"
    UASC = (
        "9A",
        (
            "UASC: concerns that services may be required or the child may be at risk of harm as "
            "an unaccompanied asylum-seeking child"
        ),
    )
    MISSING = (
        "10A",
        (
            "Missing: concerns that services may be required or the child may be at risk of harm "
            "due to going/being missing"
        ),
    )
    CSE = (
        "11A",
        (
            "Child sexual exploitation: concerns that services may be required or the child may be "
            "at risk of harm due to child sexual exploitation"
        ),
    )
    TRAFFICKING = (
        "12A",
        (
            "Trafficking: concerns that services may be required or the child may be at risk of "
            "harm due to trafficking"
        ),
    )
    GANGS = (
        "13A",
        (
            "Gangs: concerns that services may be required or the child may be at risk of harm "
            "because of involvement in/with gangs"
        ),
    )
    SOCIALLY_UNACCEPTABLE_BEHAVIOUR = (
        "14A",
        (
            "Socially unacceptable behaviour: concerns that services may be required or the child "
            "may be at risk due to their socially unacceptable behaviour"
        ),
    )
    SELF_HARM = (
        "15A",
        (
            "Self-harm: concerns that services may be required or the child may be at risk of harm "
            "due to suspected/actual self-harming"
        ),
    )
    NEGLECT = "16A", "Abuse or neglect: neglect"
    EMOTIONAL_ABUSE = "17A", "Abuse or neglect: emotional abuse"
    PHYSICAL_ABUSE_BY_CHILD = "18B", "Abuse or neglect: physical abuse (child on child)"
    PHYSICAL_ABUSE_BY_ADULT = "18C", "Abuse or neglect: physical abuse (adult on child)"
    SEXUAL_ABUSE_BY_CHILD = "19B", "Abuse or neglect: sexual abuse (child on child)"
    SEXUAL_ABUSE_BY_ADULT = "19C", "Abuse or neglect: sexual abuse (adult on child)"
    OTHER = "20", "Other"
    # DfE allows 21 only on its own: a form that offers it should clear the other factors.
    NO_FACTORS = (
        "21",
        (
            "No factors identified: only use this if there is no evidence of any of the factors "
            "above and no further action is being taken"
        ),
    )
    FGM = (
        "22A",
        (
            "Female genital mutilation (FGM): concerns that services may be required or the child "
            "may be at risk due to female genital mutilation"
        ),
    )
    FAITH_OR_BELIEF = (
        "23A",
        (
            "Abuse linked to faith or belief: concerns that services may be required or the child "
            "may be at risk due to abuse linked to faith or belief"
        ),
    )
    CRIMINAL_EXPLOITATION = (
        "24A",
        (
            "Child criminal exploitation: concerns that services may be required or the child may "
            "be at risk of harm due to child criminal exploitation"
        ),
    )


# --- Local lists (not DfE) --------------------------------------------------------------------


class CareProceedingsOutcome(models.TextChoices):
    """Outcome of care proceedings (a local list: no DfE return codes it)."""

    CARE_ORDER = "care_order", "Care order"
    SUPERVISION_ORDER = "supervision_order", "Supervision order"
    SPECIAL_GUARDIANSHIP_ORDER = "special_guardianship_order", "Special guardianship order"
    CHILD_ARRANGEMENTS_ORDER = "child_arrangements_order", "Child arrangements order"
    PLACEMENT_ORDER = "placement_order", "Placement order"
    NO_ORDER = "no_order", "No order"
    WITHDRAWN = "withdrawn", "Application withdrawn"
    ONGOING = "ongoing", "Proceedings ongoing"
