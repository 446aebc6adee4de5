"""Who may do what in practitioner-led audit: one TABLE of role x relation x action.

The list filter (`samples_for`), the object check (`can`) and the matrix tests
(tests/test_access.py) are all built from it. Relations are to a sampled child's audit: being
its auditor, its case-holding worker, or the owner of one of its actions; `SERVICE` holds for
everyone (one children's service), for the cycle-wide work of quality leads. A sample the
user may not see answers 404, the same as one that does not exist.

Auditors read the family's record through the families' own table (`Relation.AUDIT`, from the
`AuditAccess` an assignment opens); this table is about the audit itself.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q, QuerySet
from django.http import Http404

from onestory.accounts.models import Role, User
from onestory.audits.models import AuditAction, SampledChild


class Action(StrEnum):
    OPEN_CYCLE = "open_cycle"
    DRAW_SAMPLE = "draw_sample"
    ASSIGN = "assign"
    AUDIT = "audit"  # grade, write, add actions, finish
    SEE_AUDIT = "see_audit"
    MODERATE = "moderate"
    SEE_REPORT = "see_report"  # cycle pages, reports and learning: aggregates and the sample
    EDIT_DOMAINS = "edit_domains"
    MARK_DONE = "mark_done"  # an action for the case


class Relation(StrEnum):
    SERVICE = "service"  # anyone in the service: for cycle-wide work
    AUDITOR = "auditor"  # the user audits this sampled child
    CASE_HOLDER = "case_holder"  # the user is the child's case-holding worker in the audit
    ACTION_OWNER = "action_owner"  # the user owns one of the audit's actions


A = Action
R = Relation
CYCLE_WORK = frozenset(
    {
        A.OPEN_CYCLE,
        A.DRAW_SAMPLE,
        A.ASSIGN,
        A.SEE_AUDIT,
        A.MODERATE,
        A.SEE_REPORT,
        A.EDIT_DOMAINS,
        A.MARK_DONE,
    }
)
AUDITOR = {R.AUDITOR: frozenset({A.AUDIT, A.SEE_AUDIT})}
IN_THE_CONVERSATION = {
    R.CASE_HOLDER: frozenset({A.SEE_AUDIT}),
    R.ACTION_OWNER: frozenset({A.SEE_AUDIT, A.MARK_DONE}),
}

TABLE: dict[str, dict[Relation, frozenset[Action]]] = {
    Role.SOCIAL_WORKER: {**AUDITOR, **IN_THE_CONVERSATION},
    Role.SENIOR_SOCIAL_WORKER: {**AUDITOR, **IN_THE_CONVERSATION},
    # Social workers in training hold cases and take part as the case holder; they do not
    # audit others.
    Role.SOCIAL_WORKER_IN_TRAINING: {**IN_THE_CONVERSATION},
    Role.POD_MANAGER: {**AUDITOR, **IN_THE_CONVERSATION},
    Role.BUSINESS_SUPPORT: {},
    # Practice leads and heads of service learn from the reports; they read no audit of a child.
    Role.PRACTICE_LEAD: {R.SERVICE: frozenset({A.SEE_REPORT})},
    Role.QUALITY_LEAD: {R.SERVICE: CYCLE_WORK, **AUDITOR},
    Role.HEAD_OF_SERVICE: {R.SERVICE: frozenset({A.SEE_REPORT})},
    Role.PERFORMANCE_ANALYST: {R.SERVICE: frozenset({A.SEE_REPORT})},
    Role.INFORMATION_GOVERNANCE: {},
    Role.ADMINISTRATOR: {},
    Role.COMPLAINTS_OFFICER: {},
}
# Actions on the cycle as a whole, with no sampled child: only the service relation gives them.
CYCLE_ACTIONS = frozenset({A.OPEN_CYCLE, A.DRAW_SAMPLE, A.SEE_REPORT, A.EDIT_DOMAINS})


def rules_for(user: User) -> dict[Relation, frozenset[Action]]:
    if not user.is_authenticated or not user.is_active:
        return {}
    return TABLE.get(user.role, {})


def may(user: object, action: Action) -> bool:
    """Cycle-wide actions, by role, with no query (navigation, buttons, cycle pages)."""
    role_rules = TABLE.get(getattr(user, "role", ""), {})
    if not getattr(user, "is_active", False):
        return False
    return action in role_rules.get(R.SERVICE, frozenset())


def sees_audits(user: object) -> bool:
    """The navigation item "Audits": anyone who may take part in or learn from an audit."""
    return bool(TABLE.get(getattr(user, "role", ""), {}))


def _relation_filters(user: User) -> dict[Relation, Q]:
    return {
        R.SERVICE: Q(pk__isnull=False),
        R.AUDITOR: Q(assignment__auditor=user),
        R.CASE_HOLDER: Q(assignment__case_holder__user=user),
        R.ACTION_OWNER: Q(pk__in=AuditAction.objects.filter(owner=user).values("audit__sample")),
    }


NOTHING = Q(pk__in=[])


def samples_for(user: User, action: Action) -> QuerySet[SampledChild]:
    """The list filter: sampled children on whose audit the user may take this action."""
    filters = _relation_filters(user)
    condition = NOTHING
    for relation, actions in rules_for(user).items():
        if action in actions:
            condition |= filters[relation]
    return SampledChild.objects.filter(condition)


def relations(user: User, sample: SampledChild) -> set[Relation]:
    """The same relations for one sampled child, read from its assignment (select it)."""
    found = {R.SERVICE}
    assignment = getattr(sample, "assignment", None)
    if assignment is not None:
        if assignment.auditor_id == user.pk:
            found.add(R.AUDITOR)
        if assignment.case_holder_id is not None and assignment.case_holder.user_id == user.pk:
            found.add(R.CASE_HOLDER)
    audit = getattr(sample, "audit", None)
    if audit is not None and audit.actions.filter(owner=user).exists():
        found.add(R.ACTION_OWNER)
    return found


def can(user: User, sample: SampledChild, action: Action) -> bool:
    rules = rules_for(user)
    return any(action in rules.get(relation, frozenset()) for relation in relations(user, sample))


def get_sample_for(user: User, pk: int, action: Action) -> SampledChild:
    """The sampled child with its cycle, assignment and audit if the user may take this action
    on it; 404 otherwise, the same answer as for one that does not exist."""
    sample = (
        SampledChild.objects.select_related(
            "cycle",
            "child",
            "family",
            "pod",
            "assignment__auditor",
            "assignment__case_holder",
            "audit",
        )
        .filter(pk=pk)
        .first()
    )
    if sample is None or not can(user, sample, action):
        raise Http404("No such audit")
    return sample


def require(user: User, action: Action) -> None:
    """404 unless the user may take this cycle-wide action."""
    if not may(user, action):
        raise Http404("No such page")
