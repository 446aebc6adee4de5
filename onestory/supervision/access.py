"""Who may do what with supervision: the one place that decides it.

`TABLE` says, for each role, which actions each *relation* allows. A relation is what the user
is to the thing: the supervisor or the supervisee of a supervision arrangement (and so of its
sessions), the manager or a member today of the supervisee's pod or of a pod, the facilitator or
an attendee of a Reflective Practice Group, or simply someone in the service. The list filters
(`arrangements_for`, `sessions_for`, `pods_for`, `groups_for`), the object check (`can`) and the
generated matrix tests (tests/test_access_matrix.py) are all built from it, so a list and a page
can never disagree. Anything a user may not see answers 404, like something that does not exist.

Families' records inside supervision (casework records) still come through the families' own
chokepoint: a supervisor records and reads a casework record only for a family they may see
(`onestory.families.access.can(user, family, Action.VIEW)`).

Personal supervision notes are read by the supervisee and the supervisor; the manager of the
supervisee's pod only on a request with a reason. Every look, whoever looks, is written to
`PersonalNotesLook` in the same request, before the notes are shown (`read_personal_notes`).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from onestory.accounts.models import Role, User
from onestory.pods.models import Pod, PodMembership, PodRole
from onestory.supervision.models import (
    Arrangement,
    LookAs,
    PersonalNotes,
    PersonalNotesLook,
    ReflectiveGroup,
    Session,
)


class Action(StrEnum):
    # On a supervision arrangement and its sessions
    SCHEDULE = "schedule"
    RECORD = "record"
    VIEW_SESSION = "view_session"
    READ_PERSONAL = "read_personal"
    REQUEST_PERSONAL = "request_personal"
    # On a pod
    RECORD_GROUP = "record_group"
    VIEW_GROUP = "view_group"  # group supervision, and which families the pod has discussed
    POD_OVERVIEW = "pod_overview"  # whether the pod's workers are supervised as the standards ask
    # On a Reflective Practice Group
    VIEW_RPG = "view_rpg"
    # In the service, with no record
    RUN_RPG = "run_rpg"
    EDIT_STANDARDS = "edit_standards"


class Relation(StrEnum):
    SUPERVISOR = "supervisor"  # the user supervises the supervisee
    SUPERVISEE = "supervisee"  # the user is the supervisee
    POD_MANAGER = "pod_manager"  # the user manages today the pod (or the supervisee's pod)
    POD_MEMBER = "pod_member"  # the user is a member today of the pod (or the supervisee's pod)
    FACILITATOR = "facilitator"  # the user runs the Reflective Practice Group
    ATTENDEE = "attendee"  # the user was at the Reflective Practice Group
    SERVICE = "service"  # anything in the service (one children's service here)


A, R = Action, Relation
SESSION_ACTIONS = frozenset(
    {A.SCHEDULE, A.RECORD, A.VIEW_SESSION, A.READ_PERSONAL, A.REQUEST_PERSONAL}
)
POD_ACTIONS = frozenset({A.RECORD_GROUP, A.VIEW_GROUP, A.POD_OVERVIEW})
RPG_ACTIONS = frozenset({A.VIEW_RPG})
SERVICE_ACTIONS = frozenset({A.RUN_RPG, A.EDIT_STANDARDS})

SUPERVISING = frozenset({A.SCHEDULE, A.RECORD, A.VIEW_SESSION, A.READ_PERSONAL})
SUPERVISED = frozenset({A.VIEW_SESSION, A.READ_PERSONAL})
IN_THE_POD = frozenset({A.VIEW_GROUP})
AT_THE_GROUP = {R.ATTENDEE: frozenset({A.VIEW_RPG})}

TABLE: dict[str, dict[Relation, frozenset[Action]]] = {
    Role.SOCIAL_WORKER: {R.SUPERVISEE: SUPERVISED, R.POD_MEMBER: IN_THE_POD, **AT_THE_GROUP},
    Role.SOCIAL_WORKER_IN_TRAINING: {
        R.SUPERVISEE: SUPERVISED,
        R.POD_MEMBER: IN_THE_POD,
        **AT_THE_GROUP,
    },
    # A senior social worker the council names may supervise, and leads group supervision.
    Role.SENIOR_SOCIAL_WORKER: {
        R.SUPERVISOR: SUPERVISING,
        R.SUPERVISEE: SUPERVISED,
        R.POD_MEMBER: IN_THE_POD | {A.RECORD_GROUP},
        **AT_THE_GROUP,
    },
    # The pod manager supervises, and sees whether the pod's workers are supervised; the
    # personal notes of someone else's supervision only on a logged request with a reason.
    Role.POD_MANAGER: {
        R.SUPERVISOR: SUPERVISING,
        R.SUPERVISEE: SUPERVISED,
        R.POD_MANAGER: frozenset(
            {
                A.SCHEDULE,
                A.VIEW_SESSION,
                A.REQUEST_PERSONAL,
                A.RECORD_GROUP,
                A.VIEW_GROUP,
                A.POD_OVERVIEW,
            }
        ),
        R.POD_MEMBER: IN_THE_POD,
        **AT_THE_GROUP,
    },
    # Business support officers keep the diary: they schedule sessions in their pod.
    Role.BUSINESS_SUPPORT: {R.POD_MEMBER: frozenset({A.SCHEDULE}) | IN_THE_POD},
    Role.PRACTICE_LEAD: {
        R.SUPERVISEE: SUPERVISED,
        R.FACILITATOR: frozenset({A.VIEW_RPG}),
        R.SERVICE: frozenset({A.RUN_RPG, A.VIEW_RPG, A.EDIT_STANDARDS}),
    },
    Role.HEAD_OF_SERVICE: {
        R.SUPERVISOR: SUPERVISING,
        R.FACILITATOR: frozenset({A.VIEW_RPG}),
        R.SERVICE: frozenset(
            {A.RUN_RPG, A.VIEW_RPG, A.EDIT_STANDARDS, A.POD_OVERVIEW, A.VIEW_GROUP}
        ),
    },
    Role.QUALITY_LEAD: {R.SUPERVISEE: SUPERVISED, **AT_THE_GROUP},
    # Aggregates only (the outcomes dashboard), or no part in supervision at all.
    Role.PERFORMANCE_ANALYST: {},
    Role.INFORMATION_GOVERNANCE: {},
    Role.COMPLAINTS_OFFICER: {},
    Role.ADMINISTRATOR: {},
}

# Who may be named as a supervisor: the roles the table lets supervise.
SUPERVISOR_ROLES = frozenset(role for role, rules in TABLE.items() if R.SUPERVISOR in rules)
# By role, for the navigation (no query): anyone with some part in supervision.
SUPERVISION_ROLES = frozenset(role for role, rules in TABLE.items() if rules)


def rules_for(user: Any) -> dict[Relation, frozenset[Action]]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return {}
    return TABLE.get(user.role, {})


def _allowed(user: Any, action: Action) -> list[Relation]:
    return [relation for relation, actions in rules_for(user).items() if action in actions]


def _pod_ids(user: User, day: date, *, managing: bool) -> QuerySet[Any, dict[str, Any]]:
    mine = PodMembership.objects.open_on(day).filter(staff__user=user)
    if managing:
        mine = mine.filter(role=PodRole.POD_MANAGER)
    return mine.values("pod_id")


NOTHING = Q(pk__in=[])


# --- Arrangements and their sessions -------------------------------------------------------


def _in_pods(pods: QuerySet[Any, dict[str, Any]], day: date) -> Exists:
    return Exists(
        PodMembership.objects.open_on(day).filter(staff=OuterRef("supervisee"), pod__in=pods)
    )


def _arrangement_filters(user: User, day: date) -> dict[Relation, Q]:
    return {
        R.SUPERVISOR: Q(supervisor=user),
        R.SUPERVISEE: Q(supervisee__user=user),
        R.POD_MANAGER: Q(_in_pods(_pod_ids(user, day, managing=True), day)),
        R.POD_MEMBER: Q(_in_pods(_pod_ids(user, day, managing=False), day)),
        R.SERVICE: Q(pk__isnull=False),
    }


def arrangements_for(user: User, action: Action, day: date | None = None) -> QuerySet[Arrangement]:
    """The list filter for arrangements (and so their sessions)."""
    if action not in SESSION_ACTIONS:
        return Arrangement.objects.none()
    filters = _arrangement_filters(user, day or timezone.localdate())
    condition = NOTHING
    for relation in _allowed(user, action):
        condition |= filters.get(relation, NOTHING)
    return Arrangement.objects.filter(condition)


def sessions_for(user: User, action: Action) -> QuerySet[Session]:
    return Session.objects.filter(arrangement__in=arrangements_for(user, action))


def _arrangement_relations(user: User, arrangement: Arrangement, day: date) -> set[Relation]:
    found = {R.SERVICE}
    if arrangement.supervisor_id == user.pk:
        found.add(R.SUPERVISOR)
    if arrangement.supervisee.user_id == user.pk:
        found.add(R.SUPERVISEE)
    theirs = PodMembership.objects.open_on(day).filter(staff=arrangement.supervisee_id)
    mine = PodMembership.objects.open_on(day).filter(staff__user=user, pod__in=theirs.values("pod"))
    roles = set(mine.values_list("role", flat=True))
    if roles:
        found.add(R.POD_MEMBER)
    if PodRole.POD_MANAGER in roles:
        found.add(R.POD_MANAGER)
    return found


# --- Pods ------------------------------------------------------------------------------------


def pods_for(user: User, action: Action, day: date | None = None) -> QuerySet[Pod]:
    if action not in POD_ACTIONS:
        return Pod.objects.none()
    day = day or timezone.localdate()
    filters = {
        R.POD_MANAGER: Q(pk__in=_pod_ids(user, day, managing=True)),
        R.POD_MEMBER: Q(pk__in=_pod_ids(user, day, managing=False)),
        R.SERVICE: Q(pk__isnull=False),
    }
    condition = NOTHING
    for relation in _allowed(user, action):
        condition |= filters.get(relation, NOTHING)
    return Pod.objects.filter(condition)


def _pod_relations(user: User, pod: Pod, day: date) -> set[Relation]:
    found = {R.SERVICE}
    roles = set(
        PodMembership.objects.open_on(day)
        .filter(staff__user=user, pod=pod)
        .values_list("role", flat=True)
    )
    if roles:
        found.add(R.POD_MEMBER)
    if PodRole.POD_MANAGER in roles:
        found.add(R.POD_MANAGER)
    return found


# --- Reflective Practice Groups --------------------------------------------------------------


def groups_for(user: User, action: Action = Action.VIEW_RPG) -> QuerySet[ReflectiveGroup]:
    if action not in RPG_ACTIONS:
        return ReflectiveGroup.objects.none()
    attended = ReflectiveGroup.attendees.through.objects.filter(
        reflectivegroup=OuterRef("pk"), user=user.pk
    )
    filters = {
        R.FACILITATOR: Q(facilitator=user),
        R.ATTENDEE: Q(Exists(attended)),
        R.SERVICE: Q(pk__isnull=False),
    }
    condition = NOTHING
    for relation in _allowed(user, action):
        condition |= filters.get(relation, NOTHING)
    return ReflectiveGroup.objects.filter(condition)


def _group_relations(user: User, group: ReflectiveGroup) -> set[Relation]:
    found = {R.SERVICE}
    if group.facilitator_id == user.pk:
        found.add(R.FACILITATOR)
    if group.attendees.filter(pk=user.pk).exists():
        found.add(R.ATTENDEE)
    return found


# --- The object check ------------------------------------------------------------------------


def relations(user: User, thing: Model | None, day: date | None = None) -> set[Relation]:
    """What the user is to the thing (an arrangement, a session, a pod, a Reflective Practice
    Group; None for the service as a whole). Worked out once per user and object."""
    if thing is None:
        return {R.SERVICE}
    cache: dict[int, set[Relation]] = thing.__dict__.setdefault("_supervision_relations", {})
    if user.pk not in cache:
        day = day or timezone.localdate()
        if isinstance(thing, Session):
            cache[user.pk] = _arrangement_relations(user, thing.arrangement, day)
        elif isinstance(thing, Arrangement):
            cache[user.pk] = _arrangement_relations(user, thing, day)
        elif isinstance(thing, Pod):
            cache[user.pk] = _pod_relations(user, thing, day)
        elif isinstance(thing, ReflectiveGroup):
            cache[user.pk] = _group_relations(user, thing)
        else:
            raise TypeError(f"No supervision relations for {type(thing).__name__}")
    return cache[user.pk]


def _actions_for(thing: Model | None) -> frozenset[Action]:
    if thing is None:
        return SERVICE_ACTIONS
    if isinstance(thing, Session | Arrangement):
        return SESSION_ACTIONS
    if isinstance(thing, Pod):
        return POD_ACTIONS
    return RPG_ACTIONS


def can(user: User, thing: Model | None, action: Action) -> bool:
    """The object check: may the user take this action on the thing (None: in the service)?"""
    rules = rules_for(user)
    if not rules or action not in _actions_for(thing):
        return False
    return any(action in rules.get(relation, frozenset()) for relation in relations(user, thing))


def may(user: Any, action: Action) -> bool:
    """By role, with no query: whether the user may ever take this action on something. For
    the navigation, the home page and which links a page offers; records are still checked."""
    return any(action in actions for actions in rules_for(user).values())


def takes_part_in_supervision(user: object) -> bool:
    """By role, with no query: for the navigation item "Supervision"."""
    return getattr(user, "role", None) in SUPERVISION_ROLES


def may_supervise(user: User) -> bool:
    return user.is_active and user.role in SUPERVISOR_ROLES


def get_session_for(user: User, pk: int, action: Action = Action.VIEW_SESSION) -> Session:
    """The session if the user may take this action on it; 404 otherwise, the same answer as
    for a session that does not exist."""
    session = (
        Session.objects.select_related("arrangement__supervisee", "arrangement__supervisor")
        .filter(pk=pk)
        .first()
    )
    if session is None or not can(user, session, action):
        raise Http404("No such session")
    return session


def get_arrangement_for(user: User, pk: int, action: Action) -> Arrangement:
    arrangement: Arrangement | None = (
        Arrangement.objects.select_related("supervisee", "supervisor").filter(pk=pk).first()
    )
    if arrangement is None or not can(user, arrangement, action):
        raise Http404("No such supervision")
    return arrangement


def get_pod_for(user: User, pk: int, action: Action) -> Pod:
    pod = Pod.objects.filter(pk=pk).first()
    if pod is None or not can(user, pod, action):
        raise Http404("No such pod")
    return pod


def get_group_for(user: User, pk: int) -> ReflectiveGroup:
    group = ReflectiveGroup.objects.select_related("facilitator").filter(pk=pk).first()
    if group is None or not can(user, group, Action.VIEW_RPG):
        raise Http404("No such group")
    return group


def may_service(user: User, action: Action) -> None:
    """404 unless the user may take this service-wide action (standards, running an RPG)."""
    if not can(user, None, action):
        raise Http404("No such page")


# --- Personal supervision notes --------------------------------------------------------------


class ReasonNeeded(Exception):
    """The pod manager must say why they need to read these notes."""


def read_personal_notes(user: User, session: Session, *, reason: str = "") -> PersonalNotes:
    """The session's personal notes, with the look written to the log first (fails closed:
    if the look cannot be written, nothing is shown). The supervisee and the supervisor read
    them; the manager of the supervisee's pod only with a reason (`ReasonNeeded` without one).
    Anyone else: 404."""
    if can(user, session, Action.READ_PERSONAL):
        is_supervisor = R.SUPERVISOR in relations(user, session)
        looked_as = LookAs.SUPERVISOR if is_supervisor else LookAs.SUPERVISEE
    elif can(user, session, Action.REQUEST_PERSONAL):
        reason = reason.strip()
        if not reason:
            raise ReasonNeeded
        looked_as = LookAs.MANAGER
    else:
        raise Http404("No such session")
    notes = PersonalNotes.objects.filter(session=session).first()
    if notes is None:
        raise Http404("No personal notes")
    PersonalNotesLook.objects.create(
        user=user, session=session, at=timezone.now(), looked_as=looked_as, reason=reason[:1000]
    )
    return notes
