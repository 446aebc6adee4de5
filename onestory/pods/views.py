"""The pod pages: the list of pods, a pod's page, the pod manager's attention page, and one
small form page per change (members, allocation, cover, transfer).

Pods come through `get_pod_for` (404 for a pod the user may not see or manage); families
through the families' chokepoint `get_family_for`, which logs the look; a child must be in
that family and the family in that pod, or the answer is 404.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from onestory.accounts.http import AuthenticatedRequest, posted
from onestory.families.access import get_family_for
from onestory.families.models import Cover, Family, Person
from onestory.lib.dates import long_date
from onestory.outcomes.continuity import workers_in_last_year
from onestory.pods import forms
from onestory.pods.access import can_see_overview, get_pod_for
from onestory.pods.allocation import (
    allocate,
    allocate_family,
    arrange_cover,
    change_cover_end,
    children_of,
    transfer_family,
)
from onestory.pods.membership import add_member, change_member, end_member
from onestory.pods.models import Pod, PodMembership
from onestory.pods.overview import attention, pod_overview, pods_summary


def _form_page(
    request: HttpRequest, pod: Pod, form: forms.ActionForm, **context: Any
) -> HttpResponse:
    context.setdefault("back", reverse("pods:detail", args=[pod.pk]))
    return render(request, "pods/form.html", {"pod": pod, "form": form, **context})


def _back_to(pod: Pod, section: str) -> HttpResponse:
    return redirect(f"{reverse('pods:detail', args=[pod.pk])}#{section}")


def _family_in(request: AuthenticatedRequest, pod: Pod, uuid: UUID) -> Family:
    family = get_family_for(request, uuid)
    if family.pod_id != pod.pk:
        raise Http404("No such family in this pod")
    return family


def _child_in(family: Family, uuid: UUID) -> Person:
    children = [child for child in children_of(family, timezone.localdate()) if child.uuid == uuid]
    if not children:
        raise Http404("No such child in this family")
    return children[0]


# --- Pages --------------------------------------------------------------------------------


def pod_list(request: AuthenticatedRequest) -> HttpResponse:
    if not can_see_overview(request.user):
        raise Http404("No pods")
    summary = pods_summary(request.user, timezone.localdate())
    return render(request, "pods/pod_list.html", {"summary": summary})


def pod_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    access = get_pod_for(request.user, pk)
    page = pod_overview(access, request.user, timezone.localdate())
    return render(request, "pods/pod_detail.html", {"page": page, "pod": access.pod})


def attention_page(request: AuthenticatedRequest) -> HttpResponse:
    if not can_see_overview(request.user):
        raise Http404("No pods")
    return render(
        request, "pods/attention.html", {"page": attention(request.user, timezone.localdate())}
    )


# --- Members ------------------------------------------------------------------------------


def member_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    pod = get_pod_for(request.user, pk, manage=True).pod
    form = forms.MemberAddForm(posted(request))
    if (
        form.is_bound
        and form.is_valid()
        and (member := form.run(add_member, pod=pod, by=request.user))
    ):
        messages.success(
            request, f"{member.staff} has joined {pod} from {long_date(member.start)}."
        )
        return _back_to(pod, "members")
    return _form_page(request, pod, form, title="Add a member to the pod", button="Add member")


def _membership(pod: Pod, pk: int) -> PodMembership:
    found: PodMembership = get_object_or_404(
        PodMembership.objects.select_related("staff"), pk=pk, pod=pod
    )
    return found


def member_change(request: AuthenticatedRequest, pk: int, membership: int) -> HttpResponse:
    pod = get_pod_for(request.user, pk, manage=True).pod
    member = _membership(pod, membership)
    initial = {"role": member.role, "fte": member.fte}
    form = forms.MemberChangeForm(posted(request), initial=initial)
    if (
        form.is_bound
        and form.is_valid()
        and (new := form.run(change_member, membership=member, by=request.user))
    ):
        messages.success(
            request,
            f"From {long_date(new.start)} {new.staff} is a {new.get_role_display().lower()} "
            f"at {new.fte.normalize():f} FTE.",
        )
        return _back_to(pod, "members")
    return _form_page(
        request,
        pod,
        form,
        title=f"Change {member.staff}'s role or FTE",
        intro=f"Now: {member.get_role_display()}, {member.fte.normalize():f} FTE, "
        f"since {long_date(member.start)}.",
        button="Save the change",
    )


def member_end(request: AuthenticatedRequest, pk: int, membership: int) -> HttpResponse:
    pod = get_pod_for(request.user, pk, manage=True).pod
    member = _membership(pod, membership)
    form = forms.MemberEndForm(posted(request))
    if (
        form.is_bound
        and form.is_valid()
        and form.run(end_member, membership=member, by=request.user) is not None
    ):
        messages.success(
            request, f"{member.staff} leaves {pod} on {long_date(form.cleaned_data['end'])}."
        )
        return _back_to(pod, "members")
    return _form_page(
        request, pod, form, title=f"{member.staff} leaves the pod", button="End membership"
    )


# --- Allocation ---------------------------------------------------------------------------


def child_allocate(
    request: AuthenticatedRequest, pk: int, family: UUID, child: UUID
) -> HttpResponse:
    pod = get_pod_for(request.user, pk, manage=True).pod
    person = _child_in(_family_in(request, pod, family), child)
    today = timezone.localdate()
    history = workers_in_last_year(person, today)
    changing = bool(history) and history[-1].end is None
    form = forms.AllocateChildForm(
        posted(request), pod=pod, changing=changing, initial={"start": today}
    )
    if (
        form.is_bound
        and form.is_valid()
        and (allocation := form.run(allocate, child=person, by=request.user))
    ):
        messages.success(
            request,
            f"{allocation.worker} is {person.full_name}'s social worker from "
            f"{long_date(allocation.start)}.",
        )
        return _back_to(pod, "children")
    return _form_page(
        request,
        pod,
        form,
        title=f"{'Change' if changing else 'Allocate'} {person.full_name}'s social worker",
        history=history,
        child=person,
        button="Change social worker" if changing else "Allocate",
    )


def family_allocate(request: AuthenticatedRequest, pk: int, family: UUID) -> HttpResponse:
    pod = get_pod_for(request.user, pk, manage=True).pod
    household = _family_in(request, pod, family)
    today = timezone.localdate()
    children = children_of(household, today)
    form = forms.AllocateFamilyForm(
        posted(request), pod=pod, children=children, initial={"start": today}
    )
    if (
        form.is_bound
        and form.is_valid()
        and form.run(allocate_family, family=household, by=request.user) is not None
    ):
        messages.success(
            request,
            f"{form.cleaned_data['worker']} is the social worker for the children in "
            f"{household.name} from {long_date(form.cleaned_data['start'])}.",
        )
        return _back_to(pod, "children")
    return _form_page(
        request,
        pod,
        form,
        title=f"Allocate a social worker to {household.name}",
        button="Allocate",
    )


def family_transfer(request: AuthenticatedRequest, pk: int, family: UUID) -> HttpResponse:
    pod = get_pod_for(request.user, pk, manage=True).pod
    household = _family_in(request, pod, family)
    form = forms.TransferForm(posted(request), pod=pod, initial={"day": timezone.localdate()})
    if (
        form.is_bound
        and form.is_valid()
        and (transfer := form.run(transfer_family, family=household, by=request.user))
    ):
        messages.success(
            request,
            f"{household.name} moves to {transfer.to_pod} on {long_date(transfer.transferred)}.",
        )
        return _back_to(pod, "children")
    return _form_page(
        request,
        pod,
        form,
        title=f"Transfer {household.name} to another pod",
        intro="Transfers between pods are rare, and each one is counted. The children's "
        "allocations and any cover for them end on the day of the transfer.",
        button="Transfer the family",
    )


# --- Cover --------------------------------------------------------------------------------


def cover_caseload(request: AuthenticatedRequest, pk: int, membership: int) -> HttpResponse:
    pod = get_pod_for(request.user, pk, cover=True).pod
    absent = _membership(pod, membership).staff
    form = forms.CoverForm(posted(request), pod=pod, absent=absent)
    if (
        form.is_bound
        and form.is_valid()
        and (cover := form.run(arrange_cover, absent=absent, by=request.user))
    ):
        messages.success(
            request,
            f"{cover.covering} covers {absent}'s caseload from {long_date(cover.start)} "
            f"until {long_date(cover.end)}.",
        )
        return _back_to(pod, "cover")
    return _form_page(
        request, pod, form, title=f"Arrange cover for {absent}'s caseload", button="Arrange cover"
    )


def child_cover(request: AuthenticatedRequest, pk: int, family: UUID, child: UUID) -> HttpResponse:
    pod = get_pod_for(request.user, pk, cover=True).pod
    person = _child_in(_family_in(request, pod, family), child)
    allocation = person.allocations.open_on(timezone.localdate()).select_related("worker").first()
    if allocation is None or allocation.pod_id != pod.pk:
        raise Http404("This child has no social worker in this pod to cover for")
    absent = allocation.worker
    form = forms.CoverForm(posted(request), pod=pod, absent=absent)
    if (
        form.is_bound
        and form.is_valid()
        and (cover := form.run(arrange_cover, absent=absent, child=person, by=request.user))
    ):
        messages.success(
            request,
            f"{cover.covering} covers {person.full_name} for {absent} from "
            f"{long_date(cover.start)} until {long_date(cover.end)}.",
        )
        return _back_to(pod, "cover")
    return _form_page(
        request,
        pod,
        form,
        title=f"Arrange cover for {person.full_name}",
        intro=f"{person.full_name}'s social worker is {absent}.",
        button="Arrange cover",
    )


def cover_change(request: AuthenticatedRequest, pk: int, cover: int) -> HttpResponse:
    pod = get_pod_for(request.user, pk, cover=True).pod
    found = get_object_or_404(Cover.objects.select_related("absent", "covering"), pk=cover, pod=pod)
    form = forms.CoverEndForm(posted(request), initial={"end": found.end})
    if (
        form.is_bound
        and form.is_valid()
        and (changed := form.run(change_cover_end, cover=found, by=request.user))
    ):
        messages.success(
            request,
            f"{changed.covering}'s cover for {changed.absent} ends on {long_date(changed.end)}.",
        )
        return _back_to(pod, "cover")
    return _form_page(
        request,
        pod,
        form,
        title="Change when the cover ends",
        intro=f"{found.covering} is covering for {found.absent} from {long_date(found.start)}.",
        button="Save",
    )
