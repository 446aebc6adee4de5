from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


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
    ADMINISTRATOR = "administrator", "System administrator"


class User(AbstractUser):
    """A person who signs in. Their working record (pod, FTE, contract) is the pods app's Staff."""

    role = models.CharField(max_length=40, choices=Role.choices, default=Role.SOCIAL_WORKER)
    # Demo accounts may skip MFA, but only while the service runs in demo mode (which the
    # deploy check refuses), so a demo account copied into production still needs MFA.
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class DemoCouncil(models.Model):
    """Marks a database as holding the fictional demo council, and how it was made.

    Its shared password is kept here so the sign-in page can show it, but only in demo mode,
    which the deploy check refuses; real councils never have a row here.
    """

    password = models.CharField(max_length=128)
    scale = models.CharField(max_length=20)
    seed = models.IntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Demo council ({self.scale}, seed {self.seed})"

    @property
    def accounts(self) -> models.QuerySet[User]:
        return User.objects.filter(is_demo=True).order_by("username")


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Seen in search results"
    PRINT = "print", "Printed"
    EXPORT = "export", "Exported"
    HISTORY = "history", "Viewed the change history"
    ACCESS_LOG = "access_log", "Viewed who has looked at the record"
    SUBJECT_ACCESS = "subject_access", "Produced a subject access bundle"
    EMERGENCY = "emergency", "Asked for emergency access"


class AccessOutcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    EMERGENCY = "emergency", "Allowed by emergency access"
    DENIED = "denied", "Refused"


class AccessEvent(models.Model):
    """One look at a family's record or a person's story (SECURITY 9).

    Written in the same request, before the record is shown; append-only in the database (a
    trigger refuses updates and deletes, SECURITY 11).
    """

    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_events")
    family = models.ForeignKey(
        "families.Family",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_events",
    )
    person = models.ForeignKey(
        "families.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_events",
    )
    action = models.CharField(max_length=20, choices=AccessAction.choices)
    outcome = models.CharField(max_length=10, choices=AccessOutcome.choices)
    reason = models.TextField(blank=True)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["family", "-at"]),
            models.Index(fields=["person", "-at"]),
            models.Index(fields=["user", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display().lower()} at {self.at:%d/%m/%Y %H:%M}"


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
