"""The shape of a pod against the model's rules (docs/domain.md, "Pods"), at any date.

The rules, in full-time equivalents: 1 FTE pod manager, up to 2 FTE senior social workers, up
to 5 FTE social workers, at least 1 social worker in training and a business support officer.
Reality drifts (vacancies, leave, secondments), so the system warns and never refuses: these
functions only describe. They read `pod.memberships.all()`, so a page that prefetches the
memberships of many pods asks the database nothing more.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from onestory.pods.models import Pod, PodMembership, PodRole

# The posts of a pod as the model designs it: its establishment (FTE). For the trainee and
# business support the rule is "at least one"; one post each is what the model plans for.
ESTABLISHMENT: dict[str, Decimal] = {
    PodRole.POD_MANAGER: Decimal(1),
    PodRole.SENIOR_SOCIAL_WORKER: Decimal(2),
    PodRole.SOCIAL_WORKER: Decimal(5),
    PodRole.SOCIAL_WORKER_IN_TRAINING: Decimal(1),
    PodRole.BUSINESS_SUPPORT: Decimal(1),
}


def fte_text(fte: Decimal) -> str:
    """0.80 -> "0.8", 5.00 -> "5": how people say FTE."""
    return f"{fte.normalize():f}"


@dataclass(frozen=True)
class Composition:
    day: date
    fte: dict[str, Decimal]
    headcount: dict[str, int]

    def warnings(self) -> list[str]:
        fte, heads = self.fte, self.headcount
        manager = fte.get(PodRole.POD_MANAGER, Decimal(0))
        seniors = fte.get(PodRole.SENIOR_SOCIAL_WORKER, Decimal(0))
        workers = fte.get(PodRole.SOCIAL_WORKER, Decimal(0))
        found = []
        if manager == 0:
            found.append("There is no pod manager. The model has one full-time pod manager.")
        elif manager < 1:
            found.append(
                f"The pod manager works {fte_text(manager)} FTE. "
                "The model has one full-time pod manager."
            )
        elif manager > 1:
            found.append(
                f"There are {fte_text(manager)} FTE of pod managers. "
                "The model has one full-time pod manager."
            )
        if seniors > ESTABLISHMENT[PodRole.SENIOR_SOCIAL_WORKER]:
            found.append(
                f"There are {fte_text(seniors)} FTE of senior social workers. "
                "The model has up to 2 FTE."
            )
        if workers > ESTABLISHMENT[PodRole.SOCIAL_WORKER]:
            found.append(
                f"There are {fte_text(workers)} FTE of social workers. The model has up to 5 FTE."
            )
        if not heads.get(PodRole.SOCIAL_WORKER_IN_TRAINING):
            found.append("There is no social worker in training. The model has at least one.")
        if not heads.get(PodRole.BUSINESS_SUPPORT):
            found.append("There is no business support officer.")
        return found


def composition(memberships: Iterable[PodMembership], day: date) -> Composition:
    fte: dict[str, Decimal] = {role: Decimal(0) for role in PodRole.values}
    heads: Counter[str] = Counter()
    for membership in memberships:
        if membership.is_open_on(day):
            fte[membership.role] += membership.fte
            heads[membership.role] += 1
    return Composition(day=day, fte=fte, headcount=dict(heads))


def composition_warnings(pod: Pod, day: date) -> list[str]:
    """Plain warnings for a pod outside the model's rules on `day`; none for a pod that has
    not been formed yet or has been disbanded."""
    if pod.formed > day or (pod.disbanded is not None and pod.disbanded <= day):
        return []
    return composition(pod.memberships.all(), day).warnings()
