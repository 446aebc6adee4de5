"""The supervision pages: my supervision, a session, recording one, personal notes, a casework
record, group supervision in a pod and what the pod has discussed, Reflective Practice Groups
and the standards.

Sessions, pods and groups come through supervision/access.py (404 for what the user may not
see); a casework record's family through the families' chokepoint `get_family_for`, which logs
the look. Personal notes only through `read_personal_notes`, which logs every look.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from onestory.accounts.http import AuthenticatedRequest, posted
from onestory.families.access import get_family_for
from onestory.lib.dates import long_date
from onestory.supervision import forms, pages, records
from onestory.supervision.access import (
    Action,
    ReasonNeeded,
    can,
    get_arrangement_for,
    get_group_for,
    get_pod_for,
    get_session_for,
    groups_for,
    may_service,
    read_personal_notes,
    takes_part_in_supervision,
)
from onestory.supervision.models import Action as SupervisionAction
from onestory.supervision.models import CaseworkRecord, PersonalNotesLook, Standards


def mine(request: AuthenticatedRequest) -> HttpResponse:
    if not takes_part_in_supervision(request.user):
        raise Http404("No supervision")
    page = pages.my_page(request.user, timezone.localdate())
    return render(request, "supervision/mine.html", {"page": page, "today": timezone.localdate()})


def schedule(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    arrangement = get_arrangement_for(request.user, pk, Action.SCHEDULE)
    form = forms.ScheduleForm(posted(request))
    if form.is_bound and form.is_valid():
        session = form.run(records.schedule, arrangement=arrangement, by=request.user)
        if session is not None:
            messages.success(
                request, f"1:1 supervision booked for {long_date(session.scheduled_for)}."
            )
            return redirect("supervision:session", session.pk)
    context = {"form": form, "arrangement": arrangement, "back": reverse("supervision:mine")}
    return render(request, "supervision/schedule.html", context)


def session_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    user = request.user
    context = {
        "session": session,
        "casework": pages.casework_for(user, session=session),
        "present": list(session.present.order_by("first_name", "last_name")),
        "may_record": not session.is_held and can(user, session, Action.RECORD),
        "may_read_personal": session.is_held
        and (
            can(user, session, Action.READ_PERSONAL) or can(user, session, Action.REQUEST_PERSONAL)
        ),
    }
    return render(request, "supervision/session.html", context)


def record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk, Action.RECORD)
    if session.is_held:
        return redirect("supervision:session", session.pk)
    day = timezone.localdate()
    people = pages.people_around(session.arrangement, day)
    form = forms.RecordSessionForm(
        posted(request),
        families=pages.supervisees_families(session, request.user, day),
        owners=people,
        present=people,
    )
    if (
        form.is_bound
        and form.is_valid()
        and form.call(records.record_session, session=session, by=request.user)
    ):
        messages.success(request, "The session is recorded.")
        return redirect("supervision:session", session.pk)
    return render(request, "supervision/record.html", {"form": form, "session": session})


def personal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = get_session_for(request.user, pk)
    form = forms.ReasonForm(posted(request))
    reason = form.cleaned_data["reason"] if form.is_bound and form.is_valid() else ""
    try:
        notes = read_personal_notes(request.user, session, reason=reason)
    except ReasonNeeded:
        return render(
            request, "supervision/personal_reason.html", {"form": form, "session": session}
        )
    looks = PersonalNotesLook.objects.filter(session=session).select_related("user")
    context = {"notes": notes, "session": session, "looks": looks}
    return render(request, "supervision/personal.html", context)


def _casework(request: AuthenticatedRequest, pk: int) -> CaseworkRecord:
    found = (
        CaseworkRecord.objects.select_related("session__arrangement", "group__pod")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such casework record")
    held_in = found.session or (found.group.pod if found.group else None)
    action = Action.VIEW_SESSION if found.session else Action.VIEW_GROUP
    if not can(request.user, held_in, action):
        raise Http404("No such casework record")
    found.family = get_family_for(request, found.family.uuid)
    return found


def casework(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    record = _casework(request, pk)
    form = forms.CaseworkEditForm.for_record(posted(request), record)
    if form.is_bound and form.is_valid() and form.save(record, by=request.user):
        messages.success(request, "The casework record is saved.")
        return redirect("supervision:casework", record.pk)
    context = {
        "record": record,
        "form": form,
        "ratings": record.ratings.select_related("child"),
        "actions": record.actions.select_related("owner"),
        "session": record.session,
    }
    return render(request, "supervision/casework.html", context)


def casework_finalise(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    record = _casework(request, pk)
    if request.method != "POST":
        return redirect("supervision:casework", record.pk)
    try:
        records.finalise_casework(record=record, by=request.user)
        messages.success(request, f"The decisions and actions are on {record.family.name}'s story.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("supervision:casework", record.pk)


def action_done(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = SupervisionAction.objects.filter(pk=pk, owner=request.user).first()
    if found is None:
        raise Http404("No such action")
    if request.method == "POST":
        records.complete_action(action=found, by=request.user)
        messages.success(request, "The action is done.")
    return redirect("supervision:casework", found.record_id)


def pod(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = get_pod_for(request.user, pk, Action.VIEW_GROUP)
    page = pages.pod_page(request.user, found, timezone.localdate())
    return render(request, "supervision/pod.html", {"page": page, "today": timezone.localdate()})


def pod_discussed(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = get_pod_for(request.user, pk, Action.VIEW_GROUP)
    rows = pages.discussed(request.user, found, timezone.localdate())
    return render(
        request,
        "supervision/discussed.html",
        {"pod": found, "rows": rows, "standards": Standards.current()},
    )


def group_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = get_pod_for(request.user, pk, Action.RECORD_GROUP)
    day = timezone.localdate()
    people = pages.pod_people(found, day)
    form = forms.GroupForm(
        posted(request),
        families=pages.pod_families(found, request.user, day),
        owners=people,
        attendees=people,
    )
    if (
        form.is_bound
        and form.is_valid()
        and form.call(records.record_group, pod=found, by=request.user)
    ):
        messages.success(request, "The group supervision is recorded.")
        return redirect("supervision:pod", found.pk)
    return render(request, "supervision/group_new.html", {"form": form, "pod": found})


def rpg_list(request: AuthenticatedRequest) -> HttpResponse:
    if not takes_part_in_supervision(request.user):
        raise Http404("No supervision")
    groups = (
        groups_for(request.user).select_related("facilitator").order_by("-held_on", "-pk")[:100]
    )
    context = {"groups": groups, "may_run": can(request.user, None, Action.RUN_RPG)}
    return render(request, "supervision/rpg_list.html", context)


def rpg_new(request: AuthenticatedRequest) -> HttpResponse:
    may_service(request.user, Action.RUN_RPG)
    form = forms.RPGForm(posted(request), attendees=pages.staff_with_accounts())
    if (
        form.is_bound
        and form.is_valid()
        and (group := form.run(records.record_rpg, by=request.user))
    ):
        messages.success(
            request, f"The Reflective Practice Group on {long_date(group.held_on)} is recorded."
        )
        return redirect("supervision:rpg", group.pk)
    return render(request, "supervision/rpg_new.html", {"form": form})


def rpg(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    group = get_group_for(request.user, pk)
    attendees = group.attendees.order_by("first_name", "last_name")
    return render(request, "supervision/rpg.html", {"group": group, "attendees": attendees})


def standards(request: AuthenticatedRequest) -> HttpResponse:
    if not takes_part_in_supervision(request.user):
        raise Http404("No supervision")
    current = Standards.current()
    may_edit = can(request.user, None, Action.EDIT_STANDARDS)
    form = forms.StandardsForm.for_standards(posted(request) if may_edit else None, current)
    if form.is_bound and form.is_valid() and form.save(by=request.user):
        messages.success(request, "The standards are changed.")
        return redirect("supervision:standards")
    return render(
        request,
        "supervision/standards.html",
        {"form": form, "standards": current, "may_edit": may_edit},
    )
