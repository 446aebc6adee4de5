"""The demo council's retention: holds (one lifted), tombstones made by two officers, and the
held families never listed as due."""

from __future__ import annotations

import pytest

from onestory.retention.models import LegalHold, Rule, Tombstone
from onestory.retention.schedule import due_page
from onestory.test import SMALL_COUNCIL_TODAY

pytestmark = pytest.mark.django_db


def test_the_demo_council_has_holds_and_tombstones(small_council: dict[str, int]) -> None:
    assert small_council["retention.LegalHold"] == 4
    assert small_council["retention.Tombstone"] == 3
    held = set(LegalHold.objects.filter(lifted_at__isnull=True).values_list("family", flat=True))
    assert len(held) == 3
    assert LegalHold.objects.filter(lifted_at__isnull=False).exclude(lift_reason="").count() == 1
    for stone in Tombstone.objects.all():
        assert stone.requested_by_id != stone.approved_by_id
    # Under a one-year rule nearly every closed family is due; the held ones never are.
    Rule.objects.bulk_create([Rule(record_type=k, years=1) for k in ("care", "adoption", "other")])
    due = due_page(SMALL_COUNCIL_TODAY, Rule.years_by_type(), offset=0, limit=100_000)
    assert due and not held & {row.family_id for row in due}
