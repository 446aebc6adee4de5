from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id still, with a small memory cost: for the test suite only (ONESTORY_ENV=test),
    where thousands of users are made. Production uses Django's Argon2 parameters."""

    algorithm = "argon2"
    time_cost = 1
    memory_cost = 1024
    parallelism = 1
