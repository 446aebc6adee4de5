"""The need-to-know table for the log: the list filter and the object check agree with the
table for every role and every relation, and the pages answer 404 for what a user may not see."""

from __future__ import annotations

from datetime import date

import pytest

from onestory.accounts.models import Role, User
from onestory.families import access as families
from onestory.feedback.access import (
    TABLE,
    Action,
    Relation,
    can,
    items_for,
    keeps_the_log,
    sees_complaints,
    sees_reports,
)
from onestory.feedback.models import Item, Kind
from onestory.feedback.tests.helpers import logged, officer
from onestory.test import Cast, make_user, signed_in, url_maker

url = url_maker("feedback")
DAY = date(2026, 5, 1)


def world(cast: Cast) -> tuple[list[User], dict[str, Item]]:
    cora = officer()
    users = [cast.sam, cast.priya, cast.ben, cast.charlie, cast.hana, cast.alex, cora]
    present = {user.role for user in users}
    users += [
        make_user(f"u-{role}", role, "Some", str(role), password=None)
        for role in Role
        if role not in present
    ]
    items = {
        "okafors": logged(cora, received=DAY, family=cast.okafors),
        "nashes": logged(cora, received=DAY, family=cast.nashes, pod=cast.downs),
        "harbour": logged(cora, kind=Kind.COMPLIMENT, received=DAY, pod=cast.harbour),
        "nothing": logged(cora, kind=Kind.COMMENT, received=DAY),
    }
    return users, items


def expected(user: User, item: Item) -> set[Relation]:
    """The relations worked out independently of feedback.access."""
    found = {Relation.SERVICE}
    if item.family is not None and families.can(user, item.family, families.Action.VIEW):
        found.add(Relation.FAMILY)
    if user.username == "priya" and item.pod is not None and item.pod.name == "Pod Harbour":
        found.add(Relation.POD)
    return found


def test_every_role_is_in_the_table() -> None:
    assert set(TABLE) == set(Role)


@pytest.mark.parametrize("action", list(Action))
def test_list_filter_and_object_check_follow_the_table(cast: Cast, action: Action) -> None:
    users, items = world(cast)
    for user in users:
        listed = set(items_for(user, action).values_list("pk", flat=True))
        for name, item in items.items():
            rules = TABLE[user.role]
            allowed = any(action in rules.get(r, frozenset()) for r in expected(user, item))
            assert can(user, item, action) is allowed, (user.role, name, action)
            assert (item.pk in listed) is allowed, (user.role, name, action)


def test_who_sees_what(cast: Cast) -> None:
    users, items = world(cast)
    by_name = {user.username: user for user in users}

    def seen(username: str) -> set[str]:
        pks = set(items_for(by_name[username]).values_list("pk", flat=True))
        return {name for name, item in items.items() if item.pk in pks}

    assert seen("cora") == seen("hana") == set(items)
    assert seen("sam") == seen("ben") == {"okafors"}
    assert seen("priya") == {"okafors", "harbour"}
    assert seen("charlie") == {"nashes"}
    assert seen("alex") == set()
    assert set(items_for(by_name["cora"], Action.MANAGE)) == set(items.values())
    assert not items_for(by_name["hana"], Action.MANAGE).exists()
    assert keeps_the_log(by_name["cora"]) and not keeps_the_log(by_name["hana"])
    assert sees_complaints(by_name["priya"]) and not sees_complaints(by_name["sam"])
    assert sees_reports(by_name["alex"]) and not sees_reports(by_name["priya"])


def test_an_item_out_of_reach_answers_404(cast: Cast) -> None:
    _, items = world(cast)
    charlie = signed_in(cast.charlie)
    assert charlie.get(url("item", items["okafors"].uuid)).status_code == 404
    page = charlie.get(url("item", items["nashes"].uuid))
    assert page.status_code == 200
    assert items["nashes"].reference in page.content.decode()
    # Seeing is not managing: the stage forms are the complaints officer's.
    stage = items["nashes"].stages.get()
    assert charlie.get(url("respond", items["nashes"].uuid, stage.number)).status_code == 404
    assert signed_in(cast.alex).get(url("log")).status_code == 404
