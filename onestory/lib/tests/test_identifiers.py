from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from onestory.lib.identifiers import (
    UPN_LETTERS,
    nhs_check_digit,
    normalise_nhs_number,
    normalise_swe_number,
    normalise_upn,
    upn_check_letter,
    validate_nhs_number,
    validate_swe_number,
    validate_upn,
)


def message(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(excinfo.value.messages)


# --- UPN --------------------------------------------------------------------------------------

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
permanent_rest = st.text(alphabet="0123456789", min_size=12, max_size=12)
temporary_rest = st.builds(
    lambda body, letter: body + letter,
    st.text(alphabet="0123456789", min_size=11, max_size=11),
    st.sampled_from(UPN_LETTERS),
)
upn_rest = st.one_of(permanent_rest, temporary_rest)


def test_known_upn_is_valid():
    # The worked example in python-stdnum's gb.upn documentation.
    validate_upn("B801200005001")
    assert upn_check_letter("801200005001") == "B"


def test_upn_check_letter_message_names_both_letters():
    with pytest.raises(ValidationError) as excinfo:
        validate_upn("A801200005001")
    assert message(excinfo) == (
        "This UPN's check letter should be B, not A: check the number was copied correctly."
    )
    assert excinfo.value.code == "upn_check_letter"


@given(upn_rest)
def test_generated_upn_validates(rest):
    upn = upn_check_letter(rest) + rest
    validate_upn(upn)
    validate_upn(" ".join([upn[:4], upn[4:8], upn[8:]]).lower())


@given(upn_rest, st.integers(min_value=0, max_value=11), digits)
def test_changing_one_digit_changes_the_upn_check_letter(rest, index, digit):
    assume(rest[index].isdigit() and rest[index] != digit)
    changed = rest[:index] + digit + rest[index + 1 :]
    assert upn_check_letter(changed) != upn_check_letter(rest)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.sampled_from(UPN_LETTERS))
def test_changing_a_temporary_upns_letter_changes_the_check_letter(body, letter):
    others = [other for other in UPN_LETTERS if other != letter]
    check = upn_check_letter(body + letter)
    assert all(upn_check_letter(body + other) != check for other in others)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("B80120000500", "A UPN has 13 characters; this one has 12."),
        ("9801200005001", "this one starts with 9, not a letter"),
        ("I801200005001", "this one starts with I, which UPNs never use"),
        ("B8012000X5001", "Characters 2 to 12 of a UPN are digits, but character 9 is X."),
        ("B80120000500O", "O is never used"),
        ("UN2", "UN2 is the DfE's code for why a child has no UPN"),
        ("", "Enter the UPN"),
    ],
)
def test_upn_messages_name_the_problem(value, expected):
    with pytest.raises(ValidationError) as excinfo:
        validate_upn(value)
    assert expected in message(excinfo)


def test_normalise_upn():
    assert normalise_upn(" b801 2000 05001 ") == "B801200005001"


def test_upn_check_letter_refuses_malformed_input():
    with pytest.raises(ValueError, match="12 characters"):
        upn_check_letter("123")
    with pytest.raises(ValueError, match="digits"):
        upn_check_letter("8012000X5001")


# --- NHS number -------------------------------------------------------------------------------

first_nine = st.text(alphabet="0123456789", min_size=9, max_size=9)


def test_documented_test_nhs_number_is_valid():
    # The NHS's own example of a valid number.
    validate_nhs_number("9434765919")
    validate_nhs_number("943 476 5919")
    validate_nhs_number("943-476-5919")
    assert nhs_check_digit("943476591") == 9


def test_check_digit_edge_cases():
    # 1 x 9 + 1 x 2 = 11, a remainder of 0: the check digit is 0, not 11.
    assert nhs_check_digit("010000001") == 0
    validate_nhs_number("0100000010")
    # 1 x 10 + 1 x 2 = 12, a remainder of 1: the check digit would be 10, so no number exists.
    assert nhs_check_digit("100000001") is None


@given(first_nine)
def test_generated_nhs_number_validates(nine):
    check = nhs_check_digit(nine)
    assume(check is not None)
    validate_nhs_number(f"{nine}{check}")


@given(first_nine, st.integers(min_value=0, max_value=9), digits)
def test_changing_one_digit_makes_the_nhs_number_fail(nine, index, digit):
    check = nhs_check_digit(nine)
    assume(check is not None)
    number = f"{nine}{check}"
    assume(number[index] != digit)
    changed = number[:index] + digit + number[index + 1 :]
    with pytest.raises(ValidationError):
        validate_nhs_number(changed)


# About one in eleven runs of nine digits has no valid check digit; build them directly rather
# than filter for them.
no_check_digit = (
    st.text(alphabet="0123456789", min_size=8, max_size=8)
    .map(lambda eight: [eight + d for d in "0123456789" if nhs_check_digit(eight + d) is None])
    .filter(bool)
    .flatmap(st.sampled_from)
)


@given(no_check_digit)
def test_nine_digits_with_no_valid_check_digit_are_refused(nine):
    for last in "0123456789":
        with pytest.raises(ValidationError) as excinfo:
            validate_nhs_number(nine + last)
        assert "no NHS number starts with these nine digits" in message(excinfo)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("9434765918", "This NHS number's last digit should be 9, not 8"),
        ("943476591", "An NHS number has 10 digits; this one has 9."),
        ("943476591X", "An NHS number is made of digits only, but this one contains X."),
        ("943476591\u00b2", "contains \u00b2"),
        ("", "Enter the NHS number"),
    ],
)
def test_nhs_number_messages_name_the_problem(value, expected):
    with pytest.raises(ValidationError) as excinfo:
        validate_nhs_number(value)
    assert expected in message(excinfo)


def test_normalise_nhs_number():
    assert normalise_nhs_number(" 943 476 5919 ") == "9434765919"


def test_nhs_check_digit_refuses_malformed_input():
    with pytest.raises(ValueError, match="nine digits"):
        nhs_check_digit("12345")


# --- Social Work England ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["SW1", "SW12345", "SW123456", "sw 12345", " SW9999999 "])
def test_valid_swe_numbers(value):
    validate_swe_number(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12345", "starts with SW"),
        ("HC12345", "starts with SW"),
        ("SW", "has digits after SW"),
        ("SW12A45", "contains A"),
        ("SW000123", "enter SW123"),
        ("SW000", "the digits after SW are all zeros"),
        ("SW12345678", "has 8 digits after SW"),
        ("", "Enter the Social Work England registration number"),
    ],
)
def test_swe_number_messages_name_the_problem(value, expected):
    with pytest.raises(ValidationError) as excinfo:
        validate_swe_number(value)
    assert expected in message(excinfo)


def test_normalise_swe_number():
    assert normalise_swe_number(" sw 12345 ") == "SW12345"
