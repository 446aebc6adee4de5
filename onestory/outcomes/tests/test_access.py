"""Who may see the outcomes: the TABLE, and every page checked against it for every role."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from onestory.accounts.models import Role, User
from onestory.outcomes.access import TABLE, Action, Scope, can, can_see_outcomes, pods_for
from onestory.test import Cast, make_staff, make_user, signed_in

PAGES = {
    Action.DASHBOARD: ["outcomes:dashboard", "outcomes:csv"],
    Action.REPORT: ["outcomes:report"],
    Action.ENTER_FIGURES: ["outcomes:figures"],
}


def user_for(cast: Cast, role: Role) -> User:
    known = {
        Role.SOCIAL_WORKER: cast.sam,
        Role.POD_MANAGER: cast.priya,
        Role.BUSINESS_SUPPORT: cast.ben,
        Role.HEAD_OF_SERVICE: cast.hana,
        Role.PERFORMANCE_ANALYST: cast.alex,
    }
    if role in known:
        return known[role]
    user = make_user(role.value, role, role.label, "Tester")
    make_staff(user, None, None)
    return user


def expected(role: Role, action: Action) -> bool:
    return any(action in actions for actions in TABLE.get(role, {}).values())


@pytest.mark.parametrize("role", list(Role))
def test_the_table_decides_every_page(cast: Cast, role: Role) -> None:
    user = user_for(cast, role)
    client = signed_in(user)
    assert can_see_outcomes(user) is expected(role, Action.DASHBOARD)  # the navigation's
    for action, names in PAGES.items():
        allowed = expected(role, action)
        assert can(user, action) is allowed
        for name in names:
            status = client.get(reverse(name)).status_code
            assert status == (200 if allowed else 404), f"{role} {name}: {status}"


def test_a_pod_manager_sees_their_own_pod_only(cast: Cast) -> None:
    client = signed_in(cast.priya)
    assert can(cast.priya, Action.DASHBOARD, Scope.OWN_POD)
    assert not can(cast.priya, Action.DASHBOARD, Scope.SERVICE)
    assert list(pods_for(cast.priya)) == [cast.harbour]
    mine = client.get(reverse("outcomes:dashboard"), {"pod": cast.harbour.pk})
    assert mine.status_code == 200
    assert "Pod Harbour" in mine.text and "The whole service" not in mine.text
    # No pod asked for: their own pod, never the service.
    assert "Pod Harbour" in client.get(reverse("outcomes:dashboard")).text
    assert client.get(reverse("outcomes:dashboard"), {"pod": cast.downs.pk}).status_code == 404
    assert client.get(reverse("outcomes:csv"), {"pod": cast.downs.pk}).status_code == 404


def test_the_service_wide_roles_see_any_pod(cast: Cast) -> None:
    for user in (cast.hana, cast.alex):
        page = signed_in(user).get(reverse("outcomes:dashboard"), {"pod": cast.downs.pk})
        assert page.status_code == 200 and "Pod Downs" in page.text
    assert (
        signed_in(cast.hana).get(reverse("outcomes:dashboard"), {"pod": 999999}).status_code == 404
    )


def test_signed_out_people_are_sent_to_sign_in(client: Any) -> None:
    for names in PAGES.values():
        for name in names:
            assert client.get(reverse(name)).status_code == 302
