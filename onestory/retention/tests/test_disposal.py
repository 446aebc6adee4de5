"""The whole disposal: a family with its story, supervision, audit and feedback rows is removed
with its history and access log, a tombstone is left, and nothing anywhere still points at it.
Holds block it; a failure half-way leaves everything in place; one officer cannot approve their
own request."""

from __future__ import annotations

from datetime import date
from typing import Any

import pghistory.models
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.models import Count, Q
from django.utils import timezone

from onestory.families.models import AccessEvent, Family, FamilyMember
from onestory.retention import graph, records
from onestory.retention.models import Disposal, LegalHold, Tombstone
from onestory.retention.tests.helpers import close, keep_for_a_year, officers
from onestory.stories.models import Entry
from onestory.supervision.models import CaseworkRecord
from onestory.test import Cast, make_family

pytestmark = pytest.mark.django_db


def _richest_family() -> Family:
    """The demo family with the most kinds of records about it from other apps."""
    from onestory.audits.models import SampledChild
    from onestory.feedback.models import Item

    kinds = (
        Family.objects.annotate(
            has_casework=Count("pk", filter=Q(pk__in=CaseworkRecord.objects.values("family"))),
            has_sample=Count("pk", filter=Q(pk__in=SampledChild.objects.values("family"))),
            has_item=Count("pk", filter=Q(pk__in=Item.objects.values("family"))),
        )
        .filter(has_casework=1)
        # Every child born at least two years ago, so that a one-year rule has passed.
        .exclude(
            Q(members__role="child")
            & (
                Q(members__person__date_of_birth__isnull=True)
                | Q(members__person__date_of_birth__gt=date(2023, 1, 1))
            )
        )
        .order_by("-has_sample", "-has_item", "pk")
    )
    found = kinds.first()
    assert found is not None
    return found


def _pointing_at(rows: dict[type[models.Model], set[Any]]) -> list[str]:
    """Every row in any table (history and the access log included) whose foreign key points
    at a removed row: what must be empty after a disposal."""
    left = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.ForeignKey):
                continue
            targets = rows.get(field.related_model)
            if not targets:
                continue
            if model._meta.label == "retention.Disposal":
                continue  # its family becomes empty on approval; its own history says who
            if getattr(model, "pgh_tracked_model", None) is Disposal:
                continue
            found = model._base_manager.filter(**{f"{field.attname}__in": targets}).count()
            if found:
                left.append(f"{model._meta.label}.{field.name}: {found}")
    return left


def test_every_key_into_a_family_record_is_decided() -> None:
    assert graph.undecided() == []
    assert {graph._label(m, f) for m, f in graph.edges()} == set(graph.DECISIONS)


def test_a_disposal_removes_the_record_its_story_and_history_and_leaves_a_tombstone(
    small_council: dict[str, int],
) -> None:
    iris, owen = officers()
    keep_for_a_year()
    family = close(_richest_family())
    # Some history, written as people would: a change to the family, a child and an entry,
    # and a look at the record in the access log.
    family.name = "The renamed family"
    family.save()
    member = FamilyMember.objects.filter(family=family).select_related("person").first()
    assert member is not None
    member.person.preferred_name = "Jay"
    member.person.save()
    entry = Entry.objects.filter(family=family).first()
    assert entry is not None
    entry.save()
    AccessEvent.objects.create(user=iris, family=family, action="view", outcome="allowed")
    LegalHold.objects.create(
        family=family,
        reason="police",
        reference="OLD/1",
        placed_by=iris,
        lifted_by=owen,
        lifted_at="2025-01-01T00:00Z",
        lift_reason="Closed",
    )
    rows = graph.collect(family.pk)
    entries = Entry.objects.filter(family=family).count()
    people = FamilyMember.objects.filter(family=family).values("person").distinct().count()
    assert CaseworkRecord.objects.filter(family=family).exists()
    assert _pointing_at(rows) != []
    events = [m for m in apps.get_models() if issubclass(m, pghistory.models.Event)]
    family_events = apps.get_model("families", "FamilyEvent")
    assert family_events.objects.filter(pgh_obj_id=family.pk).exists()

    disposal = records.request_disposal(by=iris, family=family)
    tombstone = records.approve_disposal(by=owen, disposal=disposal)

    assert not Family.objects.filter(pk=family.pk).exists()
    assert _pointing_at(rows) == []
    # No history of any removed row is left, in any history table.
    for model in events:
        tracked = getattr(model, "pgh_tracked_model", None)
        if tracked in rows and tracked is not Disposal:
            left = model.objects.filter(**{"pgh_obj_id__in": rows[tracked]})
            assert not left.exists(), model
    assert not AccessEvent.objects.filter(family_id=family.pk).exists()
    tombstone.refresh_from_db()
    assert tombstone.family_reference == family.reference
    assert (tombstone.entries, tombstone.people) == (entries, people)
    assert (tombstone.requested_by, tombstone.approved_by) == (iris, owen)
    assert tombstone.closed == family.closed
    disposal.refresh_from_db()
    assert disposal.family is None and disposal.approved_by == owen
    # The log says who did it: the disposal's own history, under the action "retention.dispose".
    disposal_events = apps.get_model("retention", "DisposalEvent")
    approved = disposal_events.objects.filter(pgh_obj_id=disposal.pk, pgh_label="update").get()
    assert approved.pgh_context.metadata["action"] == "retention.dispose"
    assert approved.pgh_context.metadata["user"] == owen.pk


def test_a_held_family_is_not_disposed_of(cast: Cast) -> None:
    iris, owen = officers()
    keep_for_a_year()
    family = close(make_family("Held", cast.harbour))
    disposal = records.request_disposal(by=iris, family=family)
    records.place_hold(by=iris, family=family, reason="litigation", reference="CLAIM/42")
    with pytest.raises(ValidationError) as refused:
        records.approve_disposal(by=owen, disposal=disposal)
    assert "under a legal hold (CLAIM/42)" in refused.value.messages[0]
    assert Family.objects.filter(pk=family.pk).exists()
    assert not Tombstone.objects.exists()
    with pytest.raises(ValidationError):
        records.request_disposal(by=owen, family=family)


def test_the_database_refuses_to_delete_a_held_family(cast: Cast) -> None:
    iris, _owen = officers()
    family = close(make_family("Held", cast.harbour))
    records.place_hold(by=iris, family=family, reason="inquiry", reference="INQ/7")
    with (
        pytest.raises(IntegrityError, match="legal hold"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM families_family WHERE id = %s", [family.pk])


def test_one_officer_cannot_approve_their_own_request(cast: Cast) -> None:
    iris, _owen = officers()
    keep_for_a_year()
    family = close(make_family("Asked", cast.harbour))
    disposal = records.request_disposal(by=iris, family=family)
    with pytest.raises(ValidationError, match="different officer"):
        records.approve_disposal(by=iris, disposal=disposal)
    with pytest.raises(IntegrityError), transaction.atomic():
        Disposal.objects.filter(pk=disposal.pk).update(
            approved_by=iris, approved_at=timezone.now(), family=None
        )


def test_a_failure_half_way_leaves_everything_in_place(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    iris, owen = officers()
    keep_for_a_year()
    family = close(make_family("Failed", cast.harbour))
    Entry.objects.create(
        family=family, kind="visit", occurred_at=timezone.now(), author=cast.sam, story="Seen."
    )
    rows = graph.collect(family.pk)
    before = {model: model._base_manager.filter(pk__in=pks).count() for model, pks in rows.items()}
    disposal = records.request_disposal(by=iris, family=family)
    # The purge (the last step) fails, after the rows and before the history are gone.
    monkeypatch.setattr(records, "FUNCTION", "retention_no_such_function")
    with pytest.raises(Exception, match="retention_no_such_function"):
        records.approve_disposal(by=owen, disposal=disposal)
    after = {model: model._base_manager.filter(pk__in=pks).count() for model, pks in rows.items()}
    assert after == before
    disposal.refresh_from_db()
    assert disposal.approved_at is None and disposal.family_id == family.pk
    assert not Tombstone.objects.exists()


def test_a_tombstone_cannot_be_changed_or_deleted(cast: Cast) -> None:
    iris, owen = officers()
    keep_for_a_year()
    family = close(make_family("Gone", cast.harbour))
    disposal = records.request_disposal(by=iris, family=family)
    tombstone = records.approve_disposal(by=owen, disposal=disposal)
    for statement in (
        "UPDATE retention_tombstone SET people = 0",
        "DELETE FROM retention_tombstone",
    ):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert Tombstone.objects.filter(pk=tombstone.pk).exists()


def test_the_purge_refuses_the_history_of_a_live_record(cast: Cast) -> None:
    iris, owen = officers()
    keep_for_a_year()
    family = close(make_family("Gone", cast.harbour))
    other = cast.okafors
    disposal = records.request_disposal(by=iris, family=family)
    records.approve_disposal(by=owen, disposal=disposal)
    with (
        pytest.raises(Exception, match="already removed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT retention_purge_history(%s, %s::jsonb)",
            [disposal.pk, f'{{"families_family": ["{other.pk}"]}}'],
        )


def test_the_app_role_purges_history_only_through_the_disposal(cast: Cast) -> None:
    """As the application's database role: deleting history directly is refused, and the
    disposal still removes it, through the SECURITY DEFINER function."""
    from onestory.core.append_only import APP_ROLE

    iris, owen = officers()
    keep_for_a_year()
    family = close(make_family("Role", cast.harbour))
    family.name = "The renamed family"
    family.save()
    events = apps.get_model("families", "FamilyEvent")
    assert events.objects.filter(pgh_obj_id=family.pk).exists()
    disposal = records.request_disposal(by=iris, family=family)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {APP_ROLE}")
    try:
        with (
            pytest.raises(DatabaseError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM families_familyevent")
        records.approve_disposal(by=owen, disposal=disposal)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert not events.objects.filter(pgh_obj_id=family.pk).exists()
    assert Tombstone.objects.filter(disposal=disposal).exists()
