"""Writing and reading the story.

Every view reaches the family (or child) through the access chokepoint, which logs the look;
an entry is always fetched through its family, so an entry id under another family's URL is a
404 that shows nothing (docs/security.md, promise 3).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.timezone import localdate
from django.views.decorators.http import require_POST

from onestory.accounts.http import AuthenticatedRequest, posted
from onestory.accounts.models import User
from onestory.families.access import (
    Action,
    allocated_people_for,
    can,
    can_sign_off,
    families_for,
    get_family_for,
    get_person_for,
    log_seen_in_search,
)
from onestory.families.models import Allocation, Family, MemberRole, Person
from onestory.lib import due
from onestory.lib.history import recorded
from onestory.lib.readability import flesch
from onestory.pods.access import get_own_pod
from onestory.stories import copies, timeline, visiting
from onestory.stories.forms import TEXT_FIELDS, AmendmentForm, DraftForm, EntryForm
from onestory.stories.glossary import hints
from onestory.stories.models import Entry, FamilyCopy, SignOffRefused
from onestory.stories.search import search_stories
from onestory.stories.timeline import page_of


def _children(family: Family) -> list[Person]:
    return list(
        Person.objects.in_family(family, role=MemberRole.CHILD).order_by(
            "date_of_birth", "first_name"
        )
    )


def _entry(family: Family, entry: UUID) -> Entry:
    """The entry with everything its page shows."""
    return get_object_or_404(Entry.objects.for_page(), uuid=entry, family=family)


def _entry_row(family: Family, entry: UUID) -> Entry:
    """The entry alone, for a write that answers without its page: the autosave, the most
    frequent request of all, and finalising. Fetching who it concerns and its amendments
    would be four queries that nothing reads."""
    return get_object_or_404(Entry, uuid=entry, family=family)


# --- Reading ------------------------------------------------------------------------------


def family_story(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    """The story's timeline alone: the fragment htmx swaps in for a filter or the next page."""
    family = get_family_for(request, uuid)
    story = _story(family, request.GET)
    # The next page appends to the timeline; a new filter replaces it.
    part = "page" if "page" in request.GET else "story"
    return render(
        request, f"families/family_detail.html#{part}", {"family": family, "story": story}
    )


def _story(family: Family, params: QueryDict) -> timeline.Story:
    return timeline.family_story(family, params, _children(family))


def child_story(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    """Every entry about the child, in every family they have belonged to that the user may
    see, oldest first: the child's story told once."""
    person = get_person_for(request, uuid)
    # Found through the index on whom each entry concerns, then narrowed to the families the
    # user may see (with a join instead, the planner scanned every entry's people).
    about = Entry.concerns.through.objects.filter(person=person).values("entry_id")
    entries = Entry.objects.filter(pk__in=about, family__in=families_for(request.user))
    entries = entries.order_by("occurred_at", "id")
    page = page_of(entries, request.GET.get("page"))
    template = "stories/child_story.html"
    if request.htmx:
        template += "#entries"
    return render(request, template, {"person": person, "page": page})


def entry_detail(request: AuthenticatedRequest, uuid: UUID, entry: UUID) -> HttpResponse:
    family = get_family_for(request, uuid)
    record = _entry(family, entry)
    return _entry_page(request, family, record)


def _entry_page(
    request: AuthenticatedRequest,
    family: Family,
    record: Entry,
    *,
    form: EntryForm | None = None,
    amend: AmendmentForm | None = None,
    conflict: Entry | None = None,
    status: int = 200,
) -> HttpResponse:
    editable = can(request.user, family, Action.EDIT)
    if form is None and editable and not record.is_final:
        form = DraftForm(
            initial=_initial(record),
            family=family,
            autosave_url=reverse("stories:autosave", args=[family.uuid, record.uuid]),
        )
    return render(
        request,
        "stories/entry.html",
        {
            "family": family,
            "entry": record,
            "form": form,
            "amend": amend or (AmendmentForm() if editable and record.is_final else None),
            "conflict": conflict,
            "editable": editable,
            "can_sign_off": _may_sign_off(request.user, family, record),
        },
        status=status,
    )


def _initial(record: Entry) -> dict[str, object]:
    local = record.occurred_at.astimezone()
    return {
        "kind": record.kind,
        "occurred_on": local.date(),
        "occurred_time": f"{local:%H:%M}",
        "concerns": [p.pk for p in record.concerns.all()],
        "seen": [p.pk for p in record.seen.all()],
        "seen_alone": [p.pk for p in record.seen_alone.all()],
        "not_for_sharing": record.not_for_sharing,
        "version": record.version,
        **{name: getattr(record, name) for name in TEXT_FIELDS},
    }


# --- Writing ------------------------------------------------------------------------------


def entry_new(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    """Starts an entry as a draft, or records it final at once ("Save and finalise"): a visit
    written up on the day needs no second screen. `?child=` (from a home's "Record a visit")
    starts it about that child, seen."""
    family = get_family_for(request, uuid, Action.EDIT)
    initial: dict[str, object] = {
        "kind": request.GET.get("kind", "visit"),
        "occurred_on": localdate(),
    }
    chosen = _uuid_or_none(request.GET.get("child"))
    child = Person.objects.in_family(family).filter(uuid=chosen) if chosen else []
    if child:
        initial["concerns"] = initial["seen"] = list(child)
    form = EntryForm(posted(request), initial=initial, family=family)
    if form.is_bound and form.is_valid():
        values = form.values()
        people = {k: values.pop(k) for k in ("concerns", "seen", "seen_alone")}
        with recorded(request.user, "stories.start_entry"):
            record = Entry.objects.create(family=family, author=request.user, **values)
            for name, chosen in people.items():
                getattr(record, name).set(chosen)
        if "finalise" in request.POST and record.finalise(by=request.user):
            messages.success(request, "The entry is final: it is now part of the family's story.")
            return redirect("families:detail", family.uuid)
        messages.success(request, "Draft saved. Check it, then finalise it.")
        return redirect("stories:entry", family.uuid, record.uuid)
    return render(request, "stories/entry_new.html", {"family": family, "form": form})


def _uuid_or_none(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


def _bind_draft(request: AuthenticatedRequest, family: Family, record: Entry) -> DraftForm:
    return DraftForm(
        request.POST,
        family=family,
        autosave_url=reverse("stories:autosave", args=[family.uuid, record.uuid]),
    )


@require_POST
def entry_save(request: AuthenticatedRequest, uuid: UUID, entry: UUID) -> HttpResponse:
    """Saves a draft. If someone else saved it since this page was opened, nothing is
    overwritten: the page shows their saved version beside the writer's own text, which stays
    in the form (docs/security.md, promise 24)."""
    family = get_family_for(request, uuid, Action.EDIT)
    record = _entry(family, entry)
    if record.is_final:
        return _refuse_final(request, family, record)
    form = _bind_draft(request, family, record)
    if not form.is_valid():
        return _entry_page(request, family, record, form=form, status=400)
    version = form.cleaned_data["version"]
    if not record.save_draft(expected_version=version, by=request.user, **form.values()):
        return _conflict(request, family, record, form)
    messages.success(request, "Draft saved.")
    return redirect("stories:entry", family.uuid, record.uuid)


def _conflict(
    request: AuthenticatedRequest, family: Family, record: Entry, form: DraftForm
) -> HttpResponse:
    saved = _entry(family, record.uuid)
    # Their text stays; saving again now knowingly replaces the version shown beside it.
    data = request.POST.copy()
    data["version"] = str(saved.version)
    form = DraftForm(data, family=family, autosave_url=form.fields["story"].widget.attrs["hx-post"])
    form.is_valid()
    return _entry_page(request, family, saved, form=form, conflict=saved, status=409)


@require_POST
def entry_autosave(request: AuthenticatedRequest, uuid: UUID, entry: UUID) -> HttpResponse:
    """The htmx autosave: a status line, and the new version number swapped out of band.
    Not logged as a look: it shows nothing of the record, and opening the draft was logged."""
    family = get_family_for(request, uuid, Action.EDIT, quiet=True)
    record = _entry_row(family, entry)
    form = _bind_draft(request, family, record)
    context: dict[str, object] = {"entry": record}
    if record.is_final:
        context["problem"] = "This entry has been finalised, so it can no longer be changed."
    elif not form.is_valid():
        context["problem"] = "Not saved yet: " + " ".join(
            str(e) for errors in form.errors.values() for e in errors
        )
    elif not record.save_draft(
        expected_version=form.cleaned_data["version"], by=request.user, **form.values()
    ):
        context["problem"] = (
            "Not saved: someone else has saved this draft since you opened it. "
            "Select “Save draft” to see both versions. Your text is still here."
        )
    else:
        context["saved"] = True
    return render(request, "stories/entry.html#autosave", context)


def _refuse_final(request: AuthenticatedRequest, family: Family, record: Entry) -> HttpResponse:
    messages.error(
        request,
        "This entry has been finalised, so it cannot be changed. Add an amendment instead.",
    )
    return _entry_page(request, family, record, status=409)


@require_POST
def entry_finalise(request: AuthenticatedRequest, uuid: UUID, entry: UUID) -> HttpResponse:
    family = get_family_for(request, uuid, Action.EDIT)
    record = _entry_row(family, entry)
    if not record.finalise(by=request.user):
        return _refuse_final(request, family, _entry(family, entry))
    messages.success(request, "The entry is final: it is now part of the family's story.")
    return redirect("families:detail", family.uuid)


@require_POST
def entry_amend(request: AuthenticatedRequest, uuid: UUID, entry: UUID) -> HttpResponse:
    family = get_family_for(request, uuid, Action.EDIT)
    record = _entry(family, entry)
    if not record.is_final:
        messages.error(request, "A draft can still be changed: change it rather than amend it.")
        return redirect("stories:entry", family.uuid, record.uuid)
    form = AmendmentForm(request.POST)
    if not form.is_valid():
        return _entry_page(request, family, record, amend=form, status=400)
    record.amend(by=request.user, **form.cleaned_data)
    messages.success(request, "Amendment added. The original is shown with it.")
    return redirect("stories:entry", family.uuid, record.uuid)


def _may_sign_off(user: User, family: Family, record: Entry) -> bool:
    return record.awaits_sign_off and can_sign_off(user, family, author_id=record.author_id)


@require_POST
def entry_sign_off(request: AuthenticatedRequest, uuid: UUID, entry: UUID) -> HttpResponse:
    family = get_family_for(request, uuid, Action.EDIT)
    record = _entry(family, entry)
    if not can_sign_off(request.user, family, author_id=record.author_id):
        raise Http404("Nothing to sign off")
    if not record.needs_sign_off or not record.is_final:
        messages.error(request, "Only a finalised assessment or plan is signed off.")
        return redirect("stories:entry", family.uuid, record.uuid)
    try:
        _, census = record.sign(by=request.user)
    except SignOffRefused as refused:
        messages.error(request, str(refused))
        return redirect("stories:entry", family.uuid, record.uuid)
    done = f"{record.get_kind_display()} signed off."
    messages.success(request, f"{done} {census.summary()}".strip() if census else done)
    return redirect("stories:entry", family.uuid, record.uuid)


@require_POST
def writing_help(request: AuthenticatedRequest) -> HttpResponse:
    """Plain-language advice on the text being written. Advice only: it never blocks saving.
    Reads no record, so it needs no family."""
    text = " ".join(request.POST.get(name, "") for name in ("story", "child_words", "next_steps"))
    return render(
        request,
        "stories/writing_help.html",
        {"score": flesch(text[:60_000]), "hints": hints(text[:60_000])},
    )


# --- What's due ---------------------------------------------------------------------------


def due_mine(request: AuthenticatedRequest) -> HttpResponse:
    today = localdate()
    allocated = Allocation.objects.open_on(today).filter(worker__user=request.user)
    children = allocated_people_for(request.user, allocated)
    tasks = due.tasks_for(request.user, today)
    return _due(request, children, "What's due for your children", today, tasks)


def due_pod(request: AuthenticatedRequest, pod: int) -> HttpResponse:
    chosen = get_own_pod(request.user, pod)
    today = localdate()
    allocated = Allocation.objects.open_on(today).filter(pod=chosen)
    children = allocated_people_for(request.user, allocated)
    tasks = due.pod_tasks_for(chosen, today)
    return _due(request, children, f"What's due in {chosen.name}", today, tasks)


def _due(
    request: AuthenticatedRequest,
    children: object,
    title: str,
    today: date,
    tasks: list[due.Task],
) -> HttpResponse:
    """Visits and reviews for the children, then what other features have registered
    (onestory/lib/due.py): supervision, audit actions, complaints."""
    items = visiting.due_for(children, today)  # type: ignore[arg-type]
    context = {"title": title, "items": items, "tasks": tasks, "today": today}
    return render(request, "stories/due.html", context)


# --- Search -------------------------------------------------------------------------------


def search(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    closed = request.GET.get("closed") == "1"
    found = search_stories(request.user, query, closed=closed, page=request.GET.get("page"))
    # Each family whose story shows in the results has been looked at (docs/security.md, 9).
    log_seen_in_search(request, {entry.family for entry in found.results})
    context = {"query": query, "closed": closed, **vars(found)}
    return render(request, "stories/search.html", context)


# --- The family's copy --------------------------------------------------------------------


def family_copy(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    """The family's own copy of their story, as a PDF: final entries only, leaving out
    whatever is marked not for sharing (stories/copies.py). Asking for it enqueues the task
    that makes it; the page then follows its progress. Nothing of the record is shown until
    the download, which is logged as a print (docs/security.md, promise 6)."""
    family = get_family_for(request, uuid, Action.PRINT, quiet=True)
    if request.method == "POST":
        copy = copies.request_copy(family=family, by=request.user)
        return redirect("stories:copy_status", family.uuid, copy.uuid)
    return render(request, "stories/family_copy_request.html", {"family_uuid": family.uuid})


def _own_copy(
    request: AuthenticatedRequest, family: Family, copy: UUID, *, with_pdf: bool = False
) -> FamilyCopy:
    """A copy is only ever for the person who asked for it: anyone else gets 404."""
    copies_ = FamilyCopy.objects.all() if with_pdf else FamilyCopy.objects.defer("pdf")
    return get_object_or_404(copies_, uuid=copy, family=family, requested_by=request.user)


def family_copy_status(request: AuthenticatedRequest, uuid: UUID, copy: UUID) -> HttpResponse:
    """Whether the copy is ready; htmx polls the progress fragment until it is."""
    family = get_family_for(request, uuid, Action.PRINT, quiet=True)
    context = {"family_uuid": family.uuid, "copy": _own_copy(request, family, copy)}
    if request.htmx:
        return render(request, "stories/family_copy_status.html#progress", context)
    return render(request, "stories/family_copy_status.html", context)


def family_copy_download(request: AuthenticatedRequest, uuid: UUID, copy: UUID) -> HttpResponse:
    """The finished PDF, for the person who asked, until it expires. Access to the family is
    checked again here, and the download is logged as a print."""
    family = get_family_for(request, uuid, Action.PRINT)
    found = _own_copy(request, family, copy, with_pdf=True)
    if not found.downloadable:
        return redirect("stories:copy_status", family.uuid, found.uuid)
    response = HttpResponse(bytes(found.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="story-{family.reference}.pdf"'
    return response
