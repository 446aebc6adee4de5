"""The CIN census export from hand-built records: the exact XML of a child for 2025-26."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from onestory.families.models import (
    Assessment,
    CINEpisode,
    CINPlan,
    CPPlan,
    CPReview,
    InitialConference,
    Person,
    Section47Enquiry,
)
from onestory.returns.cin.export import NoChildInNeed, export
from onestory.returns.cin.validate import validate_cin
from onestory.returns.making import CANNOT_APPLY
from onestory.returns.models import Return
from onestory.returns.validate import VALIDATORS_PYTHON
from onestory.stories.census import authorise_assessments
from onestory.stories.models import Kind, SignOff
from onestory.stories.tests.helpers import make_entry
from onestory.test import Cast, child_of, make_family

pytestmark = pytest.mark.django_db

MADE = datetime(2026, 4, 20, 9, 30)


def parsed(path: Path) -> ET.Element:
    # The file is the export these tests just wrote, not untrusted input.
    return ET.parse(path).getroot()  # noqa: S314


def referral(child: Person, family: Any, start: date, end: date | None = None, **kw: Any):
    values = {"referral_source": "2A", "primary_need": "N1"}
    values.update(kw)
    return CINEpisode.objects.create(child=child, family=family, start=start, end=end, **values)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def jaydens_year(cast: Cast) -> Person:
    """Jayden: referred by his school in May 2025, assessed (the assessment authorised by
    Priya's sign-off), a section 47 enquiry and conference, a CP plan reviewed in September.
    He had a CP plan in 2022, in an episode closed long before the year."""
    jayden = child_of(cast.okafors)
    Person.objects.filter(pk=jayden.pk).update(
        upn="A123456789012", ethnicity="WBRI", disabilities=["NONE"]
    )
    old = referral(jayden, cast.okafors, date(2021, 11, 1), date(2022, 9, 30), closure_reason="RC7")
    CPPlan.objects.create(
        episode=old,
        child=jayden,
        start=date(2022, 1, 10),
        end=date(2022, 9, 1),
        initial_category="PHY",
        latest_category="PHY",
    )
    episode = referral(jayden, cast.okafors, date(2025, 5, 6))
    # Recorded by hand when it began; the sign-off of the write-up authorises it.
    Assessment.objects.create(episode=episode, start=date(2025, 5, 7), factors=["2B", "3B"])
    entry = make_entry(
        cast.okafors, cast.sam, kind=Kind.ASSESSMENT, at=at(date(2025, 5, 20)), about=[jayden]
    )
    signed = SignOff.objects.create(entry=entry, by=cast.priya, at=at(date(2025, 6, 2)))
    assert authorise_assessments(entry, signed).updated == [jayden]
    CINPlan.objects.create(episode=episode, start=date(2025, 6, 3), end=date(2025, 6, 27))
    enquiry = Section47Enquiry.objects.create(episode=episode, start=date(2025, 6, 9))
    InitialConference.objects.create(enquiry=enquiry, date=date(2025, 6, 27), plan_made=True)
    plan = CPPlan.objects.create(
        episode=episode,
        child=jayden,
        start=date(2025, 6, 27),
        initial_category="NEG",
        latest_category="EMO",
    )
    CPReview.objects.create(plan=plan, date=date(2025, 9, 18))
    CPReview.objects.create(plan=plan, date=date(2026, 4, 10))  # after the year
    return jayden


def test_the_census_holds_a_childs_year_exactly(cast: Cast, tmp_path: Path, settings: Any):
    settings.COUNCIL_LA_NUMBER = "846"
    jayden = jaydens_year(cast)
    # Lily's referral closed on 31 March 2025, the day before the year began: she is left out.
    lily = child_of(cast.nashes)
    referral(lily, cast.nashes, date(2024, 11, 4), date(2025, 3, 31), closure_reason="RC8")

    written = export(2026, tmp_path / "cin.xml", made=MADE)

    assert written.children == 1
    assert (
        (tmp_path / "cin.xml").read_text(encoding="utf-8")
        == f"""\
<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection>
      <Year>2026</Year>
      <ReferenceDate>2026-03-31</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel>
      <LEA>846</LEA>
      <SoftwareCode>One Story</SoftwareCode>
      <SerialNo>001</SerialNo>
      <DateTime>2026-04-20T09:30:00</DateTime>
    </Source>
  </Header>
  <Children>
    <Child>
      <ChildIdentifiers>
        <LAchildID>{jayden.pk}</LAchildID>
        <UPN>A123456789012</UPN>
        <PersonBirthDate>2016-03-14</PersonBirthDate>
        <Sex>M</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>WBRI</Ethnicity>
        <Disabilities>
          <Disability>NONE</Disability>
        </Disabilities>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2025-05-06</CINreferralDate>
        <ReferralSource>2A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <Assessments>
          <AssessmentActualStartDate>2025-05-07</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2025-06-02</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>2B</AssessmentFactors>
            <AssessmentFactors>3B</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <CINPlanDates>
          <CINPlanStartDate>2025-06-03</CINPlanStartDate>
          <CINPlanEndDate>2025-06-27</CINPlanEndDate>
        </CINPlanDates>
        <Section47>
          <S47ActualStartDate>2025-06-09</S47ActualStartDate>
          <InitialCPCtarget>2025-06-30</InitialCPCtarget>
          <DateOfInitialCPC>2025-06-27</DateOfInitialCPC>
          <ICPCnotRequired>0</ICPCnotRequired>
        </Section47>
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2025-06-27</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>EMO</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>1</NumberOfPreviousCPP>
          <Reviews>
            <CPPreviewDate>2025-09-18</CPPreviewDate>
          </Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
  </Children>
</Message>
"""
    )


def test_ends_after_the_year_are_left_open_and_later_work_left_out(cast: Cast, tmp_path: Path):
    lily = child_of(cast.nashes)
    # Open on 31 March 2026, closed in May: the census shows it open, with no reason.
    episode = referral(lily, cast.nashes, date(2026, 1, 5), date(2026, 5, 1), closure_reason="RC7")
    # Authorised after the year: the census shows it unfinished, without its factors.
    Assessment.objects.create(
        episode=episode, start=date(2026, 3, 2), authorised=date(2026, 4, 8), factors=["21"]
    )
    # Begun after the year: not in this census at all.
    Section47Enquiry.objects.create(episode=episode, start=date(2026, 4, 2))
    CINPlan.objects.create(episode=episode, start=date(2026, 3, 9), end=date(2026, 4, 30))

    export(2026, tmp_path / "cin.xml", made=MADE)

    root = parsed(tmp_path / "cin.xml")
    (details,) = root.iter("CINdetails")
    assert [(e.tag, e.text) for e in details.iter() if e.text and e.text.strip()] == [
        ("CINreferralDate", "2026-01-05"),
        ("ReferralSource", "2A"),
        ("PrimaryNeedCode", "N1"),
        ("AssessmentActualStartDate", "2026-03-02"),
        ("CINPlanStartDate", "2026-03-09"),
        ("ReferralNFA", "0"),
    ]


def test_an_unborn_childs_sex_is_u_and_blanks_are_left_out(cast: Cast, tmp_path: Path):
    unborn = Person.objects.create(
        first_name="Baby", last_name="Nash", expected_date_of_birth=date(2026, 5, 1), sex="F"
    )
    referral(unborn, cast.nashes, date(2026, 2, 2), referral_source="3B", primary_need="")

    export(2026, tmp_path / "cin.xml", made=MADE)

    root = parsed(tmp_path / "cin.xml")
    ids = root.find("Children/Child/ChildIdentifiers")
    assert ids is not None
    assert [(e.tag, e.text) for e in ids] == [
        ("LAchildID", str(unborn.pk)),
        ("ExpectedPersonBirthDate", "2026-05-01"),
        ("Sex", "U"),
    ]
    # No ethnicity or disability recorded: nothing is made up (the validator will say so).
    characteristics = root.find("Children/Child/ChildCharacteristics")
    assert characteristics is not None and len(characteristics) == 0
    assert root.find("Children/Child/CINdetails/PrimaryNeedCode") is None


def test_a_child_born_after_the_year_was_unborn_on_its_last_day(cast: Cast, tmp_path: Path):
    rosa = Person.objects.create(
        first_name="Rosa", last_name="Nash", date_of_birth=date(2026, 6, 21), sex="F"
    )
    referral(rosa, cast.nashes, date(2026, 3, 25), referral_source="3B")

    export(2026, tmp_path / "cin.xml", made=MADE)

    ids = parsed(tmp_path / "cin.xml").find("Children/Child/ChildIdentifiers")
    assert ids is not None
    assert [(e.tag, e.text) for e in ids] == [
        ("LAchildID", str(rosa.pk)),
        ("ExpectedPersonBirthDate", "2026-06-21"),
        ("Sex", "U"),
    ]


def busy_child(cast: Cast, n: int) -> None:
    """A child with a year of everything: referral, assessment, enquiry, conference, plans."""
    family = make_family(f"Busy{n}", cast.harbour)
    child = child_of(family)
    episode = referral(child, family, date(2025, 4, 7), date(2026, 2, 6), closure_reason="RC7")
    Assessment.objects.create(
        episode=episode, start=date(2025, 4, 8), authorised=date(2025, 5, 1), factors=["1A"]
    )
    enquiry = Section47Enquiry.objects.create(episode=episode, start=date(2025, 5, 5))
    InitialConference.objects.create(enquiry=enquiry, date=date(2025, 5, 23))
    CINPlan.objects.create(episode=episode, start=date(2025, 5, 2), end=date(2025, 5, 23))
    plan = CPPlan.objects.create(
        episode=episode,
        child=child,
        start=date(2025, 5, 23),
        end=date(2026, 2, 6),
        initial_category="NEG",
        latest_category="NEG",
    )
    CPReview.objects.create(plan=plan, date=date(2025, 8, 20))


def test_the_query_count_does_not_grow_with_the_children(
    cast: Cast, tmp_path: Path, django_assert_num_queries: Any
):
    busy_child(cast, 1)
    with django_assert_num_queries(9):
        assert export(2026, tmp_path / "one.xml", made=MADE).children == 1
    for n in range(2, 7):
        busy_child(cast, n)
    with django_assert_num_queries(9):
        assert export(2026, tmp_path / "six.xml", made=MADE).children == 6
    root = parsed(tmp_path / "six.xml")
    assert len(root.findall("Children/Child/CINdetails/ChildProtectionPlans/Reviews")) == 6


def test_the_command_writes_the_file_and_refuses_what_it_cannot_write(cast: Cast, tmp_path: Path):
    out = tmp_path / "census.xml"
    with pytest.raises(CommandError, match="No child had an open child in need episode"):
        call_command("returns", "cin", "--year", "2026", "--out", str(out))
    assert not out.exists() and not list(tmp_path.iterdir())
    with pytest.raises(CommandError, match="pre-proceedings"):
        call_command("returns", "cin", "--year", "2027", "--out", str(out))
    with pytest.raises(CommandError, match="There is no folder"):
        call_command("returns", "cin", "--year", "2026", "--out", str(tmp_path / "no" / "c.xml"))

    jaydens_year(cast)
    printed = StringIO()
    call_command("returns", "cin", "--year", "2026", "--out", str(out), stdout=printed)
    assert printed.getvalue() == f"{out}: 1 child\n"
    assert parsed(out).findtext("Header/Source/LEA") == "999"


def test_no_child_in_need_is_said_plainly(db: None, tmp_path: Path):
    with pytest.raises(NoChildInNeed, match="2025 to 2026"):
        export(2026, tmp_path / "cin.xml")


# The small demo council's census, checked by Data to Insight's validator. Every rule it breaks
# must be one whose cause is named here; a rule outside these is an error of the export. The
# demo council's generated data broke others (unauthorised assessments on closed episodes,
# "no further action" with an assessment, weekend conferences, too few disability codes): the
# generator now makes them as the rules ask, so none is excused.
# What users are told cannot apply to one council's census (none so far): the only rules the
# test excuses. Every record the census needs is held now (rule 8770Q's reason for no UPN was
# the last).
EXPLAINED = CANNOT_APPLY[Return.CIN]
# The validators' interpreter: `make returns-validators` (with csc-validator-be-cin added to
# validators.txt), or another environment that has it, named by ONESTORY_CIN_VALIDATOR_PYTHON.
VALIDATOR = Path(os.environ.get("ONESTORY_CIN_VALIDATOR_PYTHON", str(VALIDATORS_PYTHON)))
has_cin_validator = VALIDATOR.exists() and any(
    VALIDATOR.parent.parent.glob("lib/python*/site-packages/cin_validator")
)


# `make test` installs the validators first; run alone, the test fails with what to do rather
# than skipping.
def test_the_small_councils_census_breaks_only_explained_rules(
    small_council: dict[str, int], tmp_path: Path
) -> None:
    assert has_cin_validator, (
        f"csc-validator-be-cin is not installed for {VALIDATOR}: run `make returns-validators`"
    )
    written = export(2026, tmp_path / "cin.xml")
    result = validate_cin(written.path, year=2026, python=VALIDATOR)
    found = {issue.rule for issue in result.issues}
    assert found - EXPLAINED.keys() == set(), result.by_rule()
    children = {e.text for e in parsed(written.path).iter("LAchildID")}
    assert all(i.child in children or i.child == "" for i in result.issues)
