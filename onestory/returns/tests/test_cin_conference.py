"""An initial child protection conference held without a section 47 enquiry in the same episode
(the enquiry was made in an earlier episode, or by another council): the census writes it in
<CINdetails><DateOfInitialCPC>, never in a <Section47> (validator rule 2884)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from onestory.families.models import CINEpisode, InitialConference, Person, Section47Enquiry
from onestory.returns.cin.export import export
from onestory.test import Cast, child_of

pytestmark = pytest.mark.django_db

MADE = datetime(2026, 4, 20, 9, 30)


def parsed(path: Path) -> ET.Element:
    # The file is the export this test just wrote, not untrusted input.
    return ET.parse(path).getroot()  # noqa: S314


def referral(child: Person, family: Any, start: date) -> CINEpisode:
    return CINEpisode.objects.create(
        child=child, family=family, start=start, referral_source="2A", primary_need="N1"
    )


def details(root: ET.Element) -> list[ET.Element]:
    return root.findall("./Children/Child/CINdetails")


def test_a_conference_without_an_enquiry_is_written_on_the_episode(cast: Cast, tmp_path: Path):
    jayden = child_of(cast.okafors)
    episode = referral(jayden, cast.okafors, date(2025, 6, 2))
    InitialConference.objects.create(episode=episode, date=date(2025, 6, 16), plan_made=True)
    export(2026, tmp_path / "cin.xml", made=MADE)
    (block,) = details(parsed(tmp_path / "cin.xml"))
    tags = [element.tag for element in block]
    # After the reason for closure and before the modules, as the DfE's schema orders them.
    assert tags[:4] == ["CINreferralDate", "ReferralSource", "PrimaryNeedCode", "DateOfInitialCPC"]
    assert block.findtext("DateOfInitialCPC") == "2025-06-16"
    assert block.find("Section47") is None


def test_a_conference_after_an_enquiry_stays_in_the_section_47(cast: Cast, tmp_path: Path):
    jayden = child_of(cast.okafors)
    episode = referral(jayden, cast.okafors, date(2025, 6, 2))
    enquiry = Section47Enquiry.objects.create(episode=episode, start=date(2025, 6, 3))
    InitialConference.objects.create(enquiry=enquiry, date=date(2025, 6, 20))
    export(2026, tmp_path / "cin.xml", made=MADE)
    (block,) = details(parsed(tmp_path / "cin.xml"))
    assert block.find("DateOfInitialCPC") is None
    section47 = block.find("Section47")
    assert section47 is not None
    assert section47.findtext("DateOfInitialCPC") == "2025-06-20"
    # Derived, not typed: 15 working days after the enquiry began.
    assert section47.findtext("InitialCPCtarget") == "2025-06-24"


def test_a_conference_outside_the_year_is_left_out(cast: Cast, tmp_path: Path):
    jayden = child_of(cast.okafors)
    episode = referral(jayden, cast.okafors, date(2025, 3, 2))
    InitialConference.objects.create(episode=episode, date=date(2025, 3, 20))
    export(2026, tmp_path / "cin.xml", made=MADE)
    (block,) = details(parsed(tmp_path / "cin.xml"))
    assert block.find("DateOfInitialCPC") is None


def test_a_conference_hangs_off_an_enquiry_or_an_episode_never_both_nor_neither(cast: Cast):
    jayden = child_of(cast.okafors)
    episode = referral(jayden, cast.okafors, date(2025, 6, 2))
    enquiry = Section47Enquiry.objects.create(episode=episode, start=date(2025, 6, 3))
    for kwargs in ({"enquiry": enquiry, "episode": episode}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            InitialConference.objects.create(date=date(2025, 6, 16), **kwargs)
    assert not InitialConference.objects.exists()
