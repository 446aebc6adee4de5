from __future__ import annotations

from datetime import date
from decimal import Decimal

import pghistory
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from onestory.accounts.models import Role
from onestory.lib.history import history
from onestory.lib.identifiers import validate_swe_number
from onestory.lib.periods import DateRange, Period, end_not_before_start, no_overlap


def fte_field() -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(
        "FTE",
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
        help_text="Full-time equivalent, for example 0.8 for four days a week.",
    )


# Roles that hold cases and count as social workers in the workforce measures.
SOCIAL_WORK_ROLES = frozenset(
    {
        Role.SOCIAL_WORKER,
        Role.SENIOR_SOCIAL_WORKER,
        Role.SOCIAL_WORKER_IN_TRAINING,
        Role.POD_MANAGER,
    }
)


class Contract(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    AGENCY = "agency", "Agency"


@pghistory.track(*history())
class Staff(Period):
    """A person employed in the service, whether or not they have an account to sign in.

    `start` and `end` are their employment with the council (or agency assignment).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    role = models.CharField(max_length=40, choices=Role.choices)
    fte = fte_field()
    contract = models.CharField(max_length=20, choices=Contract.choices)
    swe_number = models.CharField(
        "Social Work England number",
        max_length=12,
        blank=True,
        validators=[validate_swe_number],
        help_text="For example SW123456. Social work roles only.",
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "staff"
        constraints = [
            end_not_before_start("staff_end_not_before_start"),
            models.UniqueConstraint(
                fields=["swe_number"],
                condition=~models.Q(swe_number=""),
                name="staff_swe_number_unique",
                violation_error_message=(
                    "Another member of staff has this Social Work England number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_social_worker(self) -> bool:
        return self.role in SOCIAL_WORK_ROLES


class Pod(models.Model):
    name = models.CharField(max_length=100, unique=True)
    formed = models.DateField()
    disbanded = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [end_not_before_start("pod_disbanded_after_formed", "formed", "disbanded")]

    def __str__(self) -> str:
        return self.name


class PodRole(models.TextChoices):
    POD_MANAGER = "pod_manager", "Pod manager"
    SENIOR_SOCIAL_WORKER = "senior_social_worker", "Senior social worker"
    SOCIAL_WORKER = "social_worker", "Social worker"
    SOCIAL_WORKER_IN_TRAINING = "social_worker_in_training", "Social worker in training"
    BUSINESS_SUPPORT = "business_support", "Business support officer"


@pghistory.track(*history())
class PodMembership(Period):
    """A member of staff in a pod, in a role and for an FTE, over a period."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="memberships")
    pod = models.ForeignKey(Pod, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=40, choices=PodRole.choices)
    fte = fte_field()

    class Meta:
        ordering = ["pod", "role", "start"]
        constraints = [
            end_not_before_start("podmembership_end_not_before_start"),
            # One pod at a time: a pod is a team that knows its families, not a rota.
            no_overlap(
                "podmembership_one_pod_at_a_time",
                "staff",
                message="This person is already in a pod for some of these dates.",
            ),
            # A pod has one manager. Part-time managers may overlap (a job share, a handover),
            # but two full-time managers at once is a mistake, not a drift from the model.
            ExclusionConstraint(
                name="podmembership_one_full_time_manager",
                expressions=[
                    ("pod", RangeOperators.EQUAL),
                    (DateRange("start", "end"), RangeOperators.OVERLAPS),
                ],
                condition=Q(role="pod_manager", fte=Decimal("1.00")),
                violation_error_message=(
                    "This pod already has a full-time pod manager for some of these dates."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} in {self.pod} ({self.get_role_display()})"


# Roles that hold children's cases. Pod managers oversee and allocate; they do not hold cases.
CASE_HOLDING_ROLES = frozenset(
    {PodRole.SENIOR_SOCIAL_WORKER, PodRole.SOCIAL_WORKER, PodRole.SOCIAL_WORKER_IN_TRAINING}
)


class ChildStatus(models.TextChoices):
    """What the service is doing for an allocated child, the most intensive status first."""

    IN_CARE = "in_care", "In care"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    CHILD_IN_NEED = "child_in_need", "Child in need"


def weight_field(default: str, label: str) -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(
        label,
        max_digits=4,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal("0.00")), MaxValueValidator(Decimal("10.00"))],
        help_text="How much one such child counts, for example 1.5.",
    )


@pghistory.track(*history())
class CaseloadWeighting(models.Model):
    """How much an allocated child counts towards a worker's caseload by the child's status,
    and the weighted caseload a full-time worker is expected to hold, in force from a date.

    A model rather than a setting so that the council changes it in the admin without a
    release, every change is in history, and a caseload on a past date is weighed by the rule
    in force that day. With no row at all, the defaults below apply.
    """

    start = models.DateField("in force from", unique=True)
    child_in_need = weight_field("1.00", "child in need")
    child_protection = weight_field("1.50", "child protection plan")
    in_care = weight_field("1.00", "in care")
    full_time_caseload = models.DecimalField(
        "weighted caseload for one full-time worker",
        max_digits=4,
        decimal_places=1,
        default=Decimal("20.0"),
        validators=[MinValueValidator(Decimal("1.0"))],
        help_text="A part-time worker's share is in proportion to their FTE.",
    )
    in_training_share = models.DecimalField(
        "share of a full caseload for a social worker in training",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0.00")), MaxValueValidator(Decimal("1.00"))],
        help_text="Students and workers in their ASYE year hold a protected, smaller caseload.",
    )

    class Meta:
        ordering = ["-start"]

    def __str__(self) -> str:
        return f"Caseload weighting from {self.start:%d/%m/%Y}"

    @classmethod
    def in_force(cls, day: date) -> CaseloadWeighting:
        found = cls.objects.filter(start__lte=day).order_by("-start").first()
        return found if found is not None else cls(start=date.min)

    def weight(self, status: str) -> Decimal:
        return {
            ChildStatus.IN_CARE: self.in_care,
            ChildStatus.CHILD_PROTECTION: self.child_protection,
            ChildStatus.CHILD_IN_NEED: self.child_in_need,
        }[ChildStatus(status)]

    def limit(self, role: str, fte: Decimal) -> Decimal:
        """The weighted caseload a member in this role, at this FTE, is expected to hold."""
        share = self.in_training_share if role == PodRole.SOCIAL_WORKER_IN_TRAINING else 1
        return self.full_time_caseload * fte * share
