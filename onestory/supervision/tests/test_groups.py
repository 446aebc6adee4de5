"""Group supervision in a pod, which families the pod has discussed, Reflective Practice Groups
(no family link, and text naming a family refused) and the standards, through HTTP."""

from __future__ import annotations

from datetime import timedelta

from django.db import models

from onestory.accounts.models import Role
from onestory.families.models import Family, Person
from onestory.supervision.models import CaseworkRecord, GroupSession, ReflectiveGroup, Standards
from onestory.supervision.tests.helpers import days_ago, today
from onestory.test import make_user, signed_in, url_maker, when

url = url_maker("supervision")


def _group_form(cast, **changes: object) -> dict[str, object]:
    p = f"f{cast.okafors.pk}"
    data: dict[str, object] = {
        **when("held_on", days_ago(1)),
        "minutes": "120",
        "attendees": [cast.sam.pk, cast.priya.pk, cast.ben.pk],
        f"{p}_family": "on",
        f"{p}_reflection": "The pod sees the same pattern at each visit.",
        f"{p}_decisions": "We will hold a family meeting.",
        f"{p}_action": "Arrange the family meeting",
        f"{p}_owner": str(cast.sam.pk),
        **when(f"{p}_due", today() + timedelta(days=7)),
    }
    data.update(changes)
    return data


def test_the_pod_manager_records_group_supervision_and_the_pod_sees_what_it_discussed(cast) -> None:
    client = signed_in(cast.priya)
    assert "We discussed The Okafor family" in client.get(url("group_new", cast.harbour.pk)).text
    response = client.post(url("group_new", cast.harbour.pk), _group_form(cast))
    assert response.status_code == 302, response.text
    group = GroupSession.objects.get()
    assert (group.pod, group.led_by, group.minutes) == (cast.harbour, cast.priya, 120)
    assert set(group.attendees.all()) == {cast.sam, cast.priya, cast.ben}
    record = CaseworkRecord.objects.get(group=group)
    assert (record.family, record.discussed_on) == (cast.okafors, days_ago(1))
    assert record.actions.get().owner == cast.sam
    page = signed_in(cast.sam).get(url("pod_discussed", cast.harbour.pk))
    assert "The Okafor family" in page.text
    assert days_ago(1).strftime("%B %Y") in page.text
    assert signed_in(cast.charlie).get(url("pod_discussed", cast.harbour.pk)).status_code == 404


def test_group_supervision_refuses_a_family_it_may_not_see_and_keeps_the_rest(cast) -> None:
    data = _group_form(
        cast, other_family=cast.nashes.reference, other_decisions="x", other_reflection="y"
    )
    response = signed_in(cast.priya).post(url("group_new", cast.harbour.pk), data)
    assert "You can only write a casework record for a family you may see" in response.text
    assert "The pod sees the same pattern at each visit." in response.text
    assert not GroupSession.objects.exists()


def _rpg_form(cast, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        **when("held_on", days_ago(2)),
        "minutes": "90",
        "attendees": [cast.sam.pk, cast.charlie.pk],
        "themes": "Working with fathers who are hard to reach",
        "learning": "Ask early; ask again.",
    }
    data.update(changes)
    return data


def test_a_practice_lead_records_a_reflective_practice_group(cast) -> None:
    lead = make_user("pat", Role.PRACTICE_LEAD, "Pat", "Lead")
    response = signed_in(lead).post(url("rpg_new"), _rpg_form(cast, family=str(cast.okafors.uuid)))
    assert response.status_code == 302, response.text
    group = ReflectiveGroup.objects.get()
    assert (group.facilitator, group.minutes) == (lead, 90)
    assert set(group.attendees.all()) == {cast.sam, cast.charlie}
    assert "Working with fathers" in signed_in(cast.sam).get(url("rpg", group.pk)).text
    assert "Working with fathers" in signed_in(cast.sam).get(url("rpgs")).text
    assert signed_in(cast.priya).get(url("rpg", group.pk)).status_code == 404  # not there
    assert signed_in(cast.sam).get(url("rpg_new")).status_code == 404


def test_a_reflective_practice_group_has_no_link_to_any_family_or_person() -> None:
    links = [
        f.name
        for f in ReflectiveGroup._meta.get_fields()
        if isinstance(f, models.ForeignObjectRel | models.ForeignKey | models.ManyToManyField)
        and f.related_model in {Family, Person}
    ]
    assert links == []


def test_an_rpg_naming_a_family_too_long_or_in_the_future_is_refused_with_text_kept(cast) -> None:
    lead = make_user("pat", Role.PRACTICE_LEAD, "Pat", "Lead")
    themes = f"What we learned from {cast.okafors.reference.lower()}"
    data = _rpg_form(
        cast, themes=themes, minutes="481", **when("held_on", today() + timedelta(days=1))
    )
    response = signed_in(lead).post(url("rpg_new"), data)
    text = response.text
    assert f"Themes names a family ({cast.okafors.reference})" in text
    assert "Minutes must be no more than 480" in text
    assert "The date it was held cannot be in the future" in text
    assert themes in text and "Ask early; ask again." in text
    assert not ReflectiveGroup.objects.exists()


def _standards(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "one_to_one_days": "28",
        "minutes_a_month": "90",
        "asye_weekly_weeks": "6",
        "asye_fortnightly_months": "6",
        "family_days": "42",
        "rpg_days": "31",
        "version": "1",
    }
    data.update(changes)
    return data


def test_the_standards_are_changed_by_the_practice_lead_and_a_conflict_keeps_the_text(cast) -> None:
    lead = make_user("pat", Role.PRACTICE_LEAD, "Pat", "Lead")
    assert signed_in(lead).post(url("standards"), _standards()).status_code == 302
    assert Standards.current().one_to_one_days == 28
    response = signed_in(cast.hana).post(url("standards"), _standards(family_days="35"))
    assert "Someone else changed the standards after you opened this page" in response.text
    assert 'value="35"' in response.text
    assert Standards.current().family_days == 42
    # A social worker sees the standards and cannot change them.
    signed_in(cast.sam).post(url("standards"), _standards(version="2", rpg_days="5"))
    assert Standards.current().rpg_days == 31
    bad = signed_in(lead).post(url("standards"), _standards(version="2", family_days="0"))
    assert "Days within which every open family is discussed must be more than 0" in bad.text
