"""Writing and reading the story.

Every view reaches the family (or child) through the access chokepoint, which logs the look;
an entry is always fetched through its family, so an entry id under another family's URL is a
404 that shows nothing (SECURITY 3).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.contrib import messages
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.db import OperationalError, connection, transaction
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localdate
from django.views.decorators.http import require_POST
from psycopg.errors import QueryCanceled

from onestory.accounts.models import User
from onestory.families.access import (
    Action,
    can,
    current_pod_ids,
    families_for,
    get_family_for,
    get_person_for,
    log_seen_in_search,
    people_for,
)
from onestory.families.models import Allocation, Family, MemberRole, Person
from onestory.lib.readability import flesch
from onestory.pods.models import Pod, PodMembership, PodRole
from onestory.stories import timeline, visiting
from onestory.stories.forms import TEXT_FIELDS, AmendmentForm, DraftForm, EntryForm
from onestory.stories.glossary import hints
from onestory.stories.models import Entry
from onestory.stories.timeline import PER_PAGE, page_of


class AuthenticatedRequest(HttpRequest):
    user: User


def _data(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _children(family: Family) -> list[Person]:
    return list(
        Person.objects.filter(memberships__family=family, memberships__role=MemberRole.CHILD)
        .distinct()
        .order_by("date_of_birth", "first_name")
    )


def _entry(family: Family, entry: UUID) -> Entry:
    return get_object_or_404(Entry.objects.for_timeline(), uuid=entry, family=family)


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
    if request.headers.get("HX-Request"):
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
    family = get_family_for(request, uuid, Action.EDIT)
    initial = {"kind": request.GET.get("kind", "visit"), "occurred_on": localdate()}
    form = EntryForm(_data(request), initial=initial, family=family)
    if form.is_bound and form.is_valid():
        values = form.values()
        people = {k: values.pop(k) for k in ("concerns", "seen", "seen_alone")}
        with transaction.atomic():
            record = Entry.objects.create(family=family, author=request.user, **values)
            for name, chosen in people.items():
                getattr(record, name).set(chosen)
        messages.success(request, "Draft saved. Check it, then finalise it.")
        return redirect("stories:entry", family.uuid, record.uuid)
    return render(request, "stories/entry_new.html", {"family": family, "form": form})


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
    in the form (SECURITY 24)."""
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
    record = _entry(family, entry)
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
    record = _entry(family, entry)
    if not record.finalise(by=request.user):
        return _refuse_final(request, family, record)
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
    """Only a manager of the family's own pod signs off its assessments and plans."""
    if not record.needs_sign_off or not record.is_final or hasattr(record, "sign_off"):
        return False
    return (
        PodMembership.objects.open_on(localdate())
        .filter(staff__user=user, pod=family.pod_id, role=PodRole.POD_MANAGER)
        .exists()
    )


@require_POST
def entry_sign_off(request: AuthenticatedRequest, uuid: UUID, entry: UUID) -> HttpResponse:
    family = get_family_for(request, uuid, Action.EDIT)
    record = _entry(family, entry)
    if not _may_sign_off(request.user, family, record):
        raise Http404("Nothing to sign off")
    with transaction.atomic():
        _, census = record.sign(by=request.user)
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
    children = people_for(request.user).filter(
        allocations__in=Allocation.objects.open_on(today).filter(worker__user=request.user)
    )
    return _due(request, children.distinct(), "What's due for your children", today)


def due_pod(request: AuthenticatedRequest, pod: int) -> HttpResponse:
    chosen = get_object_or_404(Pod, pk=pod)
    if not current_pod_ids(request.user).filter(pod_id=chosen.pk).exists():
        raise Http404("No such pod")
    today = localdate()
    children = people_for(request.user).filter(
        allocations__in=Allocation.objects.open_on(today).filter(pod=chosen)
    )
    return _due(request, children.distinct(), f"What's due in {chosen.name}", today)


def _due(request: AuthenticatedRequest, children: object, title: str, today: date) -> HttpResponse:
    items = visiting.due_for(children, today)  # type: ignore[arg-type]
    return render(request, "stories/due.html", {"title": title, "items": items, "today": today})


# --- Search -------------------------------------------------------------------------------

START, STOP = "\x02", "\x03"


def _highlight(headline: str) -> SafeString:
    """ts_headline's text escaped in full; only our own markers become <mark> tags."""
    safe = str(escape(headline))
    return mark_safe(safe.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


# Search ranks the most recent matches rather than every match: ranking is per row, and a
# common word can match hundreds of thousands of entries across a service. How the most recent
# matches are found depends on how many families are searched (docs/decisions/0008).
CANDIDATES = 1000
# Up to this many families, their finished entries are read and matched directly: the cost
# follows the user's own caseload.
FEW_FAMILIES = 2000
RECENT_IN_FEW_FAMILIES = """
    WITH theirs AS MATERIALIZED (
        SELECT id, occurred_at, search_vector FROM stories_entry
        WHERE family_id = ANY(%s) AND status = 'final'
    )
    SELECT id FROM theirs WHERE search_vector @@ websearch_to_tsquery('english', %s)
    ORDER BY occurred_at DESC, id DESC LIMIT %s
"""
# Beyond that, PostgreSQL chooses: for common words it walks all entries newest first (the
# recency index) and stops at the limit; for rare ones it takes every match from the search
# index. Its guess of how common words are can be wrong, so its own choice gets a short time
# limit, then each way is tried on its own: the walk, then the search index. No search holds
# a connection for more than a few seconds: one that runs out of time asks for more words.
PLANS = (  # (what to switch off, time limit in ms)
    ("nothing", 300),
    ("enable_bitmapscan", 1000),  # the walk
    ("enable_indexscan", 2500),  # the search index
)


class SearchTooSlow(Exception):
    pass


def _recent_matches(user: User, query: str, *, closed: bool) -> list[int]:
    """The ids of the most recent finished entries matching the query, newest first, in the
    families the user may see (open ones only unless `closed`); one more than CANDIDATES when
    there are more."""
    families = families_for(user)
    if not closed:
        families = families.filter(closed__isnull=True)
    few = list(families.values_list("pk", flat=True)[: FEW_FAMILIES + 1])
    # For many families, the open-only filter is applied to each entry's family as it is met,
    # which keeps PostgreSQL walking entries newest first.
    scope = Q() if closed else Q(family__closed__isnull=True)
    if len(few) <= FEW_FAMILIES:
        with connection.cursor() as cursor:
            cursor.execute(RECENT_IN_FEW_FAMILIES, [few, query, CANDIDATES + 1])
            return [row[0] for row in cursor.fetchall()]
    wanted = SearchQuery(query, search_type="websearch", config="english")
    recent = (
        Entry.objects.final()
        .filter(scope, family__in=families_for(user), search_vector=wanted)
        .order_by("-occurred_at", "-id")
        .values_list("pk", flat=True)[: CANDIDATES + 1]
    )
    for switch_off, milliseconds in PLANS:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                if switch_off != "nothing":
                    cursor.execute(f"SET LOCAL {switch_off} = off")
                cursor.execute(f"SET LOCAL statement_timeout = {milliseconds}")
                found = list(recent)
                # Within a caller's transaction these would outlive the savepoint.
                cursor.execute("RESET statement_timeout")
                if switch_off != "nothing":
                    cursor.execute(f"RESET {switch_off}")
                return found
        except OperationalError as error:
            if not isinstance(error.__cause__, QueryCanceled):
                raise
    raise SearchTooSlow


def search(request: AuthenticatedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    closed = request.GET.get("closed") == "1"
    page, capped, results, too_slow = None, False, [], False
    if query:
        wanted = SearchQuery(query, search_type="websearch", config="english")
        try:
            recent = _recent_matches(request.user, query, closed=closed)
        except SearchTooSlow:
            recent, too_slow = [], True
        capped = len(recent) > CANDIDATES
        ranked = list(
            Entry.objects.filter(pk__in=recent[:CANDIDATES])
            .annotate(rank=SearchRank(F("search_vector"), wanted))
            .order_by("-rank", "-occurred_at", "-id")
            .values_list("pk", flat=True)
        )
        page = Paginator(ranked, PER_PAGE).get_page(request.GET.get("page"))
        text = Concat(
            "story", Value(" "), "child_words", Value(" "), "next_steps", output_field=TextField()
        )
        shown = Entry.objects.filter(pk__in=list(page)).select_related("family")
        highlighted = shown.annotate(
            headline=SearchHeadline(
                text,
                wanted,
                config="english",
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
            )
        )
        found = {entry.pk: entry for entry in highlighted}
        results = [found[pk] for pk in page.object_list if pk in found]
        for entry in results:
            entry.snippet = _highlight(entry.headline)  # type: ignore[attr-defined]
        # Each family whose story shows in the results has been looked at (SECURITY 9).
        log_seen_in_search(request, {entry.family for entry in results})
    return render(
        request,
        "stories/search.html",
        {
            "query": query,
            "page": page,
            "results": results,
            "capped": capped,
            "closed": closed,
            "too_slow": too_slow,
            "candidates": CANDIDATES,
        },
    )


# --- The family's copy --------------------------------------------------------------------


def family_copy(request: AuthenticatedRequest, uuid: UUID) -> HttpResponse:
    """The family's own copy of their story, as a PDF: final entries only, leaving out
    whatever is marked not for sharing. Fetched with the PRINT action, so printing is logged."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    family = get_family_for(request, uuid, Action.PRINT)
    entries = (
        family.entries.final()
        .filter(not_for_sharing=False)
        .order_by("occurred_at", "id")
        .prefetch_related("amendments", "concerns")
    )
    html = render_to_string(
        "stories/family_copy.html", {"family": family, "entries": entries, "today": localdate()}
    )
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="story-{family.reference}.pdf"'
    return response
