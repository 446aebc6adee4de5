"""The SSDA903 import: export, import into a council without those records, export again gives
the same files; running it twice changes nothing; a later year closes what an earlier left
open; every kind of bad input is named by file, line and column, and nothing is written."""

from __future__ import annotations

import filecmp
import time
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from onestory.accounts.models import Role
from onestory.families.models import (
    AdoptionDecision,
    AdoptionPlacement,
    Allocation,
    CareEpisode,
    CareLeaverContact,
    DeprivationOfLiberty,
    Family,
    FamilyMember,
    HealthOutcomes,
    MemberRole,
    MissingEpisode,
    Person,
    PreviousPermanence,
    Review,
    UASCPeriod,
)
from onestory.pods.models import Pod
from onestory.returns.ssda903.export import export
from onestory.returns.ssda903.importer import Imported, Refused, import_folders
from onestory.returns.tests.helpers import FORMED, Records, make_records, staff
from onestory.test import make_user

pytestmark = pytest.mark.django_db

YEARS = (2025, 2026, 2027)
# An import writing every table (under 2,000 rows each): a savepoint, four queries for the
# people and staff, and for each table a read of what One Story holds and a write.
IMPORT_QUERIES = 32
# Every table the import writes but CareEpisode (PreviousPermanence hangs on it).
IMPORTED = (
    Review,
    MissingEpisode,
    UASCPeriod,
    AdoptionDecision,
    AdoptionPlacement,
    Allocation,
    HealthOutcomes,
    CareLeaverContact,
    DeprivationOfLiberty,
)


def exported_from_another_system(out: Path, years: tuple[int, ...] = YEARS) -> None:
    """The returns of make_records' children, written and then the records rolled back: the
    council's old system made these files, and One Story holds none of their records."""
    with transaction.atomic():
        records = make_records()
        add_the_other_tables(records)
        for year in years:
            export(year, out / str(year))
        transaction.set_rollback(True)


def add_the_other_tables(records: Records) -> None:
    """Every other SSDA903 table gets rows: Ben is placed for adoption and adopted when his
    care ends in May 2026, has health outcomes and deprivation of liberty orders; Amara had a
    special guardianship order before her care; Cara, a care leaver, is in OC3 alone."""
    amara, ben, cara = records.amara, records.ben, records.cara
    CareEpisode.objects.filter(child=ben).update(reason_ceased="E11")
    AdoptionPlacement.objects.create(child=ben, start=date(2025, 8, 1), end=date(2026, 5, 1))
    AdoptionDecision.objects.create(
        child=ben,
        decided=date(2025, 6, 2),
        matched=date(2025, 12, 1),
        number_of_adopters=2,
        adopter_sex="MF",
        adopter_legal_status="L11",
    )
    HealthOutcomes.objects.create(
        child=ben, year=2026, health_check=True, immunisations=True, teeth_check=False
    )
    DeprivationOfLiberty.objects.create(child=ben, start=date(2026, 3, 1), end=date(2026, 4, 20))
    DeprivationOfLiberty.objects.create(child=ben, start=date(2026, 4, 21), end=date(2026, 5, 1))
    PreviousPermanence.objects.create(
        care_episode=CareEpisode.objects.get(child=amara, reason_new_episode="S"),
        order="P2",
        council="306",
        order_date=date(2020, 2, 29),
    )
    CareLeaverContact.objects.create(
        child=cara, year=2026, in_touch="YES", activity="F2", accommodation="U1"
    )


class Council:
    def __init__(self) -> None:
        # The staff come to One Story before their caseloads (decision 0027): the import
        # matches SW_ID to their Social Work England numbers.
        self.pod = Pod.objects.create(name="Pod Harbour", formed=FORMED)
        staff("Sam", "SW100001")
        staff("Kim", "SW100002")
        self.lead = make_user("data-lead", Role.PERFORMANCE_ANALYST, "Dana", "Lead", password=None)

    def run(self, *folders: Path) -> Imported:
        return import_folders(by=self.lead, folders=[(f, None) for f in folders], pod=self.pod)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    out = tmp_path / "old-system"
    exported_from_another_system(out)
    return out


@pytest.fixture
def council(files: Path) -> Council:
    return Council()


def every_count() -> dict[str, int]:
    """Rows in every table of the records, their history included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ("families", "pods", "accounts", "pghistory")
    }


def edit(path: Path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content, f"{old!r} not in {path.name}"
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def refused(council: Council, *folders: Path) -> list[str]:
    """The problems reported, checking that nothing at all was written."""
    before = every_count()
    with pytest.raises(Refused) as raised:
        council.run(*folders)
    assert every_count() == before
    return raised.value.lines()


def child_ids(files: Path) -> tuple[str, str]:
    lines = (files / "2026" / "header.csv").read_text().splitlines()
    return lines[1].split(",")[0], lines[2].split(",")[0]


# --- Round trip and idempotence ---------------------------------------------------------------


def test_export_import_export_gives_the_same_files(files: Path, council: Council, tmp_path: Path):
    with CaptureQueriesContext(connection) as queries:
        council.run(*(files / str(year) for year in YEARS))
    # A fixed number of queries whatever the number of rows: about three a table.
    assert len(queries) == IMPORT_QUERIES
    again = tmp_path / "again"
    for year in YEARS:
        export(year, again / str(year))
        names = sorted(p.name for p in (files / str(year)).iterdir())
        assert names == sorted(p.name for p in (again / str(year)).iterdir())
        for name in names:
            assert filecmp.cmp(files / str(year) / name, again / str(year) / name, shallow=False), (
                f"{year}/{name} differs"
            )


def test_each_child_is_a_person_in_a_family_of_the_pod(files: Path, council: Council):
    amara_id, ben_id = child_ids(files)
    council.run(*(files / str(year) for year in YEARS))
    ben = Person.objects.get(return_id=ben_id)
    assert (ben.first_name, ben.last_name, ben.sex, ben.date_of_birth) == (
        "Child",
        ben_id,
        "M",
        date(2019, 2, 3),
    )
    member = FamilyMember.objects.get(person=ben)
    assert member.role == MemberRole.CHILD
    assert member.family.pod == council.pod
    assert member.family.name == f"Child {ben_id}'s family"
    # Cara, a care leaver in OC3 (and the Header), is a person in a family too.
    assert Family.objects.filter(pod=council.pod).count() == 3
    # The episode open on 31 March 2026 and closed in the 2026-27 file is one episode, closed.
    assert list(CareEpisode.objects.filter(child=ben).values_list("start", "end")) == [
        (date(2023, 1, 9), date(2026, 5, 1))
    ]
    # The allocations keep their workers, found by their Social Work England numbers.
    assert list(
        Allocation.objects.filter(child=ben).values_list("worker__swe_number", "end", "pod")
    ) == [
        ("SW100001", date(2025, 11, 3), council.pod.pk),
        ("SW100002", None, council.pod.pk),
    ]
    # Reviews of both years; the UASC period open (its DUC was the 18th birthday).
    assert Review.objects.filter(child=ben).count() == 2
    assert list(UASCPeriod.objects.filter(child=ben).values_list("start", "end")) == [
        (date(2023, 1, 9), None)
    ]
    amara = Person.objects.get(return_id=amara_id)
    assert amara.upn == "A123456789012"
    assert CareEpisode.objects.get(child=amara, start=date(2025, 9, 1)).urn == "=1+2"
    assert PreviousPermanence.objects.get().care_episode.start == date(2025, 6, 10)
    assert CareLeaverContact.objects.get().child.date_of_birth == date(2010, 1, 1)
    assert DeprivationOfLiberty.objects.filter(child=ben).count() == 2


def test_running_the_same_files_again_changes_nothing(files: Path, council: Council):
    folders = [files / str(year) for year in YEARS]
    first = council.run(*folders)
    before = every_count()
    second = council.run(*folders)
    assert every_count() == before
    assert all(c.created == c.updated == 0 for c in second.counts.values())
    assert first.counts["Episodes"].created == 3
    assert second.counts["Episodes"].unchanged == 3


def test_a_later_year_closes_what_an_earlier_left_open(files: Path, council: Council):
    _, ben_id = child_ids(files)
    council.run(files / "2026")
    ben = Person.objects.get(return_id=ben_id)
    assert CareEpisode.objects.get(child=ben).end is None
    imported = council.run(files / "2027")
    assert list(CareEpisode.objects.filter(child=ben).values_list("end", "reason_ceased")) == [
        (date(2026, 5, 1), "E11")
    ]
    assert imported.counts["Episodes"].updated == 1
    assert imported.counts["Episodes"].created == 0
    # Running the earlier year again after the later one changes nothing either: on its 31
    # March the episode was open, as it says.
    before = every_count()
    council.run(files / "2026")
    assert every_count() == before


def test_a_care_leaver_in_oc3_and_no_header_is_made_from_oc3(files: Path, council: Council):
    # Files from a system that leaves care leavers out of the Header.
    path = files / "2026" / "header.csv"
    lines = path.read_text().splitlines()
    assert lines[3].endswith(",F,01/01/2010,,,,")  # Cara's
    cara_id = lines[3].split(",")[0]
    path.write_text("\r\n".join(lines[:3]) + "\r\n")
    council.run(files / "2026")
    cara = Person.objects.get(return_id=cara_id)
    assert (cara.date_of_birth, cara.sex) == (date(2010, 1, 1), "")
    assert CareLeaverContact.objects.get(child=cara).in_touch == "YES"
    assert FamilyMember.objects.get(person=cara).family.pod == council.pod


def test_the_year_is_told_from_the_files_when_the_folder_does_not_say(
    files: Path, council: Council, tmp_path: Path
):
    (files / "2026").rename(tmp_path / "from-the-old-system")
    imported = council.run(tmp_path / "from-the-old-system")
    assert imported.counts["Episodes"].created == 3
    assert CareEpisode.objects.filter(end=None).count() == 1  # Ben's, open on 31 March 2026


def test_the_command_imports_the_files(files: Path, council: Council):
    out = StringIO()
    call_command(
        "import_ssda903",
        str(files / "2026"),
        "--pod",
        "Pod Harbour",
        "--by",
        "data-lead",
        stdout=out,
    )
    assert "Episodes: 3 new, 0 updated, 0 unchanged" in out.getvalue()
    assert "Families made for new children: 3" in out.getvalue()


def test_the_small_demo_councils_returns_round_trip(small_council: dict[str, int], tmp_path: Path):
    """A council's worth of files: the small demo council's three years exported, its records
    of them removed (in a savepoint, rolled back after), imported and exported again."""
    first, again = tmp_path / "first", tmp_path / "again"
    for year in YEARS:
        export(year, first / str(year))
    with transaction.atomic():
        for model in (PreviousPermanence, CareEpisode, *IMPORTED):
            model._default_manager.all().delete()
        Person.objects.update(upn="")  # the imported children bring them back
        lead = make_user("data-lead", Role.PERFORMANCE_ANALYST, "Dana", "Lead", password=None)
        pod = Pod.objects.earliest("pk")
        began = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            imported = import_folders(
                by=lead,
                folders=[(first / str(y), None) for y in YEARS],
                pod=pod,
            )
        took = time.perf_counter() - began
        for year in YEARS:
            export(year, again / str(year))
        transaction.set_rollback(True)
    rows = {name: count.created for name, count in imported.counts.items()}
    print(f"\nImported the small council's {YEARS} returns in {took:.2f} s: {rows}")
    assert len(queries) == IMPORT_QUERIES  # as for the three hand-made children
    assert rows["Header"] > 50
    for year in YEARS:
        for path in sorted((first / str(year)).iterdir()):
            assert path.read_text() == (again / str(year) / path.name).read_text(), (
                f"{year}/{path.name} differs"
            )


def test_the_command_takes_the_year_of_one_folder(files: Path, council: Council, tmp_path: Path):
    (files / "2027").rename(tmp_path / "last-year")
    out = StringIO()
    call_command(
        "import_ssda903",
        str(tmp_path / "last-year"),
        "--year",
        "2027",
        "--pod",
        "Pod Harbour",
        "--by",
        "data-lead",
        stdout=out,
    )
    assert "DoLo: 2 new, 0 updated, 0 unchanged" in out.getvalue()
    with pytest.raises(CommandError, match="give one folder with it"):
        call_command(
            "import_ssda903",
            str(files / "2025"),
            str(files / "2026"),
            "--year",
            "2026",
            "--pod",
            "Pod Harbour",
            "--by",
            "data-lead",
        )


# --- Bad input: one test a kind, each writing nothing ------------------------------------------


def test_a_missing_column(files: Path, council: Council):
    edit(files / "2026" / "header.csv", "ETHNIC,", "ETHNICITY,")
    assert refused(council, files / "2026") == [
        "2026/header.csv, line 1, column ETHNIC: the column is missing"
    ]


def test_a_wrong_date(files: Path, council: Council):
    edit(files / "2026" / "episodes.csv", ",10/06/2025,", ",2025-06-10,")
    assert refused(council, files / "2026") == [
        "2026/episodes.csv, line 2, column DECOM: '2025-06-10' is not a date written as "
        "dd/mm/yyyy, such as 31/03/2026"
    ]


def test_an_unknown_code(files: Path, council: Council):
    edit(files / "2026" / "episodes.csv", ",S,C2,N1,U4,", ",S,C9,N1,U4,")
    assert refused(council, files / "2026") == [
        "2026/episodes.csv, line 2, column LS: 'C9' is not one of the SSDA903 codes for this column"
    ]


def test_a_child_twice_in_the_header(files: Path, council: Council):
    amara_id, _ = child_ids(files)
    path = files / "2026" / "header.csv"
    lines = path.read_text().splitlines()
    path.write_text("\r\n".join([*lines, lines[1]]) + "\r\n")
    assert refused(council, files / "2026") == [
        f"2026/header.csv, line {len(lines) + 1}, column CHILD: {amara_id} is already in the "
        "Header, at line 2"
    ]


def test_a_file_for_the_wrong_year(files: Path, council: Council, tmp_path: Path):
    wrong = files / "2026"
    wrong.rename(tmp_path / "2025")  # the 2025-26 files in the folder of 2024-25
    problems = refused(council, tmp_path / "2025")
    assert (
        "2025/episodes.csv, line 2, column DECOM: 10/06/2025 is after 31 March 2025, the end "
        "of the 2024 to 2025 return: is this file for another year?"
    ) in problems
    assert (
        "2025/reviews.csv, line 2, column REVIEW: 01/07/2025 is after 31 March 2025, the end "
        "of the 2024 to 2025 return: is this file for another year?"
    ) in problems


def test_a_table_of_another_years_return(files: Path, council: Council):
    (files / "2027" / "dolo.csv").rename(files / "2026" / "dolo.csv")
    assert refused(council, files / "2026") == [
        "2026/dolo.csv: the 2025 to 2026 return has no such table (it is part of the 2026 to "
        "2027 return): is this the folder for the right year?"
    ]


def test_an_episode_overlapping_another(files: Path, council: Council):
    # Amara's first episode made to end after her second began.
    edit(files / "2026" / "episodes.csv", ",01/09/2025,X1,", ",02/09/2025,X1,")
    amara_id, _ = child_ids(files)
    assert refused(council, files / "2026") == [
        f"2026/episodes.csv, line 3, column DECOM: 01/09/2025 overlaps {amara_id}'s Episodes "
        "row from 10/06/2025 (2026/episodes.csv, line 2), which ended 02/09/2025"
    ]


def test_a_row_for_a_child_not_in_the_header(files: Path, council: Council):
    path = files / "2026" / "reviews.csv"
    path.write_text(path.read_text() + "NOBODY,03/02/2019,01/08/2025,PN1\r\n")
    assert refused(council, files / "2026") == [
        "2026/reviews.csv, line 3, column CHILD: NOBODY is not in this year's Header (header.csv)"
    ]


def test_a_conflict_between_years_names_both_files(files: Path, council: Council):
    _, ben_id = child_ids(files)
    edit(files / "2027" / "header.csv", f"{ben_id},M,03/02/2019,", f"{ben_id},M,04/02/2019,")
    problems = refused(council, files / "2026", files / "2027")
    assert problems[0] == (
        f"2027/header.csv, line 2, column DOB: 04/02/2019, but 2026/header.csv, line 3 gives "
        f"03/02/2019 for {ben_id}"
    )


def test_a_social_worker_one_story_does_not_know(files: Path, council: Council):
    edit(files / "2026" / "sw_episodes.csv", ",SW100002,", ",SW999999,")
    assert refused(council, files / "2026") == [
        "2026/sw_episodes.csv, line 4, column SW_ID: no member of staff has the Social Work "
        "England number SW999999: add them to One Story first (pods: staff), with their dates "
        "of employment"
    ]


def test_previous_permanence_without_a_period_of_care_begun(files: Path, council: Council):
    _, ben_id = child_ids(files)
    path = files / "2026" / "previous_permanence.csv"
    path.write_text(path.read_text() + f"{ben_id},03/02/2019,Z1,,\r\n")
    assert refused(council, files / "2026") == [
        f"2026/previous_permanence.csv, line 3, column CHILD: no episode of {ben_id}'s in this "
        "year's Episodes begins a period of care (RNE S), which previous permanence belongs to"
    ]


def test_every_problem_is_reported_not_only_the_first(files: Path, council: Council):
    edit(files / "2026" / "episodes.csv", ",S,C2,N1,U4,", ",S,C9,N1,U4,")
    edit(files / "2026" / "reviews.csv", ",PN1", ",PN9")
    edit(files / "2026" / "header.csv", ",F,01/05/2012,", ",Q,01/05/2012,")
    problems = refused(council, files / "2026")
    assert [p.split(":")[0] for p in problems] == [
        "2026/header.csv, line 2, column SEX",
        "2026/episodes.csv, line 2, column LS",
        "2026/reviews.csv, line 2, column REVIEW_CODE",
    ]


def test_the_command_reports_every_problem_and_fails(files: Path, council: Council):
    edit(files / "2026" / "episodes.csv", ",S,C2,N1,U4,", ",S,C9,N1,U4,")
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem in the files"):
        call_command(
            "import_ssda903",
            str(files / "2026"),
            "--pod",
            "Pod Harbour",
            "--by",
            "data-lead",
            stderr=err,
        )
    assert "2026/episodes.csv, line 2, column LS: 'C9'" in err.getvalue()
