"""Visiting standards, each child's next visit and the "What's due" lists."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.test import override_settings
from django.utils import timezone

from onestory.families.models import (
    Allocation,
    CareEpisode,
    CINEpisode,
    CPPlan,
    CPReview,
    Family,
    FamilyMember,
    MemberRole,
    Person,
    Review,
)
from onestory.pods.models import Staff
from onestory.stories import visiting
from onestory.stories.tests.helpers import make_entry, url
from onestory.test import LONG_AGO, Cast, child_of, signed_in

DAY = date(2025, 12, 19)  # a Friday before Christmas


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


def test_cp_visits_every_ten_working_days_from_the_last_visit(cast: Cast) -> None:
    child = child_of(cast.okafors)
    episode = CINEpisode.objects.create(
        child=child, family=cast.okafors, referral_source="1A", start=LONG_AGO
    )
    CPPlan.objects.create(
        episode=episode, child=child, initial_category="NEG", latest_category="NEG", start=LONG_AGO
    )
    make_entry(cast.okafors, cast.sam, at=at(DAY), seen=[child])
    due = {d.what: d for d in visiting.due_for([child], DAY)}
    assert due["Visit"].due == date(2026, 1, 7)  # skips Christmas and Boxing Day
    assert "10 working days" in due["Visit"].reason
    assert due["Review"].reason == "Child protection review"  # and none since 2020
    # A visit that did not see the child does not count.
    make_entry(cast.okafors, cast.sam, at=at(DAY + timedelta(days=5)))
    later = {d.what: d for d in visiting.due_for([child], DAY + timedelta(days=5))}
    assert later["Visit"].due == date(2026, 1, 7)


def test_child_in_need_every_twenty_working_days_and_configurable(cast: Cast) -> None:
    child = child_of(cast.okafors)
    CINEpisode.objects.create(
        child=child, family=cast.okafors, referral_source="1A", start=date(2025, 3, 3)
    )
    (due,) = visiting.due_for([child], date(2025, 3, 4))
    assert due.due == date(2025, 3, 31)
    with override_settings(ONESTORY_VISITING={"cin_every_working_days": 5}):
        assert visiting.due_for([child], date(2025, 3, 4))[0].due == date(2025, 3, 10)


def test_in_care_within_a_week_then_every_six_weeks_and_reviews(cast: Cast) -> None:
    child = child_of(cast.okafors)
    placed = date(2025, 6, 2)
    CareEpisode.objects.create(
        child=child,
        reason_new_episode="S",
        legal_status="C2",
        category_of_need="N1",
        placement="U1",
        provider="PR1",
        start=placed,
    )
    first = {d.what: d for d in visiting.due_for([child], placed)}
    assert first["Visit"].due == placed + timedelta(days=7)
    assert first["Review"].due == date(2025, 6, 30)  # 20 working days
    make_entry(cast.okafors, cast.sam, at=at(date(2025, 6, 5)), seen=[child])
    later = {d.what: d for d in visiting.due_for([child], date(2025, 6, 6))}
    assert later["Visit"].due == date(2025, 6, 5) + timedelta(weeks=6)
    status = visiting.statuses([child], placed)[child.pk]
    assert status.label == "In care (Full care order)"


def test_whats_due_lists_overdue_first_for_the_worker_and_the_pod(cast: Cast) -> None:
    jayden = child_of(cast.okafors)
    lily = child_of(cast.nashes)
    for child, family, start in [
        (jayden, cast.okafors, LONG_AGO),
        (lily, cast.nashes, LONG_AGO),
    ]:
        CINEpisode.objects.create(child=child, family=family, referral_source="1A", start=start)
    Allocation.objects.create(
        child=jayden, worker=Staff.objects.get(user=cast.sam), pod=cast.harbour, start=LONG_AGO
    )
    Allocation.objects.create(
        child=lily, worker=Staff.objects.get(user=cast.charlie), pod=cast.downs, start=LONG_AGO
    )
    mine = signed_in(cast.sam).get(url("due")).text
    assert "Jayden Okafor" in mine and "Overdue" in mine and "Lily" not in mine
    pod = signed_in(cast.priya).get(url("due_pod", cast.harbour.pk)).text
    assert "Jayden Okafor" in pod and "Lily" not in pod
    # Charlie is not in Pod Harbour: its list is not his to see.
    assert signed_in(cast.charlie).get(url("due_pod", cast.harbour.pk)).status_code == 404
    charlies = signed_in(cast.charlie).get(url("due")).text
    assert "Lily Nash" in charlies
    assert "Jayden" not in charlies


# --- Reviews ------------------------------------------------------------------------------


def in_care(child: Person, placed: date) -> CareEpisode:
    return CareEpisode.objects.create(
        child=child,
        reason_new_episode="S",
        legal_status="C2",
        category_of_need="N1",
        placement="U1",
        provider="PR1",
        start=placed,
    )


def on_a_plan(child: Person, family: Family, start: date, end: date | None = None) -> CPPlan:
    episode = CINEpisode.objects.create(
        child=child, family=family, referral_source="1A", start=start - timedelta(days=30)
    )
    return CPPlan.objects.create(
        episode=episode,
        child=child,
        initial_category="NEG",
        latest_category="NEG",
        start=start,
        end=end,
    )


def review_due(child: Person, day: date) -> visiting.Due:
    (due,) = [d for d in visiting.due_for([child], day) if d.what == "Review"]
    return due


def test_child_in_care_reviews_after_three_months_then_every_six(cast: Cast) -> None:
    child = child_of(cast.okafors)
    placed = date(2025, 6, 2)
    in_care(child, placed)
    # A review from before this episode does not count.
    Review.objects.create(child=child, date=date(2024, 1, 10), participation="PN1")
    assert review_due(child, placed).due == date(2025, 6, 30)  # 20 working days
    Review.objects.create(child=child, date=date(2025, 6, 27), participation="PN1")
    second = review_due(child, date(2025, 7, 1))
    assert (second.due, second.reason) == (date(2025, 9, 26), "Child in care review")  # +91
    Review.objects.create(child=child, date=date(2025, 9, 22), participation="PN1")
    assert review_due(child, date(2025, 10, 1)).due == date(2026, 3, 23)  # +182
    Review.objects.create(child=child, date=date(2026, 3, 20), participation="PN1")
    assert review_due(child, date(2026, 3, 21)).due == date(2026, 9, 18)  # +182 again
    with override_settings(ONESTORY_VISITING={"care_later_reviews_days": 120}):
        assert review_due(child, date(2026, 3, 21)).due == date(2026, 7, 18)


def test_cp_review_conferences_within_three_months_then_every_six(cast: Cast) -> None:
    child = child_of(cast.okafors)
    plan = on_a_plan(child, cast.okafors, date(2025, 3, 3))
    first = review_due(child, date(2025, 3, 4))
    assert (first.due, first.reason) == (date(2025, 6, 2), "Child protection review")  # +91
    CPReview.objects.create(plan=plan, date=date(2025, 5, 28))
    assert review_due(child, date(2025, 6, 1)).due == date(2025, 11, 26)  # +182
    CPReview.objects.create(plan=plan, date=date(2025, 11, 20))
    assert review_due(child, date(2025, 11, 21)).due == date(2026, 5, 21)  # +182 again
    with override_settings(ONESTORY_VISITING={"cp_later_reviews_days": 150}):
        assert review_due(child, date(2025, 11, 21)).due == date(2026, 4, 19)
    CPReview.objects.filter(plan=plan).delete()
    with override_settings(ONESTORY_VISITING={"cp_first_review_days": 60}):
        assert review_due(child, date(2025, 3, 4)).due == date(2025, 5, 2)
    # A child in care review is not a review conference of the plan.
    Review.objects.create(child=child, date=date(2025, 4, 1), participation="PN1")
    assert review_due(child, date(2025, 4, 2)).due == date(2025, 6, 2)


def test_only_the_current_plans_review_conferences_count(cast: Cast) -> None:
    child = child_of(cast.okafors)
    old = on_a_plan(child, cast.okafors, date(2024, 1, 8), end=date(2024, 12, 2))
    # The old plan's last review ended it, on the day the new plan began.
    CPReview.objects.create(plan=old, date=date(2024, 4, 2))
    CPReview.objects.create(plan=old, date=date(2024, 12, 2))
    CPPlan.objects.create(
        episode=old.episode,
        child=child,
        initial_category="EMO",
        latest_category="EMO",
        start=date(2024, 12, 2),
    )
    assert review_due(child, date(2024, 12, 3)).due == date(2025, 3, 3)  # new start + 91


def test_in_care_beats_a_cp_plan_for_reviews_too(cast: Cast) -> None:
    child = child_of(cast.okafors)
    plan = on_a_plan(child, cast.okafors, date(2025, 1, 6))
    CPReview.objects.create(plan=plan, date=date(2025, 3, 31))
    in_care(child, date(2025, 6, 2))
    due = review_due(child, date(2025, 6, 3))
    assert (due.due, due.reason) == (date(2025, 6, 30), "Child in care review")


def test_reviews_cost_one_query_for_any_number_of_children(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    def children(n: int) -> list[Person]:
        found = []
        for i in range(n):
            child = Person.objects.create(first_name=f"Kid{i}", last_name="Okafor")
            FamilyMember.objects.create(
                family=cast.okafors, person=child, role=MemberRole.CHILD, start=LONG_AGO
            )
            plan = on_a_plan(child, cast.okafors, date(2025, 1, 6))
            CPReview.objects.create(plan=plan, date=date(2025, 4, 1))
            if i % 2:
                in_care(child, date(2025, 6, 2))
            found.append(child)
        return found

    few, many = children(1), children(6)
    day = date(2025, 7, 1)
    # Statuses, last visits and reviews: one query each.
    with django_assert_num_queries(3):
        assert len(visiting.due_for(few, day)) == 2
    with django_assert_num_queries(3):
        due = visiting.due_for(few + many, day)
    reasons = sorted(d.reason for d in due if d.what == "Review")
    assert reasons == ["Child in care review"] * 3 + ["Child protection review"] * 4


def test_whats_due_shows_child_protection_reviews(cast: Cast) -> None:
    jayden = child_of(cast.okafors)
    plan = on_a_plan(jayden, cast.okafors, LONG_AGO)
    CPReview.objects.create(plan=plan, date=date(2020, 3, 30))
    Allocation.objects.create(
        child=jayden, worker=Staff.objects.get(user=cast.sam), pod=cast.harbour, start=LONG_AGO
    )
    page = signed_in(cast.sam).get(url("due")).text
    assert "Child protection review" in page
    assert "28 September 2020" in page  # 30 March 2020 + 182 days, long overdue


def test_checking_a_past_date_leaves_out_later_reviews_and_visits(cast: Cast) -> None:
    child = child_of(cast.okafors)
    placed = date(2025, 6, 2)
    in_care(child, placed)
    Review.objects.create(child=child, date=date(2025, 6, 27), participation="PN1")
    make_entry(cast.okafors, cast.sam, kind="visit", seen=[child], at=at(date(2025, 7, 1)))
    # On 20 June neither the review nor the visit had happened: both were due, and the first
    # visit (within a week of coming into care) was overdue on that day, whatever today is.
    (visit,) = [d for d in visiting.due_for([child], date(2025, 6, 20)) if d.what == "Visit"]
    assert visit.due == date(2025, 6, 9) and visit.overdue
    assert review_due(child, date(2025, 6, 20)).due == date(2025, 6, 30)
    # After both, the next ones follow from them.
    assert review_due(child, date(2025, 7, 2)).due == date(2025, 9, 26)
    (visit,) = [d for d in visiting.due_for([child], date(2025, 7, 2)) if d.what == "Visit"]
    assert visit.due == date(2025, 8, 12) and not visit.overdue
