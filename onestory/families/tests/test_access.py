"""The chokepoint: who sees which families. The list filter and the object check agree."""

from __future__ import annotations

import pytest
from django.http import Http404, HttpRequest
from django.test import RequestFactory

from onestory.accounts.models import User
from onestory.families.access import Action, can_view_family, get_family_for, visible_families
from onestory.families.models import AccessEvent
from onestory.test import Cast


def names(cast: Cast, who: str) -> set[str]:
    return {f.name for f in visible_families(getattr(cast, who))}


def test_pod_members_see_their_pods_families_only(cast: Cast) -> None:
    assert names(cast, "sam") == names(cast, "priya") == names(cast, "ben") == {"The Okafor family"}
    assert names(cast, "charlie") == {"The Nash family"}


def test_head_of_service_sees_the_service_and_the_analyst_sees_no_family(cast: Cast) -> None:
    assert names(cast, "hana") == {"The Okafor family", "The Nash family"}
    assert names(cast, "alex") == set()


def test_restricted_families_only_for_named_people(cast: Cast) -> None:
    cast.okafors.restricted = True
    cast.okafors.save()
    cast.okafors.restricted_to.add(cast.priya)
    assert names(cast, "priya") == {"The Okafor family"}
    assert names(cast, "sam") == set()
    assert names(cast, "hana") == {"The Nash family"}


@pytest.mark.parametrize("who", ["sam", "charlie", "hana", "alex", "ben"])
def test_object_check_agrees_with_the_list(cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    for family in (cast.okafors, cast.nashes):
        assert can_view_family(user, family) == (family in visible_families(user))


def request_by(user: User) -> HttpRequest:
    request = RequestFactory().get("/families/")
    request.user = user
    return request


def test_a_family_out_of_reach_is_404_like_one_that_does_not_exist(cast: Cast) -> None:
    with pytest.raises(Http404):
        get_family_for(request_by(cast.charlie), cast.okafors.uuid)
    with pytest.raises(Http404):
        get_family_for(request_by(cast.sam), "not-a-uuid")
    assert get_family_for(request_by(cast.sam), cast.okafors.uuid) == cast.okafors
    with pytest.raises(Http404):
        get_family_for(request_by(cast.hana), cast.okafors.uuid, Action.EDIT)
    # The refusals that named a real family were logged; the malformed id names none.
    assert AccessEvent.objects.filter(outcome="denied").count() == 2
    assert AccessEvent.objects.filter(outcome="allowed", user=cast.sam).count() == 1


def test_within_a_request_the_filter_is_built_once_and_still_reads_todays_relations(
    cast: Cast,
) -> None:
    from onestory.families.access import Action as A
    from onestory.families.access import families_for
    from onestory.lib.per_request import one_request
    from onestory.pods.models import PodMembership

    with one_request():
        first = families_for(cast.charlie, A.VIEW)
        again = families_for(cast.charlie, A.VIEW)
        # The same filter, handed out as copies: evaluating one leaves the other lazy.
        assert str(first.query) == str(again.query) and first is not again
        assert {f.name for f in first} == {"The Nash family"}
        assert again._result_cache is None
        # Charlie moves to Harbour mid-request: the kept filter is a subquery, run afresh.
        PodMembership.objects.filter(staff__user=cast.charlie).update(pod=cast.harbour)
        assert {f.name for f in families_for(cast.charlie, A.VIEW)} == {"The Okafor family"}
