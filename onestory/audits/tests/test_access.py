"""The audit access matrix, generated from the TABLE: for every role and every relation to a
sampled child's audit, the object check, the list filter and the pages agree with the table."""

from __future__ import annotations

from itertools import product

import pytest
from django.urls import reverse

from onestory.accounts.models import Role, User
from onestory.audits.access import TABLE, Action, Relation, can, may, samples_for
from onestory.audits.models import AuditAction, SampledChild
from onestory.audits.tests.helpers import World, a_cycle
from onestory.test import make_staff, make_user, signed_in

pytestmark = pytest.mark.django_db

# Each state is a sampled child and the relations the user has to its audit.
STATES = {
    "auditor of": {Relation.SERVICE, Relation.AUDITOR},
    "case holder of": {Relation.SERVICE, Relation.CASE_HOLDER},
    "owner of an action on": {Relation.SERVICE, Relation.ACTION_OWNER},
    "nothing to do with": {Relation.SERVICE},
}
SAMPLE_ACTIONS = [a for a in Action if a not in {Action.OPEN_CYCLE, Action.EDIT_DOMAINS}]


def expected(role: Role, state: str, action: Action) -> bool:
    rules = TABLE[role]
    return any(action in rules.get(relation, frozenset()) for relation in STATES[state])


def test_the_table_names_every_role() -> None:
    assert set(TABLE) == set(Role)


def make_states(world: World, role: Role) -> tuple[User, dict[str, SampledChild]]:
    """A user of `role`, and one sampled child for each state of their relation to it."""
    user = make_user(f"u-{role.value}", role, "Una", role.label, password=None)
    make_staff(user, None, None)
    cycle = a_cycle(world, per_pod=2)
    samples = list(SampledChild.objects.filter(cycle=cycle).select_related("assignment", "audit"))
    auditor, holder, owner, none = samples[:4]
    auditor.assignment.auditor = user
    auditor.assignment.save()
    from onestory.pods.models import Staff

    holder.assignment.case_holder = Staff.objects.get(user=user)
    holder.assignment.save()
    AuditAction.objects.create(
        audit=owner.audit, what="Ring the school", owner=user, due=cycle.starts
    )
    return user, {
        "auditor of": auditor,
        "case holder of": holder,
        "owner of an action on": owner,
        "nothing to do with": none,
    }


@pytest.mark.parametrize("role", list(Role))
def test_object_check_list_filter_and_pages_follow_the_table(world: World, role: Role) -> None:
    user, states = make_states(world, role)
    client = signed_in(user)
    for state, action in product(STATES, SAMPLE_ACTIONS):
        sample = SampledChild.objects.select_related(
            "assignment__case_holder", "audit", "cycle"
        ).get(pk=states[state].pk)
        allowed = expected(role, state, action)
        assert can(user, sample, action) == allowed, (state, action)
        listed = samples_for(user, action).filter(pk=sample.pk).exists()
        assert listed == allowed, (state, action)
    for state, sample in states.items():
        page = client.get(reverse("audits:audit", args=[sample.pk]))
        assert page.status_code == (200 if expected(role, state, Action.SEE_AUDIT) else 404)
    for cycle_action in (Action.OPEN_CYCLE, Action.SEE_REPORT, Action.EDIT_DOMAINS):
        service = TABLE[role].get(Relation.SERVICE, frozenset())
        assert may(user, cycle_action) == (cycle_action in service)
    cycle_page = client.get(reverse("audits:cycle", args=[states["auditor of"].cycle_id]))
    assert cycle_page.status_code == (200 if may(user, Action.SEE_REPORT) else 404)
    open_page = client.get(reverse("audits:cycle_open"))
    assert open_page.status_code == (200 if may(user, Action.OPEN_CYCLE) else 404)
