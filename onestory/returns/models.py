"""A check of a statutory return by the DfE's rules, made in the background, and what it found
(issue 19, item 4; docs/decisions/0025-returns-in-the-app.md).

A `Check` is one run of Data to Insight's validator on the return as the records stand: which
return and collection year, who asked and when, and how it went. Each failing row the
validator reports is a `Finding`: the child (the CHILD of the file, and the person when One
Story still has them), the table, the rule and its message in plain words, and, where the
table names one record of the child's, that record, so the page can link to its edit screen.

The check is in history (who asked for which check is worth keeping); its findings are not:
they are the validator's output, thousands of rows at a time, replaced by the next check.
"""

from __future__ import annotations

import uuid

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from onestory.lib.history import history


class Return(models.TextChoices):
    SSDA903 = "ssda903", "SSDA903 (children looked after)"
    CIN = "cin", "Children in need census"


class Status(models.TextChoices):
    QUEUED = "queued", "Waiting to be checked"
    RUNNING = "running", "Being checked"
    DONE = "done", "Checked"
    FAILED = "failed", "Could not be checked"


@pghistory.track(*history())
class Check(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    return_name = models.CharField("return", max_length=10, choices=Return)
    # The collection year, named like the DfE's by the year it ends in (2026: 2025 to 2026).
    year = models.PositiveSmallIntegerField()
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="return_checks"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # How many children the return held, and how many findings the validator reported.
    children = models.PositiveIntegerField(default=0)
    found = models.PositiveIntegerField(default=0)
    # Rules that raised an error inside the validator, and rules with no table to run on:
    # shown apart from the findings, never as the data's errors.
    failed_rules = models.JSONField(default=list, blank=True)
    skipped_rules = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)  # plain English, why the check could not be made

    class Meta:
        ordering = ["-asked_at", "-id"]
        indexes = [models.Index(fields=["return_name", "year", "-asked_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(return_name__in=Return.values), name="return_check_return_is_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="return_check_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2016, year__lte=2100), name="return_check_year_is_plausible"
            ),
            models.CheckConstraint(
                condition=Q(status=Status.QUEUED) | Q(started_at__isnull=False),
                name="return_check_started_once_taken",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[Status.QUEUED, Status.RUNNING])
                | Q(finished_at__isnull=False, finished_at__gte=F("started_at")),
                name="return_check_finished_when_done",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.FAILED) | ~Q(error=""),
                name="return_check_failed_says_why",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.FAILED) | Q(error=""),
                name="return_check_error_only_when_failed",
            ),
            # One check in progress a return and year: asking again joins it.
            models.UniqueConstraint(
                fields=["return_name", "year"],
                condition=Q(status__in=[Status.QUEUED, Status.RUNNING]),
                name="return_check_one_in_progress",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DONE) | Q(found=0, children=0),
                name="return_check_counts_only_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_return_name_display()} {self.year} ({self.get_status_display()})"

    @property
    def in_progress(self) -> bool:
        return self.status in (Status.QUEUED, Status.RUNNING)

    @property
    def year_label(self) -> str:
        return f"{self.year - 1} to {self.year}"


class Finding(models.Model):
    check_run = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="findings")
    # The CHILD written in the file (the person's database id today); blank for a rule about
    # the file as a whole. `child` is the person, while One Story holds them.
    child_ref = models.CharField(max_length=20, blank=True)
    child = models.ForeignKey(
        "families.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    table = models.CharField(max_length=60, blank=True)
    rule = models.CharField(max_length=20)
    message = models.TextField()
    # The one record of the child's this table names, when there is exactly one in the year:
    # a kind of families.forms.EPISODES and its primary key, for its edit screen.
    record_kind = models.SlugField(max_length=40, blank=True)
    record_pk = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["rule", "child_ref", "table", "id"]
        indexes = [
            models.Index(fields=["check_run", "rule", "child_ref"]),
            models.Index(fields=["check_run", "child_ref", "rule"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(rule=""), name="return_finding_has_a_rule"),
            models.CheckConstraint(
                condition=Q(record_kind="", record_pk__isnull=True)
                | (~Q(record_kind="") & Q(record_pk__isnull=False)),
                name="return_finding_record_named_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} for {self.child_ref or 'the file'}"
