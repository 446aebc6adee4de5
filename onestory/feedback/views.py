"""The staff pages under /complaints/: the log, adding an item, an item with its stages, the
stage forms and the reports.

Items come through `get_item_for` (404 for what the user may not see or manage); what each
page may offer comes from `feedback.access`, never from the user's role here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from onestory.accounts.http import AuthenticatedRequest, posted
from onestory.feedback import forms
from onestory.feedback.access import (
    Action,
    can,
    get_item_for,
    keeps_the_log,
    sees_complaints,
    sees_reports,
)
from onestory.feedback.log import log_page
from onestory.feedback.models import Item, Stage
from onestory.feedback.procedure import LIMITS, extend_stage, log_item, respond, start_stage
from onestory.feedback.reports import report
from onestory.lib.dates import long_date


def _form_page(
    request: AuthenticatedRequest, item: Item, form: Any, **context: Any
) -> HttpResponse:
    back = reverse("feedback:item", args=[item.uuid])
    return render(
        request, "feedback/form.html", {"item": item, "form": form, "back": back, **context}
    )


def log(request: AuthenticatedRequest) -> HttpResponse:
    if not sees_complaints(request.user):
        raise Http404("No log")
    filters = forms.LogFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    page = log_page(request.user, chosen, timezone.localdate())
    return render(
        request,
        "feedback/log.html",
        {
            "page": page,
            "filters": filters,
            "today": timezone.localdate(),
            "may_log": keeps_the_log(request.user),
            "may_report": sees_reports(request.user),
        },
    )


def add(request: AuthenticatedRequest) -> HttpResponse:
    if not keeps_the_log(request.user):
        raise Http404("No log")
    form = forms.ItemForm(posted(request), initial={"received": timezone.localdate()})
    if form.is_bound and form.is_valid() and (item := form.run(log_item, by=request.user)):
        messages.success(request, f"{item} is in the log.")
        return redirect("feedback:item", item.uuid)
    return render(request, "feedback/add.html", {"form": form})


def item(request: AuthenticatedRequest, uuid: str) -> HttpResponse:
    found = get_item_for(request.user, uuid)
    stages = list(found.stages.order_by("number"))
    return render(
        request,
        "feedback/item.html",
        {
            "item": found,
            "stages": stages,
            "today": timezone.localdate(),
            "manage": can(request.user, found, Action.MANAGE),
            "next_stage": (stages[-1].number + 1) if stages else 1,
            # Escalation follows an answered stage (start_stage says so, if asked earlier).
            "may_escalate": not stages or stages[-1].responded is not None,
        },
    )


def stage_start(request: AuthenticatedRequest, uuid: str) -> HttpResponse:
    found = get_item_for(request.user, uuid, Action.MANAGE)
    latest = found.stages.order_by("-number").first()
    initial = {"number": latest.number + 1 if latest else 1, "started": timezone.localdate()}
    form = forms.StartStageForm(posted(request), initial=initial)
    if (
        form.is_bound
        and form.is_valid()
        and (stage := form.run(start_stage, item=found, by=request.user))
    ):
        messages.success(request, f"Stage {stage.number} started: due by {long_date(stage.due)}.")
        return redirect("feedback:item", found.uuid)
    return _form_page(request, found, form, title="Start the next stage", button="Start the stage")


def _stage(item: Item, number: int) -> Stage:
    stage = item.stages.filter(number=number).first()
    if stage is None:
        raise Http404("No such stage")
    return stage


def extend(request: AuthenticatedRequest, uuid: str, number: int) -> HttpResponse:
    found = get_item_for(request.user, uuid, Action.MANAGE)
    stage = _stage(found, number)
    form = forms.ExtendForm(posted(request), initial={"version": stage.version})
    if (
        form.is_bound
        and form.is_valid()
        and (done := form.run(extend_stage, stage=stage, by=request.user))
    ):
        messages.success(request, f"Stage {done.number} is now due by {long_date(done.due_by)}.")
        return redirect("feedback:item", found.uuid)
    limit = LIMITS[stage.number]
    intro = (
        f"Stage {stage.number} started on {long_date(stage.started)} and is due by "
        f"{long_date(stage.due_by)}. It can be extended to {limit.longest} working days at most."
    )
    return _form_page(
        request, found, form, title=f"Extend stage {stage.number}", intro=intro, button="Extend"
    )


def answer(request: AuthenticatedRequest, uuid: str, number: int) -> HttpResponse:
    found = get_item_for(request.user, uuid, Action.MANAGE)
    stage = _stage(found, number)
    initial = {
        "version": stage.version,
        "responded": stage.responded,
        "outcome": stage.outcome,
        "learning": stage.learning,
    }
    form = forms.RespondForm(posted(request), initial=initial)
    if (
        form.is_bound
        and form.is_valid()
        and (done := form.run(respond, stage=stage, by=request.user))
    ):
        messages.success(request, f"Stage {done.number}'s response is recorded.")
        return redirect("feedback:item", found.uuid)
    return _form_page(
        request,
        found,
        form,
        title=f"Stage {stage.number}: response, outcome and learning",
        intro=f"Due by {long_date(stage.due_by)}.",
        button="Save",
    )


def reports(request: AuthenticatedRequest) -> HttpResponse:
    if not sees_reports(request.user):
        raise Http404("No reports")
    return render(request, "feedback/reports.html", {"report": report(timezone.localdate())})
