"""`recorded`: one transaction per write, each with its own history context.

A request's history context (from the middleware) outlives any one transaction; the database
refuses to rewrite a context an earlier transaction committed (docs/decisions/0012). Two
writes in one request, with different actions, must each keep theirs, and both must work."""

from __future__ import annotations

import pghistory
import pytest
from django.apps import apps

from onestory.families.models import Family
from onestory.lib.history import recorded
from onestory.test import make_cast

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_writes_in_one_request_each_keep_their_action() -> None:
    cast = make_cast()
    family = cast.okafors
    with pghistory.context(user=cast.priya.pk, url="/families/"):  # as the middleware does
        with recorded(cast.priya, "families.rename"):
            Family.objects.filter(pk=family.pk).update(name="The Okafor-Reid family")
        with recorded(cast.sam, "families.rename_again"):
            Family.objects.filter(pk=family.pk).update(name="The Reid family")
        Family.objects.filter(pk=family.pk).update(opened=family.opened)  # no change, no event
    events = (
        apps.get_model("families", "FamilyEvent")
        .objects.filter(pgh_obj=family, pgh_label="update")
        .order_by("pgh_id")
    )
    assert [(e.name, e.pgh_context.metadata["action"]) for e in events] == [
        ("The Okafor-Reid family", "families.rename"),
        ("The Reid family", "families.rename_again"),
    ]
    assert [e.pgh_context.metadata["user"] for e in events] == [cast.priya.pk, cast.sam.pk]
    assert {e.pgh_context.metadata["url"] for e in events} == {"/families/"}
