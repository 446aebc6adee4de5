"""Statutory episodes per child, named after the CIN census and SSDA903 fields they hold.

Returns are a projection of these records: each field's comment names its return column.
"""

from __future__ import annotations

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from onestory.families import codes
from onestory.families.models.records import Family, Person
from onestory.lib.dates import long_date
from onestory.lib.history import history
from onestory.lib.periods import Period, end_not_before_start, no_overlap


@pghistory.track(*history())
class CINEpisode(Period):
    """A referral and the child-in-need episode it opens (CIN census <CINdetails>).

    start = ReferralDate, end = CINclosureDate.
    """

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cin_episodes")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="cin_episodes")
    referral_source = models.CharField(max_length=2, choices=codes.ReferralSource.choices)
    primary_need = models.CharField(  # PrimaryNeedCode
        max_length=2, choices=codes.CategoryOfNeed.choices, blank=True
    )
    no_further_action = models.BooleanField(default=False)  # ReferralNFA
    closure_reason = models.CharField(  # ReasonForClosure
        max_length=3, choices=codes.CINClosureReason.choices, blank=True
    )

    class Meta:
        verbose_name = "referral and CIN episode"
        ordering = ["child", "start"]
        constraints = [
            end_not_before_start("cinepisode_end_not_before_start"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | ~Q(closure_reason=""),
                name="cinepisode_closed_with_reason",
                violation_error_message="Give the reason for closure when the episode closes.",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.child} on {self.start:%d/%m/%Y}"


@pghistory.track(*history())
class Assessment(models.Model):
    """A child and family assessment (CIN census <Assessments>)."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.PROTECT, related_name="assessments")
    start = models.DateField()  # AssessmentActualStartDate
    authorised = models.DateField(null=True, blank=True)  # AssessmentAuthorisationDate
    factors = ArrayField(  # AssessmentFactors
        models.CharField(max_length=3, choices=codes.AssessmentFactor.choices),
        default=list,
        blank=True,
    )
    # A sign-off in the story may authorise it: stories.CensusAuthorisation records which
    # entry did (the link lives with stories, so foreign keys point one way).

    class Meta:
        ordering = ["episode", "start"]
        constraints = [end_not_before_start("assessment_authorised_after_start", end="authorised")]

    def __str__(self) -> str:
        return f"Assessment started {self.start:%d/%m/%Y}"


@pghistory.track(*history())
class Section47Enquiry(models.Model):
    """A section 47 enquiry (CIN census <Section47>)."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.PROTECT, related_name="enquiries")
    start = models.DateField()  # S47ActualStartDate
    conference_not_required = models.BooleanField(default=False)  # ICPCnotRequired

    class Meta:
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        ordering = ["episode", "start"]

    def __str__(self) -> str:
        return f"Section 47 enquiry started {self.start:%d/%m/%Y}"


@pghistory.track(*history())
class InitialConference(models.Model):
    """An initial child protection conference (CIN census InitialCPCtarget / DateOfInitialCPC).

    It follows a section 47 enquiry, or, when it was held without one in the same episode (the
    enquiry made in an earlier episode, or by another council), hangs off the CIN episode
    itself: one or the other, never both. The census's target date and the number of previous
    CP plans are derived from the records (returns/cin/export.py), not typed.
    """

    enquiry = models.OneToOneField(
        Section47Enquiry,
        on_delete=models.PROTECT,
        related_name="conference",
        null=True,
        blank=True,
    )
    episode = models.ForeignKey(
        CINEpisode,
        on_delete=models.PROTECT,
        related_name="conferences",
        null=True,
        blank=True,
        help_text="Only for a conference held without a section 47 enquiry in this episode.",
    )
    date = models.DateField()  # DateOfInitialCPC
    plan_made = models.BooleanField(default=False)

    class Meta:
        verbose_name = "initial child protection conference"
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(enquiry__isnull=True, episode__isnull=False)
                | Q(enquiry__isnull=False, episode__isnull=True),
                name="initialconference_after_an_enquiry_or_in_an_episode",
                violation_error_message=(
                    "Choose the section 47 enquiry, or the referral if there was no enquiry "
                    "in this episode, but not both."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Initial conference on {self.date:%d/%m/%Y}"


@pghistory.track(*history())
class CINPlan(Period):
    """A child in need plan (CIN census <CINPlanDates>)."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.PROTECT, related_name="cin_plans")

    class Meta:
        verbose_name = "CIN plan"
        ordering = ["episode", "start"]
        constraints = [end_not_before_start("cinplan_end_not_before_start")]

    def __str__(self) -> str:
        return f"CIN plan from {self.start:%d/%m/%Y}"


@pghistory.track(*history())
class CPPlan(Period):
    """A child protection plan (CIN census <ChildProtectionPlans>)."""

    episode = models.ForeignKey(CINEpisode, on_delete=models.PROTECT, related_name="cp_plans")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cp_plans")
    initial_category = models.CharField(max_length=3, choices=codes.CPCategory.choices)
    latest_category = models.CharField(max_length=3, choices=codes.CPCategory.choices)

    class Meta:
        verbose_name = "CP plan"
        ordering = ["child", "start"]
        constraints = [
            end_not_before_start("cpplan_end_not_before_start"),
            no_overlap(
                "cpplan_one_at_a_time",
                "child",
                message="This child already has a child protection plan for some of these dates.",
            ),
        ]

    def __str__(self) -> str:
        return f"CP plan ({self.get_latest_category_display()}) from {self.start:%d/%m/%Y}"


@pghistory.track(*history())
class CPReview(models.Model):
    """A child protection review conference (CIN census <ChildProtectionPlans><Reviews>).

    Working Together 2023: the first review within 3 months of the initial conference (the
    plan's start), then at intervals of not more than 6 months while the plan lasts.
    """

    plan = models.ForeignKey(CPPlan, on_delete=models.PROTECT, related_name="reviews")
    date = models.DateField()  # CPPreviewDate

    class Meta:
        verbose_name = "child protection review"
        ordering = ["plan", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "date"],
                name="cpreview_one_a_day",
                violation_error_message="This plan already has a review on this date.",
            )
        ]

    def __str__(self) -> str:
        return f"Child protection review on {self.date:%d/%m/%Y}"

    def clean(self) -> None:
        # The plan's dates are in another table, which a check constraint cannot read (and
        # end_not_before_start compares columns of one row), so the rule is kept here, where
        # every form's validation applies it.
        if self.plan_id is None or self.date is None:
            return
        plan = self.plan
        if self.date < plan.start:
            raise ValidationError(
                {"date": f"The review cannot be before the plan started ({long_date(plan.start)})."}
            )
        if plan.end is not None and self.date > plan.end:
            raise ValidationError(
                {"date": f"The review cannot be after the plan ended ({long_date(plan.end)})."}
            )


@pghistory.track(*history())
class CareEpisode(Period):
    """An episode of care (SSDA903 Episodes). start = DECOM, end = DEC."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="care_episodes")
    reason_new_episode = models.CharField(  # RNE
        max_length=1, choices=codes.ReasonNewEpisode.choices
    )
    legal_status = models.CharField(max_length=2, choices=codes.LegalStatus.choices)  # LS
    category_of_need = models.CharField(  # CIN
        max_length=2, choices=codes.CategoryOfNeed.choices
    )
    placement = models.CharField(max_length=3, choices=codes.PlacementType.choices)  # PLACE
    provider = models.CharField(  # PLACE_PROVIDER
        max_length=3, choices=codes.PlacementProvider.choices
    )
    reason_ceased = models.CharField(  # REC
        max_length=3, choices=codes.ReasonEpisodeCeased.choices, blank=True
    )
    reason_place_change = models.CharField(  # REASON_PLACE_CHANGE
        max_length=6, choices=codes.ReasonPlaceChange.choices, blank=True
    )
    home_postcode = models.CharField(max_length=8, blank=True)  # HOME_POST
    placement_postcode = models.CharField(max_length=8, blank=True)  # PL_POST
    urn = models.CharField(  # URN
        "Ofsted URN", max_length=8, blank=True, help_text="The placement's Ofsted number, if any."
    )

    class Meta:
        ordering = ["child", "start"]
        constraints = [
            end_not_before_start("careepisode_end_not_before_start"),
            no_overlap(
                "careepisode_one_at_a_time",
                "child",
                message="This child already has a care episode for some of these dates.",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | ~Q(reason_ceased=""),
                name="careepisode_ended_with_reason",
                violation_error_message="Give the reason the episode ceased when it ends.",
            ),
        ]

    def __str__(self) -> str:
        return f"Care episode ({self.legal_status}) from {self.start:%d/%m/%Y}"


@pghistory.track(*history())
class Review(models.Model):
    """A child in care review (SSDA903 Reviews)."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reviews")
    date = models.DateField()  # REVIEW
    participation = models.CharField(  # REVIEW_CODE
        max_length=3, choices=codes.ReviewParticipation.choices
    )

    class Meta:
        ordering = ["child", "date"]

    def __str__(self) -> str:
        return f"Review on {self.date:%d/%m/%Y}"


@pghistory.track(*history())
class MissingEpisode(Period):
    """Missing or away from placement without authorisation (SSDA903 Missing)."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="missing_episodes")
    kind = models.CharField(max_length=1, choices=codes.MissingType.choices)  # MISSING

    class Meta:
        ordering = ["child", "start"]
        constraints = [end_not_before_start("missingepisode_end_not_before_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.start:%d/%m/%Y}"


@pghistory.track(*history())
class UASCPeriod(Period):
    """While a child was an unaccompanied asylum-seeking child (SSDA903 UASC: DUC is `end`)."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="uasc_periods")

    class Meta:
        verbose_name = "UASC period"
        ordering = ["child", "start"]
        constraints = [end_not_before_start("uascperiod_end_not_before_start")]

    def __str__(self) -> str:
        return f"UASC from {self.start:%d/%m/%Y}"


@pghistory.track(*history())
class AdoptionDecision(models.Model):
    """The adoption details of a child adopted from care (SSDA903 AD1)."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="adoption_decisions")
    decided = models.DateField()  # DATE_INT
    matched = models.DateField(null=True, blank=True)  # DATE_MATCH
    foster_carer_adoption = models.BooleanField(default=False)  # FOSTER_CARE
    number_of_adopters = models.PositiveSmallIntegerField(null=True, blank=True)  # NB_ADOPTR
    adopter_sex = models.CharField(  # SEX_ADOPTR
        max_length=2, choices=codes.AdopterSex.choices, blank=True
    )
    adopter_legal_status = models.CharField(  # LS_ADOPTR
        max_length=3, choices=codes.AdopterLegalStatus.choices, blank=True
    )

    class Meta:
        ordering = ["child", "decided"]
        constraints = [end_not_before_start("adoption_matched_after_decided", "decided", "matched")]

    def __str__(self) -> str:
        return f"Adoption decision on {self.decided:%d/%m/%Y}"


@pghistory.track(*history())
class AdoptionPlacement(Period):
    """A decision that a child should be placed for adoption, and its end (SSDA903
    PlacedAdoption): start = DATE_PLACED, end = DATE_PLACED_CEASED."""

    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="adoption_placements")
    reason_ceased = models.CharField(  # REASON_PLACED_CEASED
        max_length=3, choices=codes.ReasonPlacedCeased.choices, blank=True
    )

    class Meta:
        ordering = ["child", "start"]
        constraints = [end_not_before_start("adoptionplacement_end_not_before_start")]

    def __str__(self) -> str:
        return f"Placed for adoption decision {self.start:%d/%m/%Y}"


@pghistory.track(*history())
class CareProceedings(models.Model):
    """A care application to court under section 31, counted once however many children."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="proceedings")
    children = models.ManyToManyField(Person, related_name="care_proceedings")
    application_date = models.DateField("date of the section 31 application")
    court = models.CharField(max_length=120)
    orders_sought = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(
        max_length=30, choices=codes.CareProceedingsOutcome.choices, blank=True
    )
    concluded = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "care proceedings"
        ordering = ["application_date"]
        constraints = [
            end_not_before_start(
                "careproceedings_concluded_after_application", "application_date", "concluded"
            )
        ]

    def __str__(self) -> str:
        return f"Care application on {self.application_date:%d/%m/%Y}"


# The children in care proceedings are in their history (docs/security.md,
# promise 10). pghistory tracks an auto-made link table through a proxy of it, so that its
# triggers are in the migrations.
@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), obj_field=None)
class CareProceedingsChildren(CareProceedings.children.through):  # type: ignore[misc,name-defined]
    class Meta:
        proxy = True
        verbose_name = "child in care proceedings"
