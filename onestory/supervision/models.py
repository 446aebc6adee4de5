"""Supervision and reflective practice: 1:1 and group supervision, casework records, personal
supervision, Reflective Practice Groups and their standards (issue 12).

The database keeps the rules that hold whatever page wrote the row: a session lasts more than
no time and no longer than a working day, is not held after the day it was recorded, an action
is not due before the day it was set, a casework record belongs to one session or one group
session, and a Reflective Practice Group has no link to any family at all. Personal
supervision notes have a table of their own so that nothing that lists, counts or searches
sessions can reach them by accident; every look at them is written to `PersonalNotesLook`.
"""

from __future__ import annotations

from datetime import date

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from onestory.families.models import Family, Person
from onestory.lib.history import history
from onestory.lib.per_request import once
from onestory.lib.periods import Period, end_not_before_start, no_overlap
from onestory.pods.models import Pod, Staff
from onestory.stories.models import Entry

# A session longer than a working day is a typing mistake, not supervision.
WORKING_DAY_MINUTES = 480


def minutes_rule(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(minutes__isnull=True) | Q(minutes__gt=0, minutes__lte=WORKING_DAY_MINUTES),
        name=name,
        violation_error_message=(
            f"Minutes must be more than 0 and no more than {WORKING_DAY_MINUTES} (a working day)."
        ),
    )


def not_after_recorded(name: str) -> models.CheckConstraint:
    # "Not in the future" as the database can keep it: a check constraint cannot ask for
    # today's date, but it can hold the date held to the day it was recorded.
    return models.CheckConstraint(
        condition=Q(held_on__isnull=True) | Q(held_on__lte=F("recorded_on")),
        name=name,
        violation_error_message="The date it was held cannot be in the future.",
    )


@pghistory.track(*history())
class Standards(models.Model):
    """How regular supervision should be. One row (pk 1); with none, the defaults apply."""

    one_to_one_days = models.PositiveSmallIntegerField(
        "days between 1:1 sessions", default=31, help_text="31 means at least monthly."
    )
    minutes_a_month = models.PositiveSmallIntegerField("1:1 minutes a month", default=90)
    asye_weekly_weeks = models.PositiveSmallIntegerField(
        "weeks of weekly 1:1s at the start of the newly qualified year (ASYE)", default=6
    )
    asye_fortnightly_months = models.PositiveSmallIntegerField(
        "months of fortnightly 1:1s from the start of the ASYE", default=6
    )
    family_days = models.PositiveSmallIntegerField(
        "days within which every open family is discussed", default=42
    )
    rpg_days = models.PositiveSmallIntegerField(
        "days between Reflective Practice Groups", default=31
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "standards"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="standards_one_row"),
            models.CheckConstraint(
                condition=Q(
                    one_to_one_days__gt=0,
                    minutes_a_month__gt=0,
                    family_days__gt=0,
                    rpg_days__gt=0,
                    asye_fortnightly_months__lte=12,
                    asye_weekly_weeks__lte=52,
                ),
                name="standards_positive",
            ),
        ]

    def __str__(self) -> str:
        return "Supervision standards"

    @classmethod
    def current(cls) -> Standards:
        """Read once a request (`lib/per_request.py`): a pod manager's home asks from two
        features. The standards change only through `records.edit_standards`, whose page
        redirects after saving, so no request reads them after changing them."""
        return once("supervision.standards", cls._read)

    @classmethod
    def _read(cls) -> Standards:
        found = cls.objects.filter(pk=1).first()
        return found if found is not None else cls(pk=1)


@pghistory.track(*history())
class Arrangement(Period):
    """Who supervises whom, over a period. The supervisee is a member of staff (who may not
    have an account); the supervisor signs in. A newly qualified social worker's assessed and
    supported year (ASYE) has its start here, since the staff record does not hold it."""

    supervisee = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="supervision")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervising"
    )
    asye_start = models.DateField("start of the ASYE", null=True, blank=True)

    class Meta:
        ordering = ["supervisee", "start"]
        constraints = [
            end_not_before_start("arrangement_end_not_before_start"),
            # One supervisor at a time: the standards are counted against one arrangement.
            no_overlap(
                "arrangement_one_supervisor_at_a_time",
                "supervisee",
                message="This person already has a supervisor for some of these dates.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} supervises {self.supervisee}"


@pghistory.track(*history())
class Session(models.Model):
    """A 1:1 supervision session: scheduled for a date, then recorded as held."""

    arrangement = models.ForeignKey(Arrangement, on_delete=models.PROTECT, related_name="sessions")
    scheduled_for = models.DateField()
    held_on = models.DateField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="supervision_sessions"
    )
    recorded_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        indexes = [models.Index(fields=["arrangement", "held_on"])]
        constraints = [
            minutes_rule("session_minutes_within_a_working_day"),
            not_after_recorded("session_not_held_in_the_future"),
            models.CheckConstraint(
                condition=Q(held_on__isnull=True, minutes__isnull=True, recorded_on__isnull=True)
                | Q(held_on__isnull=False, minutes__isnull=False, recorded_on__isnull=False),
                name="session_held_has_minutes",
                violation_error_message="A session held has its date and its minutes.",
            ),
        ]

    def __str__(self) -> str:
        return f"1:1 supervision on {self.held_on or self.scheduled_for:%d/%m/%Y}"

    @property
    def is_held(self) -> bool:
        return self.held_on is not None


@pghistory.track(*history())
class GroupSession(models.Model):
    """Group supervision in a pod: case-focused, with shared decisions."""

    pod = models.ForeignKey(Pod, on_delete=models.PROTECT, related_name="group_supervision")
    led_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    minutes = models.PositiveSmallIntegerField()
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="group_supervision"
    )
    recorded_on = models.DateField()

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            minutes_rule("groupsession_minutes_within_a_working_day"),
            not_after_recorded("groupsession_not_held_in_the_future"),
        ]

    def __str__(self) -> str:
        return f"Group supervision in {self.pod} on {self.held_on:%d/%m/%Y}"


class Rating(models.IntegerChoices):
    """The child's experience of safe and stable care, worst first (an ordered scale)."""

    NOT_SAFE = 1, "Not safe"
    SAFE_NOT_STABLE = 2, "Safe, but not stable"
    MOSTLY = 3, "Mostly safe and stable"
    SAFE_AND_STABLE = 4, "Safe and stable"


@pghistory.track(*history())
class CaseworkRecord(models.Model):
    """One family discussed in a 1:1 or in group supervision: reflection and analysis, the
    decisions, the actions, and a rating for each child. Finalising it writes the decisions and
    actions on the family's story (`entry`)."""

    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.PROTECT, related_name="casework"
    )
    group = models.ForeignKey(
        GroupSession, null=True, blank=True, on_delete=models.PROTECT, related_name="casework"
    )
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="supervision")
    # The day it was discussed (the session's), kept here so that "discussed in the last six
    # weeks" is one index lookup for the measures and What's due.
    discussed_on = models.DateField()
    reflection = models.TextField("reflection and analysis")
    decisions = models.TextField("decisions")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic locking: every saved change adds one (docs/security.md, promise 24).
    version = models.PositiveIntegerField(default=1)
    finalised_at = models.DateTimeField(null=True, blank=True)
    entry = models.OneToOneField(
        Entry, null=True, blank=True, on_delete=models.PROTECT, related_name="supervision"
    )

    class Meta:
        ordering = ["-discussed_on", "-id"]
        indexes = [models.Index(fields=["family", "-discussed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(session__isnull=False, group__isnull=True)
                | Q(session__isnull=True, group__isnull=False),
                name="casework_in_one_session",
            ),
            models.UniqueConstraint(
                fields=["session", "family"],
                name="casework_one_per_family_in_a_session",
                violation_error_message="This family already has a casework record here.",
            ),
            models.UniqueConstraint(
                fields=["group", "family"],
                name="casework_one_per_family_in_a_group",
                violation_error_message="This family already has a casework record here.",
            ),
            models.CheckConstraint(
                condition=Q(finalised_at__isnull=True, entry__isnull=True)
                | Q(finalised_at__isnull=False, entry__isnull=False),
                name="casework_final_has_its_entry",
            ),
            models.CheckConstraint(condition=~Q(decisions=""), name="casework_has_decisions"),
        ]

    def __str__(self) -> str:
        return f"Casework record on {self.discussed_on:%d/%m/%Y}"

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None


@pghistory.track(*history())
class ChildRating(models.Model):
    record = models.ForeignKey(CaseworkRecord, on_delete=models.CASCADE, related_name="ratings")
    child = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)

    class Meta:
        ordering = ["record", "child"]
        constraints = [
            models.UniqueConstraint(fields=["record", "child"], name="rating_one_per_child"),
            models.CheckConstraint(
                condition=Q(rating__gte=Rating.NOT_SAFE, rating__lte=Rating.SAFE_AND_STABLE),
                name="rating_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.get_rating_display()


@pghistory.track(*history())
class Action(models.Model):
    """Something agreed in supervision, with who does it and by when."""

    record = models.ForeignKey(CaseworkRecord, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField("action")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supervision_actions"
    )
    set_on = models.DateField()
    due = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        indexes = [
            models.Index(
                fields=["owner", "due"],
                condition=Q(done_at__isnull=True),
                name="supervision_open_actions",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due__gte=F("set_on")),
                name="action_not_due_in_the_past",
                violation_error_message="The due date cannot be in the past.",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="action_has_text"),
        ]

    def __str__(self) -> str:
        return f"Action due {self.due:%d/%m/%Y}"


@pghistory.track(*history())
class PersonalNotes(models.Model):
    """Personal supervision: wellbeing, workload and learning. Private to the supervisee and
    the supervisor (a pod manager only on a logged, reasoned request): never on a family's
    record, never searched, counted or listed (docs/decisions/0013-supervision.md)."""

    session = models.OneToOneField(Session, on_delete=models.PROTECT, related_name="personal")
    wellbeing = models.TextField(blank=True)
    workload = models.TextField(blank=True)
    learning = models.TextField("learning and development", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "personal notes"

    def __str__(self) -> str:
        return "Personal supervision notes"


class LookAs(models.TextChoices):
    SUPERVISEE = "supervisee", "Supervisee"
    SUPERVISOR = "supervisor", "Supervisor"
    MANAGER = "manager", "Pod manager, on request"


class PersonalNotesLook(models.Model):
    """Every look at personal supervision notes: who, which session, when, and why. Written
    in the same request as the look, like a look at a family's record; append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    looked_as = models.CharField(max_length=12, choices=LookAs.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(looked_as=LookAs.MANAGER) | ~Q(reason=""),
                name="manager_look_has_a_reason",
                violation_error_message="Give the reason you need to read these notes.",
            )
        ]

    def __str__(self) -> str:
        return f"Personal notes read as {self.looked_as} on {self.at:%d/%m/%Y}"


@pghistory.track(*history())
class ReflectiveGroup(models.Model):
    """A Reflective Practice Group: facilitated, about learning, with no case decisions. It
    has, on purpose, no link to any family or person receiving a service."""

    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField()
    minutes = models.PositiveSmallIntegerField()
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reflective_groups"
    )
    themes = models.TextField()
    learning = models.TextField()
    recorded_on = models.DateField()

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            minutes_rule("rpg_minutes_within_a_working_day"),
            not_after_recorded("rpg_not_held_in_the_future"),
        ]

    def __str__(self) -> str:
        return f"Reflective Practice Group on {self.held_on:%d/%m/%Y}"


def held_date(session: Session | GroupSession) -> date:
    day = session.held_on
    assert day is not None
    return day


# Who was there is in history too (docs/security.md, promise 10): pghistory tracks an auto-made
# link table through a proxy of it, as stories/models.py does for an entry's people.
@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), obj_field=None)
class SessionPresent(Session.present.through):  # type: ignore[misc,name-defined]
    class Meta:
        proxy = True
        verbose_name = "person present at a 1:1 session"


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), obj_field=None)
class GroupSessionAttendee(GroupSession.attendees.through):  # type: ignore[misc,name-defined]
    class Meta:
        proxy = True
        verbose_name = "attendee at group supervision"


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), obj_field=None)
class ReflectiveGroupAttendee(ReflectiveGroup.attendees.through):  # type: ignore[misc,name-defined]
    class Meta:
        proxy = True
        verbose_name = "attendee at a Reflective Practice Group"
