"""The pre-proceedings pages of a family: its periods with their FGDM offer, starting one, and
recording the meeting, the offer and the outcome.

Every page first gets the family through the families' chokepoint (`get_family_for`, which
logs the look and answers 404 for a family the user may not see), then asks
preproceedings/access.py whether the user may view or record."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from onestory.accounts.http import AuthenticatedRequest, posted
from onestory.families.access import get_family_for
from onestory.families.models import Family
from onestory.preproceedings import forms, records
from onestory.preproceedings.access import Action, can, periods_for, rules_for
from onestory.preproceedings.models import PreProceedings


def _family(request: AuthenticatedRequest, uuid: UUID, action: Action) -> Family:
    family = get_family_for(request, uuid)
    if not can(request.user, family, action):
        raise Http404("No such page")
    return family


def _period(family: Family, pk: int) -> PreProceedings:
    period = PreProceedings.objects.filter(family=family, pk=pk).first()
    if period is None:
        raise Http404("No such pre-proceedings")
    period.family = family
    return period


def open_list(request: AuthenticatedRequest) -> HttpResponse:
    """Pre-proceedings open today in the families the user may see, oldest letter first."""
    if not rules_for(request.user):
        raise Http404("No such page")
    periods = (
        periods_for(request.user, Action.VIEW)
        .filter(ended__isnull=True)
        .select_related("family")
        .order_by("letter_date", "pk")
    )
    return render(request, "preproceedings/open.html", {"periods": list(periods)})


def family(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    found = _family(request, uuid, Action.VIEW)
    periods = (
        PreProceedings.objects.filter(family=found)
        .select_related("proceedings")
        .prefetch_related("children")
    )
    context = {
        "family": found,
        "periods": list(periods),
        "may_record": can(request.user, found, Action.RECORD),
    }
    return render(request, "preproceedings/family.html", context)


def start(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    found = _family(request, uuid, Action.RECORD)
    form = forms.StartForm(posted(request), children=records.children_of(found))
    if form.is_bound and form.is_valid():
        period = form.run(records.start, family=found, by=request.user)
        if period is not None:
            messages.success(request, "Pre-proceedings started and written on the story.")
            return redirect("preproceedings:family", found.uuid)
    return render(request, "preproceedings/start.html", {"family": found, "form": form})


STEPS: dict[str, tuple[str, type[forms.StepForm], Any]] = {
    "meeting": ("Record the pre-proceedings meeting", forms.MeetingForm, records.record_meeting),
    "fgdm": ("Family group decision making", forms.FGDMForm, records.record_fgdm),
    "outcome": ("Record the outcome", forms.OutcomeForm, records.record_outcome),
}


def _step(request: AuthenticatedRequest, uuid: UUID, pk: int, step: str) -> HttpResponse:
    found = _family(request, uuid, Action.RECORD)
    period = _period(found, pk)
    title, form_class, write = STEPS[step]
    extra = {"applications": records.applications_for(period)} if step == "outcome" else {}
    form = form_class(posted(request), period=period, **extra)
    if form.is_bound and form.is_valid():
        saved = form.run(write, period=period, by=request.user)
        if saved:
            messages.success(request, "Saved and written on the family's story.")
            return redirect("preproceedings:family", found.uuid)
        if saved is False:
            period.refresh_from_db()
            form.lost_to(period)
    context = {"family": found, "period": period, "form": form, "title": title}
    return render(request, "preproceedings/step.html", context)


def meeting(request: AuthenticatedRequest, uuid: UUID, pk: int) -> HttpResponse:
    return _step(request, uuid, pk, "meeting")


def fgdm(request: AuthenticatedRequest, uuid: UUID, pk: int) -> HttpResponse:
    return _step(request, uuid, pk, "fgdm")


def outcome(request: AuthenticatedRequest, uuid: UUID, pk: int) -> HttpResponse:
    return _step(request, uuid, pk, "outcome")
