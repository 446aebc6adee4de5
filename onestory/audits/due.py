"""Audit actions in What's due (onestory/lib/due.py): the actions a person owns and has not
done, and the audits they are to carry out in an open cycle; one query each.

A task names the cycle, never the child: What's due lists it for its owner, who may not see the
family's record; the link leads to the audit, which checks what they may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from onestory.audits.models import AuditAction, AuditStatus, SampledChild
from onestory.lib.due import Task
from onestory.lib.urls import link


def personal_tasks(user: Any, day: date) -> list[Task]:
    actions = (
        AuditAction.objects.filter(owner=user.pk, done_on__isnull=True)
        .select_related("audit__sample__cycle")
        .order_by("due", "pk")
    )
    tasks = [
        Task(
            what=action.what if len(action.what) <= 80 else f"{action.what[:77]}...",
            due=action.due,
            href=link("audits:audit", [action.audit.sample_id]),
            about=f"Action from the audit, {action.audit.sample.cycle.label}",
            source="Audit",
        )
        for action in actions
    ]
    to_audit = (
        SampledChild.objects.filter(
            assignment__auditor=user.pk, cycle__status="open", audit__status=AuditStatus.DRAFT
        )
        .select_related("cycle")
        .order_by("cycle__starts", "pk")
    )
    tasks += [
        Task(
            what="Carry out an audit",
            due=sample.cycle.ends_on,
            href=link("audits:audit", [sample.pk]),
            about=f"Audit, {sample.cycle.label}",
            source="Audit",
        )
        for sample in to_audit
    ]
    return tasks
