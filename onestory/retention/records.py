"""The writes: legal holds, disposal requests and approvals (which dispose), and the rules.

Each is a keyword-only function in one transaction through `recorded`; bad input raises a
ValidationError keyed by the field it is about, with nothing saved.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Min
from django.utils import timezone

from onestory.accounts.models import User
from onestory.families.models import Family, FamilyMember, MemberRole
from onestory.lib.history import lock, recorded
from onestory.retention import access
from onestory.retention.access import Action
from onestory.retention.graph import collect
from onestory.retention.models import (
    DEFAULT_YEARS,
    Disposal,
    HoldReason,
    LegalHold,
    RecordType,
    Rule,
    Tombstone,
)
from onestory.retention.purge import FUNCTION
from onestory.retention.schedule import retention_of
from onestory.stories.models import Entry

UNDER_HOLD = (
    "This family's record is under a legal hold ({references}). It cannot be disposed of "
    "until every hold is lifted."
)


def _active_holds(family: Family) -> list[str]:
    return list(
        LegalHold.objects.filter(family=family, lifted_at__isnull=True)
        .order_by("placed_at")
        .values_list("reference", flat=True)
    )


def place_hold(*, by: User, family: Family, reason: str, reference: str) -> LegalHold:
    access.check(by, Action.HOLD)
    errors = {}
    if reason not in HoldReason.values:
        errors["reason"] = "Select the reason for the hold"
    if not reference.strip():
        errors["reference"] = "Enter the reference of the claim, inquiry or request"
    if errors:
        raise ValidationError(errors)
    with recorded(by, "retention.place_hold"):
        # Race: a disposal approved at this moment. Both lock the family's row, so either the
        # hold waits and then finds the family gone, or the disposal waits and then sees it.
        lock(Family.objects.filter(pk=family.pk))
        if not Family.objects.filter(pk=family.pk).exists():
            raise ValidationError({"reference": "This family's record has been disposed of"})
        return LegalHold.objects.create(
            family=family, reason=reason, reference=reference.strip(), placed_by=by
        )


def lift_hold(*, by: User, hold: LegalHold, lift_reason: str) -> LegalHold:
    access.check(by, Action.HOLD)
    if not lift_reason.strip():
        raise ValidationError({"lift_reason": "Enter why the hold can be lifted"})
    with recorded(by, "retention.lift_hold"):
        # Race: two officers lifting the same hold; the second finds it already lifted.
        updated = LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
            lifted_by=by, lifted_at=timezone.now(), lift_reason=lift_reason.strip()
        )
        if not updated:
            raise ValidationError({"lift_reason": "This hold has already been lifted"})
    hold.refresh_from_db()
    return hold


def request_disposal(*, by: User, family: Family) -> Disposal:
    access.check(by, Action.REQUEST)
    with recorded(by, "retention.request_disposal"):
        # Race: a hold placed at the same time (see place_hold).
        lock(Family.objects.filter(pk=family.pk))
        _check_disposable(family)
        if Disposal.objects.filter(family=family, approved_at__isnull=True).exists():
            raise ValidationError("A disposal of this family is already waiting for approval.")
        dated = retention_of(family.pk)
        assert dated is not None and dated.until is not None
        return Disposal.objects.create(
            family=family,
            family_reference=family.reference,
            rule=dated.rule,
            retain_until=dated.until,
            requested_by=by,
        )


def _check_disposable(family: Family) -> None:
    held = _active_holds(family)
    if held:
        raise ValidationError(UNDER_HOLD.format(references=", ".join(held)))
    if family.closed is None:
        raise ValidationError("This family's record is open: only a closed record is disposed of.")
    dated = retention_of(family.pk)
    today = timezone.localdate()
    if dated is None or dated.until is None:
        raise ValidationError(
            "This family's retention date cannot be worked out (a child has no date of birth, "
            "or there are no children): check the record first."
        )
    if dated.until > today:
        raise ValidationError(f"This family's record must be kept until {dated.until:%-d %B %Y}.")


def withdraw_disposal(*, by: User, disposal: Disposal) -> None:
    """An officer takes back a request (theirs or another's) that is still waiting."""
    access.check(by, Action.REQUEST)
    with recorded(by, "retention.withdraw_disposal"):
        deleted, _ = Disposal.objects.filter(pk=disposal.pk, approved_at__isnull=True).delete()
        if not deleted:
            raise ValidationError("This disposal has already been approved.")


def approve_disposal(*, by: User, disposal: Disposal) -> Tombstone:
    """Approves another officer's request and disposes of the family's record, its story and
    its history in this one transaction, leaving a tombstone. Any failure leaves everything as
    it was."""
    access.check(by, Action.APPROVE)
    if disposal.requested_by_id == by.pk:
        raise ValidationError("A different officer must approve the disposal you asked for.")
    with recorded(by, "retention.dispose"):
        # Race: a legal hold placed while this runs. place_hold locks the same family row, so
        # the hold either committed before this lock (and is seen below) or waits until the
        # family is gone. The database trigger on families_family refuses the delete anyway.
        if disposal.family_id is None:
            raise ValidationError("This disposal has already been approved.")
        lock(Family.objects.filter(pk=disposal.family_id))
        # Race: two officers approving the same request; the second finds it approved.
        lock(Disposal.objects.filter(pk=disposal.pk))
        disposal.refresh_from_db()
        if disposal.approved_at is not None or disposal.family_id is None:
            raise ValidationError("This disposal has already been approved.")
        family = Family.objects.get(pk=disposal.family_id)
        _check_disposable(family)
        return _dispose(by=by, disposal=disposal, family=family)


def _dispose(*, by: User, disposal: Disposal, family: Family) -> Tombstone:
    rows = collect(family.pk)
    members = FamilyMember.objects.filter(family=family)
    entries = Entry.objects.filter(family=family)
    first = entries.aggregate(first=Min("occurred_at"))["first"]
    assert family.closed is not None
    counts = {
        "people": members.values("person").distinct().count(),
        "children": members.filter(role=MemberRole.CHILD).values("person").distinct().count(),
        "entries": entries.count(),
        # The span of the record: from its opening (or its first entry, if earlier) to closure.
        "opened": min(family.opened, timezone.localdate(first)) if first else family.opened,
        "closed": family.closed,
    }
    now = timezone.now()
    Disposal.objects.filter(pk=disposal.pk).update(family=None, approved_by=by, approved_at=now)
    removed = 0
    with connection.cursor() as cursor:
        # Checks whatever this transaction wrote before (leaving no deferred trigger events
        # pending, which the ALTER TABLE in the purge would refuse), then defers the checks
        # again, so that the deletes below may run in any order.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for model, pks in rows.items():
            meta = model._meta
            assert meta.pk is not None
            table = connection.ops.quote_name(meta.db_table)
            pk = connection.ops.quote_name(meta.pk.column or "pk")
            cursor.execute(f"DELETE FROM {table} WHERE {pk} = ANY(%s)", [list(pks)])  # noqa: S608
            removed += cursor.rowcount
    tombstone = Tombstone.objects.create(
        disposal=disposal,
        family_reference=disposal.family_reference,
        rule=disposal.rule,
        retain_until=disposal.retain_until,
        rows_removed=removed,
        requested_by_id=disposal.requested_by_id,
        approved_by=by,
        disposed_at=now,
        **counts,
    )
    # The history and the access log last: the deletes above wrote delete events (with the
    # rows' contents) that must go too. The function refuses without the tombstone.
    targets = {model._meta.db_table: [str(pk) for pk in pks] for model, pks in rows.items()}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {FUNCTION}(%s, %s::jsonb)", [disposal.pk, json.dumps(targets)])
        # A row anywhere still pointing at a removed one fails here, and the whole disposal
        # with it; then the checks are deferred again for the rest of the transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return tombstone


def edit_rule(*, by: User, record_type: str, years: int, expected_version: int) -> bool:
    """Changes one rule if nobody has since `expected_version` was read (False if they have:
    the loser keeps what they typed)."""
    access.check(by, Action.RULES)
    if not years or years < 1 or years > 150:
        raise ValidationError({"years": "Enter a number of years from 1 to 150"})
    kind = RecordType(record_type)
    with recorded(by, "retention.edit_rule"):
        Rule.objects.get_or_create(record_type=kind, defaults={"years": DEFAULT_YEARS[kind]})
        updated = Rule.objects.filter(record_type=kind, version=expected_version).update(
            years=years, version=F("version") + 1
        )
    return bool(updated)
