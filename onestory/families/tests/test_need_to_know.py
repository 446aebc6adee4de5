"""docs/security.md, promises 2 to 9: the role x record x action matrix, generated from the
authorisation table, checked through the object check, the list filter and HTTP, with every look
logged."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from itertools import product
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from onestory.accounts.models import Role, User
from onestory.families.access import (
    CLOSED_EDITORS,
    TABLE,
    Action,
    Relation,
    can,
    families_for,
)
from onestory.families.models import AccessEvent, AuditAccess, Family, MemberRole
from onestory.pods.models import PodRole
from onestory.test import made_once, make_family, make_staff, make_user, signed_in

POD_ROLES = {
    Role.SOCIAL_WORKER: PodRole.SOCIAL_WORKER,
    Role.SENIOR_SOCIAL_WORKER: PodRole.SENIOR_SOCIAL_WORKER,
    Role.SOCIAL_WORKER_IN_TRAINING: PodRole.SOCIAL_WORKER_IN_TRAINING,
    Role.POD_MANAGER: PodRole.POD_MANAGER,
    Role.BUSINESS_SUPPORT: PodRole.BUSINESS_SUPPORT,
}
# The family's state, and the relations each state gives a member of Pod Harbour (the service
# relation holds for everyone: this council has one children's service).
STATES = {
    "own pod": {Relation.SERVICE, Relation.POD},
    "other pod": {Relation.SERVICE},
    "restricted, named": {Relation.NAMED},
    "restricted, not named": set(),
    "closed, own pod": {Relation.SERVICE, Relation.POD},
    # Every user holds open audit access to this family of another pod, and had it, now ended,
    # to the next: an audit opens a family for the audit only.
    "other pod, audited": {Relation.SERVICE, Relation.AUDIT},
    "other pod, audit ended": {Relation.SERVICE},
}
URLS: dict[Action, Callable[[Family], str]] = {
    Action.VIEW: lambda f: reverse("families:detail", args=[f.uuid]),
    Action.EDIT: lambda f: reverse("families:member_add", args=[f.uuid]),
    Action.HISTORY: lambda f: reverse("access:family_history", args=[f.uuid]),
    Action.ACCESS_LOG: lambda f: reverse("access:family_access_log", args=[f.uuid]),
    Action.SUBJECT_ACCESS: lambda f: reverse(
        "access:subject_access", args=[f.members.get(role=MemberRole.CHILD).person.uuid]
    ),
}


def expected(role: Role, state: str, action: Action) -> bool:
    """What the table says, worked out here independently of `can`."""
    if state.startswith("closed") and action is Action.EDIT and role not in CLOSED_EDITORS:
        return False
    rules = TABLE[role]
    return any(action in rules.get(relation, frozenset()) for relation in STATES[state])


World = tuple[dict[Role, User], dict[str, Family]]


def make_world() -> World:
    from onestory.pods.models import Pod

    harbour = Pod.objects.create(name="Pod Harbour", formed=date(2020, 1, 6))
    downs = Pod.objects.create(name="Pod Downs", formed=date(2020, 1, 6))
    users = {}
    for role in Role:
        user = make_user(role.value, role, role.label, "Tester", password=None)
        make_staff(user, harbour if role in POD_ROLES else None, POD_ROLES.get(role))
        users[role] = user
    families = {
        "own pod": make_family("Okafor", harbour),
        "other pod": make_family("Nash", downs),
        "restricted, named": make_family("Adeyemi", harbour),
        "restricted, not named": make_family("Byrne", harbour),
        "closed, own pod": make_family("Collins", harbour),
        "other pod, audited": make_family("Patel", downs),
        "other pod, audit ended": make_family("Quinn", downs),
    }
    started = timezone.now() - timedelta(days=10)
    AuditAccess.objects.bulk_create(
        [
            *(
                AuditAccess(
                    user=user,
                    family=families["other pod, audited"],
                    starts_at=started,
                    reason="Audit, test cycle",
                )
                for user in users.values()
            ),
            *(
                AuditAccess(
                    user=user,
                    family=families["other pod, audit ended"],
                    starts_at=started,
                    ends_at=started + timedelta(days=1),
                    reason="Audit, test cycle",
                )
                for user in users.values()
            ),
        ]
    )
    restricted = [families["restricted, named"].pk, families["restricted, not named"].pk]
    Family.objects.filter(pk__in=restricted).update(restricted=True)
    families["restricted, named"].restricted_to.set(users.values())
    Family.objects.filter(pk=families["closed, own pod"].pk).update(closed=date(2024, 1, 1))
    return users, {k: Family.objects.get(pk=v.pk) for k, v in families.items()}


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The world, made once for this module and rolled back after it (as the cast is)."""
    with made_once(django_db_blocker, make_world) as world:
        yield world


@pytest.fixture
def world(module_world: World, db: None) -> World:
    return copy.deepcopy(module_world)


CASES = list(product(Role, STATES, Action))


def test_the_matrix_covers_every_role_state_and_action() -> None:
    assert len(CASES) == len(Role) * len(STATES) * len(Action)
    assert set(TABLE) == set(Role)


@pytest.mark.parametrize(("role", "state"), list(product(Role, STATES)))
def test_object_check_and_list_filter_follow_the_table(world, role: Role, state: str) -> None:
    users, families = world
    user, family = users[role], families[state]
    for action in Action:
        assert can(user, family, action) == expected(role, state, action), action
        in_list = families_for(user, action).filter(pk=family.pk).exists()
        assert in_list == expected(role, state, action), action


@pytest.mark.parametrize(("role", "state"), list(product(Role, STATES)))
def test_pages_follow_the_table_and_log_every_look(world, role: Role, state: str) -> None:
    users, families = world
    user, family = users[role], families[state]
    client = signed_in(user)
    for action, url in URLS.items():
        before = AccessEvent.objects.filter(user=user).count()
        response = client.get(url(family))
        allowed = expected(role, state, action)
        assert response.status_code == (200 if allowed else 404), (action, response.status_code)
        if not allowed:
            # A refusal carries nothing of the record.
            assert "Page not found" in response.text
            assert family.name not in response.text
            assert family.reference not in response.text
        events = AccessEvent.objects.filter(user=user).order_by("-pk")
        assert events.count() == before + 1, action
        assert events[0].outcome == ("allowed" if allowed else "denied")
