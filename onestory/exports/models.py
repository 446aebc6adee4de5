"""A document made in the background: asked for by one person, made by the task worker,
downloadable by that person only, and deleted 7 days after it was asked for
(docs/decisions/0019-background-documents.md).

Not in history: the file is a copy of records, and history is append-only, so a copy there
would outlive its expiry. Each download is in the access log instead (an `export` event), and
the request is in the task queue's own table.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

KEPT_FOR = timedelta(days=7)


class Status(models.TextChoices):
    QUEUED = "queued", "Waiting to be made"
    MAKING = "making", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be made"


def _expiry() -> object:
    return timezone.now() + KEPT_FOR


class Export(models.Model):
    """One document: what kind (a key in onestory/exports/registry.py) with what parameters,
    who asked, how far the worker has got, and, once ready, the file itself.

    The file is kept in the database, beside its request, so that deleting the row deletes the
    file in the same transaction: there is no file on disk to outlive its expiry or to be
    served by mistake. The documents are reports of a few hundred kilobytes.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=60)
    parameters = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(max_length=120, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(default=b"", blank=True, editable=False)
    size = models.PositiveIntegerField(default=0)  # bytes, for the list without the file
    error = models.TextField(blank=True)  # plain English, shown to the person who asked
    expires_at = models.DateTimeField(default=_expiry)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_by", "-created_at"]),
            models.Index(fields=["expires_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="export_progress_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="export_status_is_known"
            ),
            models.CheckConstraint(condition=~Q(kind=""), name="export_has_a_kind"),
            models.CheckConstraint(condition=~Q(title=""), name="export_has_a_title"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="export_expires_after_asked"
            ),
            # A ready document has its file, named and typed, and is finished; no other has a
            # file, so a failed or unfinished document can never be downloaded.
            models.CheckConstraint(
                condition=(
                    ~Q(status=Status.READY)
                    | (
                        ~Q(content=b"")
                        & ~Q(filename="")
                        & ~Q(content_type="")
                        & Q(progress=100, finished_at__isnull=False, size__gt=0)
                    )
                ),
                name="export_ready_has_its_file",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.READY) | Q(content=b"", size=0),
                name="export_only_ready_has_a_file",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.FAILED) | (~Q(error="") & Q(finished_at__isnull=False)),
                name="export_failed_says_why",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.FAILED) | Q(error=""),
                name="export_error_only_when_failed",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.QUEUED) | Q(started_at__isnull=False),
                name="export_started_once_taken",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} for {self.created_by} ({self.get_status_display()})"

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def downloadable(self) -> bool:
        return self.status == Status.READY and not self.expired

    @property
    def in_progress(self) -> bool:
        return self.status in (Status.QUEUED, Status.MAKING) and not self.expired
