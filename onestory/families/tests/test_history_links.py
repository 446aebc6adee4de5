"""Links between records are in history too (docs/security.md, promise 10): who an entry
concerns, who was seen and seen alone, who is named on a restricted family, and the children in
care proceedings. And the history page shows only what means something to a reader."""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.urls import reverse

from onestory.families.models import CareProceedings
from onestory.lib.history import recorded
from onestory.stories.models import Entry
from onestory.stories.tests.helpers import make_entry
from onestory.test import Cast, child_of, parent_of, signed_in


def events(model_name: str, app: str, **match: object) -> list[tuple[str, int, object]]:
    """(label, the other end's id, the acting user) for each event, oldest first."""
    model = apps.get_model(app, model_name)
    found = model.objects.filter(**match).order_by("pgh_id").select_related("pgh_context")
    return [
        (
            event.pgh_label,
            event.person_id if hasattr(event, "person_id") else event.user_id,
            event.pgh_context.metadata.get("user") if event.pgh_context else None,
        )
        for event in found
    ]


def test_who_an_entry_concerns_and_who_was_seen_are_in_history(cast: Cast) -> None:
    child, parent = child_of(cast.okafors), parent_of(cast.okafors)
    entry = make_entry(cast.okafors, cast.sam, final=False, about=[])
    with recorded(by=cast.sam, action="stories.people"):
        entry.concerns.set([child])
        entry.seen.set([child, parent])
        entry.seen_alone.set([child])
    with recorded(by=cast.priya, action="stories.people"):
        entry.concerns.set([parent])
        entry.seen.remove(parent)
        entry.seen_alone.clear()
    by_sam, by_priya = cast.sam.pk, cast.priya.pk
    assert events("EntryConcernsEvent", "stories", entry_id=entry.pk) == [
        ("insert", child.pk, by_sam),
        ("delete", child.pk, by_priya),
        ("insert", parent.pk, by_priya),
    ]
    assert sorted(events("EntrySeenEvent", "stories", entry_id=entry.pk)) == sorted(
        [
            ("insert", child.pk, by_sam),
            ("insert", parent.pk, by_sam),
            ("delete", parent.pk, by_priya),
        ]
    )
    assert events("EntrySeenAloneEvent", "stories", entry_id=entry.pk) == [
        ("insert", child.pk, by_sam),
        ("delete", child.pk, by_priya),
    ]


def test_who_is_named_on_a_restricted_family_is_in_history(cast: Cast) -> None:
    with recorded(by=cast.priya, action="families.restrict"):
        cast.okafors.restricted_to.set([cast.sam, cast.ben])
    with recorded(by=cast.hana, action="families.restrict"):
        cast.okafors.restricted_to.remove(cast.ben)
    assert sorted(
        events("FamilyRestrictedToEvent", "families", family_id=cast.okafors.pk)
    ) == sorted(
        [
            ("insert", cast.sam.pk, cast.priya.pk),
            ("insert", cast.ben.pk, cast.priya.pk),
            ("delete", cast.ben.pk, cast.hana.pk),
        ]
    )


def test_the_children_in_care_proceedings_are_in_history(cast: Cast) -> None:
    child = child_of(cast.okafors)
    with recorded(by=cast.priya, action="families.proceedings"):
        proceedings = CareProceedings.objects.create(
            family=cast.okafors, application_date=date(2024, 3, 1), court="Brightwater Family Court"
        )
        proceedings.children.set([child])
    assert events(
        "CareProceedingsChildrenEvent", "families", careproceedings_id=proceedings.pk
    ) == [("insert", child.pk, cast.priya.pk)]


def test_the_history_page_never_shows_the_search_index_or_the_draft_version(cast: Cast) -> None:
    entry = make_entry(
        cast.okafors, cast.sam, story="We talked about swimming lessons.", final=False
    )
    with recorded(by=cast.sam, action="stories.save_draft"):
        Entry.objects.filter(pk=entry.pk).update(version=entry.version + 1)
    entry.finalise(by=cast.sam)
    assert Entry.objects.get(pk=entry.pk).search_vector  # the finalised entry is indexed
    page = signed_in(cast.priya).get(reverse("access:family_history", args=[cast.okafors.uuid]))
    assert page.status_code == 200
    assert "Status" in page.text  # the finalising is shown...
    assert "Search vector" not in page.text  # ...but not the search index it updated
    assert "swim" not in page.text.replace("swimming lessons", "")
    assert "Version" not in page.text
