"""The demo council's records for the returns that the episodes do not hold (issue 19):

- OC2 health outcomes for every child looked after continuously for 12 months at each 31 March
  (as the SSDA903 validator decides it), with the questions each age is asked;
- previous permanence for every period of care begun (mostly none, Z1; a few orders);
- OC3 for care leavers around their 17th to 21st birthdays;
- a few deprivation of liberty orders in 2026-27 (from April 2026);
- whether each looked-after girl is a mother (a few are), and a reason for every child without
  a UPN (UN1 under 6; UN4 for a child who came as an unaccompanied asylum seeker, who is
  newly arrived; UN2 or UN3 otherwise).

Deterministic (`random.Random(seed)`), made from the care episodes in one pass, written with
bulk_create and a few set-based updates: a few seconds at the `large` scale.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.db.models.functions import Mod

from onestory.families import codes
from onestory.families.models import (
    CareEpisode,
    CareLeaverContact,
    DeprivationOfLiberty,
    FamilyMember,
    HealthOutcomes,
    MemberRole,
    Person,
    PreviousPermanence,
    UASCPeriod,
)
from onestory.lib.dates import add_years

BATCH = 5000
# The first collection year the model could fill: it began in October 2015.
FIRST_YEAR = 2016
# Deprivation of liberty orders are returned from 2026-27.
DOLO_FROM = date(2026, 4, 1)
# Councils a previous order may have been made by: a few English numbers and Wales.
COUNCILS = ["202", "204", "306", "308", "330", "380", "800", "873", "926", "WAL"]
# Final reasons after which a young person is not a care leaver here: died, care taken over
# by another council, adopted (validator rules 1000, 1011, 134).
NOT_CARE_LEAVERS = {"E2", "E3", "E11", "E12"}


@dataclass(frozen=True)
class Ep:
    pk: int
    start: date
    end: date | None
    rne: str
    ls: str
    rec: str


def _year(ending: int) -> tuple[date, date]:
    return date(ending - 1, 4, 1), date(ending, 3, 31)


def continuously_looked_after(eps: list[Ep], ending: int) -> bool:
    """Looked after for the whole year to 31 March, as the SSDA903 validator works it out from
    the year's episodes (lac_validator's CONTINUOUSLY_LOOKED_AFTER): in care during the year,
    with no period of care begun after 1 April, none ended before 31 March other than by a
    new episode (X1), and no short break."""
    start, end = _year(ending)
    during = [e for e in eps if e.start <= end and (e.end is None or e.end >= start)]
    if not during:
        return False
    for e in during:
        ended = e.end if e.end is not None and e.end <= end else None
        if e.rne == "S" and start < e.start <= end:
            return False
        if ended is not None and e.rec != "X1" and start <= ended < end:
            return False
        if e.ls in codes.SHORT_BREAK_LEGAL_STATUSES:
            return False
    return True


def _outcomes(rng: random.Random, child: int, born: date, ending: int) -> HealthOutcomes:
    start, end = _year(ending)
    misuse = born <= add_years(end, -11) and rng.random() < 0.08
    received = (rng.random() < 0.6) if misuse else None
    # The SDQ is asked from 4 to 16 (rules 186, 188, 189, 197B); a few carers or young people
    # decline it.
    asked = add_years(born, 4) <= end and add_years(born, 17) >= start
    score, reason = None, ""
    if asked:
        if rng.random() < 0.06:
            reason = rng.choice(["SDQ2", "SDQ4", "SDQ5"])
        else:
            score = min(40, max(0, int(rng.gauss(14, 7))))
    return HealthOutcomes(
        child_id=child,
        year=ending,
        # Convictions are asked from 10 (rules 542, 543); development checks under 5 (545, 546).
        convicted=(rng.random() < 0.04) if add_years(born, 10) <= end else None,
        health_check=(rng.random() < 0.9) if add_years(born, 5) > end else None,
        immunisations=rng.random() < 0.88,
        teeth_check=rng.random() < 0.85,
        health_assessment=rng.random() < 0.9,
        substance_misuse=misuse,
        intervention_received=received,
        intervention_offered=(rng.random() < 0.7) if received is False else None,
        sdq_score=score,
        sdq_reason=reason,
    )


def _care_leaver(rng: random.Random, child: int, ending: int, age: int) -> CareLeaverContact:
    in_touch = rng.choices(["YES", "NO", "REFU", "NREQ", "RHOM"], weights=[85, 4, 4, 4, 3])[0]
    if in_touch in codes.IN_TOUCH_NOTHING_ASKED:
        activity, accommodation = "0", "0"
    elif in_touch == "YES":
        activity = rng.choices(
            ["F1", "F2", "P2", "F4", "F5", "P5", "G4", "G5", "G6"],
            weights=[8, 25, 4, 6, 15, 6, 6, 24, 6],
        )[0]
        # Staying put with former foster carers begins at 18 (rule 3001: not at 17).
        accommodation = rng.choices(
            ["B1", "D1", "E1", "U1", "Z1", "T1", "K1", "V2", "S2", "X2"],
            weights=[15, 20, 8, 25, 0 if age == 17 else 10, 6, 4, 3, 2, 2],
        )[0]
    else:
        activity, accommodation = "0", "0"
    return CareLeaverContact(
        child_id=child,
        year=ending,
        in_touch=in_touch,
        activity=activity,
        accommodation=accommodation,
    )


def _left_as_care_leaver(eps: list[Ep], born: date, ending: int) -> date | None:
    """The day a young person left care for good, if the year's return shows them leaving as
    a care leaver: at 16 or over, after 13 weeks in care since 14, and not by dying, adoption
    or another council taking over. Counted, as the validator counts it (rules 1001, 1002),
    from the episodes of this year's and last year's returns only, the two it is given: the
    demo's care leavers are those it can check."""
    last = eps[-1]
    if last.end is None or last.rec in NOT_CARE_LEAVERS or last.end < add_years(born, 16):
        return None
    seen_from = date(ending - 2, 4, 1)
    if last.end < seen_from:
        return None
    fourteen = add_years(born, 14)
    days = sum(
        (e.end - max(e.start, fourteen)).days
        for e in eps
        if e.end is not None
        and e.end > fourteen
        and e.end >= seen_from
        and e.ls not in codes.SHORT_BREAK_LEGAL_STATUSES
    )
    return last.end if days >= 91 else None


def seed(*, seed: int, today: date, scale: str, say: Callable[[str], None]) -> dict[str, int]:
    """Writes the returns' records from the care episodes; returns the rows per model."""
    rng = random.Random(f"{seed}:returns-records")
    by_child: dict[int, list[Ep]] = defaultdict(list)
    rows = CareEpisode.objects.order_by("child_id", "start").values_list(
        "child_id", "pk", "start", "end", "reason_new_episode", "legal_status", "reason_ceased"
    )
    for child, pk, start, end, rne, ls, rec in rows.iterator(BATCH):
        by_child[child].append(Ep(pk, start, end, rne, ls, rec))
    people: dict[int, date] = {
        pk: born
        for pk, born in Person.objects.filter(pk__in=list(by_child)).values_list(
            "pk", "date_of_birth"
        )
        if born is not None
    }
    last_year = today.year if today >= date(today.year, 3, 31) else today.year - 1

    outcomes, permanence, leavers, dolos = [], [], [], []
    dolo_candidates: list[tuple[int, date, date | None]] = []
    for child, eps in by_child.items():
        born = people.get(child)
        if born is None:
            continue
        for ending in range(FIRST_YEAR, last_year + 1):
            if continuously_looked_after(eps, ending):
                outcomes.append(_outcomes(rng, child, born, ending))
        for e in eps:
            if e.rne != "S":
                continue
            if rng.random() < 0.06 and e.start > add_years(born, 1):
                made = born + timedelta(days=rng.randint(180, (e.start - born).days - 1))
                permanence.append(
                    PreviousPermanence(
                        care_episode_id=e.pk,
                        order=rng.choice(["P1", "P2", "P2", "P3", "P4"]),
                        council=rng.choice(COUNCILS),
                        order_date=made,
                    )
                )
            else:
                permanence.append(PreviousPermanence(care_episode_id=e.pk, order="Z1"))
        for age in range(17, 22):
            birthday = add_years(born, age)
            ending = birthday.year + (1 if birthday.month > 3 else 0)
            if birthday > today or ending < FIRST_YEAR:
                continue
            left = _left_as_care_leaver(eps, born, ending)
            if left is not None and left < birthday:
                leavers.append(_care_leaver(rng, child, ending, age))
        current = eps[-1]
        in_care_since = max(current.start, DOLO_FROM)
        # Not for a child who also left care during the year: the validator reads an order
        # as belonging to any period of care of the child that ended (rule 707).
        left_in_year = any(
            e.end is not None and e.end >= DOLO_FROM and e.rec != "X1" for e in eps[:-1]
        )
        if (
            add_years(born, 12) <= in_care_since < today
            and not left_in_year
            and current.ls not in codes.SHORT_BREAK_LEGAL_STATUSES
            and (current.end is None or current.end > in_care_since)
            and (current.end is None or current.end <= today)
        ):
            dolo_candidates.append((child, in_care_since, current.end))
    # A few orders, however small the council: one in fifty of the older children in care
    # since April 2026, and at least three.
    candidates = rng.sample(
        dolo_candidates, min(len(dolo_candidates), max(3, len(dolo_candidates) // 50))
    )
    for child, since, care_ended in sorted(candidates):
        # Each has ended, by the end of its care episode at the latest (rule 707); none is
        # left open in the demo, as the validator read an open one of the small council's as
        # outliving its period of care.
        latest = care_ended or today - timedelta(days=91)
        if latest < since:
            continue
        begun = since + timedelta(days=rng.randint(0, (latest - since).days))
        ended = care_ended or begun + timedelta(days=rng.randint(30, 90))
        dolos.append(DeprivationOfLiberty(child_id=child, start=begun, end=ended))

    HealthOutcomes.objects.bulk_create(outcomes, batch_size=BATCH)
    PreviousPermanence.objects.bulk_create(permanence, batch_size=BATCH)
    CareLeaverContact.objects.bulk_create(leavers, batch_size=BATCH)
    DeprivationOfLiberty.objects.bulk_create(dolos, batch_size=BATCH)

    mothers = _mothers(rng, people, by_child, today)
    no_upn = _no_upn_reasons(today)
    return {
        "families.HealthOutcomes": len(outcomes),
        "families.PreviousPermanence": len(permanence),
        "families.CareLeaverContact": len(leavers),
        "families.DeprivationOfLiberty": len(dolos),
        "families.Person (mother asked)": mothers,
        "families.Person (reason for no UPN)": no_upn,
    }


def _mothers(
    rng: random.Random, born: dict[int, date], by_child: dict[int, list[Ep]], today: date
) -> int:
    """Every looked-after girl is asked (rule 393); a few of the older ones are mothers."""
    girls = Person.objects.filter(pk__in=list(by_child), sex=codes.Sex.FEMALE)
    asked = girls.update(is_mother=False)
    older = sorted(
        pk
        for pk in girls.values_list("pk", flat=True)
        if pk in born and add_years(born[pk], 17) <= today
    )
    mothers = []
    for pk in rng.sample(older, min(len(older), max(1, len(older) // 40))):
        first = add_years(born[pk], 15) + timedelta(days=rng.randint(0, 900))
        if first < today:
            mothers.append(Person(pk=pk, is_mother=True, first_child_born=first))
    Person.objects.bulk_update(mothers, ["is_mother", "first_child_born"], batch_size=BATCH)
    return asked


def _no_upn_reasons(today: date) -> int:
    """A reason for every child without a UPN: three set-based updates."""
    children = Person.objects.filter(
        Exists(FamilyMember.objects.filter(person=OuterRef("pk"), role=MemberRole.CHILD)),
        upn="",
        no_upn_reason="",
        date_of_birth__isnull=False,
    )
    six = add_years(today, -6)
    count = children.filter(date_of_birth__gt=six).update(no_upn_reason="UN1")
    count += children.filter(Exists(UASCPeriod.objects.filter(child=OuterRef("pk")))).update(
        no_upn_reason="UN4"
    )
    # The rest: mostly never at an English school, some home educated (by id, so that the
    # same council comes out every time).
    count += children.alias(bucket=Mod("pk", 5)).filter(bucket=0).update(no_upn_reason="UN3")
    count += children.update(no_upn_reason="UN2")
    return count
