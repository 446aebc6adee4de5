from __future__ import annotations

from typing import Any

import pghistory
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from onestory.lib.history import history


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    SENIOR_SOCIAL_WORKER = "senior_social_worker", "Senior social worker"
    SOCIAL_WORKER_IN_TRAINING = "social_worker_in_training", "Social worker in training"
    POD_MANAGER = "pod_manager", "Pod manager"
    BUSINESS_SUPPORT = "business_support", "Business support officer"
    PRACTICE_LEAD = "practice_lead", "Practice lead"
    QUALITY_LEAD = "quality_lead", "Quality lead"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    PERFORMANCE_ANALYST = "performance_analyst", "Performance analyst"
    INFORMATION_GOVERNANCE = "information_governance", "Information governance officer"
    COMPLAINTS_OFFICER = "complaints_officer", "Complaints officer"
    ADMINISTRATOR = "administrator", "System administrator"


class Manager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        # `createsuperuser` makes a system administrator, the only role allowed staff status.
        extra.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra)


# Every change to an account, its role included, is in history with who made it
# (docs/security.md, promise 10); the password hash and the time of the last sign-in are not.
@pghistory.track(*history(), exclude=["password", "last_login"])
class User(AbstractUser):
    """A person who signs in. Their working record (pod, FTE, contract) is the pods app's Staff."""

    role = models.CharField(max_length=40, choices=Role.choices, default=Role.SOCIAL_WORKER)
    # Demo accounts may skip MFA, but only while the service runs in demo mode (which the
    # deploy check refuses), so a demo account copied into production still needs MFA.
    is_demo = models.BooleanField(default=False)

    objects = Manager()  # type: ignore[misc]

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            # The admin is for administrators, who do no case work: staff status and
            # superuser go only with the administrator role
            # (docs/decisions/0011-admin-and-mfa-per-session.md).
            models.CheckConstraint(
                condition=models.Q(is_staff=False, is_superuser=False)
                | models.Q(role=Role.ADMINISTRATOR),
                name="accounts_user_admin_access_only_for_administrators",
                violation_error_message=(
                    "Only a system administrator may have staff status or be a superuser: set "
                    "the role to System administrator, or clear staff status and superuser."
                ),
            ),
        ]

    @property
    def is_administrator(self) -> bool:
        return bool(self.role == Role.ADMINISTRATOR or self.is_staff or self.is_superuser)

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Alert(models.Model):
    """A message for one user, shown on their home page until they dismiss it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="alerts")
    created_at = models.DateTimeField(default=timezone.now)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text
