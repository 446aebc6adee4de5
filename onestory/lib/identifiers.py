"""Validators for the national identifiers a child or a worker carries.

Each validator raises a Django ValidationError whose message says exactly what is wrong, so a
worker can fix a mistyped number without asking anyone. Validators accept the value as typed
(spaces, lower case) and check its normalised form; store the output of the matching
normalise_* function.

Sources for the check algorithms: the DfE Unique Pupil Number guidance (check letter, as
restated in the CIN census validation rule 1510 and in python-stdnum's gb.upn), the NHS Data
Dictionary's NHS number modulus 11 check, and Social Work England's register.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError


def _digits(text: str) -> bool:
    # str.isdigit alone accepts characters such as superscript two, which int() cannot read.
    return text.isascii() and text.isdigit()


# --- Unique Pupil Number (DfE) ----------------------------------------------------------------

# I, O and S are never used in a UPN: they are too easily read as 1, 0 and 5.
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_LENGTH = 13
# The DfE's codes for "no UPN, and why" sit in the same field of both returns, but they are not
# UPNs: a record should hold the reason separately.
_UPN_UNKNOWN_CODES = re.compile(r"UN[1-7]")


def normalise_upn(value: str) -> str:
    """Strip spaces and upper-case a UPN, the form in which it should be stored."""
    return "".join(value.split()).upper()


def _upn_character_value(character: str) -> int:
    # A temporary UPN ends in a letter, which counts by its place in UPN_LETTERS (A=0, B=1 ...).
    if _digits(character):
        return int(character)
    return UPN_LETTERS.index(character)


def upn_check_letter(rest: str) -> str:
    """The check letter for the 12 characters of a UPN that follow it.

    Characters 2 to 13 are weighted 2 to 13, summed, and the remainder after dividing by 23
    picks the letter from UPN_LETTERS.
    """
    rest = normalise_upn(rest)
    if len(rest) != UPN_LENGTH - 1:
        raise ValueError(f"a UPN has 12 characters after the check letter, not {len(rest)}")
    if not _digits(rest[:-1]) or not (_digits(rest[-1]) or rest[-1] in UPN_LETTERS):
        raise ValueError("characters 2 to 12 of a UPN are digits; the last is a digit or letter")
    total = sum(
        weight * _upn_character_value(character) for weight, character in enumerate(rest, start=2)
    )
    return UPN_LETTERS[total % 23]


def validate_upn(value: str) -> None:
    """Check a DfE Unique Pupil Number: its shape and its check letter."""
    upn = normalise_upn(value)
    if not upn:
        raise ValidationError("Enter the UPN: 13 characters, starting with a letter.", code="blank")
    if _UPN_UNKNOWN_CODES.fullmatch(upn):
        raise ValidationError(
            f"{upn} is the DfE's code for why a child has no UPN, not a UPN: record the reason "
            "instead of a UPN.",
            code="upn_unknown_code",
        )
    if len(upn) != UPN_LENGTH:
        raise ValidationError(
            f"A UPN has 13 characters; this one has {len(upn)}.", code="upn_length"
        )
    first, middle, last = upn[0], upn[1:-1], upn[-1]
    if first not in UPN_LETTERS:
        problem = "which UPNs never use" if first.isalpha() else "not a letter"
        raise ValidationError(
            f"A UPN starts with its check letter; this one starts with {first}, {problem}.",
            code="upn_first_character",
        )
    if not _digits(middle):
        position = next(i for i, character in enumerate(middle, start=2) if not _digits(character))
        raise ValidationError(
            f"Characters 2 to 12 of a UPN are digits, but character {position} is "
            f"{upn[position - 1]}.",
            code="upn_digits",
        )
    if not (_digits(last) or last in UPN_LETTERS):
        raise ValidationError(
            f"The last character of a UPN is a digit, or a letter for a temporary UPN; {last} "
            "is never used.",
            code="upn_last_character",
        )
    expected = upn_check_letter(upn[1:])
    if first != expected:
        raise ValidationError(
            f"This UPN's check letter should be {expected}, not {first}: check the number was "
            "copied correctly.",
            code="upn_check_letter",
        )


# --- NHS number -------------------------------------------------------------------------------

NHS_NUMBER_LENGTH = 10
# People write NHS numbers as 3-3-4 groups, with spaces or hyphens.
_NHS_SEPARATORS = re.compile(r"[\s-]")


def normalise_nhs_number(value: str) -> str:
    """Strip the spaces (and hyphens) people put between the groups of an NHS number."""
    return _NHS_SEPARATORS.sub("", value)


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for the first nine digits of an NHS number.

    None means no valid NHS number starts with these nine digits (the modulus 11 check would
    need a check digit of 10).
    """
    if len(first_nine) != NHS_NUMBER_LENGTH - 1 or not _digits(first_nine):
        raise ValueError("the first part of an NHS number is nine digits")
    total = sum(
        weight * int(digit) for weight, digit in zip(range(10, 1, -1), first_nine, strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def validate_nhs_number(value: str) -> None:
    """Check an NHS number: ten digits, the last a modulus 11 check digit."""
    number = normalise_nhs_number(value)
    if not number:
        raise ValidationError("Enter the NHS number: 10 digits.", code="blank")
    if not _digits(number):
        bad = next(character for character in number if not _digits(character))
        raise ValidationError(
            f"An NHS number is made of digits only, but this one contains {bad}.",
            code="nhs_number_digits",
        )
    if len(number) != NHS_NUMBER_LENGTH:
        raise ValidationError(
            f"An NHS number has 10 digits; this one has {len(number)}.", code="nhs_number_length"
        )
    expected = nhs_check_digit(number[:9])
    if expected is None:
        raise ValidationError(
            "This is not a valid NHS number: no NHS number starts with these nine digits. "
            "Check the number was copied correctly.",
            code="nhs_number_check_digit",
        )
    if int(number[9]) != expected:
        raise ValidationError(
            f"This NHS number's last digit should be {expected}, not {number[9]}: check the "
            "number was copied correctly.",
            code="nhs_number_check_digit",
        )


# --- Social Work England registration number --------------------------------------------------

# Registration numbers are "SW" and digits with no leading zeros: Social Work England dropped
# the zeros of old HCPC numbers (SW000123 became SW123). Current numbers have up to six digits;
# seven are accepted to leave room for growth, since the register does not publish a maximum.
SWE_MAX_DIGITS = 7


def normalise_swe_number(value: str) -> str:
    """Strip spaces and upper-case a Social Work England registration number."""
    return "".join(value.split()).upper()


def validate_swe_number(value: str) -> None:
    """Check a Social Work England registration number, such as SW12345."""
    number = normalise_swe_number(value)
    if not number:
        raise ValidationError(
            "Enter the Social Work England registration number, for example SW12345.",
            code="blank",
        )
    if not number.startswith("SW"):
        raise ValidationError(
            "A Social Work England registration number starts with SW, for example SW12345.",
            code="swe_number_prefix",
        )
    digits = number[2:]
    if not digits:
        raise ValidationError(
            "A Social Work England registration number has digits after SW, for example SW12345.",
            code="swe_number_digits",
        )
    if not _digits(digits):
        bad = next(character for character in digits if not _digits(character))
        raise ValidationError(
            f"After SW a Social Work England registration number has only digits, but this one "
            f"contains {bad}.",
            code="swe_number_digits",
        )
    if digits.startswith("0"):
        significant = digits.lstrip("0")
        if not significant:
            raise ValidationError(
                f"{number} is not a Social Work England registration number: the digits after SW "
                "are all zeros.",
                code="swe_number_digits",
            )
        raise ValidationError(
            "Social Work England registration numbers have no zeros straight after SW: enter "
            f"SW{significant}.",
            code="swe_number_leading_zero",
        )
    if len(digits) > SWE_MAX_DIGITS:
        raise ValidationError(
            f"This number has {len(digits)} digits after SW; Social Work England registration "
            f"numbers have at most {SWE_MAX_DIGITS}.",
            code="swe_number_length",
        )
