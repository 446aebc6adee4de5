"""The SSDA903 export from hand-built records: the exact rows of each table for 2025-26."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from onestory.families.models import (
    CareEpisode,
    CareLeaverContact,
    DeprivationOfLiberty,
    HealthOutcomes,
    Person,
    PreviousPermanence,
)
from onestory.returns.ssda903 import spec
from onestory.returns.ssda903.export import export
from onestory.returns.tests.helpers import Records, episode, make_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(db: None) -> Records:
    return make_records()


def lines(folder: Path, table: spec.Table) -> list[str]:
    return (folder / table.file_name).read_text(encoding="utf-8").splitlines()


def test_every_table_of_the_year_is_written_with_its_columns(records: Records, tmp_path: Path):
    export(2026, tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(t.file_name for t in spec.YEARS[2026].values())
    assert "dolo.csv" not in names
    for table in spec.YEARS[2026].values():
        assert lines(tmp_path, table)[0] == ",".join(table.columns)
    # Tables with no records in these: their columns and no rows.
    for table in (spec.OC2, spec.OC3, spec.PREV_PERM):
        assert lines(tmp_path, table) == [",".join(table.columns)]


def test_header_lists_the_children_looked_after_in_the_year(records: Records, tmp_path: Path):
    export(2026, tmp_path)
    amara, ben = records.amara.pk, records.ben.pk
    assert lines(tmp_path, spec.HEADER)[1:] == [
        f"{amara},F,01/05/2012,BAFR,A123456789012,,",
        f"{ben},M,03/02/2019,,,,",
    ]


def test_a_mother_the_reason_for_no_upn_and_an_imported_childs_id(records: Records, tmp_path: Path):
    amara, ben = records.amara, records.ben
    Person.objects.filter(pk=amara.pk).update(
        is_mother=True, first_child_born=date(2025, 11, 2), return_id="OLD-77"
    )
    Person.objects.filter(pk=ben.pk).update(no_upn_reason="UN1", is_mother=False)
    export(2026, tmp_path)
    assert lines(tmp_path, spec.HEADER)[1:] == [
        "OLD-77,F,01/05/2012,BAFR,A123456789012,1,02/11/2025",
        f"{ben.pk},M,03/02/2019,,UN1,0,",
    ]
    # Every table names Amara by the id she was imported under.
    assert lines(tmp_path, spec.EPISODES)[1].startswith("OLD-77,10/06/2025,")
    assert lines(tmp_path, spec.SW_EPISODES)[1].startswith("OLD-77,")


def test_a_reason_only_the_cin_census_knows_leaves_the_upn_blank(records: Records, tmp_path: Path):
    Person.objects.filter(pk=records.ben.pk).update(no_upn_reason="UN7")
    export(2026, tmp_path)
    assert lines(tmp_path, spec.HEADER)[2] == f"{records.ben.pk},M,03/02/2019,,,,"


def test_episodes_start_change_placement_and_leave_care(records: Records, tmp_path: Path):
    export(2026, tmp_path)
    amara, ben = records.amara.pk, records.ben.pk
    assert lines(tmp_path, spec.EPISODES)[1:] == [
        # Amara starts to be looked after, then changes placement (the first episode ends X1
        # with the reason for the change) ...
        f"{amara},10/06/2025,S,C2,N1,U4,PR1,01/09/2025,X1,CARPL,BN1 1AA,BN2 1AB,",
        # ... and leaves care in February (her URN would start a formula: neutralised).
        f"{amara},01/09/2025,P,C2,N1,U6,PR4,10/02/2026,E13,,BN1 1AA,BN2 1AB,'=1+2",
        # Ben's episode ends in May 2026: on 31 March it was open, so no end and no reason.
        # He is an unaccompanied asylum-seeking child: no home postcode.
        f"{ben},09/01/2023,S,C2,N1,U4,PR1,,,,,'@BN4,",
    ]


def test_a_short_break_has_no_placement_location(records: Records, tmp_path: Path):
    episode(
        records.cara,
        date(2025, 8, 1),
        date(2025, 8, 4),
        legal_status="V3",
        reason_ceased="E8",
        urn="SC123456",
    )
    export(2026, tmp_path)
    assert f"{records.cara.pk},01/08/2025,S,V3,N1,U4,PR1,04/08/2025,E8,,,," in lines(
        tmp_path, spec.EPISODES
    )


def test_reviews_and_missing_in_the_year(records: Records, tmp_path: Path):
    export(2026, tmp_path)
    ben = records.ben.pk
    assert lines(tmp_path, spec.REVIEWS)[1:] == [f"{ben},03/02/2019,01/07/2025,PN1"]
    assert lines(tmp_path, spec.MISSING)[1:] == [f"{ben},03/02/2019,M,03/10/2025,04/10/2025"]


def test_uasc_gives_the_18th_birthday_while_the_child_is_uasc(records: Records, tmp_path: Path):
    export(2026, tmp_path)
    assert lines(tmp_path, spec.UASC)[1:] == [f"{records.ben.pk},M,03/02/2019,03/02/2037"]


def test_social_worker_episodes_come_from_the_allocations(records: Records, tmp_path: Path):
    export(2026, tmp_path)
    amara, ben = records.amara.pk, records.ben.pk
    assert lines(tmp_path, spec.SW_EPISODES)[1:] == [
        f"{amara},01/05/2012,SW100001,02/06/2025,,",
        f"{ben},03/02/2019,SW100001,01/12/2022,03/11/2025,",
        f"{ben},03/02/2019,SW100002,03/11/2025,,LEFTRL",
    ]


def test_a_child_outside_the_year_is_in_no_table(records: Records, tmp_path: Path):
    export(2026, tmp_path)
    cara = str(records.cara.pk)
    for table in spec.YEARS[2026].values():
        assert all(line.split(",")[0] != cara for line in lines(tmp_path, table))


def test_2026_27_adds_the_deprivation_of_liberty_table(records: Records, tmp_path: Path):
    export(2027, tmp_path)
    assert lines(tmp_path, spec.DOLO) == ["CHILD,DOB,DOLO_START,DOLO_END"]
    # Ben is still looked after on 1 April 2026; Amara left in February.
    assert [line.split(",")[0] for line in lines(tmp_path, spec.HEADER)[1:]] == [
        str(records.ben.pk)
    ]
    assert lines(tmp_path, spec.EPISODES)[1:] == [
        f"{records.ben.pk},09/01/2023,S,C2,N1,U4,PR1,01/05/2026,E13,,,'@BN4,"
    ]


def test_the_export_queries_once_a_table(
    records: Records, tmp_path: Path, django_assert_num_queries
):
    # One query to know the year has data, then one a table: constant in the number of
    # children.
    with django_assert_num_queries(12):
        export(2026, tmp_path)


def test_the_command_writes_the_files_and_counts_the_rows(records: Records, tmp_path: Path):
    out = StringIO()
    call_command("returns", "ssda903", "--year", "2026", "--out", str(tmp_path), stdout=out)
    assert f"{tmp_path / 'episodes.csv'}: 3 rows" in out.getvalue()
    assert f"{tmp_path / 'reviews.csv'}: 1 row\n" in out.getvalue()
    assert f"{tmp_path / 'oc2.csv'}: 0 rows\n" in out.getvalue()


def test_a_year_with_no_data_says_so(db: None, tmp_path: Path):
    with pytest.raises(CommandError) as raised:
        call_command("returns", "ssda903", "--year", "2026", "--out", str(tmp_path / "x"))
    assert str(raised.value) == (
        "No child was looked after between 1 April 2025 and 31 March 2026: "
        "there is no SSDA903 return for 2025 to 2026."
    )
    assert not (tmp_path / "x").exists()


def test_a_year_without_a_format_says_which_years_there_are(db: None, tmp_path: Path):
    with pytest.raises(CommandError) as raised:
        call_command("returns", "ssda903", "--year", "2019", "--out", str(tmp_path))
    assert str(raised.value) == (
        "One Story writes the SSDA903 return for 2024 to 2025, 2025 to 2026 and 2026 to 2027, "
        "not for 2018 to 2019."
    )


# --- The records added for the returns: OC2, PrevPerm, OC3 and DoLo -------------------------


def test_oc2_writes_the_years_health_outcomes_of_children_in_the_return(
    records: Records, tmp_path: Path
):
    ben, cara = records.ben, records.cara
    HealthOutcomes.objects.create(
        child=ben,
        year=2026,
        health_check=True,
        immunisations=True,
        teeth_check=False,
        health_assessment=True,
        substance_misuse=False,
    )
    HealthOutcomes.objects.create(child=ben, year=2025, immunisations=False)  # last year's
    HealthOutcomes.objects.create(child=cara, year=2026, immunisations=True)  # not in the return
    export(2026, tmp_path)
    # Blank where not asked (an SDQ at 7, a conviction under 10), 1 and 0 for yes and no.
    assert lines(tmp_path, spec.OC2)[1:] == [f"{ben.pk},03/02/2019,,,,1,1,0,1,0,,"]


def test_oc2_writes_an_sdq_score_or_its_reason_and_the_interventions(
    records: Records, tmp_path: Path
):
    amara = records.amara
    HealthOutcomes.objects.create(
        child=amara,
        year=2026,
        convicted=False,
        immunisations=True,
        teeth_check=True,
        health_assessment=True,
        substance_misuse=True,
        intervention_received=False,
        intervention_offered=True,
        sdq_reason="SDQ5",
    )
    export(2026, tmp_path)
    assert lines(tmp_path, spec.OC2)[1:] == [f"{amara.pk},01/05/2012,,SDQ5,0,,1,1,1,1,0,1"]


def test_prevperm_for_each_period_of_care_begun_in_the_year(records: Records, tmp_path: Path):
    amara, ben = records.amara, records.ben
    started = CareEpisode.objects.get(child=amara, reason_new_episode="S")
    PreviousPermanence.objects.create(
        care_episode=started, order="P2", council="306", order_date=date(2020, 2, 29)
    )
    # Ben's care began in 2023: his previous permanence was last returned then.
    PreviousPermanence.objects.create(care_episode=CareEpisode.objects.get(child=ben), order="Z1")
    export(2026, tmp_path)
    assert lines(tmp_path, spec.PREV_PERM)[1:] == [f"{amara.pk},01/05/2012,P2,306,29/02/2020"]


def test_oc3_writes_the_years_care_leavers_whether_or_not_looked_after(
    records: Records, tmp_path: Path
):
    cara = records.cara
    CareLeaverContact.objects.create(
        child=cara, year=2026, in_touch="YES", activity="F2", accommodation="U1"
    )
    CareLeaverContact.objects.create(
        child=cara, year=2025, in_touch="RHOM", activity="0", accommodation="0"
    )
    Person.objects.filter(pk=cara.pk).update(is_mother=False)
    export(2026, tmp_path)
    assert lines(tmp_path, spec.OC3)[1:] == [f"{cara.pk},01/01/2010,YES,F2,U1"]
    # Every child of the return has a header; motherhood is asked only of those looked after
    # in the year (rule 165).
    assert lines(tmp_path, spec.HEADER)[3] == f"{cara.pk},F,01/01/2010,,,,"


def test_dolo_writes_the_orders_open_in_2026_27(records: Records, tmp_path: Path):
    ben = records.ben
    DeprivationOfLiberty.objects.create(child=ben, start=date(2025, 1, 6), end=date(2025, 3, 1))
    DeprivationOfLiberty.objects.create(child=ben, start=date(2026, 3, 1), end=date(2026, 4, 20))
    # Ben leaves care on 1 May 2026, and his last order ends with it.
    DeprivationOfLiberty.objects.create(child=ben, start=date(2026, 4, 21), end=date(2026, 5, 1))
    export(2027, tmp_path)
    assert lines(tmp_path, spec.DOLO)[1:] == [
        f"{ben.pk},03/02/2019,01/03/2026,20/04/2026",
        f"{ben.pk},03/02/2019,21/04/2026,01/05/2026",
    ]
