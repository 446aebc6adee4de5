"""Records the SSDA903 return asks for that the episodes do not hold: a looked-after child's
health and offending outcomes (OC2), the permanence order a child had before coming into care
(PrevPerm), a care leaver's circumstances around their birthday (OC3) and deprivation of
liberty orders (DoLo, from 2026-27).

Each field's comment names its return column. Where the validator's rules compare two columns
of one row, the database refuses the row; rules that need the child's age or their episodes
are checked by the forms and reported by the validator.
"""

from __future__ import annotations

import pghistory
from django.db import models
from django.db.models import Q

from onestory.families import codes
from onestory.families.models.episodes import CareEpisode
from onestory.families.models.records import Person
from onestory.lib.history import history
from onestory.lib.periods import Period, end_not_before_start, no_overlap

# A collection year is named, like the DfE's, by the year it ends in (2026 is 1 April 2025 to
# 31 March 2026). The model began in 2015; no return is older.
YEARS = Q(year__gte=2016, year__lte=2100)

# LA_PERM: an English council's 3-digit number, or where outside England (rule 633).
COUNCIL_CODE = r"^([0-9]{3}|" + "|".join(codes.PERMANENCE_OUTSIDE_ENGLAND) + ")$"


@pghistory.track(*history())
class HealthOutcomes(models.Model):
    """A child's health and offending outcomes for a collection year (SSDA903 OC2), asked of
    children looked after continuously for 12 months at 31 March. Yes or no answers are null
    until answered: the return leaves the column blank then."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="health_outcomes")
    year = models.PositiveSmallIntegerField("collection year ending in")
    convicted = models.BooleanField(null=True, blank=True)  # CONVICTED (aged 10 or over)
    health_check = models.BooleanField(null=True, blank=True)  # HEALTH_CHECK (under 5)
    immunisations = models.BooleanField(null=True, blank=True)  # IMMUNISATIONS
    teeth_check = models.BooleanField(null=True, blank=True)  # TEETH_CHECK
    health_assessment = models.BooleanField(null=True, blank=True)  # HEALTH_ASSESSMENT
    substance_misuse = models.BooleanField(null=True, blank=True)  # SUBSTANCE_MISUSE
    intervention_received = models.BooleanField(null=True, blank=True)  # INTERVENTION_RECEIVED
    intervention_offered = models.BooleanField(null=True, blank=True)  # INTERVENTION_OFFERED
    sdq_score = models.PositiveSmallIntegerField(null=True, blank=True)  # SDQ_SCORE
    sdq_reason = models.CharField(  # SDQ_REASON
        max_length=4, choices=codes.SDQReason.choices, blank=True
    )

    class Meta:
        verbose_name = "health outcomes for a year"
        verbose_name_plural = "health outcomes"
        ordering = ["child", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "year"],
                name="healthoutcomes_one_a_year",
                violation_error_message="This child already has health outcomes for this year.",
            ),
            models.CheckConstraint(
                condition=YEARS,
                name="healthoutcomes_year_plausible",
                violation_error_message="Give the year the collection ends, for example 2026.",
            ),
            models.CheckConstraint(
                condition=Q(sdq_score__isnull=True) | Q(sdq_score__lte=40),
                name="healthoutcomes_sdq_score_0_to_40",
                violation_error_message="The SDQ score is a number from 0 to 40.",
            ),
            models.CheckConstraint(
                condition=Q(sdq_score__isnull=True) | Q(sdq_reason=""),
                name="healthoutcomes_sdq_score_or_reason",
                violation_error_message="Give the SDQ score or the reason there is none, not both.",
            ),
            # Rules 158 and 159: the interventions are asked only of a child with a substance
            # misuse problem, and "offered" only when none was received.
            models.CheckConstraint(
                condition=Q(substance_misuse=True)
                | Q(intervention_received__isnull=True, intervention_offered__isnull=True),
                name="healthoutcomes_interventions_only_for_substance_misuse",
                violation_error_message=(
                    "Answer the questions on interventions only for a substance misuse problem."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(intervention_received=True, intervention_offered__isnull=False),
                name="healthoutcomes_offered_only_if_not_received",
                violation_error_message=(
                    "Say whether an intervention was offered only if none was received."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Health outcomes for {self.year - 1} to {self.year}"


@pghistory.track(*history())
class PreviousPermanence(models.Model):
    """The permanence order a child had before the period of care this episode starts
    (SSDA903 PrevPerm), asked of every child starting a period of care."""

    care_episode = models.OneToOneField(
        CareEpisode, on_delete=models.PROTECT, related_name="previous_permanence"
    )
    order = models.CharField(  # PREV_PERM
        max_length=2, choices=codes.PermanenceOrder.choices
    )
    council = models.CharField(  # LA_PERM
        "council that made the arrangement",
        max_length=3,
        blank=True,
        help_text="Its 3-digit number, or WAL, SCO, NIR, or NUK for outside the UK.",
    )
    order_date = models.DateField(null=True, blank=True)  # DATE_PERM

    class Meta:
        verbose_name = "previous permanence"
        verbose_name_plural = "previous permanence"
        ordering = ["care_episode"]
        constraints = [
            # Rules 630 and 635: with an order, where and when it was made; with none
            # (Z1), neither.
            models.CheckConstraint(
                condition=Q(order=codes.PermanenceOrder.Z1, council="", order_date__isnull=True)
                | (
                    ~Q(order=codes.PermanenceOrder.Z1)
                    & ~Q(council="")
                    & Q(order_date__isnull=False)
                ),
                name="previouspermanence_order_with_council_and_date",
                violation_error_message=(
                    "Give the council and the date of the order, or neither if there was none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(council="") | Q(council__regex=COUNCIL_CODE),
                name="previouspermanence_council_code",
                violation_error_message=(
                    "Give the council's 3-digit number, or WAL, SCO, NIR or NUK."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Previous permanence: {self.get_order_display()}"


@pghistory.track(*history())
class CareLeaverContact(models.Model):
    """A care leaver's circumstances around their birthday in a collection year, from 17 to
    21 (SSDA903 OC3)."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_leaver_contacts")
    year = models.PositiveSmallIntegerField("collection year ending in")
    in_touch = models.CharField(max_length=4, choices=codes.InTouch.choices)  # IN_TOUCH
    activity = models.CharField(  # ACTIV
        max_length=2, choices=codes.CareLeaverActivity.choices
    )
    accommodation = models.CharField(  # ACCOM
        max_length=2, choices=codes.CareLeaverAccommodation.choices
    )

    class Meta:
        verbose_name = "care leaver's circumstances"
        verbose_name_plural = "care leavers' circumstances"
        ordering = ["child", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "year"],
                name="careleavercontact_one_a_year",
                violation_error_message=(
                    "This young person's circumstances are already recorded for this year."
                ),
            ),
            models.CheckConstraint(
                condition=YEARS,
                name="careleavercontact_year_plausible",
                violation_error_message="Give the year the collection ends, for example 2026.",
            ),
            # Rule 344: nothing is asked of a young person who has died or gone home (0).
            models.CheckConstraint(
                condition=~Q(in_touch__in=codes.IN_TOUCH_NOTHING_ASKED)
                | Q(activity="0", accommodation="0"),
                name="careleavercontact_nothing_asked_after_death_or_return_home",
                violation_error_message=(
                    "Choose 'Not known' for activity and accommodation when the young person "
                    "has died or returned home."
                ),
            ),
            # Rule 345: in touch, the council knows both.
            models.CheckConstraint(
                condition=~Q(in_touch=codes.InTouch.YES)
                | (~Q(activity="0") & ~Q(accommodation="0")),
                name="careleavercontact_in_touch_knows_activity_and_accommodation",
                violation_error_message=(
                    "When the council is in touch, give the activity and the accommodation."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Care leaver's circumstances in {self.year - 1} to {self.year}"


@pghistory.track(*history())
class DeprivationOfLiberty(Period):
    """A deprivation of liberty order for a looked-after child (SSDA903 DoLo from 2026-27:
    start = DOLO_START, end = DOLO_END)."""

    child = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="deprivations_of_liberty"
    )

    class Meta:
        verbose_name = "deprivation of liberty order"
        ordering = ["child", "start"]
        constraints = [
            end_not_before_start("deprivationofliberty_end_not_before_start"),
            # Rule 705: one order at a time.
            no_overlap(
                "deprivationofliberty_one_at_a_time",
                "child",
                message="This child already has a deprivation of liberty order for these dates.",
            ),
        ]

    def __str__(self) -> str:
        return f"Deprivation of liberty order from {self.start:%d/%m/%Y}"
