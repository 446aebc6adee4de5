"""Ofsted's Annex A from hand-built records: each list's columns, its rows for the day asked,
the allocated worker and the day each child was last seen, formula cells made harmless, the
same number of queries however many children, an empty council, and the small demo council."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO, StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from onestory.accounts.models import Role
from onestory.exports.models import Export
from onestory.families.models import (
    AdoptionDecision,
    AdoptionPlacement,
    Allocation,
    Assessment,
    CareEpisode,
    CareLeaverContact,
    CINEpisode,
    CPPlan,
    CPReview,
    InitialConference,
    MissingEpisode,
    Person,
    Review,
    Section47Enquiry,
)
from onestory.pods.models import Pod
from onestory.returns.annex_a import exports, spec
from onestory.returns.annex_a.lists import months_before
from onestory.returns.annex_a.workbook import XLSX, write
from onestory.returns.tests.helpers import FORMED, staff
from onestory.stories.models import Kind
from onestory.stories.tests.helpers import make_entry
from onestory.test import SMALL_COUNCIL_TODAY, Cast, child_of, make_user, signed_in, when

DAY = date(2026, 11, 29)
Sheets = dict[str, list[tuple[Any, ...]]]


def read(source: Path | BytesIO) -> Sheets:
    book = load_workbook(source, read_only=True)
    return {
        sheet.title: [tuple(c for c in row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


def rows_of(sheets: Sheets, number: int) -> list[dict[str, Any]]:
    """The list's rows as column -> value, the header row checked against the spec."""
    found = spec.BY_NUMBER[number]
    header, *rows = sheets[found.sheet]
    assert header == found.columns
    return [dict(zip(found.columns, row, strict=True)) for row in rows]


def column(number: int, starting: str) -> str:
    [found] = [c for c in spec.BY_NUMBER[number].columns if c.startswith(starting)]
    return found


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def care(child: Person, start: date, end: date | None = None, **fields: str) -> CareEpisode:
    values = {
        "reason_new_episode": "S",
        "legal_status": "C2",
        "category_of_need": "N1",
        "placement": "U4",
        "provider": "PR1",
        "placement_postcode": "BN2 1AB",
    }
    values.update(fields)
    return CareEpisode.objects.create(child=child, start=start, end=end, **values)


def jayden_on_a_plan(cast: Cast) -> Person:
    """Jayden: referred in December 2025 (closed, with a short CP plan) and again in June
    2026, assessed and seen, a section 47 enquiry and conference, a CP plan since July.
    Kim was his worker until August, then Sam; the names and the pod start like formulas."""
    jayden = child_of(cast.okafors)
    Person.objects.filter(pk=jayden.pk).update(ethnicity="WBRI", disabilities=["NONE"])
    tide = Pod.objects.create(name="@Pod Tide", formed=FORMED)
    kim, sam = staff("Kim", "SW200001"), staff("=HYPERLINK(1)", "SW200002")
    Allocation.objects.create(
        child=jayden, worker=kim, pod=tide, start=date(2025, 12, 1), end=date(2026, 8, 1)
    )
    Allocation.objects.create(
        child=jayden, worker=sam, pod=tide, start=date(2026, 8, 1), change_reason="MANAGE"
    )
    old = CINEpisode.objects.create(
        child=jayden,
        family=cast.okafors,
        start=date(2025, 12, 1),
        end=date(2026, 2, 1),
        referral_source="6",
        primary_need="N1",
        closure_reason="RC7",
    )
    CPPlan.objects.create(
        episode=old,
        child=jayden,
        start=date(2025, 12, 5),
        end=date(2026, 1, 20),
        initial_category="PHY",
        latest_category="PHY",
    )
    # Never authorised, in an episode that closed before the six months: not in progress.
    Assessment.objects.create(episode=old, start=date(2025, 12, 2))
    episode = CINEpisode.objects.create(
        child=jayden,
        family=cast.okafors,
        start=date(2026, 6, 10),
        referral_source="2A",
        primary_need="N2",
    )
    Assessment.objects.create(episode=episode, start=date(2026, 6, 11), authorised=date(2026, 7, 1))
    enquiry = Section47Enquiry.objects.create(episode=episode, start=date(2026, 7, 5))
    InitialConference.objects.create(enquiry=enquiry, date=date(2026, 7, 20), plan_made=True)
    plan = CPPlan.objects.create(
        episode=episode,
        child=jayden,
        start=date(2026, 7, 20),
        initial_category="NEG",
        latest_category="EMO",
    )
    CPReview.objects.create(plan=plan, date=date(2026, 10, 15))
    for day in (date(2026, 6, 20), date(2026, 11, 20)):
        make_entry(cast.okafors, cast.sam, at=at(day), seen=[jayden], about=[jayden])
    # A meeting is not a visit: it does not count as the last time he was seen.
    make_entry(cast.okafors, cast.sam, kind=Kind.MEETING, at=at(date(2026, 11, 25)), seen=[jayden])
    return jayden


def ella_in_care() -> Person:
    """Ella: in care from September to December 2025, and again since January 2026 (a change
    of legal status in March, a move in July), missing once and away once in the year,
    reviewed twice."""
    ella = Person.objects.create(
        first_name="Ella",
        last_name="Stone",
        date_of_birth=date(2012, 5, 1),
        sex="F",
        ethnicity="BAFR",
        disabilities=["AUT"],
        return_id="LEG-9",  # brought in from another system's returns
    )
    # An earlier period of care, ended in December 2025: this is her second in the year.
    care(ella, date(2025, 9, 1), date(2025, 12, 20), legal_status="V2", reason_ceased="E4A")
    care(ella, date(2026, 1, 10), date(2026, 3, 1), legal_status="C1", placement="U6",
         reason_ceased="X1")  # fmt: skip
    care(ella, date(2026, 3, 1), date(2026, 7, 1), reason_new_episode="L", placement="U6",
         reason_ceased="X1")  # fmt: skip
    care(ella, date(2026, 7, 1), reason_new_episode="P", placement="K2", provider="PR4",
         placement_postcode="-BN2 1AB", urn="SC123456")  # fmt: skip
    MissingEpisode.objects.create(child=ella, kind="M", start=date(2025, 6, 1))  # too long ago
    MissingEpisode.objects.create(child=ella, kind="M", start=date(2026, 9, 1))
    MissingEpisode.objects.create(child=ella, kind="A", start=date(2026, 10, 1))
    Review.objects.create(child=ella, date=date(2026, 2, 1), participation="PN1")
    Review.objects.create(child=ella, date=date(2026, 8, 15), participation="PN1")
    return ella


def gus_adopted() -> Person:
    """Gus: in care from March 2025, a placement order in October, placed for adoption in
    February 2026 and adopted on 1 September 2026."""
    gus = Person.objects.create(
        first_name="Gus", last_name="Reed", date_of_birth=date(2024, 1, 2), sex="M"
    )
    care(gus, date(2025, 3, 1), date(2025, 10, 1), reason_ceased="X1")
    care(gus, date(2025, 10, 1), date(2026, 2, 1), reason_new_episode="L", legal_status="E1",
         reason_ceased="X1")  # fmt: skip
    care(gus, date(2026, 2, 1), date(2026, 9, 1), reason_new_episode="P", legal_status="E1",
         placement="A5", reason_ceased="E11")  # fmt: skip
    AdoptionPlacement.objects.create(child=gus, start=date(2025, 6, 1))
    AdoptionDecision.objects.create(child=gus, decided=date(2025, 6, 1), matched=date(2026, 1, 15))
    return gus


def care_leavers() -> Person:
    """Maya, 19, a care leaver in touch, in suitable lodgings and at college this year (her
    record from last year is older and not shown); Noah, 20, whose record says he has died;
    Omar, 23, too old for the list."""
    maya = Person.objects.create(
        first_name="Maya", last_name="Khan", date_of_birth=date(2007, 6, 2), sex="F"
    )
    CareLeaverContact.objects.create(
        child=maya, year=2026, in_touch="NO", activity="G6", accommodation="T2"
    )
    CareLeaverContact.objects.create(
        child=maya, year=2027, in_touch="YES", activity="F2", accommodation="B1"
    )
    for name, born, in_touch in (
        ("Noah", date(2006, 1, 1), "DIED"),
        ("Omar", date(2003, 1, 1), "YES"),
    ):
        young = Person.objects.create(first_name=name, last_name="Reed", date_of_birth=born)
        CareLeaverContact.objects.create(
            child=young,
            year=2027,
            in_touch=in_touch,
            activity="0" if in_touch == "DIED" else "F2",
            accommodation="0" if in_touch == "DIED" else "B1",
        )
    return maya


@pytest.fixture
def records(cast: Cast) -> dict[str, Person]:
    # Finn left care before the six months: on no list.
    finn = Person.objects.create(first_name="Finn", last_name="Hale", sex="M")
    care(finn, date(2025, 1, 1), date(2026, 3, 1), reason_ceased="E4A")
    return {
        "jayden": jayden_on_a_plan(cast),
        "ella": ella_in_care(),
        "gus": gus_adopted(),
        "maya": care_leavers(),
    }


@pytest.fixture
def sheets(records: dict[str, Person], tmp_path: Path) -> Sheets:
    write(DAY, tmp_path / "annex-a.xlsx")
    return read(tmp_path / "annex-a.xlsx")


def test_every_list_is_a_sheet_with_its_columns(sheets: Sheets) -> None:
    assert list(sheets) == ["About"] + [found.sheet for found in spec.LISTS]
    for found in spec.LISTS:
        assert sheets[found.sheet][0] == found.columns
    assert sheets["List 1 Contacts"][0][:6] == (
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Date of Contact",
    )


def test_lists_without_records_say_why_they_are_empty(sheets: Sheets) -> None:
    for number in (1, 2, 11):
        found = spec.BY_NUMBER[number]
        assert found.not_held
        assert sheets[found.sheet][1:] == [(f"No rows: {found.not_held}",)]


def test_referrals_in_the_six_months_with_the_allocated_worker(
    sheets: Sheets, records: dict[str, Person]
) -> None:
    jayden = records["jayden"]
    assert rows_of(sheets, 3) == [
        {
            "Child Unique ID": str(jayden.pk),
            "Gender": "a) Male",
            "Ethnicity": "a) WBRI",
            "Date of Birth": "14/03/2016",
            "Age of Child (Years)": 10,
            "Date of referral": "10/06/2026",
            "Referral Source": "e) 2A: Schools",
            "Referral NFA?": "b) No",
            "Number of Referrals in Last 12 Months": 1,
            # The worker and pod start like formulas: written as text.
            "Allocated Team": "'@Pod Tide",
            "Allocated Worker": "'=HYPERLINK(1) Worker",
        }
    ]


def test_assessments_and_section_47s(sheets: Sheets) -> None:
    [assessment] = rows_of(sheets, 4)
    assert assessment["Does the Child have a Disability"] == "b) No"
    assert assessment["Continuous Assessment Start Date"] == "11/06/2026"
    assert assessment["Child Seen During Continuous Assessment"] == "a) Yes"  # 20 June
    assert assessment["Continuous Assessment Date of Authorisation"] == "01/07/2026"
    assert assessment[column(4, "Was the child assessed as requiring")] == "a) Yes"
    [enquiry] = rows_of(sheets, 5)
    assert enquiry["Strategy discussion initiating Section 47 Enquiry Start Date"] == "05/07/2026"
    assert enquiry["Was an Initial Child Protection Conference deemed unnecessary?"] == "b) No"
    assert enquiry["Date of Initial Child Protection Conference"] == "20/07/2026"
    assert enquiry[column(5, "Did the Initial Child Protection Conference Result")] == "a) Yes"
    assert enquiry["Number of Section 47 Enquiries in the last 12 months"] == 1
    assert enquiry["Number of ICPCs in the last 12 months"] == 1


def test_children_in_need_and_on_a_plan_with_the_day_last_seen(sheets: Sheets) -> None:
    # Both of Jayden's episodes: the one closed in February is outside the six months.
    [cin] = rows_of(sheets, 6)
    assert cin["CIN Start Date"] == "10/06/2026"
    assert cin["Primary Need Code"] == "N2 - Child's disability"
    assert cin["Date Child Was Last Seen"] == "20/11/2026"
    assert cin["CIN Closure Date"] == "" or cin["CIN Closure Date"] is None
    assert cin["Case Status"] == "b) Child Protection plan"
    assert cin["Allocated Worker"] == "'=HYPERLINK(1) Worker"
    [plan] = rows_of(sheets, 7)
    assert plan["Child Protection Plan Start Date"] == "20/07/2026"
    assert plan["Initial Category of Abuse"] == "a) Neglect"
    assert plan["Latest Category of Abuse"] == "d) Emotional abuse"
    assert plan["Date of the Last Statutory Visit"] == "20/11/2026"
    assert plan["Date of latest review conference"] == "15/10/2026"
    assert plan["Number of Previous Child Protection Plans"] == 1
    assert plan[column(7, "Subject to Emergency Protection Order")] == "b) No"


def test_children_in_care_one_row_a_child(sheets: Sheets, records: dict[str, Person]) -> None:
    by_child = {row["Child Unique ID"]: row for row in rows_of(sheets, 8)}
    # Not Finn; Ella under the id the returns give her.
    assert set(by_child) == {"LEG-9", str(records["gus"].pk)}
    ella = by_child["LEG-9"]
    assert ella["Does the Child have a Disability"] == "a) Yes"
    assert ella["Date Started to be Looked After"] == "10/01/2026"
    assert ella["Start date of current legal status"] == "01/03/2026"
    assert ella["Child's Legal Status"] == "C2: Full care order"
    assert ella["Start Date of Most Recent Placement"] == "01/07/2026"
    assert ella["Placement Type"].startswith("K2: ")
    assert ella["Placement Provider"] == "PR4: Private provision"
    assert ella["Placement postcode"] == "'-BN2 1AB"  # starts like a formula
    assert ella["URN of Placement"] == "SC123456"
    assert ella["Number of Placements in the Last 12 months"] == 3
    assert ella[column(8, "Is this a second or subsequent period")] == "a) Yes"
    assert ella["Date of Latest Statutory Review"] == "15/08/2026"
    assert ella[column(8, "Number of Episodes the Child has been 'Missing'")] == 1
    assert ella[column(8, "Number of Episodes the Child has been 'Absent'")] == 1
    assert ella["Date Ceased to be Looked After"] in ("", None)
    gus = by_child[str(records["gus"].pk)]
    assert gus["Date Ceased to be Looked After"] == "01/09/2026"
    assert gus["Reason Ceased to be Looked After"].startswith("E11: ")
    assert gus["Age of Child (Years)"] == 2
    assert gus[column(8, "Is this a second or subsequent period")] == "b) No"


def test_care_leavers_from_their_latest_circumstances(
    sheets: Sheets, records: dict[str, Person]
) -> None:
    [maya] = rows_of(sheets, 9)
    assert maya["Child Unique ID"] == str(records["maya"].pk)
    assert maya["Age of Child (Years)"] == 19
    assert maya["LA in Touch"] == "YES: Yes, the council is in touch"
    assert maya["Type of Accommodation"].startswith("B1: ")
    assert maya["Suitability of Accommodation"] == "Suitable"
    assert maya["Activity Status"].startswith("F2: ")
    # Not recorded by One Story: left blank, never made up.
    assert maya["Allocated Personal Advisor"] in ("", None)
    assert maya["Latest Date of Contact"] in ("", None)


def test_adoption(sheets: Sheets, records: dict[str, Person]) -> None:
    [gus] = rows_of(sheets, 10)
    assert gus["Child Unique ID"] == str(records["gus"].pk)
    assert gus["Date the Child Entered Care"] == "01/03/2025"
    assert gus["Date of Decision that Child Should be Placed for Adoption"] == "01/06/2025"
    assert gus["Date of Placement Order"] == "01/10/2025"
    assert gus["Date of Matching Child and Prospective Adopters"] == "15/01/2026"
    assert gus["Date Placed for Adoption"] == "01/02/2026"
    assert gus["Date of Adoption Order"] == "01/09/2026"


def test_formula_cells_are_text_in_the_file(records: dict[str, Person], tmp_path: Path) -> None:
    write(DAY, tmp_path / "a.xlsx")
    book = load_workbook(tmp_path / "a.xlsx")
    types = {
        cell.data_type
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }
    assert "f" not in types
    values = [c.value for s in book.worksheets for r in s.iter_rows() for c in r]
    assert not any(isinstance(v, str) and v.startswith(("=", "+", "-", "@")) for v in values)


def test_a_day_before_the_records_lists_nothing(records: dict[str, Person], tmp_path: Path):
    written = write(date(2024, 1, 1), tmp_path / "early.xlsx")
    assert set(written.rows.values()) == {0}
    sheets = read(tmp_path / "early.xlsx")
    assert rows_of(sheets, 3) == [] and rows_of(sheets, 8) == []


def test_the_queries_do_not_grow_with_the_children(
    records: dict[str, Person], cast: Cast, django_assert_num_queries: Any
) -> None:
    # One a list, and one more for each list showing when a child was last seen (6, 7, 8).
    with django_assert_num_queries(11):
        write(DAY, BytesIO())
    lily = child_of(cast.nashes)
    CINEpisode.objects.create(
        child=lily, family=cast.nashes, start=date(2026, 9, 1), referral_source="6"
    )
    care(Person.objects.create(first_name="Ida", last_name="Moss"), date(2026, 10, 1))
    with django_assert_num_queries(11):
        written = write(DAY, BytesIO())
    assert written.rows[3] == 2 and written.rows[8] == 3


def test_the_command_writes_the_workbook(records: dict[str, Person], tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "returns", "annex-a", "--on", "2026-11-29", "--out", str(tmp_path / "a.xlsx"), stdout=out
    )
    assert "List 3 Referrals: 1 row" in out.getvalue()
    assert "List 9 Care leavers: 1 row" in out.getvalue()
    assert "List 11 Adopters: 0 rows (One Story does not record this)" in out.getvalue()
    assert not (tmp_path / "a.xlsx.part").exists()
    assert rows_of(read(tmp_path / "a.xlsx"), 8)


def test_the_export_kind_makes_the_workbook_for_those_who_make_returns(
    records: dict[str, Person], cast: Cast
) -> None:
    analyst = make_user("annex-analyst", Role.PERFORMANCE_ANALYST, "Ana", "Lyst")
    assert exports.may_ask(analyst, {"on": "2026-11-29"})
    assert not exports.may_ask(cast.sam, {"on": "2026-11-29"})
    assert not exports.may_ask(cast.priya, {"on": "2026-11-29"})
    made = exports.build(Export(parameters=exports.parameters_for(DAY)), lambda _: None)
    assert made.filename == "annex-a-2026-11-29.xlsx" and made.content_type == XLSX
    assert rows_of(read(BytesIO(made.content)), 3)


def test_months_before_keeps_to_the_end_of_a_short_month() -> None:
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(date(2026, 11, 29), 12) == date(2025, 11, 29)
    assert months_before(date(2026, 3, 15), 6) == date(2025, 9, 15)


def test_an_empty_council_has_every_sheet_and_no_rows(db: None, tmp_path: Path) -> None:
    written = write(DAY, tmp_path / "empty.xlsx")
    assert set(written.rows.values()) == {0}
    sheets = read(tmp_path / "empty.xlsx")
    for found in spec.LISTS:
        assert sheets[found.sheet][0] == found.columns


def test_the_small_demo_councils_workbook(small_council: dict[str, int], tmp_path: Path):
    written = write(SMALL_COUNCIL_TODAY, tmp_path / "demo.xlsx")
    for number in (3, 6, 7, 8):
        assert written.rows[number] > 0, spec.BY_NUMBER[number].sheet
    sheets = read(tmp_path / "demo.xlsx")
    workers = {row["Allocated Worker"] for row in rows_of(sheets, 8)}
    assert workers - {None}
    assert any(row["Date Child Was Last Seen"] for row in rows_of(sheets, 6))


# --- The page that asks for it ----------------------------------------------------------------


def test_the_page_asks_for_the_day_and_starts_the_workbook(cast: Cast) -> None:
    analyst = make_user("annex-page-analyst", Role.PERFORMANCE_ANALYST, "Ana", "Page")
    client = signed_in(analyst)
    page = client.get(reverse("returns:annex_a:make"))
    assert page.status_code == 200
    today = timezone.localdate()
    assert f'value="{today.year}"' in page.content.decode()
    response = client.post(reverse("returns:annex_a:make"), when("on", date(2026, 11, 2)))
    export = Export.objects.get(created_by=analyst)
    assert response.status_code == 302 and str(export.uuid) in response["Location"]
    assert export.kind == exports.KIND and export.parameters == {"on": "2026-11-02"}
    assert export.title == "Ofsted Annex A for 2 November 2026 (xlsx)"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("", "", ""), "Enter the day the lists are for"),
        (("1", "1", "2015"), "Day the lists are for must be on or after 1 October 2015"),
        (("31", "2", "2026"), "Day the lists are for must be a real date"),
    ],
)
def test_a_bad_day_is_explained_and_kept(cast: Cast, typed: tuple[str, ...], message: str):
    analyst = make_user("annex-bad-day", Role.PERFORMANCE_ANALYST, "Ana", "Bad")
    page = signed_in(analyst).post(
        reverse("returns:annex_a:make"),
        dict(zip(("on_day", "on_month", "on_year"), typed, strict=True)),
    )
    text = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in text
    assert message in text
    for part in typed:
        if part:
            assert f'value="{part}"' in text  # what was typed is kept
    assert not Export.objects.filter(created_by=analyst).exists()


def test_only_those_who_make_returns_see_the_page(cast: Cast) -> None:
    for user in (cast.sam, cast.priya, cast.hana):
        assert signed_in(user).get(reverse("returns:annex_a:make")).status_code == 404
    assert signed_in(cast.ben).get(reverse("returns:annex_a:make")).status_code == 200
