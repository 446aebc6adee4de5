from __future__ import annotations

import inspect

import pytest
from django.db import models

from onestory.families import codes

CODE_LISTS = [
    value
    for _, value in inspect.getmembers(codes, inspect.isclass)
    if issubclass(value, models.TextChoices) and value.__module__ == codes.__name__
]

# The code values each return accepts, as checked against the DfE schemas and validators.
EXPECTED_VALUES = {
    codes.LegalStatus: "C1 C2 D1 E1 J1 J2 J3 L1 L2 L3 V2 V3 V4",
    codes.CategoryOfNeed: "N0 N1 N2 N3 N4 N5 N6 N7 N8 N9",
    codes.ReasonNewEpisode: "S L P T U B",
    codes.PlacementType: (
        "A3 A4 A5 A6 H5 K1 K2 K3 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 "
        "U1 U2 U3 U4 U5 U6 Z1 Z11 Z12 Z13 Z14"
    ),
    codes.PlacementProvider: "PR0 PR1 PR2 PR3 PR4 PR5",
    codes.ReasonEpisodeCeased: (
        "E11 E12 E13 E14 E15 E16 E17 E2 E3 E41 E45 E46 E47 E48 E4A E4B E5 E6 E7 E8 E9 X1"
    ),
    codes.ReasonPlaceChange: (
        "CARPL CLOSE ALLEG STAND APPRR CREQB CREQO CHILD LAREQ PLACE CUSTOD OTHER"
    ),
    codes.SocialWorkerChangeReason: (
        "MANAGE FCONTA LEFTRL ORGRST TSPROC ABSENC CHCHAN PCCHAN SWDIED OTHERS"
    ),
    codes.Sex: "M F U",
    codes.Ethnicity: (
        "WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH "
        "BCRB BAFR BOTH CHNE OOTH REFU NOBT"
    ),
    codes.Disability: "NONE MOB HAND PC INC COMM LD HEAR VIS BEH CON AUT DDA",
    codes.ReferralSource: "1A 1B 1C 1D 2A 2B 3A 3B 3C 3D 3E 3F 4 5A 5B 5C 5D 6 7 8 9 10",
    codes.CINClosureReason: "RC1 RC2 RC3 RC4 RC5 RC6 RC7 RC8 RC9",
    codes.CPCategory: "NEG PHY EMO SAB MUL",
    codes.AssessmentFactor: (
        "1A 1B 1C 2A 2B 2C 3A 3B 3C 4A 4B 4C 5A 5B 5C 6A 6B 6C 7A 8B 8C 8D 8E 8F 9A "
        "10A 11A 12A 13A 14A 15A 16A 17A 18B 18C 19B 19C 20 21 22A 23A 24A"
    ),
    codes.ReviewParticipation: "PN0 PN1 PN2 PN3 PN4 PN5 PN6 PN7",
    codes.MissingType: "M A",
    codes.AdopterSex: "M1 F1 MM FF MF",
    codes.AdopterLegalStatus: "L0 L11 L12 L2 L3 L4",
    codes.ReasonPlacedCeased: "RD1 RD2 RD3 RD4",
    codes.UPNUnknown: "UN1 UN2 UN3 UN4 UN5 UN6 UN7",
    codes.SDQReason: "SDQ1 SDQ2 SDQ3 SDQ4 SDQ5",
    codes.PermanenceOrder: "P1 P2 P3 P4 Z1",
    codes.InTouch: "YES NO DIED REFU NREQ RHOM",
    codes.CareLeaverActivity: "F1 P1 F2 P2 F4 P4 F5 P5 G4 G5 G6 0",
    codes.CareLeaverAccommodation: (
        "B1 B2 C1 C2 D1 D2 E1 E2 G1 G2 H1 H2 K1 K2 R1 R2 S2 T1 T2 U1 U2 V1 V2 W1 W2 X2 "
        "Y1 Y2 Z1 Z2 0"
    ),
}


def test_every_code_list_is_checked():
    local = {codes.CareProceedingsOutcome}
    assert set(CODE_LISTS) == set(EXPECTED_VALUES) | local


@pytest.mark.parametrize("code_list", list(EXPECTED_VALUES), ids=lambda c: c.__name__)
def test_code_list_holds_exactly_the_dfe_codes(code_list):
    assert sorted(code_list.values) == sorted(EXPECTED_VALUES[code_list].split())


@pytest.mark.parametrize("code_list", CODE_LISTS, ids=lambda c: c.__name__)
def test_labels_are_plain_sentence_case(code_list):
    for value, label in code_list.choices:
        assert label, value
        assert label.isascii(), f"{value}: {label}"
        assert label == label.strip()
        assert not label.endswith("."), f"{value}: {label}"
        assert not label[0].islower(), f"{value}: {label}"


@pytest.mark.parametrize("code_list", CODE_LISTS, ids=lambda c: c.__name__)
def test_each_code_list_says_which_field_it_codes(code_list):
    doc = code_list.__doc__ or ""
    assert doc.strip().endswith("."), code_list.__name__
    assert "\n" not in doc.strip(), code_list.__name__


def test_known_codes_carry_the_dfe_labels():
    assert codes.LegalStatus.C2.label == "Full care order"
    assert codes.LegalStatus("V2").label.startswith(
        "Single period of accommodation under section 20"
    )
    assert codes.PlacementType("U4").label.startswith("Foster placement with other foster carer(s)")
    assert codes.PlacementType("K3").label == "Registered supported accommodation"
    assert codes.ReasonEpisodeCeased("E2").label == "Died"
    assert codes.ReasonEpisodeCeased("X1").label.startswith("Episode ceases, and new episode")
    assert codes.ReasonPlaceChange("CREQB").label.endswith("due to child's behaviour")
    assert codes.SocialWorkerChangeReason("MANAGE").label == "Managing caseloads"
    assert codes.SocialWorkerChangeReason("ABSENC").label == "Absence cover or return from absence"
    assert codes.Ethnicity("WIRT").label == "Traveller of Irish heritage"
    assert codes.ReferralSource("6").label == "Police"
    assert codes.CINClosureReason("RC8").label == "Case closed after assessment, no further action"
    assert codes.CPCategory("NEG").label == "Neglect"
    assert codes.MissingType("A").label == "Away from placement without authorisation"
    assert codes.ReviewParticipation("PN0").label == "Child aged under 4 at the time of the review"


def test_ssda903_categories_of_need_are_n1_to_n8():
    expected = {f"N{n}" for n in range(1, 9)}
    assert set(codes.SSDA903_CATEGORIES_OF_NEED) == expected
    assert expected <= set(codes.CategoryOfNeed.values)


def test_short_break_statuses_are_v3_and_v4():
    assert sorted(codes.SHORT_BREAK_LEGAL_STATUSES) == ["V3", "V4"]
    assert codes.LegalStatus.V2 not in codes.SHORT_BREAK_LEGAL_STATUSES


def test_placement_types_for_2025_26():
    assert sorted(codes.PLACEMENT_TYPES_WITHDRAWN_2025_26) == ["H5", "P2", "Z1"]
    assert sorted(codes.PLACEMENT_TYPES_ADDED_2025_26) == ["Z11", "Z12", "Z13", "Z14"]
    assert sorted(codes.TEMPORARY_PLACEMENT_TYPES) == ["T0", "T1", "T2", "T3", "T4"]
    assert codes.PLACEMENT_TYPES_ADDED_2025_26.isdisjoint(codes.PLACEMENT_TYPES_WITHDRAWN_2025_26)


@pytest.mark.parametrize(
    ("legacy", "expected"),
    [
        ("1", codes.Sex.MALE),
        ("2", codes.Sex.FEMALE),
        ("0", codes.Sex.UNKNOWN),
        ("9", codes.Sex.UNKNOWN),
        ("M", codes.Sex.MALE),
        (" f ", codes.Sex.FEMALE),
        ("u", codes.Sex.UNKNOWN),
    ],
)
def test_sex_from_legacy_code(legacy, expected):
    assert codes.sex_from_legacy_code(legacy) is expected


def test_sex_from_legacy_code_refuses_other_values():
    with pytest.raises(ValueError, match="'X' is not a DfE sex or gender code"):
        codes.sex_from_legacy_code("X")


def test_care_proceedings_outcomes_fit_a_short_field():
    assert len(codes.CareProceedingsOutcome.values) == 8
    assert max(len(v) for v in codes.CareProceedingsOutcome.values) <= 30
