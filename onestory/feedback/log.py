"""Reading the log: the list with its filters, and What's due from open complaint stages.

Each reader is a fixed number of queries whatever the number of rows: the stage each item is
at now comes from one subquery, and What's due from one query per source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from onestory.accounts.models import User
from onestory.feedback.access import (
    TABLE,
    Action,
    Relation,
    items_for,
    keeps_the_log,
    managed_pod_ids,
)
from onestory.feedback.models import Item, Stage
from onestory.lib.due import Task
from onestory.pods.models import Pod

LOG_ROWS = 200


@dataclass(frozen=True)
class LogPage:
    items: list[Item]
    total: int
    shown: int


def with_stage_now(items: QuerySet[Item]) -> QuerySet[Item]:
    """Each item with the stage it is at now (its highest), that stage's date due (extended or
    not) and its response date."""
    latest = Stage.objects.filter(item=OuterRef("pk")).order_by("-number")
    return items.annotate(
        stage_now=Subquery(latest.values("number")[:1]),
        stage_due=Subquery(
            latest.annotate(by=Coalesce(F("extended_due"), F("due"))).values("by")[:1]
        ),
        stage_responded=Subquery(latest.values("responded")[:1]),
    )


def log_page(user: User, filters: dict[str, Any], day: date) -> LogPage:
    """The items the user may see, newest first, filtered; two queries."""
    items = with_stage_now(items_for(user, Action.VIEW))
    if filters.get("kind"):
        items = items.filter(kind=filters["kind"])
    if filters.get("source"):
        items = items.filter(source=filters["source"])
    if filters.get("stage"):
        items = items.filter(Q(stage_now=int(filters["stage"])))
    if filters.get("overdue"):
        items = items.filter(Q(stage_responded__isnull=True) & Q(stage_due__lt=day))
    total = items.count()
    rows = list(items.select_related("pod").order_by("-received", "-pk")[:LOG_ROWS])
    return LogPage(items=rows, total=total, shown=len(rows))


def _tasks(stages: QuerySet[Stage]) -> list[Task]:
    rows = stages.filter(responded__isnull=True).select_related("item").order_by("due", "pk")
    return [
        Task(
            what=f"Stage {stage.number} response",
            due=stage.due_by,
            href=reverse("feedback:item", args=[stage.item.uuid]),
            # The reference only: What's due may be read by people who may not see the item.
            about=f"Complaint {stage.item.reference}",
            source="Complaint",
        )
        for stage in rows
    ]


def personal_tasks(user: Any, day: date) -> list[Task]:
    """The complaints officer: every open stage. A pod manager: the open stages of complaints
    naming a pod they manage today. One query (none for anyone else)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if keeps_the_log(user):
        return _tasks(Stage.objects.all())
    if Relation.POD not in TABLE.get(getattr(user, "role", ""), {}):
        return []
    return _tasks(Stage.objects.filter(item__pod__in=managed_pod_ids(user)))


def pod_tasks(pod: Pod, day: date) -> list[Task]:
    """The open stages of complaints naming the pod, for the pod's What's due. One query."""
    return _tasks(Stage.objects.filter(item__pod=pod))
