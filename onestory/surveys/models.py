"""Your Voice, the staff survey: waves, questions, anonymous responses and results (issue 14).

Anonymity is a property of these tables, not of the pages that read them
(docs/decisions/0015-your-voice-anonymity.md):

- a `Response` and its answers carry no person, no timestamp and no sequence number: their keys
  are random UUIDs or made of other keys, so neither their values nor their order say who
  answered or when;
- a `Participation` (one per person per wave, a keyed hash of who they are) is what stops a
  second response. It has no key of its own beyond (wave, token) and nothing that points to a
  response, and it is deleted when the wave closes, when it has no more work to do;
- none of them is tracked by pghistory: a history row carries the user who made the change, so
  tracking a response would sign it.
"""

from __future__ import annotations

import uuid

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from onestory.lib.history import history

# No figure based on fewer respondents than this is shown, charted or exported (docs/domain.md).
MIN_RESPONDENTS = 5


class Kind(models.TextChoices):
    TIME_USE = "time_use", "Time use"
    AGREEMENT = "agreement", "Agreement statement"


class Agreement(models.TextChoices):
    STRONGLY_AGREE = "strongly_agree", "Strongly agree"
    AGREE = "agree", "Agree"
    NEITHER = "neither", "Neither agree nor disagree"
    DISAGREE = "disagree", "Disagree"
    STRONGLY_DISAGREE = "strongly_disagree", "Strongly disagree"
    DONT_KNOW = "dont_know", "Don't know"


AGREEING = frozenset({Agreement.STRONGLY_AGREE, Agreement.AGREE})


class RoleGroup(models.TextChoices):
    """Broad on purpose: every group must be big enough for its figures to be shown."""

    SOCIAL_WORKER = "social_worker", "Social worker (including senior and in training)"
    POD_MANAGER = "pod_manager", "Pod manager"
    BUSINESS_SUPPORT = "business_support", "Business support"
    OTHER = "other", "Another role (for example a practice or quality lead)"


class QuestionBase(models.Model):
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField()
    # A stable name for the questions the outcome measures read ("children", "adults",
    # "safe_and_supported"), so rewording a question between waves keeps the measure.
    key = models.SlugField(max_length=40, blank=True)

    class Meta:
        abstract = True
        ordering = ["kind", "position"]

    def __str__(self) -> str:
        return self.text


@pghistory.track(*history())
class Question(QuestionBase):
    """The council's default question set, copied into each wave when it opens. It may be
    edited between waves, never while one is open (`questions.save_questions`)."""

    class Meta(QuestionBase.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "position"], name="surveys_question_one_per_position"
            ),
            models.UniqueConstraint(
                fields=["key"], condition=~Q(key=""), name="surveys_question_key_unique"
            ),
        ]


@pghistory.track(*history())
class Wave(models.Model):
    """One round of the survey, usually yearly. Opened and closed by a quality lead."""

    title = models.CharField(max_length=100, unique=True)
    opened = models.DateField()
    # When it is planned to close, for What's due; `closed` is when it did.
    closes_on = models.DateField()
    closed = models.DateField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["opened"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opened")),
                name="surveys_wave_closes_after_opening",
                violation_error_message="The closing date cannot be before the opening date.",
            ),
            models.CheckConstraint(
                condition=Q(closed__isnull=True) | Q(closed__gte=F("opened")),
                name="surveys_wave_closed_after_opening",
                violation_error_message="A wave cannot close before it opened.",
            ),
            # One wave open at a time: staff answer "the" survey, and the question set may be
            # edited exactly when no wave is open.
            models.UniqueConstraint(
                fields=["closed"],
                condition=Q(closed__isnull=True),
                nulls_distinct=False,
                name="surveys_wave_one_open",
                violation_error_message="Another wave is open: close it first.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed is None


@pghistory.track(*history())
class WaveQuestion(QuestionBase):
    """A question as it was asked in one wave: a copy, so that editing the default set never
    changes an open or past wave."""

    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="questions")

    class Meta(QuestionBase.Meta):
        ordering = ["wave", "kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "kind", "position"], name="surveys_wavequestion_one_per_position"
            ),
            models.UniqueConstraint(
                fields=["wave", "key"],
                condition=~Q(key=""),
                name="surveys_wavequestion_key_unique",
            ),
        ]


# Not tracked by pghistory, on purpose: see the module docstring.
class Response(models.Model):
    """One person's answers to one wave, with nothing that says who or when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="responses")
    role_group = models.CharField(max_length=30, choices=RoleGroup.choices)
    free_text = models.TextField(blank=True, max_length=5000)

    class Meta:
        # Random order: the same as no order, which is the point.
        ordering = ["id"]

    def __str__(self) -> str:
        return "A response"


class TimeUse(models.Model):
    """A percentage of working time for one category. A response's percentages add up to 100:
    a deferred constraint trigger checks it at commit (migration 0001)."""

    pk = models.CompositePrimaryKey("response", "question")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="time_use")
    question = models.ForeignKey(WaveQuestion, on_delete=models.PROTECT, related_name="+")
    percent = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100),
                name="surveys_timeuse_percent_0_to_100",
                violation_error_message="A percentage is between 0 and 100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.percent}%"


class AgreementAnswer(models.Model):
    pk = models.CompositePrimaryKey("response", "question")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="agreement")
    question = models.ForeignKey(WaveQuestion, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=20, choices=Agreement.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(answer__in=Agreement.values),
                name="surveys_agreementanswer_on_the_scale",
                violation_error_message="Choose an answer on the scale.",
            ),
        ]

    def __str__(self) -> str:
        return self.get_answer_display()


class Participation(models.Model):
    """That someone has answered a wave: a keyed hash of (wave, person), and nothing else. No
    id, no time, no link to the response; deleted when the wave closes."""

    pk = models.CompositePrimaryKey("wave", "token")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)

    def __str__(self) -> str:
        return "A participation token"
