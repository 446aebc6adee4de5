"""Retention rules, legal holds, disposals and their tombstones
(docs/decisions/0021-retention-and-legal-hold.md).

The unit of disposal is the family record: the family, the people who belong to no other
family, and every row any app keeps about them. The database itself refuses a disposal approved
by the officer who asked for it, the deletion of a family under a legal hold (a trigger made by
this app's migration), and any change to a tombstone once written.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from onestory.families.models import Family
from onestory.lib.history import history


class RecordType(models.TextChoices):
    """The retention rules, strongest first: a child's adoption record beats their care
    record, which beats their other records."""

    ADOPTION = "adoption", "Adoption records"
    CARE = "care", "Care records (a child who was ever looked after)"
    OTHER = "other", "Other children's social care records"


# Years and what they are counted from, by record type, until the council changes them.
DEFAULT_YEARS = {RecordType.ADOPTION: 100, RecordType.CARE: 75, RecordType.OTHER: 25}
COUNTED_FROM = {
    RecordType.ADOPTION: "the adoption order",
    RecordType.CARE: "the child's date of birth",
    RecordType.OTHER: "the child's date of birth",
}


@pghistory.track(*history())
class Rule(models.Model):
    """How long one type of record is kept. One row per record type; with none, the default
    applies. Changing a rule changes every family's date at once: the dates are worked out
    from the rules when they are read, never stored."""

    record_type = models.CharField(max_length=10, choices=RecordType.choices, unique=True)
    years = models.PositiveSmallIntegerField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["record_type"]
        constraints = [
            models.CheckConstraint(
                condition=Q(years__gte=1, years__lte=150),
                name="retention_rule_years_sensible",
                violation_error_message="Enter a number of years from 1 to 150.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.years} years"

    @classmethod
    def years_by_type(cls) -> dict[str, int]:
        """The rules in force, in one query."""
        found = dict(cls.objects.values_list("record_type", "years"))
        return {str(kind): found.get(kind, years) for kind, years in DEFAULT_YEARS.items()}


class HoldReason(models.TextChoices):
    LITIGATION = "litigation", "Litigation (a claim, or one expected)"
    INQUIRY = "inquiry", "A public or statutory inquiry"
    SUBJECT_ACCESS = "subject_access", "A subject access request"
    POLICE = "police", "A police request"
    OTHER = "other", "Another legal reason"


@pghistory.track(*history())
class LegalHold(models.Model):
    """A family's record must be kept, whatever its retention date, until the hold is lifted."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.CharField(max_length=20, choices=HoldReason.choices)
    reference = models.CharField(
        max_length=100, help_text="The claim, inquiry, request or crime reference number."
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-placed_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reference=""), name="retention_hold_has_a_reference"
            ),
            models.CheckConstraint(
                condition=(
                    Q(lifted_by__isnull=True, lifted_at__isnull=True, lift_reason="")
                    | (Q(lifted_by__isnull=False, lifted_at__isnull=False) & ~Q(lift_reason=""))
                ),
                name="retention_hold_lifted_with_who_when_and_why",
            ),
        ]
        indexes = [
            models.Index(
                fields=["family"], condition=Q(lifted_at__isnull=True), name="retention_hold_active"
            )
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.reference}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


@pghistory.track(*history())
class Disposal(models.Model):
    """A request to dispose of a family's record, and its approval by a second officer. On
    approval the record is disposed of in the same transaction, and `family` becomes empty:
    from then on the tombstone says what went."""

    family = models.ForeignKey(
        Family, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    family_reference = models.CharField(max_length=12)
    rule = models.CharField(max_length=10, choices=RecordType.choices)
    retain_until = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # Two people: the database refuses an officer approving their own request.
            models.CheckConstraint(
                condition=~Q(approved_by=F("requested_by")),
                name="retention_disposal_two_people",
                violation_error_message="A different officer must approve the disposal.",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True, approved_at__isnull=True)
                | Q(approved_by__isnull=False, approved_at__isnull=False, family__isnull=True),
                name="retention_disposal_approved_with_who_and_when",
            ),
            # One request waiting at a time for each family.
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(approved_at__isnull=True),
                name="retention_disposal_one_waiting",
                violation_error_message="A disposal of this family is already waiting.",
            ),
        ]

    def __str__(self) -> str:
        return f"Disposal of {self.family_reference}"


class Tombstone(models.Model):
    """What was disposed of, when, under which rule, and by whom; never names or details.
    Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE (the migration)."""

    disposal = models.OneToOneField(Disposal, on_delete=models.PROTECT, related_name="tombstone")
    family_reference = models.CharField(max_length=12)
    people = models.PositiveIntegerField()
    children = models.PositiveIntegerField()
    entries = models.PositiveIntegerField()
    opened = models.DateField()
    closed = models.DateField()
    rule = models.CharField(max_length=10, choices=RecordType.choices)
    retain_until = models.DateField()
    rows_removed = models.PositiveIntegerField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    disposed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-disposed_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(approved_by=F("requested_by")),
                name="retention_tombstone_two_people",
            ),
        ]

    def __str__(self) -> str:
        return f"Tombstone of {self.family_reference}"
