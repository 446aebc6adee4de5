"""Who holds each child: their allocated worker and pod, cover while the worker is away, and
families moving between pods. Allocation, cover and transfers live together because they are
read together (a child's worker on a day, a pod's caseload) and written by pods/allocation.py.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Q

from onestory.families import codes
from onestory.families.models.records import Family, Person
from onestory.lib.history import history
from onestory.lib.periods import DateRange, Period, end_not_before_start, no_overlap
from onestory.pods.models import Pod, Staff


@pghistory.track(*history())
class Allocation(Period):
    """A child's allocated social worker and pod over a period.

    Each new allocation after the first records why the worker changed (SSDA903 SW_REASON):
    the number of changes a child lives through is the continuity measure.
    """

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="allocations")
    pod = models.ForeignKey(Pod, on_delete=models.PROTECT, related_name="allocations")
    change_reason = models.CharField(
        "reason for the change",
        max_length=10,
        choices=codes.SocialWorkerChangeReason.choices,
        blank=True,
    )

    class Meta:
        ordering = ["child", "start"]
        constraints = [
            end_not_before_start("allocation_end_not_before_start"),
            no_overlap(
                "allocation_one_worker_at_a_time",
                "child",
                message="This child already has a social worker for some of these dates.",
            ),
        ]
        # A pod's allocations open today: a pod's history holds 60 ended allocations for each
        # open one at the `large` scale, which the pod alone made the query read.
        indexes = [models.Index(fields=["pod", "end"], name="allocation_pod_by_end")]

    def __str__(self) -> str:
        return f"{self.child} with {self.worker} from {self.start:%d/%m/%Y}"


@pghistory.track(*history())
class Cover(Period):
    """Another pod member looking after an absent worker's children for a period.

    With no child, the cover is for the worker's whole caseload (leave, sickness, training);
    with a child, for that child alone. The child's allocation does not change: cover is not a
    change of social worker and does not count against continuity. See
    docs/decisions/0004-cover.md. `end` is the day the cover stops (usually the day the worker
    is back), so a cover counts on a day d when start <= d < end, like every period.
    """

    pod = models.ForeignKey(Pod, on_delete=models.PROTECT, related_name="covers")
    absent = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="covered_by", verbose_name="worker away"
    )
    covering = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="covering", verbose_name="covering worker"
    )
    child = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="covers",
        help_text="Empty when the cover is for the worker's whole caseload.",
    )
    end = models.DateField("cover ends")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="cover_ends_after_it_starts",
                violation_error_message="The cover must end after the day it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(covering=F("absent")),
                name="cover_not_by_the_same_worker",
                violation_error_message=(
                    "A worker cannot cover for themselves: choose someone else in the pod."
                ),
            ),
            ExclusionConstraint(
                name="cover_one_for_a_caseload_at_a_time",
                expressions=[
                    ("absent", RangeOperators.EQUAL),
                    (DateRange("start", "end"), RangeOperators.OVERLAPS),
                ],
                condition=Q(child__isnull=True),
                violation_error_message=(
                    "Someone is already covering this worker's caseload for some of these dates."
                ),
            ),
            ExclusionConstraint(
                name="cover_one_for_a_child_at_a_time",
                expressions=[
                    ("child", RangeOperators.EQUAL),
                    (DateRange("start", "end"), RangeOperators.OVERLAPS),
                ],
                condition=Q(child__isnull=False),
                violation_error_message=(
                    "Someone is already covering this child for some of these dates."
                ),
            ),
        ]

    def __str__(self) -> str:
        whom = f"{self.absent}'s caseload" if self.child_id is None else f"{self.child}"
        return f"{self.covering} covering {whom} from {self.start:%d/%m/%Y}"


@pghistory.track(*history())
class PodTransfer(models.Model):
    """A family moving from one pod to another: rare, so each one is recorded and counted."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="pod_transfers")
    from_pod = models.ForeignKey(Pod, on_delete=models.PROTECT, related_name="transfers_out")
    to_pod = models.ForeignKey(Pod, on_delete=models.PROTECT, related_name="transfers_in")
    transferred = models.DateField("date of the transfer")
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["transferred", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_pod=F("to_pod")),
                name="podtransfer_to_another_pod",
                violation_error_message="A family can only be transferred to another pod.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.family} from {self.from_pod} to {self.to_pod} on {self.transferred}"
