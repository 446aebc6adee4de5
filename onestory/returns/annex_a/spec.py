"""The lists of Ofsted's Annex A, their columns and the words their drop-downs use, as data.

Sources (read, not copied): Ofsted's "Inspecting local authority children's services"
(ILACS) framework, Annex A; Data to Insight's Standard Safeguarding Dataset queries for
Annex A; and Social Finance's liia-tools Annex A schema (`annex_a_pipeline/spec/
Annex_A_schema.yml`), which reads councils' Annex A workbooks and so names each list's columns
and the values its drop-downs accept. docs/decisions/0026-annex-a.md says what One Story can
fill and why the rest is empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from onestory.families import codes

CHILD = (
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
)
DISABILITY = "Does the Child have a Disability"
ALLOCATED = ("Allocated Team", "Allocated Worker")


@dataclass(frozen=True)
class List:
    number: int
    name: str
    # Who is on the list, in Ofsted's words (the period is counted back from the day asked).
    who: str
    columns: tuple[str, ...]
    # Why the list is empty when One Story holds no records for it; None when it is filled.
    not_held: str | None = None

    @property
    def sheet(self) -> str:
        # Excel allows 31 characters in a sheet's name.
        return f"List {self.number} {self.name}"[:31]


LISTS: tuple[List, ...] = (
    List(
        1,
        "Contacts",
        "All contacts received in the six months before the inspection.",
        (*CHILD, "Date of Contact", "Contact Source"),
        not_held=(
            "One Story does not record contacts: a child's record begins at the referral "
            "(List 3). Contacts are held by the front door's own system."
        ),
    ),
    List(
        2,
        "Early help",
        "All early help assessments in the six months before the inspection, and early help "
        "coordinated by the council now.",
        (
            *CHILD,
            "Assessment start date",
            "Assessment completion date",
            "Organisation completing assessment",
        ),
        not_held="One Story does not record early help: it holds children's social care only.",
    ),
    List(
        3,
        "Referrals",
        "All referrals received in the six months before the inspection.",
        (
            *CHILD,
            "Date of referral",
            "Referral Source",
            "Referral NFA?",
            "Number of Referrals in Last 12 Months",
            *ALLOCATED,
        ),
    ),
    List(
        4,
        "Assessments",
        "All assessments started or completed in the six months before the inspection, and "
        "those still open.",
        (
            *CHILD,
            DISABILITY,
            "Continuous Assessment Start Date",
            "Child Seen During Continuous Assessment",
            "Continuous Assessment Date of Authorisation",
            "Was the child assessed as requiring LA children's social care support?",
            *ALLOCATED,
        ),
    ),
    List(
        5,
        "Section 47",
        "All section 47 enquiries started in the six months before the inspection.",
        (
            *CHILD,
            DISABILITY,
            "Strategy discussion initiating Section 47 Enquiry Start Date",
            "Was an Initial Child Protection Conference deemed unnecessary?",
            "Date of Initial Child Protection Conference",
            "Did the Initial Child Protection Conference Result in a Child Protection Plan",
            "Number of Section 47 Enquiries in the last 12 months",
            "Number of ICPCs in the last 12 months",
            *ALLOCATED,
        ),
    ),
    List(
        6,
        "Children in need",
        "All children in need on the day, and those whose episode closed in the six months before.",
        (
            *CHILD,
            DISABILITY,
            "CIN Start Date",
            "Primary Need Code",
            "Date Child Was Last Seen",
            "CIN Closure Date",
            "Reason for Closure",
            "Case Status",
            *ALLOCATED,
        ),
    ),
    List(
        7,
        "Child protection",
        "All children on a child protection plan on the day, and those whose plan ended in the "
        "six months before.",
        (
            *CHILD,
            DISABILITY,
            "Child Protection Plan Start Date",
            "Initial Category of Abuse",
            "Latest Category of Abuse",
            "Date of the Last Statutory Visit",
            "Was the Child Seen Alone?",
            "Date of latest review conference",
            "Child Protection Plan End Date",
            "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
            "Months (Y/N)",
            "Number of Previous Child Protection Plans",
            *ALLOCATED,
        ),
    ),
    List(
        8,
        "Children in care",
        "All children looked after on the day, and those who ceased to be looked after in the "
        "six months before.",
        (
            *CHILD,
            "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
            DISABILITY,
            "Date Started to be Looked After",
            "Child's Category of Need",
            "Is this a second or subsequent period of being a Looked After Child within the last "
            "12 months (Y/N)",
            "Start date of current legal status",
            "Child's Legal Status",
            "Date of Latest Statutory Review",
            "Date of Last Social Work Visit",
            "What is the permanence plan for this child?",
            "Date of Last IRO Visit / Contact to the Child",
            "Date of Last Health Assessment",
            "Date of Last Dental Check",
            "Number of Placements in the Last 12 months",
            "Date Ceased to be Looked After",
            "Reason Ceased to be Looked After",
            "Start Date of Most Recent Placement",
            "Placement Type",
            "Placement Provider",
            "Placement postcode",
            "URN of Placement",
            "Placement Location",
            "LA of Placement",
            "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 "
            "months",
            "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 "
            "months",
            "Was the child offered a Return Interview after their last missing episode (Y/N)?",
            "Did the child accept a Return Interview after their last missing episode (Y/N)?",
            *ALLOCATED,
        ),
    ),
    List(
        9,
        "Care leavers",
        "All care leavers the council supports on the day: young people aged 17 to 21 whose "
        "circumstances were recorded for this collection year or the last (SSDA903 OC3).",
        (
            *CHILD,
            "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
            DISABILITY,
            *ALLOCATED,
            "Allocated Personal Advisor",
            "Eligibility Category",
            "Latest Pathway Plan Review Date",
            "LA in Touch",
            "Latest Date of Contact",
            "Type of Accommodation",
            "Suitability of Accommodation",
            "Activity Status",
        ),
    ),
    List(
        10,
        "Adoption",
        "All children with a decision that they should be placed for adoption that was open "
        "in the twelve months before the inspection.",
        (
            "Child Unique ID",
            "Family identifier",
            *CHILD[1:],
            DISABILITY,
            "Date the Child Entered Care",
            "Date of Decision that Child Should be Placed for Adoption",
            "Date of Placement Order",
            "Date of Matching Child and Prospective Adopters",
            "Date Placed for Adoption",
            "Date of Adoption Order",
            "Date of Decision that Child Should No Longer be Placed for Adoption",
            "Reason Why Child No Longer Placed for Adoption",
            "Date the child was placed for fostering in FFA or concurrent planning placement",
        ),
    ),
    List(
        11,
        "Adopters",
        "All adopters in the adoption process in the twelve months before the inspection.",
        (
            "Individual adopter identifier",
            "Family identifier",
            "Gender",
            "Ethnicity",
            "Disability",
            "Is the (prospective) adopter fostering for adoption?",
            "Date enquiry received",
            "Date Stage 1 started",
            "Date Stage 1 ended",
            "Date Stage 2 started",
            "Date Stage 2 ended",
            "Date application submitted",
            "Date application approved",
            "Date adopter matched with child(ren)",
            "Date child/children placed with adopter(s)",
            "No. of children placed",
            "Date of Adoption Order",
            "Date of leaving adoption process",
            "Reason for leaving adoption process",
        ),
        not_held=(
            "One Story does not record adopters: prospective adopters are recruited and "
            "assessed by the regional adoption agency."
        ),
    ),
)
BY_NUMBER = {found.number: found for found in LISTS}


# The drop-downs of Ofsted's template are lettered ("a) Male"); the letters follow the order
# of each list of choices below.
def lettered(choices: tuple[str, ...]) -> dict[str, str]:
    return {value: f"{chr(ord('a') + i)}) {value}" for i, value in enumerate(choices)}


YES, NO, UNKNOWN = "a) Yes", "b) No", "c) Unknown"
GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded", "": ""}
ETHNICITY = lettered(tuple(codes.Ethnicity.values[:18]))
ETHNICITY.update({"REFU": "s) REFU", "NOBT": "s) NOBT"})
CP_CATEGORY = {
    "NEG": "a) Neglect",
    "PHY": "b) Physical abuse",
    "SAB": "c) Sexual abuse",
    "EMO": "d) Emotional abuse",
    "MUL": "e) Multiple/not recommended",
}
CASE_STATUS = lettered(
    (
        "Looked after child",
        "Child Protection plan",
        "Child in need plan",
        "Open assessment",
        "Closed episode",
    )
)
# Contact and referral sources: the template's letters, in the order of the CIN census codes.
SOURCE_LETTERS = dict(
    zip(
        [
            "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4",
            "5A", "5B", "5C", "5D", "6", "7", "8", "9", "10",
        ],
        [
            "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
            "n", "o", "p", "p1", "q", "r", "s", "t", "u",
        ],
        strict=True,
    )
)  # fmt: skip


def source(code: str) -> str:
    label = dict(codes.ReferralSource.choices).get(code, "")
    return f"{SOURCE_LETTERS[code]}) {code}: {label}" if code in SOURCE_LETTERS else code


def need(code: str) -> str:
    label = dict(codes.CategoryOfNeed.choices).get(code)
    return f"{code} - {label}" if label else code


def closure(code: str) -> str:
    label = dict(codes.CINClosureReason.choices).get(code)
    return f"{code} - {label}" if label else code


def coded(code: str, choices: list[tuple[str, str]]) -> str:
    label = dict(choices).get(code)
    return f"{code}: {label}" if label else code
