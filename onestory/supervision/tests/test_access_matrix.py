"""The supervision need-to-know matrix, generated from `TABLE`: every role x every relation a
user can have to a session, a pod, a Reflective Practice Group and the service x every action,
checked through the object check, the list filter and HTTP (docs/security.md, promise 2)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from itertools import product
from typing import Any

import pytest
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from onestory.accounts.models import Role, User
from onestory.pods.models import Contract, Pod, PodMembership, PodRole, Staff
from onestory.supervision.access import (
    POD_ACTIONS,
    RPG_ACTIONS,
    SERVICE_ACTIONS,
    SESSION_ACTIONS,
    TABLE,
    Action,
    Relation,
    arrangements_for,
    can,
    groups_for,
    pods_for,
)
from onestory.supervision.models import Arrangement, PersonalNotesLook, ReflectiveGroup, Session
from onestory.supervision.tests.helpers import booked, held, private_notes
from onestory.test import LONG_AGO, made_once, make_staff, make_user, signed_in

R = Relation
POD_ROLES = {
    Role.SOCIAL_WORKER: PodRole.SOCIAL_WORKER,
    Role.SENIOR_SOCIAL_WORKER: PodRole.SENIOR_SOCIAL_WORKER,
    Role.SOCIAL_WORKER_IN_TRAINING: PodRole.SOCIAL_WORKER_IN_TRAINING,
    Role.POD_MANAGER: PodRole.POD_MANAGER,
    Role.BUSINESS_SUPPORT: PodRole.BUSINESS_SUPPORT,
}


def in_pod(role: Role) -> set[Relation]:
    """What a member of Pod Harbour in this role is to something of Pod Harbour's."""
    found = {R.POD_MEMBER} if role in POD_ROLES else set()
    return found | ({R.POD_MANAGER} if role is Role.POD_MANAGER else set())


# Each state: the kind of thing, and the relations it gives a user in the role.
STATES: dict[str, tuple[frozenset[Action], Callable[[Role], set[Relation]]]] = {
    "supervises them": (SESSION_ACTIONS, lambda role: {R.SUPERVISOR, R.SERVICE}),
    "is supervised": (SESSION_ACTIONS, lambda role: {R.SUPERVISEE, R.SERVICE} | in_pod(role)),
    "own pod's worker": (SESSION_ACTIONS, lambda role: {R.SERVICE} | in_pod(role)),
    "other pod's worker": (SESSION_ACTIONS, lambda role: {R.SERVICE}),
    "own pod": (POD_ACTIONS, lambda role: {R.SERVICE} | in_pod(role)),
    "other pod": (POD_ACTIONS, lambda role: {R.SERVICE}),
    "facilitated the group": (RPG_ACTIONS, lambda role: {R.FACILITATOR, R.SERVICE}),
    "went to the group": (RPG_ACTIONS, lambda role: {R.ATTENDEE, R.SERVICE}),
    "another group": (RPG_ACTIONS, lambda role: {R.SERVICE}),
    "the service": (SERVICE_ACTIONS, lambda role: {R.SERVICE}),
}


def expected(role: Role, state: str, action: Action) -> bool:
    """What the table says, worked out here independently of `can`."""
    actions, relations_of = STATES[state]
    rules = TABLE[role]
    return action in actions and any(
        action in rules.get(relation, frozenset()) for relation in relations_of(role)
    )


World = tuple[dict[Role, User], dict[tuple[Role, str], Model | None]]


def _worker(pod: Pod, name: str) -> Staff:
    staff = Staff.objects.create(
        first_name=name,
        last_name="Worker",
        role=Role.SOCIAL_WORKER,
        fte=Decimal("1.00"),
        contract=Contract.PERMANENT,
        start=LONG_AGO,
    )
    PodMembership.objects.create(
        staff=staff, pod=pod, role=PodRole.SOCIAL_WORKER, fte=Decimal("1.00"), start=LONG_AGO
    )
    return staff


def _arrangement(supervisee: Staff, supervisor: User) -> Arrangement:
    arrangement = Arrangement.objects.create(
        supervisee=supervisee, supervisor=supervisor, start=LONG_AGO
    )
    private_notes(held(arrangement, timezone.localdate() - timedelta(days=3)))
    booked(arrangement, timezone.localdate() + timedelta(days=3))
    return arrangement


def make_world() -> World:
    harbour = Pod.objects.create(name="Pod Harbour", formed=LONG_AGO)
    downs = Pod.objects.create(name="Pod Downs", formed=LONG_AGO)
    outsider = make_user("outsider", Role.POD_MANAGER, "Olu", "Outside", password=None)
    make_staff(outsider, downs, PodRole.POD_MANAGER)
    users: dict[Role, User] = {}
    things: dict[tuple[Role, str], Model | None] = {}
    for role in Role:
        user = make_user(role.value, role, role.label, "Tester", password=None)
        staff = make_staff(user, harbour if role in POD_ROLES else None, POD_ROLES.get(role))
        users[role] = user
        things[role, "supervises them"] = _arrangement(_worker(downs, f"{role}-a"), user)
        things[role, "is supervised"] = _arrangement(staff, outsider)
        things[role, "own pod's worker"] = _arrangement(_worker(harbour, f"{role}-b"), outsider)
        things[role, "other pod's worker"] = _arrangement(_worker(downs, f"{role}-c"), outsider)
        things[role, "own pod"], things[role, "other pod"] = harbour, downs
        day = date(2026, 1, 5)
        ran = ReflectiveGroup.objects.create(
            facilitator=user, held_on=day, minutes=90, themes="t", learning="l", recorded_on=day
        )
        went = ReflectiveGroup.objects.create(
            facilitator=outsider, held_on=day, minutes=90, themes="t", learning="l", recorded_on=day
        )
        went.attendees.add(user)
        things[role, "facilitated the group"], things[role, "went to the group"] = ran, went
        things[role, "another group"] = ReflectiveGroup.objects.create(
            facilitator=outsider, held_on=day, minutes=90, themes="t", learning="l", recorded_on=day
        )
        things[role, "the service"] = None
    return users, things


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with made_once(django_db_blocker, make_world) as world:
        yield world


@pytest.fixture
def world(module_world: World, db: None) -> World:
    return copy.deepcopy(module_world)


def test_the_matrix_covers_every_role_and_action() -> None:
    assert set(TABLE) == set(Role)
    kinds = [SESSION_ACTIONS, POD_ACTIONS, RPG_ACTIONS, SERVICE_ACTIONS]
    assert set().union(*kinds) == set(Action)
    assert sum(len(k) for k in kinds) == len(Action)  # each action belongs to one kind of thing


def _in_list(user: User, thing: Model | None, action: Action) -> bool:
    if isinstance(thing, Arrangement):
        return arrangements_for(user, action).filter(pk=thing.pk).exists()
    if isinstance(thing, Pod):
        return pods_for(user, action).filter(pk=thing.pk).exists()
    if isinstance(thing, ReflectiveGroup):
        return groups_for(user, action).filter(pk=thing.pk).exists()
    return can(user, None, action)  # the service has no list


@pytest.mark.parametrize(("role", "state"), list(product(Role, STATES)))
def test_object_check_and_list_filter_follow_the_table(world, role: Role, state: str) -> None:
    users, things = world
    user, thing = users[role], things[role, state]
    for action in Action:
        want = expected(role, state, action)
        assert can(user, thing, action) == want, action
        assert _in_list(user, thing, action) == want, action
        if isinstance(thing, Arrangement):
            for session in Session.objects.filter(arrangement=thing):
                assert can(user, session, action) == want, action


def _held(thing: Model | None) -> Session:
    assert isinstance(thing, Arrangement)
    return Session.objects.get(arrangement=thing, held_on__isnull=False)


def _booked(thing: Model | None) -> Session:
    assert isinstance(thing, Arrangement)
    return Session.objects.get(arrangement=thing, held_on__isnull=True)


URLS: dict[Action, Callable[[Model | None], str]] = {
    Action.SCHEDULE: lambda a: reverse("supervision:schedule", args=[a.pk]),  # type: ignore[union-attr]
    Action.RECORD: lambda a: reverse("supervision:record", args=[_booked(a).pk]),
    Action.VIEW_SESSION: lambda a: reverse("supervision:session", args=[_held(a).pk]),
    Action.VIEW_GROUP: lambda p: reverse("supervision:pod_discussed", args=[p.pk]),  # type: ignore[union-attr]
    Action.RECORD_GROUP: lambda p: reverse("supervision:group_new", args=[p.pk]),  # type: ignore[union-attr]
    Action.VIEW_RPG: lambda g: reverse("supervision:rpg", args=[g.pk]),  # type: ignore[union-attr]
    Action.RUN_RPG: lambda _: reverse("supervision:rpg_new"),
}


@pytest.mark.parametrize(("role", "state"), list(product(Role, STATES)))
def test_pages_follow_the_table(world, role: Role, state: str) -> None:
    users, things = world
    user, thing = users[role], things[role, state]
    client = signed_in(user)
    actions, _ = STATES[state]
    for action in actions & set(URLS):
        response = client.get(URLS[action](thing))
        allowed = expected(role, state, action)
        assert response.status_code == (200 if allowed else 404), (action, response.status_code)
    if actions is SESSION_ACTIONS:
        _personal_notes_follow_the_table(client, user, role, state, _held(thing))
    if state == "the service":
        page = client.get(reverse("supervision:standards"))
        form_shown = "Save the standards" in page.text
        assert form_shown == expected(role, state, Action.EDIT_STANDARDS)


def _personal_notes_follow_the_table(
    client: Any, user: User, role: Role, state: str, session: Session
) -> None:
    url = reverse("supervision:personal", args=[session.pk])
    reads = expected(role, state, Action.READ_PERSONAL)
    asks = expected(role, state, Action.REQUEST_PERSONAL)
    response = client.get(url)
    looks = PersonalNotesLook.objects.filter(user=user, session=session)
    if reads:
        assert "Feeling stretched by the court work" in response.text
        assert looks.count() == 1
    elif asks:
        # Asked for a reason first; nothing is shown, and nothing logged, until one is given.
        assert "Feeling stretched" not in response.text
        assert "Why do you need to read these notes?" in response.text
        assert looks.count() == 0
        response = client.post(url, {"reason": "Sickness absence review"})
        assert "Feeling stretched by the court work" in response.text
        assert looks.get().reason == "Sickness absence review"
    else:
        assert response.status_code == 404
        assert client.post(url, {"reason": "Curious"}).status_code == 404
        assert looks.count() == 0
