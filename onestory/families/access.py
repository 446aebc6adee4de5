"""Need to know: who may do what with which family's record. The one place that decides it.

`TABLE` says, for each role, which actions each *relation* to a family allows. Both the list
filter (`families_for`) and the object check (`can`) are built from it, and so is the test
matrix, so a page, a list, a count and the tests can never disagree. Anything a user may not
see answers 404, exactly like something that does not exist (`get_family_for`), and every look
at a record, allowed or refused, is written to the access log in the same request.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from onestory.accounts.models import Alert, Role, User
from onestory.families.models import (
    AccessAction,
    AccessEvent,
    AccessOutcome,
    Allocation,
    AuditAccess,
    EmergencyAccess,
    Family,
    FamilyMember,
    Person,
)
from onestory.lib.history import lock, recorded
from onestory.lib.per_request import once
from onestory.pods.models import PodMembership, PodRole

EMERGENCY_ACCESS_HOURS = 24
# Break-glass is for emergencies: a user holds at most this many grants that are still open
# or not yet reviewed, and asks for at most this many in a day.
MAX_GRANTS_AWAITING_REVIEW = 3
MAX_GRANTS_A_DAY = 5


class EmergencyAccessRefused(Exception):
    """Why emergency access cannot be given now, in words for the person asking."""


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    PRINT = "print"
    EXPORT = "export"
    HISTORY = "history"
    ACCESS_LOG = "access_log"
    SUBJECT_ACCESS = "subject_access"


class Relation(StrEnum):
    POD = "pod"  # the family is held by one of the user's current pods
    SERVICE = "service"  # the family is in the service the user manages (one service here)
    AUDIT = "audit"  # the family is in one of the user's current audit assignments
    EMERGENCY = "emergency"  # the user holds an unexpired emergency access grant
    NAMED = "named"  # the user is named on a restricted family (the only way in to one)


A = Action
CASEWORK = frozenset({A.VIEW, A.EDIT, A.PRINT, A.HISTORY})
EMERGENCY_ONLY = {Relation.EMERGENCY: frozenset({A.VIEW})}
# Practitioners audit each other's cases (practitioner-led audit): an auditor reads the family's
# record, never changes it, for as long as their audit lasts.
AUDITING = {Relation.AUDIT: frozenset({A.VIEW, A.PRINT, A.HISTORY})}

TABLE: dict[str, dict[Relation, frozenset[Action]]] = {
    Role.SOCIAL_WORKER: {
        Relation.POD: CASEWORK,
        Relation.NAMED: CASEWORK,
        **AUDITING,
        **EMERGENCY_ONLY,
    },
    Role.SENIOR_SOCIAL_WORKER: {
        Relation.POD: CASEWORK,
        Relation.NAMED: CASEWORK,
        **AUDITING,
        **EMERGENCY_ONLY,
    },
    Role.SOCIAL_WORKER_IN_TRAINING: {
        Relation.POD: CASEWORK,
        Relation.NAMED: CASEWORK,
        **EMERGENCY_ONLY,
    },
    Role.POD_MANAGER: {
        Relation.POD: CASEWORK | {A.EXPORT, A.ACCESS_LOG},
        Relation.NAMED: CASEWORK | {A.EXPORT, A.ACCESS_LOG},
        **AUDITING,
        **EMERGENCY_ONLY,
    },
    Role.BUSINESS_SUPPORT: {
        Relation.POD: CASEWORK | {A.EXPORT},
        Relation.NAMED: CASEWORK | {A.EXPORT},
        **EMERGENCY_ONLY,
    },
    Role.HEAD_OF_SERVICE: {
        Relation.SERVICE: frozenset({A.VIEW, A.PRINT, A.EXPORT, A.HISTORY, A.ACCESS_LOG}),
        Relation.NAMED: frozenset({A.VIEW, A.PRINT, A.EXPORT, A.HISTORY, A.ACCESS_LOG}),
    },
    Role.QUALITY_LEAD: {
        **AUDITING,
        Relation.NAMED: frozenset({A.VIEW, A.PRINT, A.HISTORY}),
        **EMERGENCY_ONLY,
    },
    Role.PRACTICE_LEAD: {**EMERGENCY_ONLY},
    Role.INFORMATION_GOVERNANCE: {
        Relation.SERVICE: frozenset({A.ACCESS_LOG, A.HISTORY, A.SUBJECT_ACCESS}),
        Relation.NAMED: frozenset({A.ACCESS_LOG, A.HISTORY, A.SUBJECT_ACCESS}),
    },
    # Performance analysts see aggregates and returns, never a family's record; system
    # administrators run the system, not casework.
    Role.PERFORMANCE_ANALYST: {},
    Role.ADMINISTRATOR: {},
    # The complaints officer keeps the log of compliments and complaints
    # (onestory/feedback/access.py), not families' records.
    Role.COMPLAINTS_OFFICER: {},
}
# A closed family's record is kept tidy by these roles only; others may still read it.
CLOSED_EDITORS = frozenset({Role.POD_MANAGER, Role.BUSINESS_SUPPORT})
# Roles that may look for a family outside their own reach and ask for emergency access.
SEARCH_CARD_ROLES = frozenset(role for role, rules in TABLE.items() if Relation.EMERGENCY in rules)

# Emergency grants are reviewed by the manager of the family's pod; these roles review every
# grant in the service.
REVIEWS_EVERY_GRANT = frozenset({Role.HEAD_OF_SERVICE, Role.INFORMATION_GOVERNANCE})
EMERGENCY_REVIEWERS = REVIEWS_EVERY_GRANT | {Role.POD_MANAGER}

# Kept for the navigation: the roles that keep records, and those that see the whole service.
RECORD_KEEPING_ROLES = frozenset(
    role for role, rules in TABLE.items() if A.EDIT in rules.get(Relation.POD, frozenset())
)
SERVICE_WIDE_ROLES = frozenset(
    role for role, rules in TABLE.items() if A.VIEW in rules.get(Relation.SERVICE, frozenset())
)


def rules_for(user: User) -> dict[Relation, frozenset[Action]]:
    if not user.is_authenticated or not user.is_active:
        return {}
    return TABLE.get(user.role, {})


def current_pod_ids(user: User, day: date | None = None) -> QuerySet[Any, dict[str, Any]]:
    return (
        PodMembership.objects.open_on(day or timezone.localdate())
        .filter(staff__user=user)
        .values("pod_id")
    )


def audit_family_ids(user: User) -> QuerySet[Family]:
    """Families in the user's current audit assignments: open `AuditAccess`, which the audits
    feature opens when it assigns an auditor and closes when the audit is finished."""
    open_access = AuditAccess.objects.active().filter(user=user)
    return Family.objects.filter(pk__in=open_access.values("family"))


def _relation_filter(user: User, relation: Relation) -> Q:
    # Only the relations the user's role has are built: a home asks for the list filter
    # several times, and building every relation's queryset each time cost more than the rest.
    if relation is Relation.POD:
        return Q(pod__in=current_pod_ids(user))
    if relation is Relation.SERVICE:
        return Q(pk__isnull=False)
    if relation is Relation.AUDIT:
        return Q(pk__in=audit_family_ids(user).values("pk"))
    return Q(pk__in=EmergencyAccess.objects.active().filter(user=user).values("family"))


NOTHING = Q(pk__in=[])

# A home asks for the same list filter from six or seven features, and building one (resolving
# its Q objects) cost more than running its query, so it is built once per request
# (`lib/per_request.py`). What is kept is the lazy queryset, not its rows: the relations are
# subqueries run afresh by every query that uses it, so a pod joined or a grant ended
# mid-request still counts. Only the role's rules and today's date are fixed when it is built,
# and both hold for one request.


def families_for(
    user: User, action: Action = Action.VIEW, *, emergency: bool = True
) -> QuerySet[Family]:
    """The list filter: families on which the user may take this action (leaving out those
    open to them only by an emergency grant, when `emergency` is False)."""
    kept = once(
        ("families_for", user.pk, action, emergency),
        lambda: _families_for(user, action, emergency=emergency),
    )
    # A copy: whoever receives it may filter or evaluate it without touching the one kept.
    return kept.all()


def _families_for(user: User, action: Action, *, emergency: bool) -> QuerySet[Family]:
    rules = rules_for(user)
    unrestricted, restricted = NOTHING, NOTHING
    for relation, actions in rules.items():
        if action not in actions or (relation is Relation.EMERGENCY and not emergency):
            continue
        if relation is Relation.NAMED:
            restricted = Q(named_user=True)
        else:
            unrestricted |= _relation_filter(user, relation)
    condition = (Q(restricted=False) & unrestricted) | (Q(restricted=True) & restricted)
    if action is Action.EDIT and user.role not in CLOSED_EDITORS:
        condition &= Q(closed__isnull=True)
    named = Family.restricted_to.through.objects.filter(family=OuterRef("pk"), user=user.pk)
    return Family.objects.alias(named_user=Exists(named)).filter(condition)


def relations(user: User, family: Family) -> set[Relation]:
    """The object check's view of the same relations, evaluated for one family.

    Worked out once per user and family object: a page asks `can` several times."""
    cache: dict[int, set[Relation]] = family.__dict__.setdefault("_relations_for", {})
    if user.pk not in cache:
        cache[user.pk] = _relations(user, family)
    return cache[user.pk]


def _audit_could_add(user: User, found: set[Relation]) -> bool:
    """Whether an audit assignment could allow anything the relations already found do not:
    not for a role with no audit rule, nor for a member of the family's pod, whose pod rule
    already allows all an audit would. Saves every page the audit query when it cannot matter."""
    rules = rules_for(user)
    auditing = rules.get(Relation.AUDIT, frozenset())
    if not auditing:
        return False
    already = frozenset().union(*(rules.get(r, frozenset()) for r in found))
    return not auditing <= already


def _relations(user: User, family: Family) -> set[Relation]:
    if family.restricted:
        named = family.restricted_to.filter(pk=user.pk).exists()
        return {Relation.NAMED} if named else set()
    found = {Relation.SERVICE}
    if current_pod_ids(user).filter(pod_id=family.pod_id).exists():
        found.add(Relation.POD)
    if _audit_could_add(user, found) and audit_family_ids(user).filter(pk=family.pk).exists():
        found.add(Relation.AUDIT)
    if EmergencyAccess.objects.active().filter(user=user, family=family).exists():
        found.add(Relation.EMERGENCY)
    return found


def can(user: User, family: Family, action: Action) -> bool:
    rules = rules_for(user)
    if not rules:
        return False
    if action is Action.EDIT and family.closed and user.role not in CLOSED_EDITORS:
        return False
    return any(action in rules.get(relation, frozenset()) for relation in relations(user, family))


def visible_families(user: User) -> QuerySet[Family]:
    return families_for(user, Action.VIEW)


def can_view_family(user: User, family: Family) -> bool:
    return can(user, family, Action.VIEW)


def can_keep_records(user: object) -> bool:
    """By role, with no query: for the navigation, which is on every page and must cost
    nothing. The records themselves are still checked one by one."""
    return getattr(user, "role", None) in RECORD_KEEPING_ROLES


def administers_the_system(user: object) -> bool:
    """System administrators reach the Django admin, and no family's record (TABLE)."""
    return (
        bool(getattr(user, "is_staff", False)) and getattr(user, "role", None) == Role.ADMINISTRATOR
    )


def sees_families_list(user: object) -> bool:
    return getattr(user, "role", None) in RECORD_KEEPING_ROLES | SERVICE_WIDE_ROLES


def finds_people(user: object) -> bool:
    """Any role with a way in to some record may look people up (Find a person)."""
    return bool(TABLE.get(getattr(user, "role", ""), {}))


def sees_search_cards(user: User) -> bool:
    """May find families outside their reach (a search card) and ask for emergency access."""
    return Relation.EMERGENCY in rules_for(user)


def card_people(user: User) -> QuerySet[Person]:
    """People whose search card (name, date of birth, pod) the user may see: members today of
    an open family that is not restricted, for the roles that may look beyond their reach."""
    if not sees_search_cards(user):
        return Person.objects.none()
    today = timezone.localdate()
    members = FamilyMember.objects.open_on(today).filter(
        person=OuterRef("pk"), family__restricted=False, family__closed__isnull=True
    )
    return Person.objects.filter(Exists(members)).exclude(
        Exists(_hidden_by_restriction(user, today))
    )


def reviews_emergency_access(user: object) -> bool:
    """By role, with no query: for the home page."""
    return getattr(user, "role", None) in EMERGENCY_REVIEWERS


def grants_to_review(user: User) -> QuerySet[EmergencyAccess]:
    """The emergency grants the user reviews: a pod manager those for families they may see the
    access log of, heads of service and information governance every one. 404 for others."""
    if not user.is_authenticated or not user.is_active or not reviews_emergency_access(user):
        raise Http404("No such page")
    grants = EmergencyAccess.objects.all()
    if user.role in REVIEWS_EVERY_GRANT:
        return grants
    return grants.filter(family__in=families_for(user, Action.ACCESS_LOG))


def can_sign_off(user: User, family: Family, *, author_id: int, day: date | None = None) -> bool:
    """Only a manager of the family's own pod signs off its assessments and plans (a pod
    relation, not a role, so a pod manager of another pod cannot), and never their own: a
    sign-off is a second pair of eyes."""
    if author_id == user.pk:
        return False
    return (
        PodMembership.objects.open_on(day or timezone.localdate())
        .filter(staff__user=user, pod=family.pod_id, role=PodRole.POD_MANAGER)
        .exists()
    )


def _is_emergency(user: User, family: Family, action: Action) -> bool:
    """True when the emergency grant is the only thing that allows this."""
    rules = rules_for(user)
    others = relations(user, family) - {Relation.EMERGENCY}
    return not any(action in rules.get(r, frozenset()) for r in others)


def log_access(
    request: HttpRequest,
    *,
    action: AccessAction,
    outcome: AccessOutcome,
    family: Family | None = None,
    person: Person | None = None,
    reason: str = "",
) -> AccessEvent:
    """Writes the access event now: outside a transaction it is committed at once. If it
    cannot be written the exception propagates and the record is not shown: the log fails
    closed (docs/security.md, promise 9)."""
    assert isinstance(request.user, User)
    return AccessEvent.objects.create(
        user=request.user,
        family=family,
        person=person,
        action=action,
        outcome=outcome,
        reason=reason,
        path=request.path[:300],
    )


def log_seen_in_search(request: HttpRequest, families: Iterable[Family]) -> None:
    """One event for each family whose story a page of search results shows, in one insert,
    before the page is sent: a snippet is a look at the record too (docs/security.md, promise 9)."""
    user = request.user
    assert isinstance(user, User)
    shown = sorted(families, key=lambda f: f.pk)
    if not shown:
        return
    # Families the user sees only through an emergency grant are logged as such.
    granted = set(
        EmergencyAccess.objects.active()
        .filter(user=user, family__in=shown)
        .values_list("family", flat=True)
    )
    AccessEvent.objects.bulk_create(
        AccessEvent(
            user=user,
            family=family,
            action=AccessAction.SEARCH,
            outcome=AccessOutcome.EMERGENCY if family.pk in granted else AccessOutcome.ALLOWED,
            path=request.path[:300],
        )
        for family in shown
    )


def log_people_found(request: HttpRequest, people: Iterable[Person]) -> None:
    """One `search` event for each person Find a person shows, records and search cards
    alike, in one insert: who looked for whom is part of the audit trail."""
    user = request.user
    assert isinstance(user, User)
    AccessEvent.objects.bulk_create(
        AccessEvent(
            user=user,
            person=person,
            action=AccessAction.SEARCH,
            outcome=AccessOutcome.ALLOWED,
            path=request.path[:300],
        )
        for person in {p.pk: p for p in people}.values()
    )


def get_family_for(
    request: HttpRequest, uuid: UUID | str, action: Action = Action.VIEW, *, quiet: bool = False
) -> Family:
    """The family with this UUID if the user may take this action on it, with the look
    logged; otherwise 404, the same answer as for a family that does not exist, with the
    refusal logged against the family when there is one.

    `quiet` leaves an allowed request out of the access log. It is for requests that show
    nothing of the record, such as a draft's autosave, which answers with a status line and
    whose change is in the record's history; refusals are always logged."""
    user = request.user
    assert isinstance(user, User)
    try:
        family = Family.objects.select_related("pod").get(uuid=uuid)
    except (Family.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404("No such family") from None
    logged_action = AccessAction.VIEW if action in {Action.VIEW, Action.EDIT} else action
    if not can(user, family, action):
        log_access(
            request, action=AccessAction(logged_action), outcome=AccessOutcome.DENIED, family=family
        )
        raise Http404("No such family")
    emergency = _is_emergency(user, family, action)
    grant = (
        EmergencyAccess.objects.active().filter(user=user, family=family).first()
        if emergency
        else None
    )
    if quiet:
        return family
    log_access(
        request,
        action=AccessAction(logged_action),
        outcome=AccessOutcome.EMERGENCY if emergency else AccessOutcome.ALLOWED,
        family=family,
        reason=grant.reason if grant else "",
    )
    return family


# People have their own rule (docs/decisions/0005-need-to-know.md, "People"). A person is
# reached through their families: through any family, past or present, that the user may take
# the action on, except that someone in a restricted family today is hidden from everyone not
# named on it, whatever other family they were once in. Changing a person's record needs a
# family they belong to now: an ended membership shows at most what the user saw then.


def _memberships(
    user: User, action: Action, *, today: date, current: bool = False, emergency: bool = True
) -> QuerySet[FamilyMember]:
    families = families_for(user, action, emergency=emergency)
    members = FamilyMember.objects.filter(person=OuterRef("pk"), family__in=families)
    return members.open_on(today) if current else members


def _hidden_by_restriction(user: User, today: date) -> QuerySet[FamilyMember]:
    """Memberships today of restricted families the user is not named on.

    The restricted families are few, so they are found once and hashed: written as a
    correlated test per membership instead, a worker's What's due took four times as long at
    the default scale (62 ms against 14 ms for the people query)."""
    named = Family.restricted_to.through.objects.filter(user=user.pk).values("family")
    hidden = Family.objects.filter(restricted=True).exclude(pk__in=named)
    return FamilyMember.objects.open_on(today).filter(person=OuterRef("pk"), family__in=hidden)


def people_for(user: User, action: Action = Action.VIEW) -> QuerySet[Person]:
    """People the user may take this action on: see the rule above. Editing needs a current
    membership of a family the user may edit."""
    today = timezone.localdate()
    members = _memberships(user, action, today=today, current=action is Action.EDIT)
    return Person.objects.filter(Exists(members)).exclude(
        Exists(_hidden_by_restriction(user, today))
    )


def allocated_people_for(
    user: User, allocations: QuerySet[Allocation], action: Action = Action.VIEW
) -> QuerySet[Person]:
    """The children of these allocations (a worker's, a pod's) whom the user may take this
    action on. The allocations are read first, as a list of a few hundred children: asked as
    one query, the planner guesses the rule's families across the whole council and reads
    every person (at the `large` scale, about a second for a pod manager's 121 children,
    against 3 ms this way)."""
    children = list(allocations.values_list("child", flat=True).distinct())
    return people_for(user, action).filter(pk__any_of=children)


def get_person_for(request: HttpRequest, uuid: UUID | str, action: Action = Action.VIEW) -> Person:
    """The person with this UUID if the user may take this action on them, with the look
    logged (as emergency access, with the grant's reason, when a grant is the only way in);
    otherwise 404, with the refusal logged.

    The person comes back with `current_reach`: False when the user reaches them only through
    families they have left, so a page shows no current status, worker or placement."""
    user = request.user
    assert isinstance(user, User)
    today = timezone.localdate()
    try:
        person = (
            Person.objects.filter(uuid=uuid)
            .annotate(
                reach=Exists(_memberships(user, action, today=today)),
                current_reach=Exists(_memberships(user, action, today=today, current=True)),
                without_grant=Exists(_memberships(user, action, today=today, emergency=False)),
                hidden=Exists(_hidden_by_restriction(user, today)),
            )
            .get()
        )
    except (Person.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404("No such person") from None
    logged_action = AccessAction.VIEW if action in {Action.VIEW, Action.EDIT} else action
    allowed = person.reach and not person.hidden  # type: ignore[attr-defined]
    if action is Action.EDIT:
        allowed = allowed and person.current_reach  # type: ignore[attr-defined]
    if not allowed:
        log_access(
            request, action=AccessAction(logged_action), outcome=AccessOutcome.DENIED, person=person
        )
        raise Http404("No such person")
    grant = None
    if not person.without_grant:  # type: ignore[attr-defined]
        grant = (
            EmergencyAccess.objects.active()
            .filter(user=user, family__members__person=person)
            .order_by("-granted_at")
            .first()
        )
    log_access(
        request,
        action=AccessAction(logged_action),
        outcome=AccessOutcome.EMERGENCY if grant else AccessOutcome.ALLOWED,
        person=person,
        reason=grant.reason if grant else "",
    )
    return person


def pod_managers_of(pods: Iterable[int]) -> QuerySet[User]:
    """The pods' managers today, matched on one membership: a former manager of the pod who
    is now in another pod is not among them."""
    managing = PodMembership.objects.open_on(timezone.localdate()).filter(
        pod__in=list(pods), role=PodRole.POD_MANAGER
    )
    return User.objects.filter(staff__memberships__in=managing, is_active=True).distinct()


def agrees_to_moves(user: object) -> bool:
    """Pod managers agree (or not) to someone their pod holds joining another pod's family."""
    return getattr(user, "role", None) == Role.POD_MANAGER


def grant_emergency_access(*, user: User, family: Family, reason: str) -> EmergencyAccess:
    """Opens a family outside the user's reach for 24 hours, for a stated reason, and tells
    the pod's manager at once."""
    reason = reason.strip()
    if not reason:
        raise ValueError("Emergency access needs a reason.")
    if family.restricted or Relation.EMERGENCY not in rules_for(user):
        raise PermissionError("Emergency access is not available for this record.")
    now = timezone.now()
    with recorded(user, "access.grant_emergency_access"):
        # Locks the user's row: two requests at once cannot both pass the limits below.
        lock(User.objects.filter(pk=user.pk))
        mine = EmergencyAccess.objects.filter(user=user)
        awaiting = mine.filter(Q(expires_at__gt=now) | Q(reviewed_at__isnull=True)).count()
        if awaiting >= MAX_GRANTS_AWAITING_REVIEW:
            raise EmergencyAccessRefused(
                f"You already have {awaiting} emergency access grants that are open or not yet "
                "reviewed. Ask your pod manager to review them, or ask the family's pod for help."
            )
        if mine.filter(granted_at__gt=now - timedelta(days=1)).count() >= MAX_GRANTS_A_DAY:
            raise EmergencyAccessRefused(
                f"You have asked for emergency access {MAX_GRANTS_A_DAY} times in the last 24 "
                "hours. Ask the family's pod or your pod manager for help."
            )
        grant = EmergencyAccess.objects.create(
            user=user,
            family=family,
            reason=reason,
            granted_at=now,
            expires_at=now + timedelta(hours=EMERGENCY_ACCESS_HOURS),
        )
        managers = pod_managers_of([family.pod_id])
        if not managers.exists():
            # A pod with no manager today: the head of service reviews instead.
            managers = User.objects.filter(role=Role.HEAD_OF_SERVICE, is_active=True)
        Alert.objects.bulk_create(
            Alert(
                user=manager,
                text=(
                    f"{user} was given emergency access to {family.name} ({family.reference}) "
                    f"until {grant.expires_at:%H:%M on %d %B}: please review it."
                ),
                link="/access/emergency/",
            )
            for manager in managers.distinct()
        )
    return grant
