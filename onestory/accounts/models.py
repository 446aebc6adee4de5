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
