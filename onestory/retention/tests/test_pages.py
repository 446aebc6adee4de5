"""The retention pages end to end: the review list (pinned queries, paginated), placing and
lifting a hold (with bad input), requesting and approving a disposal, a held family refused
with a clear message, and the rules."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps

from onestory.families.models import AccessEvent, Family, FamilyMember, MemberRole, Person
from onestory.retention import records
from onestory.retention.models import Disposal, LegalHold, RecordType, Rule, Tombstone
from onestory.retention.tests.helpers import close, keep_for_a_year, officers
from onestory.test import Cast, make_family, signed_in, url_maker

pytestmark = pytest.mark.django_db
url = url_maker("retention")


def _due_families(cast: Cast, n: int) -> list[Family]:
    keep_for_a_year()
    return [close(make_family(f"Due{i}", cast.harbour)) for i in range(n)]


@pytest.mark.parametrize("n", [1, 4])
def test_the_review_list_takes_the_same_queries_however_long(
    cast: Cast, n: int, django_assert_num_queries: object
) -> None:
    iris, _owen = officers()
    _due_families(cast, n)
    client = signed_in(iris)
    # Session, user and the history context (the middleware's); the rules, and the page with
    # its count.
    with django_assert_num_queries(8):  # type: ignore[operator]
        answer = client.get(url("review"))
    assert answer.status_code == 200
    page = answer.content.decode()
    assert page.count("govuk-table__row") == n + 1
    assert f"{n} record{'s' if n > 1 else ''} due" in page


def test_the_review_list_shows_the_rule_and_date_and_leaves_out_open_and_held(
    cast: Cast,
) -> None:
    iris, _owen = officers()
    due, held = _due_families(cast, 2)
    records.place_hold(by=iris, family=held, reason="police", reference="CRIME/9")
    page = signed_in(iris).get(url("review")).content.decode()
    assert due.reference in page and held.reference not in page
    assert cast.okafors.reference not in page  # open
    assert "Other children&#x27;s social care records" in page
    assert "14 March 2017" in page  # born 14 March 2016, kept for one year
    assert "The Due0 family" not in page  # no names


def test_the_rule_that_applies_beats_the_weaker_ones(cast: Cast) -> None:
    """Adoption beats care beats other; the family's date is the latest of its children's."""
    from onestory.retention.schedule import retention_of

    family = close(make_family("Rules", cast.harbour))
    assert retention_of(family.pk) is not None
    dated = retention_of(family.pk)
    assert dated is not None and (dated.rule, dated.until) == ("other", date(2041, 3, 14))
    older = Person.objects.create(
        first_name="Ola", last_name="Rules", date_of_birth=date(2004, 1, 2)
    )
    FamilyMember.objects.create(
        family=family, person=older, role=MemberRole.CHILD, start=family.opened
    )
    from onestory.families.models import CareEpisode

    CareEpisode.objects.create(
        child=older,
        start=date(2010, 1, 1),
        end=date(2012, 6, 30),
        reason_new_episode="S",
        legal_status="C2",
        category_of_need="N1",
        placement="U1",
        provider="PR1",
        reason_ceased="E11",
    )
    dated = retention_of(family.pk)
    assert dated is not None and (dated.rule, dated.until) == ("adoption", date(2112, 6, 30))
    Rule.objects.create(record_type=RecordType.ADOPTION, years=10)
    dated = retention_of(family.pk)
    # Now the younger child's 25th birthday is the later date.
    assert dated is not None and (dated.rule, dated.until) == ("other", date(2041, 3, 14))


def test_placing_a_hold_with_bad_input_keeps_what_was_typed(cast: Cast) -> None:
    iris, _owen = officers()
    family = close(make_family("Hold", cast.harbour))
    client = signed_in(iris)
    answer = client.post(url("place_hold", family.uuid), {"reason": "", "reference": "SAR/12"})
    page = answer.content.decode()
    assert "There is a problem" in page
    assert "Select why the record must be kept" in page
    assert 'value="SAR/12"' in page
    assert not LegalHold.objects.exists()
    answer = client.post(
        url("place_hold", family.uuid), {"reason": "subject_access", "reference": "SAR/12"}
    )
    assert answer.status_code == 302
    hold = LegalHold.objects.get()
    assert (hold.family, hold.reference, hold.placed_by) == (family, "SAR/12", iris)
    events = apps.get_model("retention", "LegalHoldEvent")
    assert events.objects.get(pgh_obj=hold).pgh_context.metadata["action"] == (
        "retention.place_hold"
    )
    # Lifting needs a reason.
    answer = client.post(url("lift_hold", hold.pk), {"lift_reason": ""})
    assert "Enter why the hold can be lifted" in answer.content.decode()
    answer = client.post(url("lift_hold", hold.pk), {"lift_reason": "Request answered."})
    hold.refresh_from_db()
    assert (hold.lifted_by, hold.lift_reason) == (iris, "Request answered.")


def test_a_request_and_its_approval_dispose_of_the_record(cast: Cast) -> None:
    iris, owen = officers()
    (family,) = _due_families(cast, 1)
    answer = signed_in(iris).post(url("request_disposal", family.uuid))
    disposal = Disposal.objects.get()
    assert answer["Location"] == url("disposal", disposal.pk)
    page = signed_in(iris).get(url("disposal", disposal.pk)).content.decode()
    assert "a different officer must approve it" in page
    assert "Approve and dispose" not in page
    answer = signed_in(owen).post(url("disposal", disposal.pk), {"approve": ""})
    assert answer.status_code == 302
    assert not Family.objects.filter(pk=family.pk).exists()
    stone = Tombstone.objects.get()
    assert (stone.people, stone.children, stone.entries) == (2, 1, 0)
    page = signed_in(owen).get(url("disposals")).content.decode()
    assert family.reference in page and "Iris Bennett; Owen Marsh" in page
    assert "The Due0 family" not in page and "Jayden" not in page


def test_approving_the_disposal_of_a_held_record_is_refused_clearly(cast: Cast) -> None:
    iris, owen = officers()
    (family,) = _due_families(cast, 1)
    disposal = records.request_disposal(by=iris, family=family)
    records.place_hold(by=iris, family=family, reason="litigation", reference="CLAIM/1")
    answer = signed_in(owen).post(url("disposal", disposal.pk), {"approve": ""})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "There is a problem" in page
    assert "under a legal hold (CLAIM/1)" in page
    assert Family.objects.filter(pk=family.pk).exists()
    assert not Tombstone.objects.exists()


def test_the_family_page_is_logged_and_shows_no_names(cast: Cast) -> None:
    iris, _owen = officers()
    (family,) = _due_families(cast, 1)
    page = signed_in(iris).get(url("family", family.uuid)).content.decode()
    assert family.reference in page and "Request disposal" in page
    assert "Jayden" not in page and "The Due0 family" not in page
    assert AccessEvent.objects.filter(user=iris, family=family).exists()


def test_changing_a_rule_and_a_conflict(cast: Cast) -> None:
    iris, owen = officers()
    answer = signed_in(iris).post(url("rule", "other"), {"years": "0", "version": "1"})
    assert "Enter a number of years from 1 to 150" in answer.content.decode()
    assert 'value="0"' in answer.content.decode()
    answer = signed_in(iris).post(url("rule", "other"), {"years": "26", "version": "1"})
    assert answer.status_code == 302
    assert Rule.objects.get(record_type="other").years == 26
    answer = signed_in(owen).post(url("rule", "other"), {"years": "30", "version": "1"})
    page = answer.content.decode()
    assert "Someone else changed this rule" in page and 'value="30"' in page
    assert Rule.objects.get(record_type="other").years == 26


def test_a_waiting_disposal_is_due_for_the_other_officer_only(cast: Cast) -> None:
    from onestory.lib.due import tasks_for
    from onestory.retention.due import personal_tasks

    iris, owen = officers()
    (family,) = _due_families(cast, 1)
    disposal = records.request_disposal(by=iris, family=family)
    assert personal_tasks(iris, date(2026, 1, 1)) == []
    (task,) = [t for t in tasks_for(owen, date(2026, 1, 1)) if t.source == "Retention"]
    assert task.href == url("disposal", disposal.pk)
    assert task.about == f"Family {family.reference}"
    assert personal_tasks(cast.hana, date(2026, 1, 1)) == []


def test_a_held_family_offers_no_disposal(cast: Cast) -> None:
    iris, _owen = officers()
    (family,) = _due_families(cast, 1)
    records.place_hold(by=iris, family=family, reason="police", reference="CRIME/3")
    page = signed_in(iris).get(url("family", family.uuid)).content.decode()
    assert "This record is under a legal hold" in page and "CRIME/3" in page
    assert "Request disposal" not in page
    answer = signed_in(iris).post(url("request_disposal", family.uuid), follow=True)
    assert "under a legal hold (CRIME/3)" in answer.content.decode()
    assert not Disposal.objects.exists()


# Queries for each page, whatever the number of rows: session, user and the history context
# (the middleware's) and the page's own.
# The family page adds the chokepoint's look and its access log, the date, the holds and any
# waiting request.
PINNED = {"holds": 7, "disposals": 5, "rules": 4, "family": 11}


@pytest.mark.parametrize("n", [1, 3])
def test_the_pages_take_the_same_queries_however_many_rows(
    cast: Cast, n: int, django_assert_num_queries: object
) -> None:
    iris, owen = officers()
    families = _due_families(cast, n + 1)
    for number, family in enumerate(families[:n]):
        records.place_hold(by=iris, family=family, reason="police", reference=f"P/{number}")
        records.place_hold(by=owen, family=family, reason="inquiry", reference=f"I/{number}")
    last = families[n]
    for _ in range(n):
        family = close(make_family("Gone", cast.harbour))
        records.approve_disposal(by=owen, disposal=records.request_disposal(by=iris, family=family))
    client = signed_in(iris)
    addresses = {
        "holds": url("holds"),
        "disposals": url("disposals"),
        "rules": url("rules"),
        "family": url("family", families[0].uuid),
    }
    assert last
    for name, address in addresses.items():
        with django_assert_num_queries(PINNED[name]):  # type: ignore[operator]
            assert client.get(address).status_code == 200


def test_the_review_list_is_paginated(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    from onestory.retention import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    iris, _owen = officers()
    _due_families(cast, 3)
    client = signed_in(iris)
    first = client.get(url("review")).content.decode()
    assert first.count('href="/retention/families/') == 2 and "?page=2" in first
    second = client.get(url("review") + "?page=2").content.decode()
    assert second.count('href="/retention/families/') == 1 and "?page=1" in second
    beyond = client.get(url("review") + "?page=9").content.decode()
    assert "3 records due" in beyond and "No record is due" in beyond
