from __future__ import annotations

from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from onestory.accounts.models import Role
from onestory.lib.history import history
from onestory.lib.identifiers import validate_swe_number
from onestory.lib.periods import Period, end_not_before_start, no_overlap


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
        ]

    def __str__(self) -> str:
        return f"{self.staff} in {self.pod} ({self.get_role_display()})"
