"""Identifiers for people and families, each given once: family references, NHS numbers
and UPNs, with valid check characters."""

from __future__ import annotations

from onestory.demo.council.state import Simulation
from onestory.families.models.records import REFERENCE_ALPHABET
from onestory.lib.identifiers import nhs_check_digit, upn_check_letter


def new_reference(sim: Simulation) -> str:
    while True:
        reference = "F" + "".join(sim.rng.choice(REFERENCE_ALPHABET) for _ in range(7))
        if reference not in sim.ids.references:
            sim.ids.references.add(reference)
            return reference


def new_nhs(sim: Simulation) -> str:
    while True:
        first_nine = f"{sim.rng.randrange(400_000_000, 799_999_999)}"
        check = nhs_check_digit(first_nine)
        number = f"{first_nine}{check}"
        if check is not None and number not in sim.ids.nhs:
            sim.ids.nhs.add(number)
            return number


def new_upn(sim: Simulation) -> str:
    while True:
        rest = f"{sim.rng.randrange(845, 846)}{sim.rng.randrange(0, 10**9):09d}"
        upn = upn_check_letter(rest) + rest
        if upn not in sim.ids.upns:
            sim.ids.upns.add(upn)
            return upn
