"""The demo council's retention: a few legal holds (one lifted), a few records already disposed
of (their tombstones), and, when a record is due, a disposal waiting for approval, so that the
information governance officer's pages have something in them.

A second information governance officer (Owen Marsh: `demo-information-governance-2` when that
demo account exists, otherwise a colleague who cannot sign in) asks for and approves
what the demo officer, Iris Bennett, did not: a disposal needs two people. Deterministic
(`random.Random(seed)`) and written with `bulk_create`, a few statements in all.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from onestory.accounts.models import Role, User
from onestory.families.models import Family
from onestory.families.models.records import REFERENCE_ALPHABET
from onestory.retention.models import Disposal, HoldReason, LegalHold, RecordType, Rule, Tombstone
from onestory.retention.schedule import due_page

HOLDS = [
    (HoldReason.LITIGATION, "CLM/2025/0113", ""),
    (HoldReason.SUBJECT_ACCESS, "SAR/2026/0457", ""),
    (HoldReason.POLICE, "OP-HALYARD/88", ""),
    (HoldReason.INQUIRY, "IICSA/R/2019/12", "The inquiry's report is published; no further need."),
]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def seed(*, seed: int, today: date, scale: str, say: Callable[[str], None]) -> dict[str, int]:
    """Writes the holds, tombstones and a waiting request; returns the rows per model."""
    rng = random.Random(f"{seed}:retention")
    iris = User.objects.filter(username="demo-information-governance").first()
    if iris is None:
        return {}
    # The second officer: a demo account when there is one, otherwise a colleague who cannot
    # sign in.
    owen = User.objects.filter(username="demo-information-governance-2").first()
    if owen is None:
        owen = User(
            username="ig-officer-owen-marsh",
            role=Role.INFORMATION_GOVERNANCE,
            first_name="Owen",
            last_name="Marsh",
        )
        owen.set_unusable_password()
        owen.save()
    closed = list(
        Family.objects.filter(closed__isnull=False).order_by("pk").values_list("pk", flat=True)
    )
    holds = []
    for (reason, reference, lifted), family_id in zip(
        HOLDS, rng.sample(closed, min(len(HOLDS), len(closed))), strict=False
    ):
        placed = today - timedelta(days=rng.randint(40, 400))
        hold = LegalHold(
            family_id=family_id,
            reason=reason,
            reference=reference,
            placed_by=iris,
            placed_at=_at(placed),
        )
        if lifted:
            hold.lifted_by, hold.lifted_at, hold.lift_reason = (
                owen,
                _at(placed + timedelta(30)),
                lifted,
            )
        holds.append(hold)
    LegalHold.objects.bulk_create(holds)

    # Records disposed of in earlier years: tombstones only, the records themselves are gone.
    disposals, stones = [], []
    for number in range(3):
        reference = "F" + "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(7))
        closed_on = date(2000 + number, rng.randint(1, 12), rng.randint(1, 28))
        until = closed_on + timedelta(days=365 * rng.randint(1, 3))
        done = _at(today - timedelta(days=90 * (number + 1)))
        asked, approved = (iris, owen) if number % 2 else (owen, iris)
        disposal = Disposal(
            family_reference=reference,
            rule=RecordType.OTHER,
            retain_until=until,
            requested_by=asked,
            requested_at=done - timedelta(days=6),
            approved_by=approved,
            approved_at=done,
        )
        disposals.append(disposal)
        stones.append(
            Tombstone(
                disposal=disposal,
                family_reference=reference,
                people=rng.randint(2, 6),
                children=rng.randint(1, 3),
                entries=rng.randint(20, 400),
                opened=closed_on - timedelta(days=rng.randint(200, 1500)),
                closed=closed_on,
                rule=RecordType.OTHER,
                retain_until=until,
                rows_removed=rng.randint(100, 2000),
                requested_by=asked,
                approved_by=approved,
                disposed_at=done,
            )
        )
    Disposal.objects.bulk_create(disposals)
    Tombstone.objects.bulk_create(stones)

    # One record due today waits for Iris's approval, if any is due under the default rules.
    waiting = due_page(today, Rule.years_by_type(), offset=0, limit=1)
    if waiting:
        due = waiting[0]
        Disposal.objects.create(
            family_id=due.family_id,
            family_reference=due.reference,
            rule=due.rule,
            retain_until=due.until,
            requested_by=owen,
            requested_at=_at(today - timedelta(days=2)),
        )
    say(f"Retention: {len(holds)} holds, {len(stones)} tombstones, {len(waiting)} waiting")
    return {
        "retention.LegalHold": len(holds),
        "retention.Tombstone": len(stones),
        "retention.Disposal": len(disposals) + len(waiting),
    }
