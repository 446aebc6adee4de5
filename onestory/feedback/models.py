"""Compliments, complaints and comments: the log, the statutory complaint stages, the public page
and the reports (issue 15).

An `Item` is one compliment, complaint or comment, from any source, however it arrived. A
complaint goes through the Children Act 1989 representations procedure in `Stage`s: stage 1
(a response in 10 working days, up to 20 with a reason), stage 2 (an investigation in 25, up to
65) and stage 3 (a review panel within 30 working days of the request). The database refuses
what the procedure does not allow: a stage 2 or 3 without the stage before it, an extension
without a reason, an outcome without a response date. `PublicSubmission` counts what the public
page receives from each address, kept only as a keyed hash, for the rate limit.
"""

from __future__ import annotations

import uuid
from datetime import date

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import LessThanOrEqual

from onestory.families.models import Family
from onestory.lib.history import history
from onestory.pods.models import Pod

# Size limits: the public page and the staff forms refuse more than this, and so does the
# database, so nothing typed anywhere can fill a disk.
SUMMARY_MAX = 5000
CONTACT_MAX = 500
LEARNING_MAX = 5000
REASON_MAX = 1000


class Kind(models.TextChoices):
    COMPLIMENT = "compliment", "Compliment"
    COMPLAINT = "complaint", "Complaint"
    COMMENT = "comment", "Comment"


class Source(models.TextChoices):
    CHILD = "child", "Child or young person"
    PARENT = "parent", "Parent or carer"
    FAMILY_MEMBER = "family_member", "Other family member"
    PROFESSIONAL = "professional", "Professional"
    COUNCILLOR = "councillor", "Councillor or MP"
    OTHER = "other", "Other"


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online form"


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class StageNumber(models.IntegerChoices):
    ONE = 1, "Stage 1: local resolution"
    TWO = 2, "Stage 2: investigation"
    THREE = 3, "Stage 3: review panel"


@pghistory.track(*history())
class Item(models.Model):
    """One compliment, complaint or comment in the log."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Quoted to the sender and on letters: random, so it says nothing about how many others
    # there are.
    reference = models.CharField(max_length=12, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    source = models.CharField("Who it is from", max_length=20, choices=Source.choices)
    channel = models.CharField("How it arrived", max_length=12, choices=Channel.choices)
    received = models.DateField("Date received")
    pod = models.ForeignKey(
        Pod, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_about",
    )
    family = models.ForeignKey(
        Family, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )
    summary = models.TextField()
    reply_wanted = models.BooleanField(default=False)
    contact = models.TextField("Contact details", blank=True)
    # Empty for what came through the public page.
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_logged",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received", "-pk"]
        indexes = [models.Index(fields=["kind", "received"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="feedback_item_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="feedback_item_source_known"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="feedback_item_channel_known"
            ),
            models.CheckConstraint(
                condition=Q(reply_wanted=False) | ~Q(contact=""),
                name="feedback_reply_needs_contact",
                violation_error_message="Enter the contact details: a reply was asked for.",
            ),
            models.CheckConstraint(
                condition=~Q(summary=""), name="feedback_item_summary_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length("summary"), SUMMARY_MAX))
                & Q(LessThanOrEqual(Length("contact"), CONTACT_MAX)),
                name="feedback_item_sizes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"


class StageQuerySet(models.QuerySet["Stage"]):
    def open(self) -> StageQuerySet:
        return self.filter(responded__isnull=True)

    def with_due_by(self) -> StageQuerySet:
        """Each stage with `due_by`: the extended date when there is one, else the date due."""
        return self.annotate(due_by_date=Coalesce(F("extended_due"), F("due")))


@pghistory.track(*history())
class Stage(models.Model):
    """One stage of a complaint. Stage 2 and 3 each follow the stage before (`previous`)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="stages")
    number = models.PositiveSmallIntegerField(choices=StageNumber.choices)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_stage"
    )
    started = models.DateField("Date the stage started")
    due = models.DateField("Date due")
    extended_due = models.DateField("Extended date due", null=True, blank=True)
    extension_reason = models.TextField("Reason for the extension", blank=True)
    responded = models.DateField("Date of the response", null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    learning = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = StageQuerySet.as_manager()

    class Meta:
        ordering = ["item", "number"]
        indexes = [models.Index(fields=["responded", "due"])]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="feedback_one_stage_each"),
            models.CheckConstraint(
                condition=Q(number__in=[1, 2, 3]), name="feedback_stage_number_known"
            ),
            # A stage 2 or 3 hangs from the stage before it; only stage 1 stands alone.
            models.CheckConstraint(
                condition=(Q(number=1) & Q(previous__isnull=True))
                | (Q(number__gt=1) & Q(previous__isnull=False)),
                name="feedback_stage_follows_previous",
                violation_error_message="A stage 2 or 3 needs the stage before it.",
            ),
            models.CheckConstraint(
                condition=Q(due__gt=F("started")), name="feedback_stage_due_after_start"
            ),
            models.CheckConstraint(
                condition=(Q(extended_due__isnull=True) & Q(extension_reason=""))
                | (Q(extended_due__gt=F("due")) & ~Q(extension_reason="")),
                name="feedback_extension_needs_reason",
                violation_error_message="An extension needs a later date and a reason.",
            ),
            # The review panel has a single limit: it is never extended.
            models.CheckConstraint(
                condition=~Q(number=3) | Q(extended_due__isnull=True),
                name="feedback_stage_3_not_extended",
            ),
            models.CheckConstraint(
                condition=Q(responded__isnull=True) | Q(responded__gte=F("started")),
                name="feedback_response_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(responded__isnull=False),
                name="feedback_outcome_needs_response",
                violation_error_message="An outcome needs the date of the response.",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values),
                name="feedback_outcome_known",
            ),
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length("learning"), LEARNING_MAX))
                & Q(LessThanOrEqual(Length("extension_reason"), REASON_MAX)),
                name="feedback_stage_sizes",
            ),
        ]

    def __str__(self) -> str:
        return f"Stage {self.number}"

    @property
    def due_by(self) -> date:
        """The date the response is due: the extended date when there is one."""
        return self.extended_due or self.due

    def overdue_on(self, day: date) -> bool:
        return self.responded is None and self.due_by < day

    def in_time(self) -> bool | None:
        """Whether the response came by the date due (None while there is none)."""
        return None if self.responded is None else self.responded <= self.due_by


class PublicSubmission(models.Model):
    """One submission through the public page, for the rate limit: the sender's address only
    as a keyed hash (HMAC with the secret key), and deleted after a day."""

    address = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["address", "at"])]

    def __str__(self) -> str:
        return f"Submission at {self.at:%Y-%m-%d %H:%M}"
