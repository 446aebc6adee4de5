"""Screens for the records that business support and pod staff keep: families, people, who is
in each family, and each child's statutory episodes.

Families and people come through the access chokepoint (`get_family_for`, `get_person_for`,
which also write the access log; `families_for`, `people_for` for lists). Anything nested is
fetched through its parent, so an id from another family or child answers 404, exactly like
one that does not exist.
"""

from __future__ import annotations

from functools import reduce
from operator import and_
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Model, Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from onestory.accounts.http import AuthenticatedRequest, posted
from onestory.families import codes
from onestory.families.access import (
    Action,
    agrees_to_moves,
    can,
    card_people,
    get_family_for,
    get_person_for,
    log_people_found,
    people_for,
    visible_families,
)
from onestory.families.forms import (
    EPISODES,
    EndMembershipForm,
    EpisodeKind,
    JoinRequestForm,
    MembershipForm,
    NewMemberForm,
    PersonForm,
)
from onestory.families.models import (
    CareEpisode,
    CareProceedings,
    Family,
    FamilyMember,
    MemberRole,
    Person,
    Section47Enquiry,
)
from onestory.families.moves import ask_to_join, decide, requests_to_decide
from onestory.lib.history import recorded
from onestory.stories.family_page import story_context

FAMILIES_PER_PAGE = 50
PEOPLE_FOUND = 20


# --- Families -----------------------------------------------------------------------------


def family_list(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    families = visible_families(request.user).select_related("pod")
    if query:
        families = families.filter(Q(name__icontains=query) | Q(reference__iexact=query))
    # Open families first, then the most recently closed.
    families = families.order_by(F("closed").desc(nulls_first=True), "name", "pk")
    page = Paginator(families, FAMILIES_PER_PAGE).get_page(request.GET.get("page"))
    page_range = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    return render(
        request,
        "families/family_list.html",
        {"page": page, "page_range": page_range, "query": query},
    )


def family_detail(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    family = get_family_for(request, uuid)
    members = list(
        family.members.select_related("person")
        .prefetch_related("person__cin_episodes", "person__cp_plans", "person__care_episodes")
        .order_by(F("end").desc(nulls_first=True), "role", "start")
    )
    today = timezone.localdate()
    # "The children" are those in the family today; members who have left are listed as
    # members, but their status, worker and story panel belong to their family now.
    children = {
        m.person_id: m.person for m in members if m.role == MemberRole.CHILD and m.is_open_on(today)
    }
    return render(
        request,
        "families/family_detail.html",
        {
            "family": family,
            "members": [(member, member.person.age_on(today)) for member in members],
            "children": children.values(),
            **story_context(family, list(children.values()), request.GET, today),
            "proceedings": family.proceedings.prefetch_related("children"),
            "can_keep_records": can(request.user, family, Action.EDIT),
            "can_see_history": can(request.user, family, Action.HISTORY),
            "can_see_access_log": can(request.user, family, Action.ACCESS_LOG),
        },
    )


# --- Membership ---------------------------------------------------------------------------


def member_add(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    family = get_family_for(request, uuid, Action.EDIT)
    form = NewMemberForm(posted(request))
    if form.is_bound and form.is_valid():
        member = form.save_into(family, by=request.user)
        messages.success(request, f"{member.person.full_name} has been added to the family.")
        return redirect("families:detail", family.uuid)
    return render(request, "families/member_add.html", {"family": family, "form": form})


def member_find(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    family = get_family_for(request, uuid, Action.EDIT)
    query = request.GET.get("q", "").strip()
    found: list[Person] = []
    held_elsewhere: list[Person] = []
    if words := query.split():
        found = list(people_for(request.user).filter(_named(words))[:PEOPLE_FOUND])
        # Held by other pods: only their search card, and a request to their pod manager.
        held_elsewhere = list(
            card_people(request.user)
            .filter(_named(words))
            .exclude(pk__in=[p.pk for p in found])
            .order_by("last_name", "first_name")[:PEOPLE_FOUND]
        )
        log_people_found(request, [*found, *held_elsewhere])
    context = {"family": family, "query": query, "found": found, "limit": PEOPLE_FOUND}
    return render(
        request, "families/member_find.html", {**context, "held_elsewhere": held_elsewhere}
    )


def member_ask(request: AuthenticatedRequest, uuid: UUID, person: UUID) -> HttpResponse:
    """Asks for someone another pod holds to join this family: their pod manager decides."""
    family = get_family_for(request, uuid, Action.EDIT)
    someone = get_object_or_404(card_people(request.user), uuid=person)
    log_people_found(request, [someone])  # their search card is shown again here
    form = JoinRequestForm(posted(request))
    if form.is_bound and form.is_valid():
        try:
            ask_to_join(by=request.user, family=family, person=someone, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Request sent. {someone.full_name} joins the family when their pod manager "
                "agrees; you will see an alert either way.",
            )
            return redirect("families:detail", family.uuid)
    context = {
        "form": form,
        "caption": family.name,
        "title": f"Ask for {someone.full_name} to join the family",
        "back": reverse("families:member_find", args=[family.uuid]),
        "button": "Ask their pod manager",
    }
    return render(request, "families/record_form.html", context)


def join_request(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A pod manager agrees, or not, to someone their pod holds joining another family."""
    if not agrees_to_moves(request.user):
        raise Http404("No such request")
    asked = get_object_or_404(
        requests_to_decide(request.user).select_related("family__pod", "person", "requested_by"),
        pk=pk,
    )
    if request.method == "POST":
        agree = request.POST.get("decision") == "agree"
        try:
            decide(by=request.user, request=asked, agree=agree)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            done = "joined" if agree else "will not join"
            messages.success(request, f"{asked.person.full_name} {done} {asked.family.name}.")
            return redirect("core:home")
    return render(request, "families/join_request.html", {"asked": asked})


def _named(words: list[str]) -> Q:
    """Every word the user typed is part of one of the person's names."""
    return reduce(
        and_,
        (
            Q(first_name__icontains=w) | Q(last_name__icontains=w) | Q(preferred_name__icontains=w)
            for w in words
        ),
    )


def member_add_existing(request: AuthenticatedRequest, uuid: UUID, person: UUID) -> HttpResponse:
    family = get_family_for(request, uuid, Action.EDIT)
    someone = get_person_for(request, person)
    # Adding someone known gives this family's people their record, so it needs the right to
    # change it now: edit rights on a family they belong to today. Seeing them is not enough
    # (an emergency grant, or a family they have left, would otherwise turn into lasting
    # access).
    if not people_for(request.user, Action.EDIT).filter(pk=someone.pk).exists():
        if card_people(request.user).filter(pk=someone.pk).exists():
            return redirect("families:member_ask", family.uuid, someone.uuid)
        messages.error(
            request,
            f"You cannot add {someone.full_name}: they belong to a family you cannot change, "
            "and their record stays with that family's pod.",
        )
        return redirect("families:member_find", family.uuid)
    form = MembershipForm(posted(request), instance=FamilyMember(family=family, person=someone))
    if form.is_bound and form.is_valid():
        with recorded(request.user, "families.add_member"):
            form.save()
        messages.success(request, f"{someone.full_name} has been added to the family.")
        return redirect("families:detail", family.uuid)
    return render(
        request,
        "families/record_form.html",
        {
            "form": form,
            "caption": family.name,
            "title": f"Add {someone.full_name} to the family",
            "back": reverse("families:member_find", args=[family.uuid]),
            "button": "Add to the family",
        },
    )


def member_end(request: AuthenticatedRequest, uuid: UUID, pk: int) -> HttpResponse:
    family = get_family_for(request, uuid, Action.EDIT)
    member = get_object_or_404(FamilyMember.objects.select_related("person"), pk=pk, family=family)
    form = EndMembershipForm(posted(request), instance=member)
    if form.is_bound and form.is_valid():
        with recorded(request.user, "families.end_member"):
            form.save()
        messages.success(request, f"{member.person.full_name}'s membership has ended.")
        return redirect("families:detail", family.uuid)
    return render(
        request,
        "families/record_form.html",
        {
            "form": form,
            "caption": family.name,
            "title": f"End {member.person.full_name}'s membership of the family",
            "back": reverse("families:detail", args=[family.uuid]),
            "button": "End membership",
        },
    )


# --- People -------------------------------------------------------------------------------


def person_detail(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    person = get_person_for(request, uuid)
    families = visible_families(request.user)
    visible = Prefetch(
        "memberships",
        FamilyMember.objects.filter(family__in=families).select_related("family__pod"),
        to_attr="visible_memberships",
    )
    if not person.current_reach:  # type: ignore[attr-defined]
        # Reached only through families they have left: what the user saw then, no more.
        prefetch_related_objects([person], visible)
        return render(
            request,
            "families/person_detail.html",
            {"person": person, "age": person.age_on(timezone.localdate())},
        )
    prefetch_related_objects(
        [person],
        visible,
        "cin_episodes__assessments",
        Prefetch("cin_episodes__enquiries", Section47Enquiry.objects.select_related("conference")),
        "cin_episodes__cin_plans",
        # Conferences held without an enquiry in the episode.
        "cin_episodes__conferences",
        "cp_plans__reviews",
        Prefetch("care_episodes", CareEpisode.objects.select_related("previous_permanence")),
        "reviews",
        "health_outcomes",
        "care_leaver_contacts",
        "deprivations_of_liberty",
        "missing_episodes",
        "uasc_periods",
        "adoption_decisions",
        "adoption_placements",
        Prefetch(
            "care_proceedings",
            CareProceedings.objects.filter(family__in=families).select_related("family"),
        ),
    )
    return render(
        request,
        "families/person_detail.html",
        {
            "person": person,
            "age": person.age_on(timezone.localdate()),
            "disabilities": [codes.Disability(code).label for code in person.disabilities],
            "episode_kinds": {slug: k for slug, k in EPISODES.items() if not k.for_family},
            "can_keep_records": people_for(request.user, Action.EDIT).filter(pk=person.pk).exists(),
            "can_see_history": people_for(request.user, Action.HISTORY)
            .filter(pk=person.pk)
            .exists(),
        },
    )


def person_edit(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    person = get_person_for(request, uuid, Action.EDIT)
    form = PersonForm(posted(request), instance=person)
    if form.is_bound and form.is_valid():
        with recorded(request.user, "families.change_person"):
            form.save()
        messages.success(request, f"{person.full_name}'s details have been saved.")
        return redirect("families:person", person.uuid)
    return render(
        request,
        "families/record_form.html",
        {
            "form": form,
            "caption": person.full_name,
            "title": "Change their details",
            "back": reverse("families:person", args=[person.uuid]),
            "button": "Save details",
        },
    )


# --- Statutory episodes -------------------------------------------------------------------


def episode_add(
    request: AuthenticatedRequest,
    kind: str,
    person: UUID | None = None,
    family: UUID | None = None,
) -> HttpResponse:
    entry, owner = _episode_owner(request, kind, person, family)
    return _episode_form(request, entry, owner, entry.new(owner))


def episode_edit(
    request: AuthenticatedRequest,
    kind: str,
    pk: int,
    person: UUID | None = None,
    family: UUID | None = None,
) -> HttpResponse:
    entry, owner = _episode_owner(request, kind, person, family)
    record = get_object_or_404(entry.model._default_manager.filter(entry.of(owner)), pk=pk)
    return _episode_form(request, entry, owner, record)


def _episode_owner(
    request: HttpRequest, kind: str, person: UUID | None, family: UUID | None
) -> tuple[EpisodeKind, Person | Family]:
    """The kind of record, and the child (or family) it belongs to, if the user may write it."""
    entry = EPISODES.get(kind)
    if entry is None or entry.for_family != (family is not None):
        raise Http404("No such kind of record")
    if family is not None:
        return entry, get_family_for(request, family, Action.EDIT)
    assert person is not None
    return entry, get_person_for(request, person, Action.EDIT)


def _episode_form(
    request: AuthenticatedRequest, entry: EpisodeKind, owner: Person | Family, record: Model
) -> HttpResponse:
    adding = record._state.adding
    form = entry.form(
        posted(request),
        instance=record,
        user=request.user,
        child=owner if isinstance(owner, Person) else None,
        family=owner if isinstance(owner, Family) else None,
    )
    back = (
        reverse("families:detail", args=[owner.uuid])
        if isinstance(owner, Family)
        else reverse("families:person", args=[owner.uuid])
    )
    if form.is_bound and form.is_valid():
        with recorded(request.user, f"families.save {entry.name}"):
            form.save()
        messages.success(request, f"{capfirst(entry.name)} {'added' if adding else 'saved'}.")
        return redirect(back)
    heading = f"Add {entry.article} {entry.name}" if adding else f"Change the {entry.name}"
    return render(
        request,
        "families/record_form.html",
        {
            "form": form,
            "caption": owner.name if isinstance(owner, Family) else owner.full_name,
            "title": heading,
            "back": back,
            "button": "Save",
        },
    )
