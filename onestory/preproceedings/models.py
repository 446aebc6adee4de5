"""The pre-proceedings period and its family group decision-making (FGDM) offer.

One row is one pre-proceedings period for a family and the children it is about: it starts on
the date of the letter before proceedings (`letter_date`), has a pre-proceedings meeting, and
ends with an outcome: stepped down, a care application made (linked to the family's
`families.CareProceedings`), or something else. The FGDM offer lives on the same row: there is
one offer per period (the Act asks for the offer in the letter), and a family that changes
their mind changes the answer, with the old one kept in the history. Keeping it on one row
lets the database check every date against the letter with plain check constraints.
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from onestory.families.models import CareProceedings, Family, Person
from onestory.lib.history import history
from onestory.lib.periods import no_overlap


class Outcome(models.TextChoices):
    STEPPED_DOWN = "stepped_down", "Stepped down"
    CARE_APPLICATION = "care_application", "Care application made"
    OTHER = "other", "Other"


class Response(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


def _after(later: str, earlier: str, name: str, message: str) -> models.CheckConstraint:
    """`later` is empty or on or after `earlier` (which may itself be empty)."""
    return models.CheckConstraint(
        condition=Q(**{f"{later}__isnull": True})
        | Q(**{f"{earlier}__isnull": True})
        | Q(**{f"{later}__gte": F(earlier)}),
        name=name,
        violation_error_message=message,
    )


@pghistory.track(*history())
class PreProceedings(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="pre_proceedings")
    children = models.ManyToManyField(Person, related_name="pre_proceedings")
    letter_date = models.DateField("date of the letter before proceedings")
    meeting_date = models.DateField("date of the pre-proceedings meeting", null=True, blank=True)
    # The family group decision-making offer.
    fgdm_offered_on = models.DateField("date the FGDM meeting was offered", null=True, blank=True)
    fgdm_in_letter = models.BooleanField("offered in the letter before proceedings", default=False)
    fgdm_response = models.CharField(max_length=8, choices=Response.choices, blank=True)
    fgdm_held_on = models.DateField("date the FGDM meeting was held", null=True, blank=True)
    fgdm_plan_agreed = models.BooleanField("a family plan was agreed", null=True, blank=True)
    fgdm_plan = models.TextField("the family's plan", blank=True)
    # The end.
    ended = models.DateField("date pre-proceedings ended", null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField("about the outcome", blank=True)
    proceedings = models.OneToOneField(
        CareProceedings,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pre_proceedings",
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "pre-proceedings period"
        verbose_name_plural = "pre-proceedings periods"
        ordering = ["family", "-letter_date", "-id"]
        constraints = [
            # One open period a family at a time: a second letter while one is open is a
            # mistake, or the first has ended and should say so.
            no_overlap(
                "preproceedings_no_overlap",
                "family",
                start="letter_date",
                end="ended",
                message="This family already has pre-proceedings open at that date.",
            ),
            _after(
                "meeting_date",
                "letter_date",
                "preproceedings_meeting_after_letter",
                "The meeting cannot be before the letter before proceedings.",
            ),
            _after(
                "ended",
                "letter_date",
                "preproceedings_end_after_letter",
                "The end cannot be before the letter before proceedings.",
            ),
            _after(
                "ended",
                "meeting_date",
                "preproceedings_end_after_meeting",
                "The end cannot be before the meeting.",
            ),
            _after(
                "fgdm_held_on",
                "fgdm_offered_on",
                "preproceedings_fgdm_held_after_offer",
                "The FGDM meeting cannot be held before it was offered.",
            ),
            models.CheckConstraint(
                condition=Q(fgdm_in_letter=False)
                | Q(fgdm_offered_on__isnull=False, fgdm_offered_on=F("letter_date")),
                name="preproceedings_fgdm_in_letter_on_its_date",
                violation_error_message="An offer in the letter is made on the letter's date.",
            ),
            models.CheckConstraint(
                condition=Q(fgdm_response="") | Q(fgdm_offered_on__isnull=False),
                name="preproceedings_fgdm_answer_to_an_offer",
                violation_error_message="Record the offer before the family's answer.",
            ),
            models.CheckConstraint(
                condition=Q(fgdm_held_on__isnull=True) | Q(fgdm_response=Response.ACCEPTED),
                name="preproceedings_fgdm_held_when_accepted",
                violation_error_message="An FGDM meeting is held only when the family accepted.",
            ),
            models.CheckConstraint(
                condition=Q(fgdm_plan_agreed__isnull=True) | Q(fgdm_held_on__isnull=False),
                name="preproceedings_fgdm_plan_after_meeting",
                violation_error_message="A family plan is agreed at a meeting that was held.",
            ),
            models.CheckConstraint(
                # Written so that an empty answer (NULL) cannot make the check pass.
                condition=(
                    Q(fgdm_plan="") | Q(fgdm_plan_agreed__isnull=False, fgdm_plan_agreed=True)
                )
                & (Q(fgdm_plan_agreed__isnull=True) | Q(fgdm_plan_agreed=False) | ~Q(fgdm_plan="")),
                name="preproceedings_fgdm_plan_in_words",
                violation_error_message="Write the family's plan when one was agreed.",
            ),
            models.CheckConstraint(
                condition=(Q(ended__isnull=True) & Q(outcome=""))
                | (Q(ended__isnull=False) & ~Q(outcome="")),
                name="preproceedings_ended_with_outcome",
                violation_error_message="Give the outcome when pre-proceedings end.",
            ),
            models.CheckConstraint(
                condition=(Q(outcome=Outcome.CARE_APPLICATION) & Q(proceedings__isnull=False))
                | (~Q(outcome=Outcome.CARE_APPLICATION) & Q(proceedings__isnull=True)),
                name="preproceedings_application_linked",
                violation_error_message="A care application made is linked to its proceedings.",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.OTHER) | ~Q(outcome_note=""),
                name="preproceedings_other_says_what",
                violation_error_message="Say what the outcome was.",
            ),
        ]

    def __str__(self) -> str:
        return f"Pre-proceedings from {self.letter_date:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.ended is None


# The children a period is about are in its history too (docs/security.md, promise 10), as
# for families.CareProceedingsChildren.
@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), obj_field=None)
class PreProceedingsChildren(PreProceedings.children.through):  # type: ignore[misc,name-defined]
    class Meta:
        proxy = True
        verbose_name = "child in pre-proceedings"
