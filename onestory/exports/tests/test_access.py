"""Who may see and download a document: the TABLE, and every page checked against it for
every role, as the creator and as someone else of the same role."""

from __future__ import annotations

import pytest

from onestory.accounts.models import Role, User
from onestory.exports import making
from onestory.exports.access import TABLE, Action, Relation, can, exports_for, sees_documents
from onestory.exports.models import Export
from onestory.exports.tests.helpers import url
from onestory.test import Cast, make_staff, make_user, signed_in

PAGES = {Action.SEE: ["status"], Action.DOWNLOAD: ["download"]}


def a_user(role: Role, name: str) -> User:
    user = make_user(f"{role.value}-{name}", role, role.label, name.title(), password=None)
    make_staff(user, None, None)
    return user


def expected(role: Role, relation: Relation | None, action: Action) -> bool:
    rules = TABLE.get(role, {})
    return relation is not None and action in rules.get(relation, frozenset())


@pytest.mark.parametrize("role", list(Role))
def test_the_table_decides_every_page(cast: Cast, role: Role) -> None:
    creator, other = a_user(role, "creator"), a_user(role, "other")
    export = making.request_export(
        by=creator, kind="tests.note", parameters={}, title=f"Note for {role.label}"
    )
    assert sees_documents(creator) is expected(role, Relation.CREATOR, Action.SEE)
    for user, relation in ((creator, Relation.CREATOR), (other, None)):
        client = signed_in(user)
        for action, names in PAGES.items():
            allowed = expected(role, relation, action)
            assert can(user, export, action) is allowed
            assert (export in exports_for(user, action)) is allowed
            for name in names:
                status = client.get(url(name, export.uuid)).status_code
                assert status == (200 if allowed else 404), f"{role} {relation} {name}: {status}"
        listed = client.get(url("documents"))
        assert listed.status_code == 200
        assert (f"Note for {role.label}" in listed.text) is expected(role, relation, Action.SEE)


def test_an_inactive_user_sees_nothing(cast: Cast) -> None:
    export = making.request_export(by=cast.sam, kind="tests.note", parameters={}, title="A note")
    cast.sam.is_active = False
    assert not sees_documents(cast.sam)
    assert not can(cast.sam, export, Action.DOWNLOAD)
    assert list(exports_for(cast.sam, Action.SEE)) == []
    assert Export.objects.count() == 1


def test_signed_out_people_are_sent_to_sign_in(cast: Cast, client: object) -> None:
    export = making.request_export(by=cast.sam, kind="tests.note", parameters={}, title="A note")
    for address in (url("documents"), url("status", export.uuid), url("download", export.uuid)):
        response = client.get(address)  # type: ignore[attr-defined]
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
