"""Practitioner-led audit: cycles, samples, audit conversations, grades, moderation, actions and
learning themes (issue 13; docs/decisions/0014-practitioner-led-audit.md).

A quality lead opens a cycle (a month or a quarter) and One Story draws a random sample of open
children, stratified by pod and status, from a seed it records. Each sampled child gets an
auditor (from another pod by default) and the case-holding worker; the auditor grades the
cycle's domains on the Ofsted scale, with evidence and what would make it better. A quality lead
moderates a share: the moderator's grades sit beside the auditor's, never over them.

The database keeps the rules it can: grades on the scale, a finished audit has its overall
grade, one audit per sampled child (so there is no audit of a child outside the sample), one
moderation per audit, positive sample sizes, a quarter that starts a quarter.
"""

from __future__ import annotations

from datetime import date

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q

from onestory.families.models import Family, Person
from onestory.lib.dates import long_date
from onestory.lib.history import history
from onestory.pods.models import Pod, Staff


class Grade(models.IntegerChoices):
    """The Ofsted scale, best first: the numbers order it (1 is the best) for the statistics."""

    OUTSTANDING = 1, "Outstanding"
    GOOD = 2, "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement"
    INADEQUATE = 4, "Inadequate"


GOOD_OR_BETTER = (Grade.OUTSTANDING, Grade.GOOD)
SCALE_WORDS = "Outstanding, Good, Requires improvement or Inadequate"


def on_the_scale(name: str, field: str = "grade") -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 4}),
        name=name,
        violation_error_message=f"Choose a grade on the scale: {SCALE_WORDS}.",
    )


class SampleStatus(models.TextChoices):
    """What the child's open statutory episode was when the sample was drawn (the stratum)."""

    CIN = "cin", "Child in need"
    CP = "cp", "Child protection plan"
    IN_CARE = "in_care", "In care"


DEFAULT_DOMAINS = [
    ("The child's lived experience and voice", "What life is like for the child, in their words."),
    ("The quality of the One Story record", "Written to the family, told once, kept up to date."),
    ("Assessment and analysis", "What is happening, why, and what it means for the child."),
    (
        "Planning and purposeful direct work",
        "Plans that say what will change, and time with the child that serves them.",
    ),
    ("Relationships and continuity", "The people the child knows and trusts, kept."),
    ("Management oversight and supervision", "Decisions recorded, with their reasons."),
    ("The difference made", "What is better for the child because we were involved."),
]


@pghistory.track(*history())
class Domain(models.Model):
    """A domain the council audits. Edited between cycles: a cycle copies the list as it stood
    when it opened (`CycleDomain`), so nothing changes inside a cycle."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    in_use = models.BooleanField(
        default=True, help_text="Domains not in use are left out of the next cycles."
    )

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="domain_has_a_name")]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A learning theme: a cycle may focus on one; audits name the themes they found."""

    name = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="theme_has_a_name")]

    def __str__(self) -> str:
        return self.name


class Period(models.TextChoices):
    MONTH = "month", "A month"
    QUARTER = "quarter", "A quarter"


class CycleStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


@pghistory.track(*history())
class Cycle(models.Model):
    """An audit cycle: a month or a quarter, its sample and the seed it was drawn from."""

    period = models.CharField(max_length=7, choices=Period.choices)
    starts = models.DateField(help_text="The first day of the month or quarter.")
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="cycles"
    )
    sample_per_pod = models.PositiveSmallIntegerField()
    moderation_share = models.PositiveSmallIntegerField(
        default=20, help_text="The percentage of audits a quality lead moderates."
    )
    # The random seed the sample was drawn from: the same seed, day and records draw the same
    # sample (sampling.py), so anyone can check how a sample came about.
    seed = models.BigIntegerField()
    drawn_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=6, choices=CycleStatus.choices, default=CycleStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_cycles_opened"
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "starts"],
                name="cycle_one_per_period",
                violation_error_message="There is already a cycle for this period.",
            ),
            models.CheckConstraint(condition=Q(starts__day=1), name="cycle_starts_on_the_first"),
            models.CheckConstraint(
                condition=Q(period="month") | Q(starts__month__in=[1, 4, 7, 10]),
                name="cycle_quarter_starts_a_quarter",
                violation_error_message="A quarter starts in January, April, July or October.",
            ),
            models.CheckConstraint(
                condition=Q(sample_per_pod__gte=1), name="cycle_samples_someone"
            ),
            models.CheckConstraint(
                condition=Q(moderation_share__gte=1, moderation_share__lte=100),
                name="cycle_moderation_share_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="cycle_closed_has_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return f"Audit, {self.label}"

    @property
    def label(self) -> str:
        if self.period == Period.MONTH:
            return f"{self.starts:%B %Y}"
        quarter = (self.starts.month - 1) // 3 + 1
        return f"{self.starts:%B} to {self.ends_on:%B %Y} (quarter {quarter})"

    @property
    def ends_on(self) -> date:
        """The last day of the period."""
        months = 1 if self.period == Period.MONTH else 3
        month = self.starts.month - 1 + months
        first_after = date(self.starts.year + month // 12, month % 12 + 1, 1)
        return date.fromordinal(first_after.toordinal() - 1)

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN


class CycleDomain(models.Model):
    """The domains of one cycle, copied from `Domain` when it opened and never changed."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="domains")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["cycle", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "position"], name="cycledomain_one_a_place"),
            models.UniqueConstraint(fields=["cycle", "name"], name="cycledomain_named_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Stratum(models.Model):
    """How the sample was drawn in one pod and status: how many children could be drawn on the
    draw day, and how many were."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="strata")
    pod = models.ForeignKey(Pod, on_delete=models.PROTECT, related_name="audit_strata")
    status = models.CharField(max_length=7, choices=SampleStatus.choices)
    eligible = models.PositiveIntegerField()
    drawn = models.PositiveIntegerField()

    class Meta:
        ordering = ["cycle", "pod__name", "status"]
        verbose_name_plural = "strata"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "pod", "status"], name="stratum_once"),
            models.CheckConstraint(
                condition=Q(drawn__lte=models.F("eligible")), name="stratum_draws_what_there_is"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pod}, {self.get_status_display()}: {self.drawn} of {self.eligible}"


class SampledChild(models.Model):
    """A child drawn for a cycle, with the family, pod and status they had on the draw day."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="sample")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="audit_samples")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="audit_samples")
    pod = models.ForeignKey(Pod, on_delete=models.PROTECT, related_name="audit_samples")
    status = models.CharField(max_length=7, choices=SampleStatus.choices)
    # Drawn for moderation as well (the cycle's moderation share, from the same seed).
    to_moderate = models.BooleanField(default=False)

    class Meta:
        ordering = ["cycle", "pod", "status", "pk"]
        verbose_name_plural = "sampled children"
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "child"],
                name="sampledchild_once_a_cycle",
                violation_error_message="This child is already in the cycle's sample.",
            )
        ]
        indexes = [models.Index(fields=["child", "cycle"])]

    def __str__(self) -> str:
        return f"{self.child} in {self.cycle}"


@pghistory.track(*history())
class Assignment(models.Model):
    """Who audits a sampled child, with the case-holding worker: an audit is a conversation
    between them. Opening it opens the auditor's `AuditAccess` to the family."""

    sample = models.OneToOneField(SampledChild, on_delete=models.PROTECT, related_name="assignment")
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_assignments"
    )
    case_holder = models.ForeignKey(
        Staff,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_conversations",
        help_text="The child's social worker when the sample was drawn, if they had one.",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_assignments_made"
    )
    assigned_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.auditor} audits {self.sample.child}"


class AuditStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    FINISHED = "finished", "Finished"


@pghistory.track(*history())
class Audit(models.Model):
    """The audit of one sampled child: one per sampled child, so none outside the sample."""

    sample = models.OneToOneField(SampledChild, on_delete=models.PROTECT, related_name="audit")
    overall_grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    overall_evidence = models.TextField(blank=True)
    family_view_possible = models.BooleanField(null=True)
    family_view = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="audits")
    status = models.CharField(max_length=8, choices=AuditStatus.choices, default=AuditStatus.DRAFT)
    # Optimistic locking, as for story entries: a save names the version it was read at.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audits_saved",
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            on_the_scale("audit_overall_grade_on_the_scale", "overall_grade"),
            models.CheckConstraint(
                condition=Q(status="draft", finished_at__isnull=True)
                | Q(status="finished", finished_at__isnull=False, overall_grade__isnull=False),
                name="audit_finished_has_a_grade_and_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Audit of {self.sample.child}"

    @property
    def is_finished(self) -> bool:
        return self.status == AuditStatus.FINISHED


# The themes an audit names are case data too: tracked through a proxy of the link table, as
# stories tracks the people an entry concerns.
@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), obj_field=None)
class AuditThemes(Audit.themes.through):  # type: ignore[misc,name-defined]
    class Meta:
        proxy = True
        verbose_name = "theme an audit found"


@pghistory.track(*history())
class DomainGrade(models.Model):
    """The auditor's grade for one domain, with the evidence and what would make it better."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="grades")
    domain = models.ForeignKey(CycleDomain, on_delete=models.PROTECT, related_name="grades")
    grade = models.PositiveSmallIntegerField(choices=Grade.choices, null=True, blank=True)
    evidence = models.TextField(blank=True)
    better = models.TextField("what would make it better", blank=True)

    class Meta:
        ordering = ["audit", "domain__position"]
        constraints = [
            on_the_scale("domaingrade_on_the_scale"),
            models.UniqueConstraint(fields=["audit", "domain"], name="domaingrade_once_a_domain"),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.get_grade_display() if self.grade else 'not graded'}"


@pghistory.track(*history())
class Moderation(models.Model):
    """A quality lead's moderation of a finished audit. Its grades are kept beside the
    auditor's (`ModeratedGrade`), which are never changed."""

    audit = models.OneToOneField(Audit, on_delete=models.PROTECT, related_name="moderation")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="moderations"
    )
    overall_grade = models.PositiveSmallIntegerField(choices=Grade.choices)
    note = models.TextField(blank=True)
    moderated_at = models.DateTimeField()

    class Meta:
        constraints = [on_the_scale("moderation_overall_grade_on_the_scale", "overall_grade")]

    def __str__(self) -> str:
        return f"Moderation of {self.audit.sample.child} on {long_date(self.moderated_at.date())}"


@pghistory.track(*history())
class ModeratedGrade(models.Model):
    moderation = models.ForeignKey(Moderation, on_delete=models.PROTECT, related_name="grades")
    domain = models.ForeignKey(CycleDomain, on_delete=models.PROTECT, related_name="moderated")
    grade = models.PositiveSmallIntegerField(choices=Grade.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["moderation", "domain__position"]
        constraints = [
            on_the_scale("moderatedgrade_on_the_scale"),
            models.UniqueConstraint(
                fields=["moderation", "domain"], name="moderatedgrade_once_a_domain"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.get_grade_display()}"


@pghistory.track(*history())
class AuditAction(models.Model):
    """Something to do for the child, agreed in the audit conversation, tracked to done."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="actions")
    what = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="audit_actions"
    )
    due = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_actions_done",
    )

    class Meta:
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["owner", "done_on", "due"])]
        constraints = [
            models.CheckConstraint(condition=~Q(what=""), name="auditaction_says_what"),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True, done_by__isnull=True)
                | Q(done_on__isnull=False, done_by__isnull=False),
                name="auditaction_done_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.what
