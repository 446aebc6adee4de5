"""Who may make, check and see the statutory returns: the TABLE, and every page and write
checked against it for every role."""

from __future__ import annotations

import pytest

from onestory.accounts.models import Role, User
from onestory.exports import registry
from onestory.exports.models import Export
from onestory.returns import making
from onestory.returns.access import TABLE, Action, may, sees_returns
from onestory.returns.models import Check, Return, Status
from onestory.test import Cast, make_staff, make_user, signed_in, url_maker

url = url_maker("returns")


def a_user(role: Role) -> User:
    user = make_user(f"returns-{role.value}", role, role.label, "Tester", password=None)
    make_staff(user, None, None)
    return user


def allowed(role: Role, action: Action) -> bool:
    return action in TABLE[role]


def test_the_table_names_every_role() -> None:
    assert set(TABLE) == set(Role)


def test_the_decisions_for_the_roles_the_issue_names() -> None:
    for role in (Role.PERFORMANCE_ANALYST, Role.BUSINESS_SUPPORT):
        assert TABLE[role] == set(Action)
    assert TABLE[Role.HEAD_OF_SERVICE] == {Action.CHECK, Action.SEE_FINDINGS}
    assert TABLE[Role.INFORMATION_GOVERNANCE] == set()


@pytest.mark.parametrize("role", list(Role))
def test_the_table_decides_every_page(cast: Cast, role: Role) -> None:
    user = a_user(role)
    client = signed_in(user)
    assert sees_returns(user) is allowed(role, Action.SEE_FINDINGS)
    for action in Action:
        assert may(user, action) is allowed(role, action)

    index = client.get(url("index"))
    assert index.status_code == (200 if allowed(role, Action.SEE_FINDINGS) else 404)
    if index.status_code == 200:
        assert ("Make the file" in index.text) is allowed(role, Action.MAKE)
        assert (">Check<" in index.text) is allowed(role, Action.CHECK)

    # Making the files: the exports' progress page, or 404 and no request.
    made = client.post(url("make", Return.CIN, 2026))
    exports = Export.objects.filter(created_by=user, kind="returns.cin")
    if allowed(role, Action.MAKE):
        assert made.status_code == 302 and made["Location"].startswith("/exports/")
        assert exports.count() == 1
        assert exports.get().parameters == {"year": 2026}
    else:
        assert made.status_code == 404 and not exports.exists()

    # Checking: the check's page, or 404 and no check.
    checked = client.post(url("check", Return.CIN, 2026))
    checks = Check.objects.filter(asked_by=user)
    if allowed(role, Action.CHECK):
        assert checked.status_code == 302
        assert checked["Location"] == url("check_detail", checks.get().uuid)
    else:
        assert checked.status_code == 404 and not checks.exists()

    someone = making.request_check(by=cast.hana, return_name=Return.CIN, year=2025)
    detail = client.get(url("check_detail", someone.uuid))
    assert detail.status_code == (200 if allowed(role, Action.SEE_FINDINGS) else 404)


def test_the_export_kinds_ask_the_table_and_the_year(cast: Cast) -> None:
    analyst, worker = a_user(Role.PERFORMANCE_ANALYST), cast.sam
    for key in making.KINDS.values():
        assert registry.may_ask(analyst, key, {"year": 2026})
        assert not registry.may_ask(worker, key, {"year": 2026})
        assert not registry.may_ask(analyst, key, {"year": 2019})
        assert not registry.may_ask(analyst, key, {"year": "2026"})


def test_a_year_or_return_not_offered_is_404(cast: Cast) -> None:
    client = signed_in(a_user(Role.PERFORMANCE_ANALYST))
    assert client.post(url("check", Return.CIN, 2027)).status_code == 404  # needs new records
    assert client.post(url("check", "annex-z", 2026)).status_code == 404
    assert client.post(url("make", Return.SSDA903, 2019)).status_code == 404
    assert not Check.objects.exists() and not Export.objects.exists()


def test_pages_need_a_post_to_change_anything(cast: Cast) -> None:
    client = signed_in(a_user(Role.PERFORMANCE_ANALYST))
    assert client.get(url("check", Return.CIN, 2026)).status_code == 405
    assert client.get(url("make", Return.CIN, 2026)).status_code == 405
    assert not Check.objects.exists()


def test_an_inactive_user_may_do_nothing(cast: Cast) -> None:
    user = a_user(Role.PERFORMANCE_ANALYST)
    user.is_active = False
    assert not any(may(user, action) for action in Action)
    with pytest.raises(making.NotAllowed):
        making.request_check(by=user, return_name=Return.CIN, year=2026)
    assert not Check.objects.filter(status=Status.QUEUED).exists()
