"""The retention pages: the review list, a family's retention (holds and disposal), the holds,
the disposals and their tombstones, and the rules. Who may do what is in access.py; a family is
fetched through onestory.families.access, which logs the look."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from onestory.accounts.http import AuthenticatedRequest, posted
from onestory.families import access as families
from onestory.families.access import get_family_for
from onestory.families.models import Family
from onestory.retention import access, forms, records, schedule
from onestory.retention.access import Action
from onestory.retention.models import COUNTED_FROM, Disposal, LegalHold, RecordType, Rule, Tombstone
from onestory.supervision.forms import conflict

PER_PAGE = 50


def _require(request: AuthenticatedRequest, action: Action) -> None:
    if not access.can(request.user, action):
        raise Http404("Not found")


def _page_number(request: AuthenticatedRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def review(request: AuthenticatedRequest) -> HttpResponse:
    _require(request, Action.REVIEW)
    today, years = timezone.localdate(), Rule.years_by_type()
    number = _page_number(request)
    rows, total = schedule.due_page_and_count(
        today, years, offset=(number - 1) * PER_PAGE, limit=PER_PAGE
    )
    context = {
        "rows": rows,
        "total": total,
        "number": number,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number * PER_PAGE < total else None,
        "today": today,
    }
    return render(request, "retention/review.html", context)


def _family(request: AuthenticatedRequest, uuid: str, action: Action) -> Family:
    _require(request, action)
    return get_family_for(request, uuid, families.Action.HISTORY)


def family(request: AuthenticatedRequest, uuid: str) -> HttpResponse:
    found = _family(request, uuid, Action.REVIEW)
    return _family_page(request, found, hold_form=forms.HoldForm())


def _family_page(
    request: AuthenticatedRequest, found: Family, *, hold_form: forms.HoldForm
) -> HttpResponse:
    holds = list(LegalHold.objects.filter(family=found).select_related("placed_by", "lifted_by"))
    context = {
        "family": found,
        "dated": schedule.retention_of(found.pk),
        "holds": holds,
        "held": any(hold.active for hold in holds),
        "waiting": Disposal.objects.filter(family=found, approved_at__isnull=True)
        .select_related("requested_by")
        .first(),
        "hold_form": hold_form,
        "may_hold": access.can(request.user, Action.HOLD),
        "may_request": access.can(request.user, Action.REQUEST),
        "today": timezone.localdate(),
    }
    return render(request, "retention/family.html", context)


def place_hold(request: AuthenticatedRequest, uuid: str) -> HttpResponse:
    found = _family(request, uuid, Action.HOLD)
    if request.method != "POST":
        return redirect("retention:family", found.uuid)
    form = forms.HoldForm(request.POST)
    if form.is_valid() and form.run(records.place_hold, by=request.user, family=found) is not None:
        messages.success(request, "The legal hold is placed.")
        return redirect("retention:family", found.uuid)
    return _family_page(request, found, hold_form=form)


def lift_hold(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require(request, Action.HOLD)
    hold = get_object_or_404(LegalHold.objects.select_related("family"), pk=pk)
    found = get_family_for(request, hold.family.uuid, families.Action.HISTORY)
    form = forms.LiftForm(posted(request))
    if form.is_valid() and form.run(records.lift_hold, by=request.user, hold=hold) is not None:
        messages.success(request, "The legal hold is lifted.")
        return redirect("retention:family", found.uuid)
    return render(request, "retention/lift.html", {"hold": hold, "family": found, "form": form})


def request_disposal(request: AuthenticatedRequest, uuid: str) -> HttpResponse:
    found = _family(request, uuid, Action.REQUEST)
    if request.method != "POST":
        return redirect("retention:family", found.uuid)
    try:
        disposal = records.request_disposal(by=request.user, family=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("retention:family", found.uuid)
    messages.success(request, "The disposal is requested. Another officer must approve it.")
    return redirect("retention:disposal", disposal.pk)


def disposal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require(request, Action.REVIEW)
    found = get_object_or_404(
        Disposal.objects.select_related("requested_by", "approved_by", "family"), pk=pk
    )
    error = None
    if request.method == "POST" and "withdraw" in request.POST:
        _require(request, Action.REQUEST)
        try:
            records.withdraw_disposal(by=request.user, disposal=found)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, "The request is withdrawn.")
            return redirect("retention:disposals")
    elif request.method == "POST":
        _require(request, Action.APPROVE)
        try:
            records.approve_disposal(by=request.user, disposal=found)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, f"The record {found.family_reference} is disposed of.")
            return redirect("retention:disposals")
    context = {
        "disposal": found,
        "error": error,
        "may_approve": access.can(request.user, Action.APPROVE)
        and found.requested_by_id != request.user.pk,
        "may_withdraw": access.can(request.user, Action.REQUEST),
    }
    return render(request, "retention/disposal.html", context, status=400 if error else 200)


def disposals(request: AuthenticatedRequest) -> HttpResponse:
    _require(request, Action.REVIEW)
    waiting = Disposal.objects.filter(approved_at__isnull=True).select_related("requested_by")
    done = Tombstone.objects.select_related("requested_by", "approved_by")[:100]
    return render(request, "retention/disposals.html", {"waiting": waiting, "done": done})


def holds(request: AuthenticatedRequest) -> HttpResponse:
    _require(request, Action.REVIEW)
    found = (
        LegalHold.objects.filter(lifted_at__isnull=True)
        .select_related("family", "placed_by")
        .order_by("placed_at")
    )
    return render(request, "retention/holds.html", {"holds": found})


def rules(request: AuthenticatedRequest) -> HttpResponse:
    _require(request, Action.REVIEW)
    years = Rule.years_by_type()
    rows = [(kind, years[kind.value], COUNTED_FROM[kind]) for kind in RecordType]
    context = {"rows": rows, "may_edit": access.can(request.user, Action.RULES)}
    return render(request, "retention/rules.html", context)


def rule(request: AuthenticatedRequest, record_type: str) -> HttpResponse:
    _require(request, Action.RULES)
    if record_type not in RecordType.values:
        raise Http404("No such rule")
    kind = RecordType(record_type)
    current = Rule.objects.filter(record_type=kind).first()
    version = current.version if current else 1
    initial = {"years": Rule.years_by_type()[kind.value], "version": version}
    form = forms.RuleForm(posted(request), initial=initial)
    if form.is_valid():
        try:
            saved = records.edit_rule(
                by=request.user,
                record_type=kind,
                years=form.cleaned_data["years"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            form.add_error("years", error.message_dict.get("years", error.messages))
        else:
            if saved:
                messages.success(request, "The rule is changed.")
                return redirect("retention:rules")
            now = Rule.objects.get(record_type=kind)
            conflict(
                form,
                now.version,
                "Someone else changed this rule after you opened this page. What you typed is "
                f"kept below; the rule now says {now.years} years. Check, then save again.",
            )
    context = {"kind": kind, "form": form, "counted_from": COUNTED_FROM[kind]}
    return render(request, "retention/rule.html", context)
