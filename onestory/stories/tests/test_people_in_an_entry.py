"""Whom an entry can name: the family's people, and for "seen alone" its children only.

A person can be a parent in one family and a child in another (a young mother still in care,
say). The choices must match the family and the role on the same membership."""

from __future__ import annotations

import re
from datetime import date

from django.urls import reverse

from onestory.families.models import FamilyMember, MemberRole, Person
from onestory.stories.forms import EntryForm
from onestory.stories.tests.helpers import child_of, parent_of
from onestory.test import Cast, signed_in


def test_a_parent_here_who_is_a_child_elsewhere_is_not_offered_as_seen_alone(
    cast: Cast,
) -> None:
    mother = parent_of(cast.okafors)
    # The Okafors' mother is also a child in the Nash household.
    FamilyMember.objects.create(
        family=cast.nashes, person=mother, role=MemberRole.CHILD, start=date(2020, 1, 6)
    )
    form = EntryForm(family=cast.okafors)
    everyone = set(form.fields["seen"].queryset)  # type: ignore[attr-defined]
    alone = set(form.fields["seen_alone"].queryset)  # type: ignore[attr-defined]
    assert everyone == {mother, child_of(cast.okafors)}
    assert alone == {child_of(cast.okafors)}
    # And on the page Sam writes in: the child is a "seen alone" choice, the mother is not.
    page = signed_in(cast.sam).get(reverse("stories:new", args=[cast.okafors.uuid])).text
    inputs = re.findall(r"<input[^>]*>", page)
    seen = [i for i in inputs if 'name="seen"' in i]
    seen_alone = [i for i in inputs if 'name="seen_alone"' in i]
    assert len(seen) == 2
    assert len(seen_alone) == 1
    assert f'value="{child_of(cast.okafors).pk}"' in seen_alone[0]


def test_in_family_matches_family_and_role_on_one_membership(cast: Cast) -> None:
    mother = parent_of(cast.okafors)
    FamilyMember.objects.create(
        family=cast.nashes, person=mother, role=MemberRole.CHILD, start=date(2020, 1, 6)
    )
    assert set(Person.objects.in_family(cast.okafors)) == {mother, child_of(cast.okafors)}
    assert list(Person.objects.in_family(cast.okafors, role=MemberRole.CHILD)) == [
        child_of(cast.okafors)
    ]
    assert mother in Person.objects.in_family(cast.nashes, role=MemberRole.CHILD)
    assert mother not in Person.objects.in_family(cast.nashes, role=MemberRole.PARENT)
    # The trap this avoids: chained filters join memberships twice and find her as a child.
    chained = Person.objects.filter(memberships__family=cast.okafors).filter(
        memberships__role=MemberRole.CHILD
    )
    assert mother in chained
