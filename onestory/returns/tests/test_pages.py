"""The returns page and a check's findings: what each viewer reads, the links to the records
to fix, the rules shown apart, the empty case, pagination, and pinned query counts."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from onestory.accounts.models import User
from onestory.families.models import AccessAction, AccessEvent
from onestory.returns.findings import PER_PAGE
from onestory.returns.models import Check, Finding, Status
from onestory.returns.tests.checks import MESSAGE_103, MESSAGE_SW17, done_check
from onestory.test import Cast, child_of, signed_in, url_maker

url = url_maker("returns")


def get(client: Client, address: str, queries: Any, count: int) -> str:
    with queries(count):
        response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


def test_the_returns_page_offers_each_return_and_year(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    check = done_check(cast)
    text = get(signed_in(cast.alex), url("index"), django_assert_num_queries, 8)
    assert "SSDA903 (children looked after)" in text and "Children in need census" in text
    for label in ("2026 to 2027", "2025 to 2026", "2024 to 2025"):
        assert label in text
    assert "5 findings" in text and url("check_detail", check.uuid) in text
    assert url("make", "ssda903", 2027) in text and url("check", "cin", 2026) in text
    assert "You have no return files" in text
    # The head of service checks but does not take the files.
    text = get(signed_in(cast.hana), url("index"), django_assert_num_queries, 7)
    assert url("check", "ssda903", 2026) in text and url("make", "ssda903", 2026) not in text


def test_the_query_count_does_not_grow_with_the_checks(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    for year in (2025, 2026, 2027):
        done_check(cast, findings=False, year=year)
        done_check(cast, findings=False, year=year)
    get(signed_in(cast.alex), url("index"), django_assert_num_queries, 8)


def test_the_analyst_reads_child_ids_and_plain_words(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    check = done_check(cast)
    jayden, lily = child_of(cast.okafors), child_of(cast.nashes)
    text = get(signed_in(cast.alex), url("check_detail", check.uuid), django_assert_num_queries, 11)
    assert "What the check found, by rule" in text
    assert MESSAGE_103 in text and "Date of birth is not a valid date." in text
    for ref in (jayden.pk, lily.pk, 99999):
        assert f"CHILD {ref}" in text
    # Analysts see no family: no names, no links to records, nothing logged as seen.
    assert "Jayden" not in text and "Lily" not in text and "/people/" not in text
    assert not AccessEvent.objects.filter(user=cast.alex).exists()
    # The rule that cannot apply is apart, with its reason, not among the findings.
    assert "Rules not applied" in text and MESSAGE_SW17 in text
    assert "social worker episode open on 31 March for every child" in text
    assert "stopped with an error on 2 rules" in text and "231, 233" in text


def test_business_support_reads_names_and_links_for_their_pods_children(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    check = done_check(cast, by=cast.ben)
    jayden, lily = child_of(cast.okafors), child_of(cast.nashes)
    address = url("check_detail", check.uuid) + "?by=child"
    text = get(signed_in(cast.ben), address, django_assert_num_queries, 13)
    assert "Findings by child" in text
    assert "Jayden Okafor" in text
    episode = Finding.objects.get(rule="103", child=jayden).record_pk
    edit = reverse(
        "families:episode_edit",
        kwargs={"person": jayden.uuid, "kind": "care-episode", "pk": episode},
    )
    assert edit in text
    assert reverse("families:person", args=[jayden.uuid]) in text
    # Lily is in another pod's family: her CHILD only.
    assert "Lily" not in text and str(lily.uuid) not in text and f"CHILD {lily.pk}" in text
    events = AccessEvent.objects.filter(user=cast.ben, action=AccessAction.SEARCH)
    assert list(events.values_list("person", flat=True)) == [jayden.pk]
    # The link goes to a screen Ben may use.
    assert signed_in(cast.ben).get(edit).status_code == 200


def test_one_rule_and_the_pages_of_findings(cast: Cast, django_assert_num_queries: Any) -> None:
    check = done_check(cast)
    Finding.objects.bulk_create(
        Finding(
            check_run=check,
            child_ref=str(100000 + n),
            table="Header",
            rule="102",
            message="Date of birth is not a valid date.",
        )
        for n in range(PER_PAGE + 5)
    )
    client = signed_in(cast.alex)
    first = get(
        client, url("check_detail", check.uuid) + "?rule=102", django_assert_num_queries, 11
    )
    assert "Findings for rule 102" in first and "Page 1 of 2" in first
    assert MESSAGE_103 not in first.split('id="findings"')[1]
    # No child on this page is held by One Story: no look-up of names; and the session, saved
    # on the client's first request (a savepoint, an update, its release), is not saved again.
    second = get(
        client,
        url("check_detail", check.uuid) + "?rule=102&page=2",
        django_assert_num_queries,
        7,
    )
    assert "Page 2 of 2" in second and "CHILD 100054" in second


def test_no_errors_found_says_when(cast: Cast, django_assert_num_queries: Any) -> None:
    check = done_check(cast, findings=False)
    text = get(signed_in(cast.ben), url("check_detail", check.uuid), django_assert_num_queries, 8)
    assert "No errors found" in text and "Checked on" in text
    index = get(signed_in(cast.ben), url("index"), django_assert_num_queries, 8)
    assert "No errors found" in index


def test_a_check_in_progress_is_polled_and_refreshes_when_done(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    check = Check.objects.create(return_name="cin", year=2026, asked_by=cast.alex)
    client = signed_in(cast.alex)
    text = get(client, url("check_detail", check.uuid), django_assert_num_queries, 8)
    assert "The check is waiting to start." in text and 'hx-trigger="every 2s"' in text
    assert "See whether the check has finished" in text
    partial = client.get(url("check_detail", check.uuid), headers={"HX-Request": "true"})
    assert "<html" not in partial.text and "waiting to start" in partial.text
    # The returns page asks again too while the check waits, and answers htmx with its part.
    index = client.get(url("index"))
    assert 'hx-get="/returns/"' in index.text and "See whether they have finished" in index.text
    part = client.get(url("index"), headers={"HX-Request": "true"})
    assert "<html" not in part.text and "Waiting to be checked" in part.text
    Check.objects.filter(pk=check.pk).update(
        status=Status.FAILED,
        started_at=check.asked_at,
        finished_at=check.asked_at,
        error="It broke.",
    )
    done = client.get(url("check_detail", check.uuid), headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
    assert "It broke." in client.get(url("check_detail", check.uuid)).text


def test_an_unknown_check_is_404(cast: Cast) -> None:
    client = signed_in(cast.alex)
    assert (
        client.get(url("check_detail", "7d3f1a52-1111-4222-8333-944455556666")).status_code == 404
    )


def test_the_database_refuses_a_check_that_does_not_add_up(cast: Cast) -> None:
    import pytest
    from django.db import IntegrityError, transaction

    bad: list[dict[str, Any]] = [
        {"status": Status.FAILED},  # no reason, never started
        {"status": Status.DONE},  # never started or finished
        {"year": 1999},
        {"return_name": "annex-z"},
        {"found": 3},  # counts before it is done
    ]
    for fields in bad:
        with pytest.raises(IntegrityError), transaction.atomic():
            Check.objects.create(
                **{"return_name": "cin", "year": 2026, "asked_by": cast.alex, **fields}
            )
    Check.objects.create(return_name="cin", year=2026, asked_by=cast.alex)
    with pytest.raises(IntegrityError), transaction.atomic():
        Check.objects.create(return_name="cin", year=2026, asked_by=cast.hana)  # two at once
    check = done_check(cast, findings=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.create(check_run=check, rule="102", message="x", record_kind="review")
    user: User = cast.alex
    assert Check.objects.filter(asked_by=user).count() == 2
