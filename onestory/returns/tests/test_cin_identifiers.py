"""The child's identifiers in the CIN census: the id they are returned under, the former UPN,
the reason there is no UPN and the date of death."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

import pytest
from django.utils import timezone

from onestory.families.models import CINEpisode, Person
from onestory.returns.cin.export import export
from onestory.test import Cast

pytestmark = pytest.mark.django_db

MADE = timezone.make_aware(datetime(2026, 4, 20, 9, 30))


def identifiers(path: Path) -> list[list[tuple[str, str | None]]]:
    root = ET.parse(path).getroot()  # noqa: S314 (our own file)
    return [[(e.tag, e.text) for e in ids] for ids in root.iter("ChildIdentifiers")]


def test_identifiers_come_from_the_childs_record(cast: Cast, tmp_path: Path) -> None:
    imported = Person.objects.create(
        first_name="Ada",
        last_name="Nash",
        date_of_birth=date(2014, 6, 1),
        sex="F",
        upn="A123456789012",
        former_upn="B123456789012",
        return_id="LEG-9",
    )
    newcomer = Person.objects.create(
        first_name="Tom",
        last_name="Nash",
        date_of_birth=date(2012, 2, 2),
        sex="M",
        no_upn_reason="UN4",
        date_of_death=date(2026, 1, 12),
    )
    for child in (imported, newcomer):
        CINEpisode.objects.create(
            child=child,
            family=cast.nashes,
            start=date(2025, 9, 1),
            referral_source="1A",
            primary_need="N1",
        )

    export(2026, tmp_path / "cin.xml", made=MADE)

    assert identifiers(tmp_path / "cin.xml") == [
        [
            ("LAchildID", "LEG-9"),
            ("UPN", "A123456789012"),
            ("FormerUPN", "B123456789012"),
            ("PersonBirthDate", "2014-06-01"),
            ("Sex", "F"),
        ],
        [
            ("LAchildID", str(newcomer.pk)),
            ("UPNunknown", "UN4"),
            ("PersonBirthDate", "2012-02-02"),
            ("Sex", "M"),
            ("PersonDeathDate", "2026-01-12"),
        ],
    ]
