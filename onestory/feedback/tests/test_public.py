"""The public page: one question a page, nothing lost, the confirmation's promise, and never an
error page, whatever is sent: bad answers, a robot, a flood, an expired form, a huge request."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onestory.feedback.models import Channel, Item, PublicSubmission
from onestory.feedback.procedure import PER_HOUR, address_key, reply_by
from onestory.lib.dates import long_date


def go(name: str) -> str:
    return reverse(f"public_feedback:{name}")


def answer_all(
    client: Client, *, kind: str = "complaint", reply: dict[str, str] | None = None
) -> None:
    assert client.post(go("kind"), {"kind": kind}).status_code == 302
    assert client.post(go("who"), {"source": "parent"}).status_code == 302
    summary = {"summary": "My son's visits keep being cancelled.", "website": ""}
    assert client.post(go("about"), summary).status_code == 302
    reply = reply or {"reply_wanted": "yes", "contact": "Kelly, 07700 900123"}
    assert client.post(go("reply"), reply)["Location"] == go("check")


def test_the_journey_creates_an_item_and_says_what_happens_next(db) -> None:
    client = Client()
    assert "Start now" in client.get(go("start")).text
    answer_all(client)
    check = client.get(go("check")).text
    assert "My son&#x27;s visits keep being cancelled." in check and "07700 900123" in check
    response = client.post(go("check"), follow=True)
    item = Item.objects.get()
    assert (item.kind, item.source, item.channel, item.logged_by) == (
        "complaint",
        "parent",
        Channel.ONLINE,
        None,
    )
    assert item.contact == "Kelly, 07700 900123" and item.family is None
    assert item.stages.get().number == 1
    promise = long_date(reply_by("complaint", timezone.localdate()))
    assert item.reference in response.text
    assert f"We will send you our response by <strong>{promise}</strong>" in response.text
    # The address is kept only as a keyed hash.
    assert PublicSubmission.objects.get().address == address_key("127.0.0.1")
    assert "127.0.0.1" not in PublicSubmission.objects.get().address


def test_a_reply_without_contact_details(db) -> None:
    client = Client()
    client.post(go("kind"), {"kind": "compliment"})
    client.post(go("who"), {"source": "child"})
    client.post(go("about"), {"summary": "Thank you Sam"})
    response = client.post(go("reply"), {"reply_wanted": "yes", "contact": "   "})
    assert response.status_code == 200
    assert "Enter your name and how we can contact you" in response.text
    assert 'value="yes" checked' in response.text
    assert not Item.objects.exists()


def test_bad_answers_are_plain_messages(db) -> None:
    client = Client()
    response = client.post(go("kind"), {"kind": "<script>"})
    assert response.status_code == 200
    assert "Choose whether you want to send a compliment, a complaint or a comment" in response.text
    client.post(go("kind"), {"kind": "comment"})
    client.post(go("who"), {"source": "other"})
    too_long = "x" * 5001
    response = client.post(go("about"), {"summary": too_long})
    assert response.status_code == 200
    assert "What you tell us must be 5,000 characters or fewer" in response.text
    assert too_long in response.text
    # Out of order: back to the first question not answered, never an error.
    assert Client().get(go("check"))["Location"] == go("kind")
    assert Client().get(go("reply"))["Location"] == go("kind")
    assert Client().get(go("done"))["Location"] == go("start")
    assert Client().put(go("check")).status_code == 302
    # Far too much to read at all.
    response = Client().post(go("about"), {"summary": "y" * 3_000_000})
    assert response.status_code == 413 and "too long" in response.text


def test_the_answer_is_the_same_whatever_is_typed(db, cast) -> None:
    """Naming a family the council knows changes nothing in the answer."""
    pages = []
    for summary in (f"About {cast.okafors.name} {cast.okafors.reference}", "About the Nobodies"):
        client = Client()
        client.post(go("kind"), {"kind": "comment"})
        client.post(go("who"), {"source": "other"})
        client.post(go("about"), {"summary": summary})
        client.post(go("reply"), {"reply_wanted": "no"})
        text = client.post(go("check"), follow=True).text
        main = text[text.index("<main") : text.index("</main>")]
        pages.append(main.replace(Item.objects.latest("pk").reference, "REF"))
    assert pages[0] == pages[1]
    assert not Item.objects.filter(family__isnull=False).exists()


def test_a_robot_filling_the_honeypot_is_thanked_and_ignored(db) -> None:
    client = Client()
    client.post(go("kind"), {"kind": "compliment"})
    client.post(go("who"), {"source": "other"})
    client.post(go("about"), {"summary": "buy cheap things", "website": "http://spam"})
    client.post(go("reply"), {"reply_wanted": "no"})
    response = client.post(go("check"), follow=True)
    assert "Your reference" in response.text
    assert not Item.objects.exists()


def test_a_flood_gets_a_plain_page_and_keeps_the_answers(db) -> None:
    client = Client()
    for _ in range(PER_HOUR):
        answer_all(client)
        assert client.post(go("check"))["Location"] == go("done")
    answer_all(client)
    response = client.post(go("check"))
    assert response.status_code == 429
    assert "Please try again later, or phone" in response.text
    assert Item.objects.count() == PER_HOUR
    # Nothing typed is lost: the answers are still there to send later.
    assert "My son&#x27;s visits keep being cancelled." in client.get(go("check")).text
    # Another address is not held up.
    other = Client(REMOTE_ADDR="192.0.2.7")
    answer_all(other)
    assert other.post(go("check"))["Location"] == go("done")


def test_an_expired_form_gets_a_plain_page(db) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(go("kind"), {"kind": "complaint"})
    assert response.status_code == 403
    assert "Your session has ended" in response.text
    page = client.get(go("kind"))
    token = page.context["csrf_token"]
    assert (
        client.post(go("kind"), {"kind": "complaint", "csrfmiddlewaretoken": token}).status_code
        == 302
    )


def test_the_public_pages_query_counts(db, django_assert_num_queries) -> None:
    client = Client()
    client.get(go("start"))
    answer_all(client)
    # The session's read (the answers live there) and nothing else: no record is looked at.
    with django_assert_num_queries(1):
        client.get(go("check"))
    with django_assert_num_queries(1):
        client.get(go("about"))
