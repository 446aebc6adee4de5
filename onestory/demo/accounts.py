"""The demo council's accounts: one per role, sharing one password, for trying One Story out."""

from __future__ import annotations

import os

from django.db import transaction

from onestory.accounts.models import Role, User
from onestory.demo.models import DemoCouncil

DEFAULT_DEMO_PASSWORD = "OneStory-demo-2026"  # noqa: S105  (shown in the README on purpose)

# (username, role, first name, last name)
DEMO_ACCOUNTS: list[tuple[str, Role, str, str]] = [
    ("demo-social-worker", Role.SOCIAL_WORKER, "Sam", "Okafor"),
    ("demo-senior-social-worker", Role.SENIOR_SOCIAL_WORKER, "Ruth", "Ellison"),
    ("demo-social-worker-in-training", Role.SOCIAL_WORKER_IN_TRAINING, "Tom", "Askew"),
    ("demo-pod-manager", Role.POD_MANAGER, "Priya", "Shah"),
    ("demo-business-support", Role.BUSINESS_SUPPORT, "Ben", "Hughes"),
    ("demo-practice-lead", Role.PRACTICE_LEAD, "Maya", "Lindqvist"),
    ("demo-quality-lead", Role.QUALITY_LEAD, "Grace", "Adeyemi"),
    ("demo-head-of-service", Role.HEAD_OF_SERVICE, "Hana", "Kowalski"),
    ("demo-performance-analyst", Role.PERFORMANCE_ANALYST, "Alex", "Moreno"),
    ("demo-information-governance", Role.INFORMATION_GOVERNANCE, "Iris", "Bennett"),
    # A disposal needs a second officer's approval (onestory/retention/).
    ("demo-information-governance-2", Role.INFORMATION_GOVERNANCE, "Owen", "Marsh"),
    ("demo-administrator", Role.ADMINISTRATOR, "Dev", "Patel"),
    ("demo-complaints-officer", Role.COMPLAINTS_OFFICER, "Colm", "Reilly"),
    ("demo-other-pod-social-worker", Role.SOCIAL_WORKER, "Charlie", "Nash"),
]


def demo_password() -> str:
    return os.environ.get("ONESTORY_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


@transaction.atomic
def create_demo_accounts(*, password: str, scale: str, seed: int) -> list[User]:
    users = []
    for username, role, first_name, last_name in DEMO_ACCOUNTS:
        user = User(
            username=username,
            role=role,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@demo.invalid",
            is_demo=True,
            is_staff=role == Role.ADMINISTRATOR,
            is_superuser=role == Role.ADMINISTRATOR,
        )
        user.set_password(password)
        users.append(user)
    User.objects.bulk_create(users)
    DemoCouncil.objects.create(password=password, scale=scale, seed=seed)
    return users
