"""The access log and emergency access: written by the chokepoint in families/access.py.

They sit beside the records they guard, so foreign keys point one way (accounts knows nothing
of families: docs/decisions/0010-one-way-dependencies.md).
"""

from __future__ import annotations

from datetime import datetime

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from onestory.families.models.records import Family, Person
from onestory.lib.history import history


class EmergencyAccessQuerySet(models.QuerySet["EmergencyAccess"]):
    def active(self, at: datetime | None = None) -> EmergencyAccessQuerySet:
        return self.filter(expires_at__gt=at or timezone.now())


@pghistory.track(*history())
class EmergencyAccess(models.Model):
    """A time-limited grant to see a family outside one's pod, with the reason given.

    The pod manager is alerted when it is granted, and reviews it afterwards
    (docs/security.md, promise 8).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_grants"
    )
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="emergency_grants")
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="emergency_reviews",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    objects = EmergencyAccessQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "emergency access grants"
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("granted_at")),
                name="emergencyaccess_expires_after_granted",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="emergencyaccess_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"Emergency access to {self.family} for {self.user}"


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
    """One look at a family's record or a person's story (docs/security.md, promise 9).

    Written in the same request, before the record is shown; append-only in the database (a
    trigger refuses updates and deletes: promise 11).
    """

    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_events"
    )
    family = models.ForeignKey(
        Family,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_events",
    )
    person = models.ForeignKey(
        Person,
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


class AuditAccessQuerySet(models.QuerySet["AuditAccess"]):
    def active(self, at: datetime | None = None) -> AuditAccessQuerySet:
        at = at or timezone.now()
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at), starts_at__lte=at)


@pghistory.track(*history())
class AuditAccess(models.Model):
    """An auditor's way in to one family's record for one practitioner-led audit.

    The audits feature (which comes later in the dependency order and so cannot be named here)
    opens it when it assigns the auditor and closes it when the audit is finished or the
    assignment changes: the need-to-know table gives it as `Relation.AUDIT` only while it is
    open, and every look through it is logged like any other.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_access"
    )
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="audit_access")
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(
        max_length=200, help_text="The audit it is for, for example: Audit, November 2026."
    )

    objects = AuditAccessQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "audit access"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["user", "family"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="auditaccess_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="auditaccess_has_a_reason"),
        ]

    def __str__(self) -> str:
        return f"Audit access to {self.family} for {self.user}"
