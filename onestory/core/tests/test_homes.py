"""Each role's home answers "what needs me today?" (onestory/core/homes.py): overdue first,
every item a link, nothing the reader may not see (counts included), and an empty list says
so in words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.utils import timezone

from onestory.accounts.models import Role, User
from onestory.core.homes import HOMES, Part, build_home
from onestory.families.models import (
    Allocation,
    CINEpisode,
    CPPlan,
    EmergencyAccess,
    Family,
    FamilyMember,
    MemberRole,
    Person,
)
from onestory.lib import due
from onestory.lib.dates import month_start
from onestory.outcomes.snapshots import rebuild
from onestory.stories.models import Kind, SignOff
from onestory.stories.tests.helpers import make_entry
from onestory.test import LONG_AGO, Cast, Harbour, child_of, signed_in


def on_a_plan(child: Person, family: Family, start: date) -> CPPlan:
    episode = CINEpisode.objects.create(
        child=child, family=family, referral_source="1A", start=start - timedelta(days=30)
    )
    return CPPlan.objects.create(
        episode=episode,
        child=child,
        initial_category="NEG",
        latest_category="NEG",
        start=start,
    )


@pytest.fixture
def a_task_source() -> Iterator[list[due.Task]]:
    """A feature registering what is due (as supervision and complaints do): the list it
    answers for Sam is the test's to fill."""
    tasks: list[due.Task] = []

    def source(user: User, day: date) -> list[due.Task]:
        return [t for t in tasks if user.username == "sam"]

    due.register(personal=source)
    yield tasks
    due._personal.remove(source)


def test_every_role_has_a_home() -> None:
    assert set(HOMES) == set(Role.values)
    # Front-line workers see their own work first.
    assert HOMES[Role.SOCIAL_WORKER][0] is Part.DUE
    assert HOMES[Role.POD_MANAGER][0] is Part.SIGN_OFF


def test_a_social_workers_home_has_their_children_what_is_due_and_their_drafts(
    harbour: Harbour, a_task_source: list[due.Task]
) -> None:
    cast = harbour.cast
    today = timezone.localdate()
    on_a_plan(harbour.jayden, cast.okafors, today - timedelta(days=60))
    # Seen 30 days ago: the next visit (every 10 working days) is overdue.
    make_entry(cast.okafors, cast.sam, seen=[harbour.jayden], at=timezone.now() - timedelta(30))
    draft = make_entry(cast.okafors, cast.sam, kind=Kind.DIRECT_WORK, final=False)
    type(draft).objects.filter(pk=draft.pk).update(created_at=timezone.now() - timedelta(days=3))
    a_task_source.append(
        due.Task("Supervision with Priya Shah", today + timedelta(days=2), "/x/", "", "Supervision")
    )
    a_task_source.append(due.Task("Far off", today + timedelta(days=40), "/y/", "", "Audit"))

    page = signed_in(cast.sam).get("/").text
    assert "Welcome, Sam" in page and "Social worker" in page
    children = page.split('id="children"')[1].split("</table>")[0]
    assert "Jayden Okafor" in children and "Child protection plan (Neglect)" in children
    assert "Overdue" in children
    due_part = page.split('id="due"')[1].split('id="children"')[0]
    # Overdue first: the visit comes before the supervision in two days.
    assert due_part.index("Visit") < due_part.index("Supervision with Priya Shah")
    assert "Far off" not in due_part
    drafts = page.split('id="drafts"')[1]
    assert "Direct work" in drafts and "started 3 days ago" in drafts


def test_empty_lists_say_so_in_words(cast: Cast) -> None:
    page = signed_in(cast.charlie).get("/").text
    assert "Nothing is overdue or due in the next 7 days." in page
    assert "No children are allocated to you today." in page
    assert "You have no drafts waiting to be finalised." in page


def test_a_pod_managers_home_has_sign_offs_overdue_work_and_the_pods(harbour: Harbour) -> None:
    cast = harbour.cast
    today = timezone.localdate()
    on_a_plan(harbour.jayden, cast.okafors, today - timedelta(days=60))
    waiting = make_entry(cast.okafors, cast.sam, kind=Kind.ASSESSMENT)
    signed = make_entry(cast.okafors, cast.sam, kind=Kind.STRENGTHENING_FAMILIES)
    SignOff.objects.create(entry=signed, by=cast.priya)
    make_entry(cast.okafors, cast.priya, kind=Kind.ASSESSMENT)  # her own: not hers to sign
    make_entry(cast.okafors, cast.sam, kind=Kind.ASSESSMENT, final=False)  # a draft
    # Another pod's assessment is neither listed nor counted.
    make_entry(cast.nashes, cast.charlie, kind=Kind.ASSESSMENT)
    home = build_home(cast.priya, today)
    assert home.sign_off_total == 1
    assert [r.href for r in home.sign_off] == [
        f"/families/{cast.okafors.uuid}/story/{waiting.uuid}/"
    ]
    assert home.pod_overdue_total == 1 and home.pod_overdue[0].about == "Jayden Okafor"
    page = signed_in(cast.priya).get("/").text
    assert "Waiting for your sign-off (1)" in page
    assert "Overdue visits and reviews in your pods (1)" in page
    assert "No worker is over caseload" in page
    assert "No emergency access is waiting for your review." in page


def test_homes_never_show_or_count_what_the_reader_may_not_see(harbour: Harbour) -> None:
    cast = harbour.cast
    today = timezone.localdate()
    # Jayden's family is restricted to someone else: Sam no longer sees him, even though
    # he is still allocated to Sam; Priya's counts leave him out too.
    on_a_plan(harbour.jayden, cast.okafors, today - timedelta(days=60))
    make_entry(cast.okafors, cast.sam, kind=Kind.ASSESSMENT)
    make_entry(cast.okafors, cast.sam, kind=Kind.VISIT, final=False)
    Family.objects.filter(pk=cast.okafors.pk).update(restricted=True)
    cast.okafors.restricted_to.add(cast.hana)
    sams = build_home(cast.sam, today)
    assert sams.children == [] and sams.drafts == [] and sams.due == []
    priyas = build_home(cast.priya, today)
    assert (priyas.sign_off_total, priyas.pod_overdue_total) == (0, 0)
    page = signed_in(cast.sam).get("/").text
    assert "Jayden" not in page and "Okafor family" not in page


def test_emergency_access_to_review_is_counted(cast: Cast) -> None:
    now = timezone.now()
    EmergencyAccess.objects.create(
        user=cast.charlie,
        family=cast.okafors,
        reason="Police at the door",
        granted_at=now,
        expires_at=now + timedelta(hours=24),
    )
    page = signed_in(cast.priya).get("/").text
    assert "1 emergency access grant to review" in page


def test_business_support_sees_records_to_complete(cast: Cast) -> None:
    jayden = child_of(cast.okafors)
    Person.objects.filter(pk=jayden.pk).update(
        ethnicity="WBRI", nhs_number="", disabilities=["NONE"]
    )
    page = signed_in(cast.ben).get("/").text
    records = page.split('id="data-quality"')[1]
    assert "Jayden Okafor" in records
    assert "NHS number, UPN or the reason there is none; no social worker" in records
    # Lily is in another pod: not Ben's to complete.
    assert "Lily" not in records
    Allocation.objects.create(
        child=jayden,
        worker=cast.sam.staff,
        pod=cast.harbour,
        start=LONG_AGO,
        change_reason="FCONTA",
    )
    Person.objects.filter(pk=jayden.pk).update(nhs_number="9434765919", upn="A123456789012")
    page = signed_in(cast.ben).get("/").text
    assert "Every child's record in your pods has what the returns need" in page


def test_the_head_of_service_sees_the_headline_figures(cast: Cast) -> None:
    on_a_plan(child_of(cast.okafors), cast.okafors, timezone.localdate() - timedelta(days=30))
    # From the snapshots (onestory/outcomes/snapshots.py), not counted on every visit.
    assert "The figures have not been computed yet." in signed_in(cast.hana).get("/").text
    rebuild(month_start(timezone.localdate()), timezone.localdate())
    home = build_home(cast.hana, timezone.localdate())
    assert home.headline is not None
    plans = next(r for r in home.headline.rows if r.measure.key == "cp_plans")
    assert plans.now == 1
    page = signed_in(cast.hana).get("/").text
    assert "Children on child protection plans" in page
    assert "Read the evaluation report" in page
    # A social worker's home has no figures.
    assert build_home(cast.sam, timezone.localdate()).headline is None


def more_work(cast: Cast, n: int) -> None:
    """n more children in Pod Harbour, each allocated to Sam, on a plan, with a draft and an
    assessment waiting for sign-off."""
    today = timezone.localdate()
    for i in range(n):
        family = Family.objects.create(
            name=f"The Extra{i} family", pod=cast.harbour, opened=LONG_AGO
        )
        child = Person.objects.create(first_name=f"Kid{i}", last_name="Extra", sex="F")
        FamilyMember.objects.create(
            family=family, person=child, role=MemberRole.CHILD, start=LONG_AGO
        )
        Allocation.objects.create(
            child=child,
            worker=cast.sam.staff,
            pod=cast.harbour,
            start=LONG_AGO,
            change_reason="FCONTA",
        )
        on_a_plan(child, family, today - timedelta(days=40))
        make_entry(family, cast.sam, final=False, about=[child])
        make_entry(family, cast.sam, kind=Kind.ASSESSMENT, about=[child])


# Each feature's What's due source costs a fixed few queries (onestory/lib/due.py); the pod
# manager's home adds the pods' sources, the attention counts and the headline figures. The
# children come in two queries: their ids, then need to know on those (families/access.py,
# `allocated_people_for`); business support's families likewise (families/quality.py).
@pytest.mark.parametrize(
    ("who", "queries"),
    [("sam", 17), ("priya", 34), ("ben", 15), ("hana", 13), ("alex", 11)],
)
def test_each_home_costs_the_same_queries_however_much_work_there_is(
    cast: Cast, django_assert_num_queries, who: str, queries: int
) -> None:
    user = getattr(cast, who)
    client = signed_in(user)
    more_work(cast, 1)
    client.get("/")
    with django_assert_num_queries(queries):
        client.get("/")
    more_work(cast, 3)
    with django_assert_num_queries(queries):
        page = client.get("/").text
    assert "Welcome" in page
