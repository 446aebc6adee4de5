"""The pre-proceedings need-to-know matrix, generated from `TABLE`: every role x every state a
family can be in for the user x every action, through the object check, the list filter and
HTTP (docs/security.md, promise 2). What the families' rules allow is worked out here from
their own TABLE, independently of `can`."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from itertools import product
from typing import Any

import pytest
from django.urls import reverse

from onestory.accounts.models import Role, User
from onestory.families import access as family_access
from onestory.families.models import Family
from onestory.pods.models import Pod, PodRole
from onestory.preproceedings.access import TABLE, Action, Relation, can, periods_for
from onestory.preproceedings.models import PreProceedings
from onestory.test import LONG_AGO, made_once, make_family, make_staff, make_user, signed_in

FR = family_access.Relation
R = Relation
POD_ROLES = {
    Role.SOCIAL_WORKER: PodRole.SOCIAL_WORKER,
    Role.SENIOR_SOCIAL_WORKER: PodRole.SENIOR_SOCIAL_WORKER,
    Role.SOCIAL_WORKER_IN_TRAINING: PodRole.SOCIAL_WORKER_IN_TRAINING,
    Role.POD_MANAGER: PodRole.POD_MANAGER,
    Role.BUSINESS_SUPPORT: PodRole.BUSINESS_SUPPORT,
}

# Each state: the family's relations to the user in the families' rules (for a member of Pod
# Harbour; others have only the service), whether it is in the user's pod, and whether closed.
STATES: dict[str, tuple[set[family_access.Relation], bool, bool]] = {
    "own pod's family": ({FR.POD, FR.SERVICE}, True, False),
    "other pod's family": ({FR.SERVICE}, False, False),
    "own pod's closed family": ({FR.POD, FR.SERVICE}, True, True),
    "restricted, named": ({FR.NAMED}, True, False),
    "restricted, not named": (set(), True, False),
}


def expected(role: Role, state: str, action: Action) -> bool:
    family_relations, in_harbour, closed = STATES[state]
    in_pod = in_harbour and role in POD_ROLES
    if not in_pod:
        family_relations = family_relations - {FR.POD}
    rules = family_access.TABLE[role]

    def allows(what: family_access.Action) -> bool:
        return any(what in rules.get(r, frozenset()) for r in family_relations)

    edits = allows(family_access.Action.EDIT) and (
        not closed or role in family_access.CLOSED_EDITORS
    )
    mine = set()
    if allows(family_access.Action.VIEW):
        mine.add(R.VIEWER)
        if in_pod and edits:
            mine.add(R.POD)
    return any(action in TABLE[role].get(r, frozenset()) for r in mine)


World = tuple[dict[Role, User], dict[str, Family]]


def make_world() -> World:
    harbour = Pod.objects.create(name="Pod Harbour", formed=LONG_AGO)
    downs = Pod.objects.create(name="Pod Downs", formed=LONG_AGO)
    families = {
        "own pod's family": make_family("Open", harbour),
        "other pod's family": make_family("Other", downs),
        "own pod's closed family": make_family("Closed", harbour),
        "restricted, named": make_family("Named", harbour),
        "restricted, not named": make_family("Hidden", harbour),
    }
    Family.objects.filter(pk=families["own pod's closed family"].pk).update(closed=LONG_AGO)
    Family.objects.filter(
        pk__in=[families["restricted, named"].pk, families["restricted, not named"].pk]
    ).update(restricted=True)
    users: dict[Role, User] = {}
    for role in Role:
        user = make_user(role.value, role, role.label, "Tester", password=None)
        make_staff(user, harbour if role in POD_ROLES else None, POD_ROLES.get(role))
        users[role] = user
    families["restricted, named"].restricted_to.set(users.values())
    creator = users[Role.SOCIAL_WORKER]
    for family in families.values():
        PreProceedings.objects.create(family=family, letter_date=LONG_AGO, created_by=creator)
    return users, {k: Family.objects.get(pk=f.pk) for k, f in families.items()}


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with made_once(django_db_blocker, make_world) as world:
        yield world


@pytest.fixture
def world(module_world: World, db: None) -> World:
    return copy.deepcopy(module_world)


def test_the_table_covers_every_role() -> None:
    assert set(TABLE) == set(Role)


@pytest.mark.parametrize(("role", "state"), list(product(Role, STATES)))
def test_object_check_and_list_filter_follow_the_table(world, role: Role, state: str) -> None:
    users, families = world
    user, family = users[role], families[state]
    for action in Action:
        want = expected(role, state, action)
        assert can(user, family, action) == want, action
        assert periods_for(user, action).filter(family=family).exists() == want, action


@pytest.mark.parametrize(("role", "state"), list(product(Role, STATES)))
def test_pages_follow_the_table(world, role: Role, state: str) -> None:
    users, families = world
    family = families[state]
    client = signed_in(users[role])
    period = PreProceedings.objects.get(family=family)
    pages = {
        Action.VIEW: [reverse("preproceedings:family", args=[family.uuid])],
        Action.RECORD: [
            reverse("preproceedings:start", args=[family.uuid]),
            *(
                reverse(f"preproceedings:{step}", args=[family.uuid, period.pk])
                for step in ("meeting", "fgdm", "outcome")
            ),
        ],
    }
    for action, urls in pages.items():
        want = 200 if expected(role, state, action) else 404
        for url in urls:
            assert client.get(url).status_code == want, (action, url)
    # The list of open pre-proceedings names the family only to those who may view it.
    listed = client.get(reverse("preproceedings:open"))
    shown = listed.status_code == 200 and family.name in listed.content.decode()
    assert shown == expected(role, state, Action.VIEW)
