"""Need to know, seen by people: finding a family beyond one's reach (the search card and
emergency access), the access log, change history, and subject access."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from onestory.accounts.http import AuthenticatedRequest, posted
from onestory.accounts.models import Alert, User
from onestory.families.access import (
    Action,
    EmergencyAccessRefused,
    can,
    families_for,
    get_family_for,
    get_person_for,
    grant_emergency_access,
    grants_to_review,
    log_access,
    log_people_found,
    people_for,
    sees_search_cards,
)
from onestory.families.history import history_of
from onestory.families.models import (
    AccessAction,
    AccessEvent,
    AccessOutcome,
    Family,
    FamilyMember,
    Person,
)
from onestory.families.subject_access import bundle_for
from onestory.lib.govuk_dates import GovukDateField

RESULTS = 25
EVENTS_PER_PAGE = 50


# Find a person is for finding someone, not for browsing the service: a search needs part of
# a name, and a user who searches more than this in ten minutes is asked to wait.
SHORTEST_SEARCH = 3
SEARCHES_PER_TEN_MINUTES = 30


class SearchForm(forms.Form):
    q = forms.CharField(label="Name or family reference", max_length=100, required=False)
    born = GovukDateField(
        label="Date of birth",
        help_text="Needed with a short name, such as Li or Ng.",
        example="27 3 2012",
        required=False,
        not_future=True,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        query = str(cleaned.get("q") or "").strip()
        cleaned["q"] = query
        if query and len(query) < SHORTEST_SEARCH and not cleaned.get("born"):
            self.add_error(
                "q",
                f"Enter at least {SHORTEST_SEARCH} letters of the person's name, or their "
                "surname and date of birth",
            )
        return cleaned


def _too_many_searches(user: User) -> bool:
    key = f"find-a-person:{user.pk}"
    cache.add(key, 0, timeout=600)
    try:
        return cache.incr(key) > SEARCHES_PER_TEN_MINUTES
    except ValueError:  # expired between add and incr: this is the first search again
        return False


class EmergencyAccessForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to see this record now?",
        help_text=(
            "Your reason is recorded, the family's pod manager is told straight away, and "
            "access ends after 24 hours."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter the reason you need to see this record"},
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if len(reason) < 10:
            raise forms.ValidationError("Give the reason in a sentence, so it can be reviewed")
        return reason


def people_search(request: AuthenticatedRequest) -> HttpResponse:
    """Finds people by name. Records the user may open are links; others (never restricted
    ones) show only a search card (name, date of birth, allocated pod) to roles that may ask
    for emergency access."""
    form = SearchForm(request.GET or None)
    visible: list[Person] = []
    cards: list[FamilyMember] = []
    for_subject_access: list[Person] = []
    if form.is_valid() and form.cleaned_data["q"] and _too_many_searches(request.user):
        form.add_error(
            "q",
            "You have searched many times in the last few minutes. Wait ten minutes, or ask "
            "the family's pod for help.",
        )
        return render(request, "access/search.html", {"form": form}, status=429)
    if form.is_valid() and (query := form.cleaned_data["q"]):
        matches = Q(first_name__icontains=query) | Q(last_name__icontains=query)
        matches |= Q(preferred_name__icontains=query)
        if born := form.cleaned_data.get("born"):
            matches &= Q(date_of_birth=born)
        visible = list(people_for(request.user).filter(matches).order_by("last_name")[:RESULTS])
        # Information governance find people to answer subject access requests, not to read.
        for_subject_access = list(
            people_for(request.user, Action.SUBJECT_ACCESS)
            .filter(matches)
            .order_by("last_name")[:RESULTS]
        )
        if sees_search_cards(request.user):
            cards = list(
                FamilyMember.objects.open_on(timezone.localdate())
                .filter(family__restricted=False, family__closed__isnull=True)
                .exclude(family__in=families_for(request.user))
                .filter(
                    Q(person__first_name__icontains=query) | Q(person__last_name__icontains=query)
                )
                .filter(Q(person__date_of_birth=born) if born else Q())
                .select_related("person", "family__pod")
                .order_by("person__last_name", "person__first_name")[:RESULTS]
            )
    log_people_found(request, [*visible, *for_subject_access, *(c.person for c in cards)])
    return render(
        request,
        "access/search.html",
        {
            "form": form,
            "visible": visible,
            "cards": cards,
            "for_subject_access": for_subject_access,
        },
    )


def emergency_request(request: AuthenticatedRequest, uuid: str) -> HttpResponse:
    family = get_object_or_404(
        Family.objects.select_related("pod"), uuid=uuid, restricted=False, closed__isnull=True
    )
    if not sees_search_cards(request.user):
        raise Http404("No such family")
    if can(request.user, family, Action.VIEW):
        return redirect("families:detail", uuid=family.uuid)
    form = EmergencyAccessForm(posted(request))
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            grant_emergency_access(user=request.user, family=family, reason=reason)
        except EmergencyAccessRefused as refused:
            log_access(
                request,
                action=AccessAction.EMERGENCY,
                outcome=AccessOutcome.DENIED,
                family=family,
                reason=reason,
            )
            form.add_error("reason", str(refused))
            context = {"family": family, "form": form}
            return render(request, "access/emergency_request.html", context, status=429)
        log_access(
            request,
            action=AccessAction.EMERGENCY,
            outcome=AccessOutcome.EMERGENCY,
            family=family,
            reason=reason,
        )
        messages.success(request, "You have emergency access to this record for 24 hours.")
        return redirect("families:detail", uuid=family.uuid)
    return render(request, "access/emergency_request.html", {"family": family, "form": form})


def emergency_review_list(request: AuthenticatedRequest) -> HttpResponse:
    """Grants for review: a pod manager sees those for their pods' families; heads of service
    and information governance see all."""
    grants = grants_to_review(request.user).select_related("user", "family__pod", "reviewed_by")
    page = Paginator(grants.order_by("reviewed_at", "-granted_at"), EVENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "access/emergency_review_list.html", {"page": page})


class ReviewForm(forms.Form):
    note = forms.CharField(
        label="Your review",
        help_text="Was the access needed? Record any follow-up.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter your review of this access"},
    )


@require_POST
def emergency_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(grants_to_review(request.user), pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid() and grant.reviewed_at is None:
        grant.reviewed_by = request.user
        grant.reviewed_at = timezone.now()
        grant.review_note = form.cleaned_data["note"]
        grant.save(update_fields=["reviewed_by", "reviewed_at", "review_note"])
        messages.success(request, "Review recorded.")
    elif not form.is_valid():
        messages.error(request, "Enter your review of this access before saving it.")
    return redirect("access:emergency_review_list")


def family_access_log(request: AuthenticatedRequest, uuid: str) -> HttpResponse:
    family = get_family_for(request, uuid, Action.ACCESS_LOG)
    events = (
        AccessEvent.objects.filter(Q(family=family) | Q(person__memberships__family=family))
        .select_related("user", "person")
        .distinct()
        .order_by("-at")
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "access/family_access_log.html", {"family": family, "page": page})


def person_access_log(request: AuthenticatedRequest, uuid: str) -> HttpResponse:
    """Who has looked at anything about this person: their own record and their families'."""
    person = get_person_for(request, uuid, Action.ACCESS_LOG)
    families = families_for(request.user, Action.ACCESS_LOG).filter(members__person=person)
    events = (
        AccessEvent.objects.filter(Q(person=person) | Q(family__in=families))
        .select_related("user", "family", "person")
        .order_by("-at")
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "access/person_access_log.html", {"person": person, "page": page})


def my_access(request: AuthenticatedRequest) -> HttpResponse:
    events = AccessEvent.objects.filter(user=request.user).select_related("family", "person")
    page = Paginator(events.order_by("-at"), EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "access/my_access.html", {"page": page})


def family_history(request: AuthenticatedRequest, uuid: str) -> HttpResponse:
    family = get_family_for(request, uuid, Action.HISTORY)
    people = list(Person.objects.in_family(family))
    changes = history_of(family, *people, user=request.user)
    context = {"family": family, "subject": family.name, "changes": changes}
    return render(request, "access/history.html", context)


def person_history(request: AuthenticatedRequest, uuid: str) -> HttpResponse:
    person = get_person_for(request, uuid, Action.HISTORY)
    changes = history_of(
        person,
        user=request.user,
        families_only=not person.current_reach,  # type: ignore[attr-defined]
    )
    context = {"person": person, "subject": person.full_name, "changes": changes}
    return render(request, "access/history.html", context)


def subject_access(request: AuthenticatedRequest, uuid: str) -> HttpResponse:
    person = get_person_for(request, uuid, Action.SUBJECT_ACCESS)
    return render(
        request, "access/subject_access.html", {"bundle": bundle_for(person, user=request.user)}
    )


@require_POST
def dismiss_alert(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(Alert, pk=pk, user=request.user)
    alert.dismissed_at = timezone.now()
    alert.save(update_fields=["dismissed_at"])
    return redirect("core:home")
