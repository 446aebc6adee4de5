"""A pod against the model's rules: plain warnings, never a refusal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from onestory.pods.composition import composition, composition_warnings
from onestory.pods.models import Pod, PodMembership, PodRole
from onestory.test import Harbour

DAY = date(2026, 6, 1)
EARLIER = date(2025, 1, 1)


def member(role: str, fte: str, *, start: date = EARLIER, end: date | None = None):
    return PodMembership(role=role, fte=Decimal(fte), start=start, end=end)


FULL_POD = [
    member(PodRole.POD_MANAGER, "1.00"),
    member(PodRole.SENIOR_SOCIAL_WORKER, "1.00"),
    member(PodRole.SENIOR_SOCIAL_WORKER, "1.00"),
    *(member(PodRole.SOCIAL_WORKER, "1.00") for _ in range(5)),
    member(PodRole.SOCIAL_WORKER_IN_TRAINING, "1.00"),
    member(PodRole.BUSINESS_SUPPORT, "1.00"),
]


def warnings(members: list[PodMembership]) -> list[str]:
    return composition(members, DAY).warnings()


def test_a_pod_built_to_the_model_has_no_warnings() -> None:
    assert warnings(FULL_POD) == []


def test_each_rule_says_plainly_what_is_wrong() -> None:
    without = [m for m in FULL_POD if m.role != PodRole.POD_MANAGER]
    assert warnings(without) == [
        "There is no pod manager. The model has one full-time pod manager."
    ]
    part_time = [*without, member(PodRole.POD_MANAGER, "0.60")]
    assert warnings(part_time) == [
        "The pod manager works 0.6 FTE. The model has one full-time pod manager."
    ]
    job_share = [*part_time, member(PodRole.POD_MANAGER, "0.60")]
    assert warnings(job_share) == [
        "There are 1.2 FTE of pod managers. The model has one full-time pod manager."
    ]
    seniors = [*FULL_POD, member(PodRole.SENIOR_SOCIAL_WORKER, "0.50")]
    assert warnings(seniors) == [
        "There are 2.5 FTE of senior social workers. The model has up to 2 FTE."
    ]
    workers = [*FULL_POD, member(PodRole.SOCIAL_WORKER, "0.60")]
    assert warnings(workers) == ["There are 5.6 FTE of social workers. The model has up to 5 FTE."]
    no_trainee = [m for m in FULL_POD if m.role != PodRole.SOCIAL_WORKER_IN_TRAINING]
    assert warnings(no_trainee) == [
        "There is no social worker in training. The model has at least one."
    ]
    no_support = [m for m in FULL_POD if m.role != PodRole.BUSINESS_SUPPORT]
    assert warnings(no_support) == ["There is no business support officer."]


def test_only_memberships_open_on_the_day_count() -> None:
    manager_left = [
        *(m for m in FULL_POD if m.role != PodRole.POD_MANAGER),
        member(PodRole.POD_MANAGER, "1.00", end=DAY),  # left that morning
        member(PodRole.POD_MANAGER, "1.00", start=date(2026, 6, 2)),  # starts tomorrow
    ]
    assert warnings(manager_left) == [
        "There is no pod manager. The model has one full-time pod manager."
    ]


@given(
    manager=st.sampled_from(["0", "0.5", "1", "1.5"]),
    seniors=st.integers(min_value=0, max_value=4),
    workers=st.integers(min_value=0, max_value=8),
    trainees=st.integers(min_value=0, max_value=2),
    support=st.integers(min_value=0, max_value=2),
)
def test_warnings_appear_exactly_when_a_rule_is_broken(
    manager: str, seniors: int, workers: int, trainees: int, support: int
) -> None:
    members = [
        *([member(PodRole.POD_MANAGER, manager)] if manager != "0" else []),
        *(member(PodRole.SENIOR_SOCIAL_WORKER, "0.80") for _ in range(seniors)),
        *(member(PodRole.SOCIAL_WORKER, "0.80") for _ in range(workers)),
        *(member(PodRole.SOCIAL_WORKER_IN_TRAINING, "1.00") for _ in range(trainees)),
        *(member(PodRole.BUSINESS_SUPPORT, "1.00") for _ in range(support)),
    ]
    broken = [
        Decimal(manager) != 1,
        Decimal("0.80") * seniors > 2,
        Decimal("0.80") * workers > 5,
        trainees == 0,
        support == 0,
    ]
    assert len(warnings(members)) == sum(broken)


def test_composition_warnings_reads_the_pods_members(harbour: Harbour) -> None:
    # Harbour has a manager, Ruth (senior), Sam (social worker), Tom (in training) and Ben.
    assert composition_warnings(harbour.cast.harbour, DAY) == []
    harbour.tom.memberships.update(end=date(2026, 5, 1))
    assert composition_warnings(harbour.cast.harbour, DAY) == [
        "There is no social worker in training. The model has at least one."
    ]


def test_a_pod_not_running_has_no_warnings(harbour: Harbour) -> None:
    closed = Pod.objects.create(name="Pod Closed", formed=EARLIER, disbanded=date(2026, 1, 1))
    assert composition_warnings(closed, DAY) == []
    assert composition_warnings(closed, date(2025, 6, 1)) != []
