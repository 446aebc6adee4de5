"""Drawing a cycle's sample: stratified by pod and status, reproducible from the recorded seed,
leaving out children audited in the last 6 months, and refusing a sample larger than the open
children. Auditors come from another pod, and their access to the family is opened."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from onestory.audits.cycles import access_reason, close_cycle
from onestory.audits.models import Cycle, CycleDomain, Domain, SampledChild, SampleStatus
from onestory.audits.sampling import eligible_children, months_before, plan_sample, shares
from onestory.audits.tests.helpers import World, a_cycle
from onestory.families.access import Action, can
from onestory.families.models import AuditAccess

pytestmark = pytest.mark.django_db


def drawn(cycle: Cycle) -> list[tuple[int, str, str]]:
    return sorted(
        SampledChild.objects.filter(cycle=cycle).values_list("child_id", "pod__name", "status")
    )


def test_the_same_seed_draws_the_same_sample_and_another_seed_another(world: World) -> None:
    today = timezone.localdate()
    first = plan_sample(day=today, seed=41, per_pod=3)
    again = plan_sample(day=today, seed=41, per_pod=3)
    assert [c.child_id for c in first.drawn] == [c.child_id for c in again.drawn]
    others = {
        tuple(c.child_id for c in plan_sample(day=today, seed=s, per_pod=3).drawn)
        for s in range(42, 52)
    }
    assert len(others) > 1  # seeds do change the sample


def test_stratified_by_pod_and_status_in_proportion(world: World) -> None:
    cycle = a_cycle(world, per_pod=4)
    by = Counter((pod, status) for _, pod, status in drawn(cycle))
    # Harbour: Jayden has no open episode; 3 CIN, 2 CP, 2 in care: 4 shared 1.71/1.14/1.14
    # -> 1, 1, 1 and the largest remainder (CIN, .71) gets the fourth.
    assert by[("Pod Harbour", "cin")] == 2
    assert by[("Pod Harbour", "cp")] == 1
    assert by[("Pod Harbour", "in_care")] == 1
    # Downs has exactly 4 (2 CIN, 1 CP, 1 in care): all of them.
    assert sum(n for (pod, _), n in by.items() if pod == "Pod Downs") == 4
    assert cycle.drawn_on == timezone.localdate()


def test_shares_add_up_and_never_exceed_a_stratum() -> None:
    care, cp, cin = SampleStatus.IN_CARE, SampleStatus.CP, SampleStatus.CIN
    assert shares(4, {care: 2, cp: 2, cin: 3}) == {care: 1, cp: 1, cin: 2}
    assert shares(10, {care: 0, cp: 1, cin: 2}) == {care: 0, cp: 1, cin: 2}
    assert sum(shares(5, {care: 1, cp: 1, cin: 1}).values()) == 3


def test_children_audited_in_the_last_six_months_are_left_out(world: World) -> None:
    cycle = a_cycle(world, per_pod=2, starts=date(2026, 7, 1))
    sampled = {child for child, _, _ in drawn(cycle)}
    later = {c.child_id for c in eligible_children(timezone.localdate())}
    assert sampled and not sampled & later
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)


def test_a_sample_larger_than_the_open_children_is_refused_with_the_numbers(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        a_cycle(world, per_pod=5)
    message = refused.value.message_dict["sample_per_pod"][0]
    assert "Pod Downs has 4" in message
    assert "Choose a sample of 4 or fewer a pod" in message
    assert not Cycle.objects.exists()  # nothing saved


def test_auditors_come_from_another_pod_and_get_access_for_the_audit_only(world: World) -> None:
    cycle = a_cycle(world, per_pod=1)
    cast = world.cast
    for sample in SampledChild.objects.filter(cycle=cycle).select_related("assignment"):
        auditor = sample.assignment.auditor
        assert auditor.staff.memberships.get().pod_id != sample.pod_id
        assert can(auditor, sample.family, Action.VIEW)
        assert not can(auditor, sample.family, Action.EDIT)
        assert AuditAccess.objects.get(user=auditor, family=sample.family).reason == (
            access_reason(cycle)
        )
    harbour_child = SampledChild.objects.get(cycle=cycle, pod=cast.harbour)
    assert harbour_child.assignment.case_holder == cast.sam.staff
    close_cycle(cycle=cycle, by=world.quinn)
    assert not AuditAccess.objects.active().exists()
    assert not can(harbour_child.assignment.auditor, harbour_child.family, Action.VIEW)


def test_a_cycle_keeps_the_domains_it_opened_with(world: World) -> None:
    cycle = a_cycle(world, per_pod=1)
    assert cycle.domains.count() == 7
    Domain.objects.filter(position=1).update(name="Changed")
    Domain.objects.create(name="A new domain", position=9)
    assert next(iter(cycle.domains.values_list("name", flat=True))) == (
        "The child's lived experience and voice"
    )
    assert CycleDomain.objects.filter(cycle=cycle).count() == 7
