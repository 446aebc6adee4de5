"""The retention table: every role x action, through `can`, through the write functions and
through the pages (404 for a page the role may not use, as for one that does not exist)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from onestory.accounts.models import Role, User
from onestory.retention import access, records
from onestory.retention.access import TABLE, Action, can
from onestory.retention.models import Disposal, LegalHold, RecordType
from onestory.retention.tests.helpers import close, keep_for_a_year
from onestory.test import Cast, make_family, make_user, signed_in, url_maker

pytestmark = pytest.mark.django_db
url = url_maker("retention")


def test_every_role_is_in_the_table() -> None:
    assert set(TABLE) == set(Role)


def test_only_information_governance_disposes_of_records() -> None:
    approving = {role for role, actions in TABLE.items() if Action.APPROVE in actions}
    assert approving == {Role.INFORMATION_GOVERNANCE}


def _user(role: Role) -> User:
    return make_user(f"r-{role}", role, "Some", str(role), password=None)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_can_follows_the_table(role: Role, action: Action) -> None:
    user = User(username="x", role=role, is_active=True)
    assert can(user, action) == (action in TABLE[role])


def test_nobody_signed_out_or_inactive_may_do_anything() -> None:
    gone = User(username="x", role=Role.INFORMATION_GOVERNANCE, is_active=False)
    assert access.actions_for(gone) == frozenset()


# The write each action allows, called with good input.
WRITES: dict[Action, Callable[..., Any]] = {
    Action.HOLD: lambda by, family: records.place_hold(
        by=by, family=family, reason="police", reference="P/1"
    ),
    Action.REQUEST: lambda by, family: records.request_disposal(by=by, family=family),
    Action.RULES: lambda by, family: records.edit_rule(
        by=by, record_type=RecordType.OTHER, years=30, expected_version=1
    ),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(WRITES))
def test_the_writes_follow_the_table(cast: Cast, role: Role, action: Action) -> None:
    keep_for_a_year()
    family = close(make_family("Kept", cast.harbour))
    user = _user(role)
    if action in TABLE[role]:
        WRITES[action](user, family)
    else:
        with pytest.raises(PermissionDenied):
            WRITES[action](user, family)
        assert not LegalHold.objects.exists() and not Disposal.objects.exists()


@pytest.mark.parametrize("role", list(Role))
def test_the_pages_follow_the_table(cast: Cast, role: Role) -> None:
    family = close(make_family("Kept", cast.harbour))
    client = signed_in(_user(role))
    pages = {
        Action.REVIEW: [
            url("review"),
            url("holds"),
            url("disposals"),
            url("rules"),
            url("family", family.uuid),
        ],
        Action.RULES: [url("rule", "care")],
    }
    for action, addresses in pages.items():
        for address in addresses:
            answer = client.get(address)
            assert answer.status_code == (200 if action in TABLE[role] else 404), address
    answer = client.post(url("place_hold", family.uuid), {"reason": "police", "reference": "X"})
    assert answer.status_code == (302 if Action.HOLD in TABLE[role] else 404)
    assert LegalHold.objects.exists() == (Action.HOLD in TABLE[role])
