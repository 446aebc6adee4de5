"""Each role's home answers "what needs me today?": one screen, overdue first, every item a
link to where it is done.

`HOMES` says which parts each role's home has. It is the one place that decides it, as
`families.access.TABLE` is for records: the page, the tests and the query counts all walk it.
Every part reaches records only through the need-to-know chokepoints, so a home never shows
(or counts) a record its reader may not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from django.db.models import Count, Exists, OuterRef, Subquery, Window

from onestory.accounts.models import Alert, Role, User
from onestory.audits.access import Action as AuditAction
from onestory.audits.access import may as may_audit
from onestory.audits.access import sees_audits
from onestory.families.access import (
    Action,
    allocated_people_for,
    families_for,
    grants_to_review,
    reviews_emergency_access,
)
from onestory.families.models import Allocation, FamilyMember, Person
from onestory.families.quality import Gap, data_quality
from onestory.feedback.access import keeps_the_log, sees_complaints, sees_reports
from onestory.lib import due
from onestory.lib.due import Task
from onestory.lib.urls import link
from onestory.outcomes.home import Headline, headline_for
from onestory.pods.access import managed_pod_ids
from onestory.pods.overview import AttentionCounts, attention_counts
from onestory.returns.access import sees_returns
from onestory.stories import visiting
from onestory.stories.models import SIGN_OFF_KINDS, Entry, SignOff, Status
from onestory.supervision.access import Action as SupervisionAction
from onestory.supervision.access import may as may_supervise
from onestory.surveys.access import manages_waves, sees_results

# What "due this week" means on a home: the next seven days.
SOON_DAYS = 7
SHOWN = 10  # rows shown in a list before "and N more"


class Part(StrEnum):
    DUE = "due"  # overdue and due this week: visits, reviews, supervision, actions, complaints
    MY_CHILDREN = "my_children"  # children allocated to me, with status and next visit
    DRAFTS = "drafts"  # my drafts not finalised, oldest first
    SIGN_OFF = "sign_off"  # assessments and plans waiting for my sign-off
    POD_OVERDUE = "pod_overdue"  # the pod's overdue visits and reviews
    POD_ATTENTION = "pod_attention"  # over caseload, many workers, cover ending soon
    EMERGENCY = "emergency"  # emergency access to review
    DATA_QUALITY = "data_quality"  # children missing what the returns need, unallocated
    MEASURES = "measures"  # the headline figures


P = Part
CASEWORK = (P.DUE, P.MY_CHILDREN, P.DRAFTS)
HOMES: dict[str, tuple[Part, ...]] = {
    Role.SOCIAL_WORKER: CASEWORK,
    Role.SENIOR_SOCIAL_WORKER: CASEWORK,
    Role.SOCIAL_WORKER_IN_TRAINING: CASEWORK,
    Role.POD_MANAGER: (
        P.SIGN_OFF,
        P.DUE,
        P.POD_OVERDUE,
        P.POD_ATTENTION,
        P.EMERGENCY,
        P.DRAFTS,
        P.MEASURES,
    ),
    Role.BUSINESS_SUPPORT: (P.DUE, P.DATA_QUALITY, P.DRAFTS),
    Role.HEAD_OF_SERVICE: (P.MEASURES, P.DUE, P.EMERGENCY),
    Role.PERFORMANCE_ANALYST: (P.MEASURES, P.DUE),
    Role.QUALITY_LEAD: (P.MEASURES, P.DUE),
    Role.PRACTICE_LEAD: (P.MEASURES, P.DUE),
    Role.INFORMATION_GOVERNANCE: (P.DUE, P.EMERGENCY),
    Role.COMPLAINTS_OFFICER: (P.DUE,),
    Role.ADMINISTRATOR: (),
}


def parts_for(user: User) -> tuple[Part, ...]:
    return HOMES.get(user.role, ()) if user.is_authenticated and user.is_active else ()


@dataclass
class Row:
    """One line of a list on a home: what, about whom, by when, and the link to do it."""

    what: str
    href: str
    about: str = ""
    due: date | None = None
    overdue: bool = False
    note: str = ""


@dataclass
class ChildRow:
    child: Person
    status: str
    next_visit: date | None
    overdue: bool
    # Where a visit is recorded: the family's "Add to the story", about this child.
    record_visit: str = ""


@dataclass
class Home:
    day: date
    parts: tuple[Part, ...]
    alerts: list[Alert]
    due: list[Row] = field(default_factory=list)
    children: list[ChildRow] = field(default_factory=list)
    drafts: list[Row] = field(default_factory=list)
    sign_off: list[Row] = field(default_factory=list)
    sign_off_total: int = 0
    pod_overdue: list[Row] = field(default_factory=list)
    pod_overdue_total: int = 0
    attention: AttentionCounts | None = None
    pod_tasks: list[Row] = field(default_factory=list)
    emergency_to_review: int = 0
    gaps: list[Gap] = field(default_factory=list)
    gaps_total: int = 0
    # The headline measures with their trend, from the outcome snapshots (None for a role
    # that may not see them).
    headline: Headline | None = None
    # Your Voice, open and not yet answered by this person: shown at the top, whatever its date.
    invitation: Task | None = None
    # Where this person's work starts: the lists of the features they use.
    links: list[tuple[str, str]] = field(default_factory=list)

    def has(self, part: str) -> bool:
        return part in self.parts


def build_home(user: User, day: date) -> Home:
    parts = parts_for(user)
    home = Home(
        day=day,
        parts=parts,
        alerts=list(Alert.objects.filter(user=user.pk, dismissed_at__isnull=True)[:20]),
    )
    mine: _Mine | None = _my_children(user, day) if P.MY_CHILDREN in parts else None
    if P.DUE in parts:
        tasks = due.tasks_for(user, day)
        home.due = _due(day, mine, tasks)
        home.invitation = next((t for t in tasks if t.source == "Your Voice"), None)
    home.links = _links(user)
    if P.MY_CHILDREN in parts:
        home.children = _children_rows(mine, day)
    if P.DRAFTS in parts:
        home.drafts = _drafts(user, day)
    if P.SIGN_OFF in parts:
        home.sign_off, home.sign_off_total = _waiting_for_sign_off(user, day)
    if P.POD_OVERDUE in parts:
        home.pod_overdue, home.pod_overdue_total = _pod_overdue(user, day)
    if P.POD_ATTENTION in parts:
        home.attention = attention_counts(user, day)
        home.pod_tasks = _pod_tasks(home.attention, day)
        home.links += _pod_links(home.attention)
    if P.EMERGENCY in parts and reviews_emergency_access(user):
        home.emergency_to_review = grants_to_review(user).filter(reviewed_at__isnull=True).count()
    if P.DATA_QUALITY in parts:
        home.gaps, home.gaps_total = data_quality(user, day, limit=SHOWN)
    if P.MEASURES in parts:
        home.headline = headline_for(user)
    return home


# --- The parts ------------------------------------------------------------------------------


@dataclass
class _Mine:
    children: list[Person]
    items: list[visiting.Due]
    status: dict[int, visiting.ChildStatus]


def _my_children(user: User, day: date) -> _Mine:
    allocated = Allocation.objects.open_on(day).filter(worker__user=user)
    # The family the child's story is written in today, for the "Record a visit" link.
    family = (
        FamilyMember.objects.open_on(day)
        .filter(person=OuterRef("pk"), family__in=families_for(user, Action.EDIT))
        .order_by("-start", "-pk")
        .values("family__uuid")[:1]
    )
    children: list[Person] = list(
        allocated_people_for(user, allocated)
        .annotate(family_uuid=Subquery(family))
        .order_by("last_name", "first_name", "pk")
    )
    status = visiting.statuses(children, day)
    return _Mine(children, visiting.due_for(children, day, status=status), status)


def _children_rows(mine: _Mine | None, day: date) -> list[ChildRow]:
    if mine is None:
        return []
    visits = {d.child.pk: d for d in mine.items if d.what == "Visit"}
    rows = []
    for child in mine.children:
        status = mine.status.get(child.pk)
        visit = visits.get(child.pk)
        rows.append(
            ChildRow(
                child=child,
                status=status.label if status else "No open episode",
                next_visit=visit.due if visit else None,
                overdue=bool(visit and visit.due < day),
                record_visit=_record_visit_href(child),
            )
        )
    # Overdue first, then the soonest visit.
    return sorted(rows, key=lambda r: (not r.overdue, r.next_visit or date.max))


def _due(day: date, mine: _Mine | None, tasks: list[Task]) -> list[Row]:
    soon = day + timedelta(days=SOON_DAYS)
    rows = []
    if mine is not None:
        rows += [
            Row(
                what=f"{d.what}: {d.reason}",
                href=_person_href(d.child),
                about=d.child.full_name,
                due=d.due,
                overdue=d.due < day,
            )
            for d in mine.items
            if d.due <= soon
        ]
    rows += [_task_row(task, day) for task in tasks if task.due <= soon]
    return sorted(rows, key=lambda r: (r.due or date.max, r.what))


def _links(user: User) -> list[tuple[str, str]]:
    """The lists each feature offers this person, decided by the features' own access
    functions (by role, with no query); each page checks again when it is opened."""
    links = []
    if may_supervise(user, SupervisionAction.RUN_RPG):
        links.append(("Reflective Practice Groups", link("supervision:rpgs")))
    if may_audit(user, AuditAction.OPEN_CYCLE):
        links.append(("Open an audit cycle", link("audits:cycle_open")))
    if may_audit(user, AuditAction.SEE_REPORT):
        links.append(("Learning from audits", link("audits:learning")))
    if sees_audits(user):
        links.append(("Your audits", link("audits:home")))
    if sees_complaints(user):
        text = (
            "The log of compliments, complaints and comments"
            if keeps_the_log(user)
            else "Complaints naming your pods"
        )
        links.append((text, link("feedback:log")))
    if keeps_the_log(user):
        links.append(("Overdue complaint stages", link("feedback:log") + "?overdue=on"))
    if sees_reports(user):
        links.append(("Compliments and complaints by financial year", link("feedback:reports")))
    if manages_waves(user):
        links.append(("Run Your Voice: waves and questions", link("surveys:index")))
    if sees_results(user):
        links.append(("Your Voice results", link("surveys:results")))
    if sees_returns(user):
        links.append(
            (
                "Statutory returns: make and check the SSDA903 and CIN census",
                link("returns:index"),
            )
        )
    return links


def _drafts(user: User, day: date) -> list[Row]:
    drafts = (
        Entry.objects.filter(author=user, status=Status.DRAFT)
        .filter(family__in=families_for(user, Action.EDIT))
        .select_related("family")
        .order_by("created_at", "pk")[:SHOWN]
    )
    rows = []
    for entry in drafts:
        age = (day - entry.created_at.date()).days
        rows.append(
            Row(
                what=entry.get_kind_display(),
                href=link("stories:entry", [entry.family.uuid, entry.uuid]),
                about=entry.family.name,
                note="started today" if age <= 0 else f"started {age} day{'s' * (age != 1)} ago",
                overdue=age > SOON_DAYS,
            )
        )
    return rows


def _waiting_for_sign_off(user: User, day: date) -> tuple[list[Row], int]:
    """Final assessments and plans in the families of pods the user manages today, not
    signed off, written by someone else (a sign-off is a second pair of eyes)."""
    waiting = (
        Entry.objects.filter(status=Status.FINAL, kind__in=SIGN_OFF_KINDS)
        .filter(family__pod__in=managed_pod_ids(user, day), family__closed__isnull=True)
        .filter(family__in=families_for(user, Action.EDIT))
        .exclude(author=user)
        .exclude(Exists(SignOff.objects.filter(entry=OuterRef("pk"))))
    )
    # The first few with the count of all on each row: one query, not two.
    # Only what a row shows: an entry's text and search index are most of its bytes.
    shown = list(
        waiting.annotate(total=Window(Count("pk")))
        .select_related("family", "author")
        .only(
            "uuid",
            "kind",
            "finalised_at",
            "family__uuid",
            "family__name",
            "author__first_name",
            "author__last_name",
            "author__username",
        )
        .order_by("finalised_at", "pk")[:SHOWN]
    )
    rows = [
        Row(
            what=entry.get_kind_display(),
            href=link("stories:entry", [entry.family.uuid, entry.uuid]),
            about=f"{entry.family.name}, by {entry.author}",
            note=f"finalised {entry.finalised_at:%d %B}" if entry.finalised_at else "",
        )
        for entry in shown
    ]
    return rows, shown[0].total if shown else 0  # type: ignore[attr-defined]


def _pod_overdue(user: User, day: date) -> tuple[list[Row], int]:
    allocated = Allocation.objects.open_on(day).filter(pod__in=managed_pod_ids(user, day))
    children = list(allocated_people_for(user, allocated))
    overdue = [d for d in visiting.due_for(children, day) if d.due < day]
    rows = [
        Row(
            what=f"{d.what}: {d.reason}",
            href=_person_href(d.child),
            about=d.child.full_name,
            due=d.due,
            overdue=True,
        )
        for d in overdue[:SHOWN]
    ]
    return rows, len(overdue)


def _pod_links(found: AttentionCounts) -> list[tuple[str, str]]:
    return [(f"Supervision in {pod.name}", link("supervision:pod", [pod.pk])) for pod in found.pods]


def _task_row(task: Task, day: date) -> Row:
    """A registered feature's task (onestory/lib/due.py) as a line on a home."""
    return Row(
        what=task.what,
        href=task.href,
        about=task.about,
        due=task.due,
        overdue=task.overdue_on(day),
        note=task.source,
    )


def _pod_tasks(found: AttentionCounts, day: date) -> list[Row]:
    soon = day + timedelta(days=SOON_DAYS)
    return [
        _task_row(task, day)
        for pod in found.pods
        for task in due.pod_tasks_for(pod, day)
        if task.due <= soon
    ][:SHOWN]


def _record_visit_href(child: Person) -> str:
    family = getattr(child, "family_uuid", None)
    if family is None:
        return ""
    return f"{link('stories:new', [family])}?kind=visit&child={child.uuid}"


def _person_href(person: Person) -> str:
    return link("families:person", [person.uuid])
