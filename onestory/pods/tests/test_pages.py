"""The pods list, a pod's page and the attention page, through HTTP: what they show, to whom,
and a number of queries that does not grow with the pod."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from onestory.accounts.models import Role
from onestory.families.models import (
    Allocation,
    CINEpisode,
    CPPlan,
    Family,
    FamilyMember,
    MemberRole,
    Person,
)
from onestory.pods.allocation import allocate, arrange_cover
from onestory.pods.models import CaseloadWeighting
from onestory.pods.overview import attention, attention_counts
from onestory.test import LONG_AGO, Harbour, make_user, signed_in, url_maker

TODAY = timezone.localdate()


url = url_maker("pods")


def add_families(h: Harbour, count: int, *, prefix: str) -> None:
    """More open families in Harbour, each child allocated to Sam with a past worker, on a CP
    plan, and covered by Ruth: everything the pages show per child."""
    for n in range(count):
        family = Family.objects.create(
            name=f"The {prefix}{n} family", pod=h.cast.harbour, opened=LONG_AGO
        )
        child = Person.objects.create(
            first_name=f"Kid{n}", last_name=prefix, date_of_birth=date(2015, 1, 1)
        )
        FamilyMember.objects.create(
            family=family, person=child, role=MemberRole.CHILD, start=LONG_AGO
        )
        Allocation.objects.create(
            child=child,
            worker=h.tom,
            pod=h.cast.harbour,
            start=date(2025, 1, 1),
            end=date(2025, 6, 1),
            change_reason="FCONTA",
        )
        Allocation.objects.create(
            child=child,
            worker=h.sam,
            pod=h.cast.harbour,
            start=date(2025, 6, 1),
            change_reason="MANAGE",
        )
        episode = CINEpisode.objects.create(
            child=child, family=family, referral_source="1A", start=LONG_AGO
        )
        CPPlan.objects.create(
            episode=episode,
            child=child,
            initial_category="NEG",
            latest_category="NEG",
            start=LONG_AGO,
        )
        arrange_cover(
            absent=h.sam,
            covering=h.ruth,
            child=child,
            start=TODAY,
            end=TODAY + timedelta(days=5),
            by=h.cast.priya,
        )


# --- Who sees what --------------------------------------------------------------------------


def test_the_pod_page_shows_members_composition_caseloads_cover_and_children(
    harbour: Harbour,
) -> None:
    arrange_cover(
        absent=harbour.sam,
        covering=harbour.ruth,
        start=TODAY - timedelta(days=1),
        end=TODAY + timedelta(days=3),
        by=harbour.cast.priya,
    )
    page = signed_in(harbour.cast.priya).get(url("detail", harbour.cast.harbour.pk)).text
    assert '<h1 class="govuk-heading-l">Pod Harbour</h1>' in page
    for name in ("Priya Shah", "Ruth Ellison", "Sam Okafor", "Tom Askew", "Ben Hughes"):
        assert name in page
    assert "Within the rules" in page
    assert "1 child, 1 family" in page  # Sam's caseload: Jayden
    assert "Jayden Okafor" in page and "Amara Okafor" in page
    assert "Sam Okafor, since Mar 2024" in page
    assert "None: no open referral" in page  # Amara
    assert "Ruth Ellison is covering until" in page
    assert "Sam Okafor's caseload" in page
    assert "Change social worker" in page
    assert url("family_transfer", harbour.cast.harbour.pk, harbour.cast.okafors.uuid) in page
    CINEpisode.objects.create(
        child=harbour.amara, family=harbour.cast.okafors, referral_source="1A", start=LONG_AGO
    )
    page = signed_in(harbour.cast.priya).get(url("detail", harbour.cast.harbour.pk)).text
    assert "Waiting for a social worker" in page  # Amara, now referred


def test_members_of_the_pod_see_its_page_but_change_nothing(harbour: Harbour) -> None:
    page = signed_in(harbour.cast.sam).get(url("detail", harbour.cast.harbour.pk)).text
    assert "Jayden Okafor" in page
    assert "Change social worker" not in page and "Add a member" not in page
    # A senior social worker may arrange cover, not allocate.
    page = signed_in(harbour.ruth_user).get(url("detail", harbour.cast.harbour.pk)).text
    assert "Arrange cover" in page and "Change social worker" not in page


def test_someone_outside_the_pod_gets_404(harbour: Harbour) -> None:
    for who in (harbour.cast.charlie, harbour.cast.alex):
        response = signed_in(who).get(url("detail", harbour.cast.harbour.pk))
        assert response.status_code == 404
        assert "Page not found" in response.text
        assert "Jayden" not in response.text and "Pod Harbour" not in response.text
    assert (
        signed_in(harbour.cast.priya).get(url("detail", harbour.cast.downs.pk)).status_code == 404
    )
    assert signed_in(harbour.cast.priya).get(url("detail", 999999)).status_code == 404


def test_restricted_families_show_only_to_the_people_named(harbour: Harbour) -> None:
    harbour.cast.okafors.restricted = True
    harbour.cast.okafors.save()
    page = signed_in(harbour.cast.priya).get(url("detail", harbour.cast.harbour.pk)).text
    assert "Ruth Ellison" in page
    assert "Jayden Okafor" not in page
    harbour.cast.okafors.restricted_to.add(harbour.cast.priya)
    page = signed_in(harbour.cast.priya).get(url("detail", harbour.cast.harbour.pk)).text
    assert "Jayden Okafor" in page


def test_the_pods_list_is_for_pod_managers_and_heads_of_service(harbour: Harbour) -> None:
    mine = signed_in(harbour.cast.priya).get(url("list")).text
    assert "Pod Harbour" in mine and "Pod Downs" not in mine
    everyone = signed_in(harbour.cast.hana).get(url("list")).text
    assert "Pod Harbour" in everyone and "Pod Downs" in everyone
    for who in (harbour.cast.sam, harbour.cast.charlie, harbour.cast.alex):
        assert signed_in(who).get(url("list")).status_code == 404
        assert signed_in(who).get(url("attention")).status_code == 404


def test_navigation_and_home_lead_pod_managers_to_their_pods(harbour: Harbour) -> None:
    home = signed_in(harbour.cast.priya).get("/").text
    assert ">Pods<" in home
    assert url("attention") in home and "See what needs attention in your pods" in home
    assert ">Pods<" in signed_in(harbour.cast.hana).get("/").text
    sam_home = signed_in(harbour.cast.sam).get("/").text
    assert "Welcome, Sam" in sam_home
    assert ">Pods<" not in sam_home and url("attention") not in sam_home


# --- What needs attention -------------------------------------------------------------------


def test_the_attention_page_lists_what_needs_looking_at(harbour: Harbour) -> None:
    client = signed_in(harbour.cast.priya)
    calm = client.get(url("attention")).text
    assert "Every pod is within the rules." in calm
    assert "No one is over caseload." in calm

    harbour.tom.memberships.update(end=TODAY)  # no trainee from today
    CaseloadWeighting.objects.create(start=LONG_AGO, full_time_caseload=Decimal("0.5"))
    for worker, start in ((harbour.ruth, date(2026, 1, 5)), (harbour.tom, date(2026, 3, 2))):
        allocate(
            child=harbour.jayden, worker=worker, start=start, reason="MANAGE", by=harbour.cast.priya
        )
    allocate(child=harbour.amara, worker=harbour.sam, start=date(2026, 3, 2), by=harbour.cast.priya)
    arrange_cover(
        absent=harbour.sam,
        covering=harbour.ruth,
        start=TODAY,
        end=TODAY + timedelta(days=7),
        by=harbour.cast.priya,
    )
    CINEpisode.objects.create(
        child=Person.objects.get(first_name="Lily"),
        family=harbour.cast.nashes,
        referral_source="1A",
        start=LONG_AGO,
    )
    page = client.get(url("attention")).text
    assert "There is no social worker in training. The model has at least one." in page
    assert "No one is over caseload." not in page
    assert '<th scope="row" class="govuk-table__header">Sam Okafor</th>' in page  # Amara
    assert "Jayden Okafor" in page  # three workers in the year: Sam, Ruth, Tom
    assert "Ruth Ellison is covering Sam Okafor&#x27;s caseload until" in page
    # Lily Nash is waiting for a worker, but in Downs: not Priya's to see.
    assert "Lily Nash" not in page
    assert "Lily Nash" in signed_in(harbour.cast.hana).get(url("attention")).text
    # The home's counts are the page's lists, counted, for each reader.
    for user in (harbour.cast.priya, harbour.cast.hana):
        listed, counted = attention(user, TODAY), attention_counts(user, TODAY)
        assert counted.many_workers == listed.many_workers_total == 1
        assert (
            counted.outside_rules,
            counted.over_caseload,
            counted.cover_ending,
            counted.waiting,
        ) == (
            len(listed.outside_rules),
            len(listed.over_caseload),
            len(listed.cover_ending),
            len(listed.waiting),
        )
    assert attention_counts(harbour.cast.priya, TODAY).waiting == 0
    assert "1 child with 3 or more social workers in 12 months" in client.get("/").text


# --- Query counts -----------------------------------------------------------------------------


def test_the_pod_page_query_count_does_not_grow(
    harbour: Harbour, django_assert_num_queries
) -> None:
    client = signed_in(harbour.cast.priya)
    client.get("/")  # the first request of a session also saves it
    add_families(harbour, 2, prefix="Few")
    with django_assert_num_queries(17):
        client.get(url("detail", harbour.cast.harbour.pk))
    add_families(harbour, 12, prefix="Many")
    with django_assert_num_queries(17):
        page = client.get(url("detail", harbour.cast.harbour.pk)).text
    assert "Kid11 Many" in page


def test_the_attention_page_query_count_does_not_grow(
    harbour: Harbour, django_assert_num_queries
) -> None:
    client = signed_in(harbour.cast.priya)
    client.get("/")
    add_families(harbour, 2, prefix="Few")
    # 13: the managed pods' ids are read on their own (pods.access.managed_pod_ids), which the
    # pod manager's home shares between four of its parts.
    with django_assert_num_queries(13):
        client.get(url("attention"))
    add_families(harbour, 12, prefix="Many")
    with django_assert_num_queries(13):
        page = client.get(url("attention")).text
    assert "Sam Okafor" in page  # over caseload with fourteen more children


def test_the_pods_list_query_count_does_not_grow(
    harbour: Harbour, django_assert_num_queries
) -> None:
    client = signed_in(harbour.cast.hana)
    client.get("/")
    with django_assert_num_queries(11):
        client.get(url("list"))
    add_families(harbour, 5, prefix="More")
    with django_assert_num_queries(11):
        client.get(url("list"))


# --- The council's caseload weighting, in the admin -------------------------------------------


def test_the_council_sets_its_caseload_weighting_in_the_admin(harbour: Harbour) -> None:
    admin = make_user("dev", Role.ADMINISTRATOR, "Dev", "Patel")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = signed_in(admin)
    assert client.get("/admin/pods/caseloadweighting/add/").status_code == 200
    client.post(
        "/admin/pods/caseloadweighting/add/",
        {
            "start": "2026-04-01",
            "child_in_need": "1",
            "child_protection": "2",
            "in_care": "1.5",
            "full_time_caseload": "18",
            "in_training_share": "0.7",
        },
    )
    weighting = CaseloadWeighting.in_force(TODAY)
    assert (weighting.child_protection, weighting.full_time_caseload) == (Decimal(2), Decimal(18))
    assert CaseloadWeighting.in_force(date(2026, 3, 31)).pk is None  # the defaults before it
    page = signed_in(harbour.cast.priya).get(url("detail", harbour.cast.harbour.pk)).text
    assert "2 for a child protection plan" in page
    assert "Weighted 1 of 18" in page  # Sam: Jayden, a child in need
    # Cover and transfers are written only through the pod pages.
    assert client.get("/admin/families/cover/add/").status_code == 403
