"""The audit pages: cycles and their samples, the audit tool, moderation, actions, domains and
the learning reports.

Who may do what comes from access.py (`require`, `get_sample_for`); families' records are
reached only through the families' chokepoint. Forms feed the write functions in cycles.py and
conversation.py, whose errors land on the field they name, with what was typed kept.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from onestory.accounts.http import AuthenticatedRequest, posted
from onestory.accounts.models import User
from onestory.audits import forms, learning, pdf
from onestory.audits.access import Action, can, get_sample_for, may, require, samples_for
from onestory.audits.conversation import (
    AuditConflict,
    add_action,
    mark_done,
    moderate,
    save_audit,
    why_not_editable,
)
from onestory.audits.cycles import (
    AUDITING_ROLES,
    close_cycle,
    ensure_default_domains,
    open_cycle,
    save_domain,
)
from onestory.audits.cycles import (
    assign as assign_auditor,
)
from onestory.audits.models import AuditAction, Cycle, Domain, DomainGrade, SampledChild
from onestory.exports import views as exports
from onestory.lib.dates import long_date
from onestory.pods.models import PodMembership


def _form_page(request: AuthenticatedRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "audits/form.html", {"form": form, **context})


def home(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "audits/home.html", {"page": learning.home(request.user)})


# --- Cycles -------------------------------------------------------------------------------


def cycle_open(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.OPEN_CYCLE)
    require(request.user, Action.DRAW_SAMPLE)
    today = timezone.localdate()
    form = forms.OpenCycleForm(posted(request), initial={"starts": today.replace(day=1)})
    if form.is_bound and form.is_valid() and (cycle := form.run(open_cycle, by=request.user)):
        messages.success(request, f"{cycle} is open and its sample is drawn.")
        return redirect("audits:cycle", cycle.pk)
    return _form_page(
        request,
        form,
        title="Open an audit cycle",
        intro="One Story draws a random sample of open children in each pod, by status, "
        "leaving out children audited in the last 6 months. The seed it uses is recorded, "
        "so the draw can be checked.",
        button="Open the cycle and draw the sample",
        back=reverse("audits:home"),
    )


def cycle_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, Action.SEE_REPORT)
    cycle = get_object_or_404(Cycle.objects.select_related("theme", "opened_by"), pk=pk)
    page = learning.cycle_page(cycle, names=may(request.user, Action.ASSIGN))
    return render(
        request,
        "audits/cycle.html",
        {"cycle": cycle, "page": page, "may_assign": may(request.user, Action.ASSIGN)},
    )


@require_POST
def cycle_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, Action.OPEN_CYCLE)
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        close_cycle(cycle=cycle, by=request.user)
        messages.success(request, f"{cycle} is closed: auditors' access to its families ended.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("audits:cycle", cycle.pk)


def cycle_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, Action.SEE_REPORT)
    cycle = get_object_or_404(Cycle.objects.select_related("theme"), pk=pk)
    return render(
        request, "audits/report.html", {"cycle": cycle, "report": learning.cycle_report(cycle)}
    )


@require_POST
def cycle_report_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Asks the task worker for the cycle report as a PDF and follows its progress."""
    require(request.user, Action.SEE_REPORT)
    cycle = get_object_or_404(Cycle, pk=pk)
    return exports.start(
        request, kind=pdf.KIND, parameters=pdf.parameters_for(cycle), title=pdf.title_for(cycle)
    )


def learning_page(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.SEE_REPORT)
    return render(request, "audits/learning.html", {"page": learning.over_time()})


def child_in_cycle(request: AuthenticatedRequest, pk: int, child: UUID) -> HttpResponse:
    """An audit reached by cycle and child: only a sampled child has one. The answer for a
    child outside the sample is the same as for one the user may not audit."""
    cycle = get_object_or_404(Cycle, pk=pk)
    sample = (
        samples_for(request.user, Action.SEE_AUDIT).filter(cycle=cycle, child__uuid=child).first()
    )
    if sample is None:
        return render(request, "audits/not_in_sample.html", {"cycle": cycle}, status=404)
    return redirect("audits:audit", sample.pk)


# --- Assigning ----------------------------------------------------------------------------


def auditors_for(sample: SampledChild) -> Any:
    """Practitioners who may audit, today, outside the child's pod first (by name)."""
    day = timezone.localdate()
    in_pod = PodMembership.objects.open_on(day).filter(pod=sample.pod_id).values("staff__user")
    return (
        User.objects.filter(is_active=True, role__in=AUDITING_ROLES)
        .exclude(pk__in=in_pod)
        .order_by("first_name", "last_name")
    )


def assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sample = get_sample_for(request.user, pk, Action.ASSIGN)
    current = getattr(sample, "assignment", None)
    form = forms.AssignForm(posted(request), auditors=auditors_for(sample))
    if (
        form.is_bound
        and form.is_valid()
        and form.run(assign_auditor, sample=sample, by=request.user) is not None
    ):
        messages.success(
            request, f"{form.cleaned_data['auditor']} audits {sample.child.full_name}'s case."
        )
        return redirect("audits:cycle", sample.cycle_id)
    return _form_page(
        request,
        form,
        title=f"Choose who audits {sample.child.full_name}'s case",
        intro=f"Now: {current.auditor}." if current else "No auditor yet.",
        button="Save the auditor",
        back=reverse("audits:cycle", args=[sample.cycle_id]),
    )


# --- The audit ----------------------------------------------------------------------------


def audit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sample = get_sample_for(request.user, pk, Action.SEE_AUDIT)
    the_audit, domains = sample.audit, list(sample.cycle.domains.all())
    auditing = can(request.user, sample, Action.AUDIT)
    if request.method == "POST" and not auditing:
        raise Http404("No such audit")
    refusal = why_not_editable(the_audit)
    initial = learning.audit_initial(the_audit, domains)
    form = forms.AuditForm(posted(request), domains=domains, initial=initial)
    theirs = None
    if form.is_bound and refusal:
        # Shown again as typed, with the reason: nothing is lost, nothing is saved.
        form.is_valid()
        form.add_error(None, refusal)
    elif form.is_bound and form.is_valid():
        finish = "finish" in request.POST
        try:
            save_audit(audit=the_audit, by=request.user, finish=finish, **form.arguments())
        except AuditConflict as conflict:
            theirs = learning.audit_summary(conflict.audit)
            form = _after_conflict(request, domains, conflict)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            done = "The audit is finished and written on the family's story."
            messages.success(request, done if finish else "Your changes to the audit are saved.")
            return redirect("audits:audit", sample.pk)
    context = {
        "sample": sample,
        "audit": the_audit,
        "form": form,
        "editable": auditing and (not refusal or form.is_bound),
        "refusal": refusal,
        "theirs": theirs,
        "page": learning.audit_page(the_audit, request.user),
        "may_mark_done": may(request.user, Action.MARK_DONE),
    }
    return render(request, "audits/audit.html", context)


def _after_conflict(
    request: AuthenticatedRequest, domains: list[Any], conflict: AuditConflict
) -> forms.AuditForm:
    """What the loser typed, now against the winner's version: saving again is a choice made
    with both on screen, never a silent overwrite."""
    data = request.POST.copy()
    data["version"] = str(conflict.audit.version)
    form = forms.AuditForm(data, domains=domains)
    form.is_valid()
    form.add_error(None, str(conflict))
    return form


def _add_errors(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, texts in error.message_dict.items():
        form.add_error(name if name in form.fields else None, texts)


def moderate_audit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sample = get_sample_for(request.user, pk, Action.MODERATE)
    domains = list(sample.cycle.domains.all())
    form = forms.ModerateForm(posted(request), domains=domains)
    if form.is_bound and form.is_valid():
        try:
            moderate(audit=sample.audit, by=request.user, **form.arguments())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Your moderation is saved beside the auditor's grades.")
            return redirect("audits:audit", sample.pk)
    grades = {g.domain_id: g for g in DomainGrade.objects.filter(audit=sample.audit)}
    rows = [(d, fields, grades.get(d.pk)) for d, fields in form.sections()]
    return render(
        request,
        "audits/moderate.html",
        {"sample": sample, "form": form, "rows": rows, "audit": sample.audit},
    )


# --- Actions ------------------------------------------------------------------------------


def owners_for(sample: SampledChild) -> Any:
    """The auditor, the case holder and the people of the child's pod today."""
    day = timezone.localdate()
    pod = PodMembership.objects.open_on(day).filter(pod=sample.pod_id).values("staff__user")
    assignment = getattr(sample, "assignment", None)
    auditor = assignment.auditor_id if assignment else None
    return User.objects.filter(Q(pk__in=pod) | Q(pk=auditor), is_active=True).order_by(
        "first_name", "last_name"
    )


def action_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sample = get_sample_for(request.user, pk, Action.AUDIT)
    form = forms.ActionAddForm(posted(request), owners=owners_for(sample))
    if (
        form.is_bound
        and form.is_valid()
        and (action := form.run(add_action, audit=sample.audit, by=request.user))
    ):
        messages.success(request, f"Action added for {action.owner}, due {long_date(action.due)}.")
        return redirect("audits:audit", sample.pk)
    return _form_page(
        request,
        form,
        title=f"Add an action for {sample.child.full_name}",
        intro="Actions go on the family's story with the audit's findings when it is finished.",
        button="Add the action",
        back=reverse("audits:audit", args=[sample.pk]),
    )


def action_done(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(AuditAction.objects.select_related("audit__sample"), pk=pk)
    sample = get_sample_for(request.user, action.audit.sample_id, Action.MARK_DONE)
    if action.owner_id != request.user.pk and not may(request.user, Action.MARK_DONE):
        raise Http404("No such action")
    form = forms.DoneForm(posted(request))
    done = form.is_bound and form.is_valid()
    if done and form.run(mark_done, item=action, by=request.user) is not None:
        messages.success(request, f"Done: {action.what}")
        return redirect("audits:audit", sample.pk)
    return _form_page(
        request,
        form,
        title="Mark the action done",
        intro=action.what,
        button="Mark it done",
        back=reverse("audits:audit", args=[sample.pk]),
    )


# --- Domains ------------------------------------------------------------------------------


def domains(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Action.EDIT_DOMAINS)
    ensure_default_domains()
    return render(
        request,
        "audits/domains.html",
        {"domains": Domain.objects.all(), "open": Cycle.objects.filter(status="open").count()},
    )


def domain_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    require(request.user, Action.EDIT_DOMAINS)
    domain = get_object_or_404(Domain, pk=pk) if pk else None
    initial = (
        {"name": domain.name, "description": domain.description, "in_use": domain.in_use}
        if domain
        else {"in_use": True}
    )
    form = forms.DomainForm(posted(request), initial=initial)
    if (
        form.is_bound
        and form.is_valid()
        and (saved := form.run(save_domain, domain=domain, by=request.user))
    ):
        messages.success(request, f"{saved.name} is saved. Open cycles keep their domains.")
        return redirect("audits:domains")
    return _form_page(
        request,
        form,
        title=f"Change {domain.name}" if domain else "Add a domain",
        intro="Cycles keep the domains they opened with: a change here is for the next cycles.",
        button="Save the domain",
        back=reverse("audits:domains"),
    )
