"""What's due for an information governance officer: disposals another officer asked for,
waiting for their approval (one query; none for anyone who may not approve)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone

from onestory.lib.due import Task
from onestory.retention import access
from onestory.retention.access import Action
from onestory.retention.models import Disposal


def personal_tasks(user: Any, day: date) -> list[Task]:
    if not access.can(user, Action.APPROVE):
        return []
    waiting = Disposal.objects.filter(approved_at__isnull=True).exclude(requested_by=user)
    return [
        Task(
            what="Approve or withdraw a disposal",
            due=timezone.localdate(disposal.requested_at),
            href=reverse("retention:disposal", args=[disposal.pk]),
            about=f"Family {disposal.family_reference}",
            source="Retention",
        )
        for disposal in waiting.only("pk", "requested_at", "family_reference")
    ]
