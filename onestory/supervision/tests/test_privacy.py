"""Personal supervision is private to the supervisee and the supervisor; the manager of the
supervisee's pod reads it only with a reason; every look is logged; and its words are found on
no other page: not the supervision pages, the pod's, What's due, the family's story, its
history or story search (issue 12; docs/decisions/0013-supervision.md)."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse

from onestory.stories.models import Entry, Kind, Status
from onestory.supervision.models import LookAs, PersonalNotesLook, Session
from onestory.supervision.tests.helpers import days_ago, discussed, held, private_notes, supervise
from onestory.test import Harbour, signed_in, url_maker

url = url_maker("supervision")
SECRET = "Feeling stretched by the court work"


def _sams_notes(harbour: Harbour) -> Session:
    """Sam supervised by Ruth (a senior social worker); Priya manages their pod."""
    arrangement = supervise(harbour.cast, supervisor=harbour.ruth_user)
    session = held(arrangement, days_ago(3))
    private_notes(session, SECRET)
    discussed(session, harbour.cast.okafors, by=harbour.ruth_user)
    return session


def test_supervisee_and_supervisor_read_and_each_look_is_logged(harbour) -> None:
    session = _sams_notes(harbour)
    for user, looked_as in (
        (harbour.cast.sam, LookAs.SUPERVISEE),
        (harbour.ruth_user, LookAs.SUPERVISOR),
    ):
        response = signed_in(user).get(url("personal", session.pk))
        assert SECRET in response.text
        look = PersonalNotesLook.objects.get(user=user)
        assert (look.session, look.looked_as) == (session, looked_as)


def test_the_pod_manager_reads_only_with_a_reason_which_is_logged(harbour) -> None:
    session = _sams_notes(harbour)
    client = signed_in(harbour.cast.priya)
    asked = client.get(url("personal", session.pk))
    assert SECRET not in asked.text and "Why do you need to read these notes?" in asked.text
    empty = client.post(url("personal", session.pk), {"reason": "  "})
    assert "Enter why you need to read these notes" in empty.text and SECRET not in empty.text
    assert not PersonalNotesLook.objects.exists()
    response = client.post(url("personal", session.pk), {"reason": "Return to work meeting"})
    assert SECRET in response.text
    # The supervisee sees who read their notes, and why.
    theirs = signed_in(harbour.cast.sam).get(url("personal", session.pk)).text
    assert "Priya Shah" in theirs and "Return to work meeting" in theirs
    look = PersonalNotesLook.objects.get(user=harbour.cast.priya)
    assert (look.user, look.looked_as, look.reason) == (
        harbour.cast.priya,
        LookAs.MANAGER,
        "Return to work meeting",
    )


def test_nobody_else_reads_them(harbour) -> None:
    session = _sams_notes(harbour)
    cast = harbour.cast
    for user in (cast.charlie, cast.hana, cast.alex, cast.ben):
        client = signed_in(user)
        assert client.get(url("personal", session.pk)).status_code == 404
        assert client.post(url("personal", session.pk), {"reason": "x"}).status_code == 404
    assert not PersonalNotesLook.objects.exists()


def test_the_words_are_on_no_other_page(harbour) -> None:
    session = _sams_notes(harbour)
    cast = harbour.cast
    # A supervision entry on the family's story, so that the story and search have one.
    record = session.casework.get()
    signed_in(harbour.ruth_user).post(url("casework_finalise", record.pk))
    assert Entry.objects.filter(kind=Kind.SUPERVISION, status=Status.FINAL).exists()
    family = cast.okafors
    pages = {
        cast.sam: [
            url("mine"),
            url("session", session.pk),
            reverse("stories:due"),
            f"/families/{family.uuid}/",
            reverse("stories:timeline", args=[family.uuid]),
            reverse("stories:search") + "?q=stretched",
            reverse("stories:search") + "?q=court",
        ],
        cast.priya: [
            url("mine"),
            url("session", session.pk),
            url("pod", cast.harbour.pk),
            url("pod_discussed", cast.harbour.pk),
            reverse("pods:detail", args=[cast.harbour.pk]),
            reverse("stories:due_pod", args=[cast.harbour.pk]),
            reverse("access:family_history", args=[family.uuid]),
            reverse("stories:search") + "?q=stretched",
        ],
    }
    for user, urls in pages.items():
        client = signed_in(user)
        for page in urls:
            response = client.get(page)
            assert response.status_code == 200, page
            # (A search page repeats the words searched for: the notes' own words are the test.)
            assert "Feeling stretched" not in response.text, page
            assert "court work" not in response.text, page
    # Reading those pages looked at nothing private.
    assert not PersonalNotesLook.objects.exists()


def test_a_session_page_links_to_the_notes_without_showing_them(harbour) -> None:
    session = _sams_notes(harbour)
    response = signed_in(harbour.cast.sam).get(url("session", session.pk))
    assert "Personal supervision notes" in response.text and SECRET not in response.text
    assert not PersonalNotesLook.objects.exists()
    assert session.held_on == days_ago(3) and days_ago(3) + timedelta(days=3) == days_ago(0)
