"""One Story: the family's story, told once, written to the family.

An entry starts as a draft that its writer (or a colleague) may change; finalising it makes it
part of the record for good. Corrections after that are amendments, each with its reason, shown
beside the original. Assessments and plans are signed off by the pod manager: the sign-off is a
record of its own, with who and when.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pghistory
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import IntegrityError, connection, models
from django.db.models import F, Q
from django.utils import timezone

from onestory.families.models import Assessment, Family, Person
from onestory.lib.history import history, recorded
from onestory.stories.census import AssessmentsAuthorised, authorise_assessments

# Text longer than this is almost certainly a paste of something that belongs elsewhere.
MAX_TEXT = 20_000
MAX_REASON = 1_000


class Kind(models.TextChoices):
    CASE_SUMMARY = "case_summary", "Case summary record"
    VISIT = "visit", "Visit"
    DIRECT_WORK = "direct_work", "Direct work"
    MEETING = "meeting", "Meeting"
    ASSESSMENT = "assessment", "Assessment"
    STRENGTHENING_FAMILIES = "strengthening_families", "Plan: Strengthening Families"
    ME_AND_MY_WORLD = "me_and_my_world", "Plan: Me and My World"
    REVIEW = "review", "Review"
    SIGNIFICANT_EVENT = "significant_event", "Significant event"
    CLOSURE_SUMMARY = "closure_summary", "Closure summary"
    SUPERVISION = "supervision", "Supervision: decisions and actions"
    AUDIT = "audit", "Audit: what we learned and actions"
    PRE_PROCEEDINGS = "pre_proceedings", "Pre-proceedings"


# Written from supervision, audit and pre-proceedings records by those features, never typed on
# "Add to the story": the record they come from is the one place to change them.
WRITTEN_ELSEWHERE = frozenset({Kind.SUPERVISION, Kind.AUDIT, Kind.PRE_PROCEEDINGS})
# The kinds a worker chooses from when adding to the story.
TYPED_KINDS = [(value, label) for value, label in Kind.choices if value not in WRITTEN_ELSEWHERE]

# Visits and direct work record who was seen, and who was seen alone.
SEEING_KINDS = frozenset({Kind.VISIT, Kind.DIRECT_WORK})
# Assessments and plans need the pod manager's sign-off.
SIGN_OFF_KINDS = frozenset({Kind.ASSESSMENT, Kind.STRENGTHENING_FAMILIES, Kind.ME_AND_MY_WORLD})


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class SignOffRefused(Exception):
    """Why a sign-off could not be made, in words for the pod manager."""


class EntryQuerySet(models.QuerySet["Entry"]):
    def final(self) -> EntryQuerySet:
        return self.filter(status=Status.FINAL)

    def for_timeline(self) -> EntryQuerySet:
        """Everything a timeline row shows but its people (`timeline.page_of` adds those in
        one query for the page), in a fixed number of queries for any page size."""
        # Amendments with their authors in one query, so the count never depends on whether
        # a page happens to hold an amended entry.
        amendments = models.Prefetch(
            "amendments", Amendment.objects.select_related("author").order_by("created_at", "id")
        )
        return self.select_related("author", "sign_off__by", "family").prefetch_related(amendments)

    def for_page(self) -> EntryQuerySet:
        """Everything the entry's own page shows."""
        return self.for_timeline().prefetch_related("concerns", "seen", "seen_alone")


@pghistory.track(*history())
class Entry(models.Model):
    """One piece of the family's story: a visit, a case summary record, a plan..."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    occurred_at = models.DateTimeField("when it happened")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="story_entries"
    )
    concerns = models.ManyToManyField(Person, related_name="story_entries", blank=True)
    seen = models.ManyToManyField(Person, related_name="entries_seen", blank=True)
    seen_alone = models.ManyToManyField(Person, related_name="entries_seen_alone", blank=True)
    story = models.TextField("what happened, written to the family")
    child_words = models.TextField("the child's own words", blank=True)
    reflection = models.TextField("reflection and analysis", blank=True)
    next_steps = models.TextField("what happens next", blank=True)
    third_party = models.TextField(
        "information not for sharing",
        blank=True,
        help_text="Third-party information: left out of the family's copy.",
    )
    not_for_sharing = models.BooleanField(
        "the whole entry is not for sharing",
        default=False,
        help_text="Left out of the family's copy, for example when it is about someone else.",
    )
    status = models.CharField(max_length=5, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: every saved change of a draft adds one (docs/security.md, promise 24).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finalised_at = models.DateTimeField(null=True, blank=True)
    # Kept up to date when an entry is finalised or amended: drafts are not searched.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "entries"
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["family", "-occurred_at", "-id"]),
            GinIndex(fields=["search_vector"], name="stories_entry_search"),
            # Search ranks the most recent matches: this walks them newest first.
            models.Index(fields=["-occurred_at", "-id"], name="stories_entry_recent"),
            # A pod manager's home finds the assessments and plans waiting for sign-off among
            # the pod's families without reading every other entry of theirs.
            models.Index(
                fields=["family"],
                name="stories_entry_to_sign_off",
                condition=Q(kind__in=sorted(SIGN_OFF_KINDS), status=Status.FINAL),
            ),
            # Every case-holder's home lists their own drafts, oldest first: a worker with
            # years of entries has a handful of drafts among thousands (at `large`, 18 of
            # 3,541, read in 6 ms through the author index against well under 1 ms here).
            models.Index(
                fields=["author", "created_at", "id"],
                name="stories_entry_drafts",
                condition=Q(status=Status.DRAFT),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(finalised_at__isnull=False),
                name="entry_final_has_finalised_at",
            ),
            models.CheckConstraint(condition=~Q(story=""), name="entry_has_a_story"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_at:%d/%m/%Y}"

    @property
    def is_final(self) -> bool:
        return self.status == Status.FINAL

    @property
    def needs_sign_off(self) -> bool:
        return self.kind in SIGN_OFF_KINDS

    @property
    def awaits_sign_off(self) -> bool:
        """A final assessment or plan that nobody has signed off yet."""
        return self.needs_sign_off and self.is_final and not hasattr(self, "sign_off")

    def save_draft(self, *, expected_version: int, by: Any, **values: Any) -> bool:
        """Saves the draft's fields if nobody has saved it since `expected_version` was read.

        One conditional UPDATE, so two people saving at once cannot both win: the loser gets
        False and keeps their text on screen, never a silent overwrite. M2M values (`concerns`,
        `seen`, `seen_alone`) are replaced in the same transaction."""
        people = {k: values.pop(k) for k in ("concerns", "seen", "seen_alone") if k in values}
        now = timezone.now()
        with recorded(by, "stories.save_draft"):
            updated = Entry.objects.filter(
                pk=self.pk, version=expected_version, status=Status.DRAFT
            ).update(**values, version=F("version") + 1, updated_at=now)
            if not updated:
                return False
            for name, chosen in people.items():
                getattr(self, name).set(chosen)
        # The row now holds exactly what was written, so the object is brought up to date
        # without reading it back (the autosave runs every 10 seconds while anyone writes).
        for field, value in {**values, "version": expected_version + 1, "updated_at": now}.items():
            setattr(self, field, value)
        self.status = Status.DRAFT
        for listed in people:
            getattr(self, "_prefetched_objects_cache", {}).pop(listed, None)
        return True

    def finalise(self, *, by: Any) -> bool:
        """Makes the entry part of the record: after this it is changed only by amendments."""
        with recorded(by, "stories.finalise"):
            done = Entry.objects.filter(pk=self.pk, status=Status.DRAFT).update(
                status=Status.FINAL, finalised_at=timezone.now(), version=F("version") + 1
            )
            if done:
                self.refresh_search()
        self.refresh_from_db()
        return bool(done)

    def amend(self, *, by: Any, reason: str, text: str) -> Amendment:
        with recorded(by, "stories.amend"):
            amendment = Amendment.objects.create(entry=self, reason=reason, text=text, author=by)
            self.refresh_search()
        return amendment

    def sign(self, *, by: Any) -> tuple[SignOff, AssessmentsAuthorised | None]:
        """The pod manager signs off an assessment or plan (the view checks who may).

        Signing off an assessment also authorises it for the CIN census (stories/census.py),
        in the same transaction, so the sign-off and the census's dates never disagree. When
        it cannot be done, `SignOffRefused` says why and nothing is saved."""
        try:
            with recorded(by, "stories.sign_off"):
                # Locks the entry: two managers (or one double click) signing at once cannot
                # both pass the check below; the second is told who signed it.
                Entry.objects.select_for_update().filter(pk=self.pk).first()
                done = SignOff.objects.filter(entry=self).select_related("by").first()
                if done is not None:
                    raise SignOffRefused(
                        f"{self.get_kind_display()} was already signed off by {done.by} at "
                        f"{timezone.localtime(done.at):%H:%M on %d %B %Y}."
                    )
                sign_off = SignOff.objects.create(entry=self, by=by)
                census = None
                if self.kind == Kind.ASSESSMENT:
                    census = authorise_assessments(self, sign_off)
        except IntegrityError as error:
            # A census date the database refuses (an assessment that would be authorised
            # before it started): the manager is told, and the entry stays unsigned.
            raise SignOffRefused(
                "It could not be signed off: the census assessment of one of the children would "
                "be authorised before it started. Ask business support to check when that "
                "assessment started, then sign off again. Nothing was saved."
            ) from error
        return sign_off, census

    def refresh_search(self) -> None:
        refresh_search_vectors("e.id = %s", [self.pk])


# The text a reader of the record sees, weighted: the story first, then the child's words and
# what happens next, then the rest with any amendments. One expression serves a single entry
# and the demo loader's millions (`e` is the entry's row), so they can never index differently.
SEARCH_VECTOR = """
    setweight(to_tsvector('english', e.story), 'A')
    || setweight(to_tsvector('english', e.child_words || ' ' || e.next_steps), 'B')
    || setweight(to_tsvector('english', e.reflection || ' ' || e.third_party || ' ' || coalesce(
        (SELECT string_agg(a.text, ' ') FROM stories_amendment a WHERE a.entry_id = e.id), ''
    )), 'C')
"""
SEARCH_SQL = (
    "UPDATE stories_entry e SET search_vector = "  # noqa: S608  (constant; values are params)
    + SEARCH_VECTOR
    + " WHERE e.status = 'final' AND ({where})"
)


def refresh_search_vectors(where: str = "true", params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(SEARCH_SQL.format(where=where), params or [])


# Who an entry concerns, who was seen and who was seen alone are in its history
# (docs/security.md, promise 10). pghistory tracks an auto-made link table through a proxy of
# it, so that its triggers are in the migrations.
@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), obj_field=None)
class EntryConcerns(Entry.concerns.through):  # type: ignore[misc,name-defined]
    class Meta:
        proxy = True
        verbose_name = "person an entry concerns"


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), obj_field=None)
class EntrySeen(Entry.seen.through):  # type: ignore[misc,name-defined]
    class Meta:
        proxy = True
        verbose_name = "person seen"


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), obj_field=None)
class EntrySeenAlone(Entry.seen_alone.through):  # type: ignore[misc,name-defined]
    class Meta:
        proxy = True
        verbose_name = "person seen alone"


@pghistory.track(*history())
class Amendment(models.Model):
    """A correction to a final entry, with its reason; the original stays as it was."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="amendments")
    reason = models.TextField()
    text = models.TextField("the corrected text")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="story_amendments"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="amendment_has_a_reason"),
            models.CheckConstraint(condition=~Q(text=""), name="amendment_has_text"),
        ]

    def __str__(self) -> str:
        return f"Amendment of {self.entry} on {self.created_at:%d/%m/%Y}"


@pghistory.track(*history())
class SignOff(models.Model):
    """The pod manager's sign-off of an assessment or plan. The CIN census takes the
    assessment's authorisation date from here: signing off an assessment entry links and
    authorises each concerned child's census assessment (stories/census.py)."""

    entry = models.OneToOneField(Entry, on_delete=models.PROTECT, related_name="sign_off")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="story_sign_offs"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "sign-off"

    def __str__(self) -> str:
        return f"Sign-off of {self.entry} by {self.by}"


@pghistory.track(*history())
class CensusAuthorisation(models.Model):
    """Which signed-off assessment entry authorised a child's CIN census assessment.

    The census's AssessmentAuthorisationDate is set on the assessment itself; this link says
    which entry's sign-off set it (stories/census.py). It lives with stories, not on the
    assessment, so that foreign keys point one way (docs/decisions/0010-one-way-dependencies.md).
    """

    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, related_name="authorisation"
    )
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="census_authorisations")

    class Meta:
        ordering = ["assessment"]

    def __str__(self) -> str:
        return f"{self.assessment} authorised by the sign-off of {self.entry}"


# How long a finished copy can be downloaded, and how long an unfinished request is kept.
COPY_KEPT_FOR = timedelta(hours=1)


class CopyStatus(models.TextChoices):
    WAITING = "waiting", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be made"


class FamilyCopy(models.Model):
    """A request for the family's copy of their story, made by the task worker
    (stories/copies.py), and the finished PDF, which only the person who asked may download
    until it expires (docs/security.md, promise 6).

    Not in history: the PDF is the story itself, and history is append-only, so a copy there
    would outlive its expiry. The request is in the access log when it is downloaded, as a
    print. Expired PDFs are emptied by the next copy the worker makes.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="copies")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_copies"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=CopyStatus, default=CopyStatus.WAITING)
    pdf = models.BinaryField(default=b"", blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name_plural = "family copies"
        indexes = [models.Index(fields=["requested_by", "family", "-requested_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=CopyStatus.READY) | Q(finished_at__isnull=False),
                name="a_ready_copy_has_finished",
            ),
        ]

    def __str__(self) -> str:
        return f"Copy of {self.family} for {self.requested_by} ({self.get_status_display()})"

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def downloadable(self) -> bool:
        return self.status == CopyStatus.READY and not self.expired
