"""The audit measures against a hand-counted fixture, edges included, one query each
(onestory/outcomes/audit.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.utils import timezone

from onestory.audits.models import (
    Audit,
    AuditAction,
    DomainGrade,
    ModeratedGrade,
    Moderation,
    SampledChild,
)
from onestory.audits.tests.helpers import World, a_cycle, make_world
from onestory.outcomes import audit as measures
from onestory.test import Cast

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 20)  # the 12 months to it: 21 November 2025 to 20 November 2026


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12, 0))


def finish(audit: Audit, day: date, overall: int, grades: dict[int, int], default: int) -> None:
    Audit.objects.filter(pk=audit.pk).update(
        status="finished", finished_at=at(day), overall_grade=overall
    )
    for grade in DomainGrade.objects.filter(audit=audit).select_related("domain"):
        grade.grade = grades.get(grade.domain.position, default)
        grade.save()


@pytest.fixture
def counted(cast: Cast) -> dict[str, Any]:
    """Two audits in each pod (cycle of November 2026):
    H1 (Harbour) finished 10 Nov 2026, Good, domain 1 Requires improvement, the rest Good;
       moderated: overall Requires improvement, domain 1 Inadequate, the rest Good.
    H2 (Harbour) finished 12 Nov 2026, Outstanding everywhere.
    D1 (Downs) finished 20 Nov 2025 (a year before DAY: outside), Good everywhere.
    D2 (Downs) still a draft.
    """
    world: World = make_world(cast)
    cycle = a_cycle(world, per_pod=2)
    samples = SampledChild.objects.filter(cycle=cycle).select_related("audit").order_by("pk")
    h1, h2 = [s.audit for s in samples if s.pod_id == cast.harbour.pk]
    d1, _ = [s.audit for s in samples if s.pod_id == cast.downs.pk]
    finish(h1, date(2026, 11, 10), 2, {1: 3}, 2)
    finish(h2, date(2026, 11, 12), 1, {}, 1)
    finish(d1, date(2025, 11, 20), 2, {}, 2)
    moderation = Moderation.objects.create(
        audit=h1, moderator=world.quinn, overall_grade=3, moderated_at=at(date(2026, 11, 11))
    )
    ModeratedGrade.objects.bulk_create(
        ModeratedGrade(moderation=moderation, domain=d, grade=4 if d.position == 1 else 2)
        for d in cycle.domains.all()
    )

    def action(due: date, done: date | None) -> None:
        AuditAction.objects.create(
            audit=h1,
            what="x",
            owner=cast.sam,
            due=due,
            done_on=done,
            done_by=cast.sam if done else None,
        )

    action(date(2026, 11, 15), date(2026, 11, 14))  # on time
    action(date(2026, 11, 18), date(2026, 11, 19))  # late
    action(date(2026, 11, 20), None)  # due on DAY, not done
    action(date(2026, 11, 21), None)  # due after DAY: not counted
    action(date(2025, 11, 20), date(2025, 11, 1))  # due a year before DAY: not counted
    return {"cast": cast}


def test_audits_finished_in_the_twelve_months(counted: Any, django_assert_num_queries: Any) -> None:
    cast = counted["cast"]
    with django_assert_num_queries(1):
        assert measures.audits_finished(DAY) == 2
    assert measures.audits_finished(date(2026, 11, 19)) == 3  # D1 is inside the year to 19 Nov
    assert measures.audits_finished(DAY, pod=cast.downs.pk) == 0


def test_good_or_better_uses_the_moderated_grade(
    counted: Any, django_assert_num_queries: Any
) -> None:
    cast = counted["cast"]
    with django_assert_num_queries(1):
        assert measures.good_or_better(DAY) == 50.0  # H1 moderated to RI, H2 Outstanding
    assert measures.good_or_better(DAY, pod=cast.harbour.pk) == 50.0
    assert measures.good_or_better(DAY, pod=cast.downs.pk) is None
    assert measures.good_or_better(date(2026, 11, 19)) == round(200 / 3, 1)


def test_action_completion_counts_on_time_only(
    counted: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        assert measures.action_completion(DAY) == 33.3  # 1 of 3 due done by its date
    assert measures.action_completion(DAY, pod=counted["cast"].downs.pk) is None


def test_grades_by_domain_over_time(counted: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        rows = measures.grades_by_domain(date(2026, 1, 1), date(2026, 12, 31))
    by_name = {r.domain: r for r in rows}
    voice = by_name["The child's lived experience and voice"]
    assert voice.year == 2026
    assert voice.counts == {1: 1, 2: 1, 4: 1}  # H2, D1, and H1 as moderated
    assert voice.good_or_better == 66.7
    record = by_name["The quality of the One Story record"]
    assert record.counts == {1: 1, 2: 2} and record.good_or_better == 100.0
    assert measures.grades_by_domain(date(2027, 1, 1), date(2027, 12, 31)) == []


def test_many_days_at_once_keep_each_day_s_year(
    counted: Any, django_assert_num_queries: Any
) -> None:
    cast = counted["cast"]
    with django_assert_num_queries(1):
        found = measures.good_or_better_on([date(2026, 11, 19), DAY])
    assert found[(DAY, None)] == 50.0
    assert found[(date(2026, 11, 19), None)] == round(200 / 3, 1)
    assert found[(DAY, cast.harbour.pk)] == 50.0
    assert (DAY, cast.downs.pk) not in found
    assert measures.action_completion_on([DAY])[(DAY, None)] == 33.3
