from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError

# docs/security.md, promise 13, asks that passphrases of 64 characters and more are accepted;
# this bound only stops a megabyte "password" from costing Argon2 time.
MAX_PASSWORD_LENGTH = 256


class MaximumLengthValidator:
    def validate(self, password: str, user: AbstractBaseUser | None = None) -> None:
        if len(password) > MAX_PASSWORD_LENGTH:
            raise ValidationError(
                f"Your password is too long: use at most {MAX_PASSWORD_LENGTH} characters.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {MAX_PASSWORD_LENGTH} characters long."
