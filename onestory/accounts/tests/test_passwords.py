"""docs/security.md, promise 13: long passphrases welcome, short and common passwords refused,
Argon2 storage."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from onestory.test import Cast


def messages_for(password: str) -> list[str]:
    try:
        validate_password(password)
    except ValidationError as error:
        return list(error.messages)
    return []


def test_short_password_refused() -> None:
    assert any("at least 12 characters" in m for m in messages_for("Tr0ub4dor&3"))


def test_common_password_refused() -> None:
    assert any("too common" in m for m in messages_for("password1234"))


@pytest.mark.parametrize("length", [64, 100, 256])
def test_long_passphrases_accepted_without_composition_rules(length: int) -> None:
    assert messages_for(("quiet river stones " * 20)[:length]) == []


def test_absurdly_long_password_refused_with_a_reason() -> None:
    assert any("too long" in m for m in messages_for("x" * 257))


def test_passwords_are_stored_with_argon2id(cast: Cast) -> None:
    assert cast.sam.password.startswith("argon2$argon2id$")
