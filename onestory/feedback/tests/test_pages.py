"""The staff pages: the log with its filters, adding an item, the stage forms with their bad
input, What's due, and the reports; query counts pinned."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from onestory.feedback.models import Item, Kind, Outcome, Stage
from onestory.feedback.procedure import due_date
from onestory.feedback.tests.helpers import answered, escalated, logged, officer
from onestory.lib import due
from onestory.test import Cast, signed_in, url_maker, when

url = url_maker("feedback")


def test_adding_a_complaint_starts_stage_1(cast: Cast) -> None:
    cora = officer()
    today = timezone.localdate()
    response = signed_in(cora).post(
        url("add"),
        {
            "kind": "complaint",
            "source": "parent",
            "channel": "letter",
            **when("received", today),
            "summary": "Nobody told us the meeting moved.",
            "pod": cast.harbour.pk,
            "family_reference": cast.okafors.reference.lower(),
        },
        follow=True,
    )
    item = Item.objects.get()
    assert (item.kind, item.channel, item.family, item.pod) == (
        "complaint",
        "letter",
        cast.okafors,
        cast.harbour,
    )
    assert f"Complaint {item.reference} is in the log." in response.text
    assert item.stages.get().due == due_date(1, today)


def test_a_reply_without_contact_details_is_refused_with_everything_kept(cast: Cast) -> None:
    response = signed_in(officer()).post(
        url("add"),
        {
            "kind": "compliment",
            "source": "professional",
            "channel": "email",
            **when("received", timezone.localdate()),
            "summary": "The school was very pleased with the plan.",
            "reply_wanted": "on",
        },
    )
    assert response.status_code == 200
    text = response.text
    assert "There is a problem" in text
    assert text.count("Enter the contact details: a reply was asked for.") == 2
    assert "The school was very pleased with the plan." in text
    assert not Item.objects.exists()


def test_the_stage_forms_refuse_bad_steps_naming_the_field(cast: Cast) -> None:
    cora = officer()
    client = signed_in(cora)
    today = timezone.localdate()
    item = logged(cora, received=today - timedelta(days=3))
    # A stage 2 before stage 1 has been answered.
    response = client.post(url("stage_start", item.uuid), {"number": "2", **when("started", today)})
    assert "Stage 1 has not been answered yet" in response.text
    assert 'value="2" checked' in response.text
    # An extension without a reason.
    stage = item.stages.get()
    later = stage.due + timedelta(days=7)
    response = client.post(
        url("extend", item.uuid, 1), {"version": stage.version, **when("extended_due", later)}
    )
    assert "Enter the reason for the extension" in response.text
    assert f'value="{later.day}"' in response.text
    # An outcome before a response.
    response = client.post(
        url("respond", item.uuid, 1),
        {"version": stage.version, "outcome": "upheld", "learning": "Ring back the same day."},
    )
    assert "Enter the date of the response: an outcome is recorded" in response.text
    assert "Ring back the same day." in response.text
    assert Stage.objects.get(pk=stage.pk).outcome == ""


def test_a_stale_form_does_not_overwrite(cast: Cast) -> None:
    cora = officer()
    client = signed_in(cora)
    today = timezone.localdate()
    item = logged(cora, received=today - timedelta(days=3))
    stage = item.stages.get()
    answered(cora, stage, today)
    response = client.post(
        url("respond", item.uuid, 1),
        {"version": 1, **when("responded", today), "learning": "Mine, typed late."},
    )
    assert "Someone else changed this stage" in response.text
    assert "Mine, typed late." in response.text
    assert Stage.objects.get(pk=stage.pk).learning == ""


def test_escalation_respond_and_the_log_filters(cast: Cast, django_assert_num_queries) -> None:
    cora = officer()
    client = signed_in(cora)
    today = timezone.localdate()
    old = logged(cora, received=today - timedelta(days=60), pod=cast.harbour)
    answered(cora, old.stages.get(), today - timedelta(days=50), Outcome.NOT_UPHELD)
    response = client.post(
        url("stage_start", old.uuid), {"number": "2", **when("started", today - timedelta(days=49))}
    )
    assert response.status_code == 302
    logged(cora, kind=Kind.COMPLIMENT, received=today)
    response = client.post(
        url("respond", old.uuid, 2),
        {
            "version": 1,
            **when("responded", today),
            "outcome": "partly_upheld",
            "learning": "Keep the family told.",
        },
    )
    assert response.status_code == 302
    two = old.stages.get(number=2)
    assert (two.responded, two.outcome, two.learning) == (
        today,
        "partly_upheld",
        "Keep the family told.",
    )
    overdue = logged(cora, received=today - timedelta(days=40))
    page = client.get(url("log"), {"overdue": "on"})
    assert overdue.reference in page.text and old.reference not in page.text
    page = client.get(url("log"), {"stage": "2"})
    assert old.reference in page.text and overdue.reference not in page.text
    page = client.get(url("log"), {"kind": "compliment"})
    assert "1 item." in page.text
    for _ in range(5):
        logged(cora, received=today)
    # Constant in the number of rows: the session, the user, the count and the rows.
    with django_assert_num_queries(5):
        client.get(url("log"))


def test_whats_due_for_the_officer_and_the_pod_manager(cast: Cast) -> None:
    cora = officer()
    today = timezone.localdate()
    late = logged(cora, received=today - timedelta(days=30), pod=cast.harbour)
    elsewhere = logged(cora, received=today, pod=cast.downs)
    done = logged(cora, received=today - timedelta(days=5), pod=cast.harbour)
    answered(cora, done.stages.get(), today)
    mine = [t for t in due.tasks_for(cora, today) if t.source == "Complaint"]
    assert {t.about for t in mine} == {
        f"Complaint {late.reference}",
        f"Complaint {elsewhere.reference}",
    }
    assert [t.overdue_on(today) for t in mine] == [True, False]
    priya = [t for t in due.tasks_for(cast.priya, today) if t.source == "Complaint"]
    assert [t.about for t in priya] == [f"Complaint {late.reference}"]
    assert not [t for t in due.tasks_for(cast.sam, today) if t.source == "Complaint"]
    pod = [t for t in due.pod_tasks_for(cast.downs, today) if t.source == "Complaint"]
    assert [t.about for t in pod] == [f"Complaint {elsewhere.reference}"]


def test_the_reports(cast: Cast, django_assert_num_queries) -> None:
    cora = officer()
    logged(cora, kind=Kind.COMPLIMENT, received=date(2019, 6, 1))
    logged(cora, kind=Kind.COMPLIMENT, received=date(2020, 3, 31))
    logged(cora, received=date(2020, 4, 1))
    client = signed_in(cast.hana)
    for _ in range(3):
        logged(cora, received=date(2021, 5, 1))
    # Six for the report, whatever the number of items; the rest are the session's.
    with django_assert_num_queries(11):
        page = client.get(url("reports"))
    text = page.text
    assert "2019 to 2020" in text and "2020 to 2021" in text
    assert " - projected" in text or "projected" in text
    assert "<svg" in text and "Timeliness this financial year" in text
    assert signed_in(cast.sam).get(url("reports")).status_code == 404


def test_whats_due_page_shows_the_officers_stages(cast: Cast) -> None:
    cora = officer()
    today = timezone.localdate()
    late = logged(cora, received=today - timedelta(days=30), pod=cast.harbour)
    text = signed_in(cora).get(reverse("stories:due")).text
    assert f"Complaint {late.reference}" in text
    pod_page = signed_in(cast.priya).get(reverse("stories:due_pod", args=[cast.harbour.pk])).text
    assert f"Complaint {late.reference}" in pod_page


def test_the_item_page_query_count_does_not_grow_with_stages(
    cast: Cast, django_assert_num_queries
) -> None:
    cora = officer()
    client = signed_in(cora)
    today = timezone.localdate()
    item = logged(cora, received=today - timedelta(days=90), pod=cast.harbour)
    client.get(url("item", item.uuid))  # the session's first-request writes, once
    # The session, the user and the navigation's; the item; its stages. As many for 1 stage as 2.
    with django_assert_num_queries(5):
        page = client.get(url("item", item.uuid))
    assert "Escalate to stage 2" not in page.text and "Response and outcome" in page.text
    answered(cora, item.stages.get(), today - timedelta(days=80), Outcome.NOT_UPHELD)
    two = escalated(cora, item, 2, today - timedelta(days=70))
    answered(cora, two, today - timedelta(days=40), Outcome.PARTLY_UPHELD)
    with django_assert_num_queries(5):
        page = client.get(url("item", item.uuid))
    assert "Escalate to stage 3" in page.text and "Partly upheld" in page.text


def test_a_pod_manager_sees_a_complaint_naming_their_pod_but_cannot_manage_it(
    cast: Cast,
) -> None:
    cora = officer()
    item = logged(cora, received=timezone.localdate(), pod=cast.harbour)
    priya = signed_in(cast.priya)
    page = priya.get(url("item", item.uuid))
    assert page.status_code == 200 and "Response and outcome" not in page.text
    assert item.reference in priya.get(url("log")).text
    assert priya.get(url("add")).status_code == 404
    assert priya.get(url("stage_start", item.uuid)).status_code == 404
    assert signed_in(cast.charlie).get(url("item", item.uuid)).status_code == 404
