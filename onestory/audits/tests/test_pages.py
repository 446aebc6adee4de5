"""The audit pages end to end: opening a cycle, the audit tool, conflict-safe saves, finishing
(on the family's story), moderation keeping both grades, actions in What's due, the report;
and each kind of bad input the issue names, with a clear message and nothing typed lost."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onestory.audits.models import (
    Audit,
    AuditAction,
    Cycle,
    DomainGrade,
    ModeratedGrade,
    Moderation,
    SampledChild,
)
from onestory.audits.tests.helpers import World, a_cycle, sampled_in
from onestory.families.access import Action, can
from onestory.families.models import AccessEvent, AuditAccess
from onestory.lib import due
from onestory.stories.models import Entry, Kind
from onestory.test import signed_in, when

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"audits:{name}", args=args)


def complete(sample: SampledChild, **changes: Any) -> dict[str, Any]:
    """A whole audit as the form posts it."""
    data: dict[str, Any] = {"version": sample.audit.version}
    for domain in sample.cycle.domains.all():
        data[f"grade_{domain.position}"] = "2"
        data[f"evidence_{domain.position}"] = f"Evidence for {domain.name}"
        data[f"better_{domain.position}"] = "More time with the child"
    data |= {
        "overall_grade": "2",
        "overall_evidence": "A good record, written to the family.",
        "family_view_possible": "yes",
        "family_view": "Mum said Sam listens.",
        "new_themes": "Voice of the child",
    }
    return data | changes


def auditor_of(sample: SampledChild) -> Any:
    return sample.assignment.auditor


def test_opening_a_cycle_draws_the_sample_and_shows_how(world: World) -> None:
    client = signed_in(world.quinn)
    response = client.post(
        url("cycle_open"),
        {"period": "month", **when("starts", date(2026, 11, 1)), "sample_per_pod": "2"},
    )
    cycle = Cycle.objects.get()
    assert response.status_code == 302
    page = client.get(url("cycle", cycle.pk)).text
    assert f"the seed <strong>{cycle.seed}</strong>" in page
    assert "Children who could be drawn and children drawn, by pod and status" in page
    assert SampledChild.objects.filter(cycle=cycle).count() == 4


def test_a_sample_larger_than_the_open_children_keeps_what_was_typed(world: World) -> None:
    response = signed_in(world.quinn).post(
        url("cycle_open"),
        {
            "period": "month",
            **when("starts", date(2026, 11, 1)),
            "sample_per_pod": "9",
            "new_theme": "Neglect",
        },
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Pod Downs has 4" in response.text
    assert 'value="9"' in response.text and 'value="Neglect"' in response.text
    assert not Cycle.objects.exists()


def test_the_auditor_saves_finishes_and_it_goes_on_the_story(world: World) -> None:
    cycle = a_cycle(world)
    sample = sampled_in(cycle, world.cast.harbour)
    auditor = auditor_of(sample)
    client = signed_in(auditor)
    # The auditor reads the family's record through the audit relation, and it is logged.
    record = client.get(reverse("families:detail", args=[sample.family.uuid]))
    assert record.status_code == 200
    assert AccessEvent.objects.filter(user=auditor, family=sample.family).exists()
    response = client.post(url("audit", sample.pk), {**complete(sample), "save": ""})
    assert response.status_code == 302
    audit = Audit.objects.get(pk=sample.audit.pk)
    assert audit.version == 2 and audit.status == "draft"
    assert DomainGrade.objects.filter(audit=audit, grade=2).count() == 7
    action = client.post(
        url("action_add", sample.pk),
        {
            "what": "Visit Jayden at school",
            "owner": world.cast.sam.pk,
            **when("due", timezone.localdate() + timedelta(days=14)),
        },
    )
    assert action.status_code == 302
    finish = client.post(url("audit", sample.pk), {**complete(sample, version=2), "finish": ""})
    assert finish.status_code == 302
    audit.refresh_from_db()
    assert audit.status == "finished" and audit.finished_at
    entry = Entry.objects.get(family=sample.family, kind=Kind.AUDIT)
    assert entry.status == "final"
    assert "Overall: Good." in entry.story
    assert "Visit Jayden at school" in entry.next_steps
    assert list(entry.concerns.all()) == [sample.child]
    # The audit is over: so is the auditor's access to the family.
    assert not AuditAccess.objects.active().filter(user=auditor, family=sample.family).exists()
    assert not can(auditor, sample.family, Action.VIEW)
    # The action is in Sam's What's due, naming the cycle, not the child.
    # (Sam also audits a child of Pod Downs in this cycle: that is in What's due too.)
    tasks = [t for t in due.tasks_for(world.cast.sam, timezone.localdate()) if t.source == "Audit"]
    assert sorted(t.what for t in tasks) == ["Carry out an audit", "Visit Jayden at school"]
    assert all(sample.child.first_name not in t.about for t in tasks)


def test_finishing_an_incomplete_audit_names_each_missing_answer(world: World) -> None:
    sample = sampled_in(a_cycle(world), world.cast.harbour)
    data = complete(sample, grade_3="", overall_grade="", family_view="", finish="")
    response = signed_in(auditor_of(sample)).post(url("audit", sample.pk), data)
    assert response.status_code == 200
    text = response.text
    assert "Choose a grade for assessment and analysis" in text
    assert "Choose the overall grade" in text
    assert "Enter the family&#x27;s view" in text
    assert "Evidence for The quality of the One Story record" in text  # typed, kept
    assert Audit.objects.get(pk=sample.audit.pk).version == 1  # nothing saved


def test_a_grade_off_the_scale_is_refused_by_the_form_and_the_database(world: World) -> None:
    sample = sampled_in(a_cycle(world), world.cast.harbour)
    response = signed_in(auditor_of(sample)).post(
        url("audit", sample.pk), complete(sample, grade_1="7", save="")
    )
    assert "Choose a grade on the scale: Outstanding, Good, Requires improvement or " in (
        response.text
    )
    assert "Evidence for Assessment and analysis" in response.text
    assert not DomainGrade.objects.filter(audit=sample.audit, grade__isnull=False).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        DomainGrade.objects.filter(audit=sample.audit).update(grade=5)


def test_two_people_saving_one_audit_the_second_keeps_their_text(world: World) -> None:
    sample = sampled_in(a_cycle(world), world.cast.harbour)
    auditor = auditor_of(sample)
    first = signed_in(auditor)
    second = signed_in(auditor)  # the same audit open in two places, both at version 1
    first.post(url("audit", sample.pk), complete(sample, evidence_1="First words", save=""))
    response = second.post(
        url("audit", sample.pk), complete(sample, evidence_1="Second words", save="")
    )
    assert response.status_code == 200
    assert "saved this audit" in response.text and "after you opened it" in response.text
    assert "Second words" in response.text  # the loser's text is on screen
    assert "First words" in response.text  # beside what the winner saved
    grade = DomainGrade.objects.get(audit=sample.audit, domain__position=1)
    assert grade.evidence == "First words"  # no silent overwrite
    assert 'name="version" value="2"' in response.text  # saving again is a choice


def test_a_finished_or_moderated_audit_cannot_be_edited(world: World) -> None:
    sample = sampled_in(a_cycle(world), world.cast.harbour)
    client = signed_in(auditor_of(sample))
    client.post(url("audit", sample.pk), complete(sample, finish=""))
    again = client.post(url("audit", sample.pk), complete(sample, evidence_1="Later", save=""))
    assert "so it can no longer be changed" in again.text
    assert "Later" in again.text
    assert DomainGrade.objects.get(audit=sample.audit, domain__position=1).evidence != "Later"
    moderated = signed_in(world.quinn).post(
        url("moderate", sample.pk),
        {**{f"grade_{p}": "3" for p in range(1, 8)}, "overall_grade": "3"},
    )
    assert moderated.status_code == 302
    refused = client.post(url("audit", sample.pk), complete(sample, evidence_1="Later", save=""))
    assert "and moderated by Quinn Adebayo" in refused.text


def test_moderation_keeps_both_grades_and_the_report_gives_agreement(world: World) -> None:
    cycle = a_cycle(world)
    sample = sampled_in(cycle, world.cast.harbour)
    signed_in(auditor_of(sample)).post(url("audit", sample.pk), complete(sample, finish=""))
    quinn = signed_in(world.quinn)
    quinn.post(
        url("moderate", sample.pk),
        {**{f"grade_{p}": "2" for p in range(1, 7)}, "grade_7": "3", "overall_grade": "2"},
    )
    moderation = Moderation.objects.get(audit=sample.audit)
    assert ModeratedGrade.objects.get(moderation=moderation, domain__position=7).grade == 3
    assert DomainGrade.objects.get(audit=sample.audit, domain__position=7).grade == 2  # kept
    twice = quinn.post(
        url("moderate", sample.pk),
        {**{f"grade_{p}": "1" for p in range(1, 8)}, "overall_grade": "1"},
    )
    assert "Quinn Adebayo moderated this audit on" in twice.text
    assert Moderation.objects.count() == 1
    report = quinn.get(url("report", cycle.pk)).text
    # 8 pairs (7 domains and the overall grade), 7 the same.
    assert "8 pairs of grades" in report
    assert "87.5% of the time" in report
    assert "<svg" in report and "Grades by domain (audits finished)" in report


def test_an_audit_of_a_child_outside_the_sample_is_refused(world: World) -> None:
    cycle = a_cycle(world, per_pod=1)
    sampled = set(SampledChild.objects.filter(cycle=cycle).values_list("child", flat=True))
    outside = next(c for c in world.children["harbour"] if c.pk not in sampled)
    response = signed_in(world.quinn).get(url("child", cycle.pk, outside.uuid))
    assert response.status_code == 404
    assert "Only the children drawn for a cycle" in response.text
    inside = SampledChild.objects.filter(cycle=cycle).first()
    assert inside is not None
    found = signed_in(world.quinn).get(url("child", cycle.pk, inside.child.uuid))
    assert found.status_code == 302


def test_actions_are_marked_done_by_their_owner(world: World) -> None:
    sample = sampled_in(a_cycle(world), world.cast.harbour)
    action = AuditAction.objects.create(
        audit=sample.audit,
        what="Update the plan",
        owner=world.cast.sam,
        due=timezone.localdate(),
    )
    client = signed_in(world.cast.sam)
    response = client.post(url("action_done", action.pk), when("done_on", timezone.localdate()))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on == timezone.localdate() and action.done_by == world.cast.sam
    twice = client.post(url("action_done", action.pk), when("done_on", timezone.localdate()))
    assert "marked this done on" in twice.text


def queries(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200, path
    return len(captured.captured_queries)


# Pinned: the number of queries each page runs, the same for a sample of 2 and of 6.
PINNED = {"cycle": 6, "report": 13, "learning": 7, "home": 7, "audit": 14}


def test_page_query_counts_are_pinned_and_do_not_grow_with_the_sample(world: World) -> None:
    small = a_cycle(world, per_pod=1, starts=date(2026, 10, 1))
    large = a_cycle(world, per_pod=3)
    for cycle in (small, large):
        for sample in SampledChild.objects.filter(cycle=cycle).select_related("audit"):
            complete_audit = complete(sample)
            signed_in(sample.assignment.auditor).post(
                url("audit", sample.pk), {**complete_audit, "finish": ""}
            )
    client = signed_in(world.quinn)
    client.get(url("home"))  # the session's first request reads more (sign-in checks)
    counted = {}
    for name in PINNED:
        found = set()
        for cycle in (small, large):
            sample = sampled_in(cycle, world.cast.harbour)
            args = {"cycle": [cycle.pk], "report": [cycle.pk], "audit": [sample.pk]}
            found.add(queries(client, url(name, *args.get(name, []))))
        counted[name] = found
    assert counted == {name: {n} for name, n in PINNED.items()}


def test_changing_the_auditor_moves_the_access_to_the_family(world: World) -> None:
    sample = sampled_in(a_cycle(world), world.cast.downs)
    before = auditor_of(sample)
    priya = world.cast.priya  # Pod Harbour's manager: from another pod than the child's
    assert before != priya
    response = signed_in(world.quinn).post(url("assign", sample.pk), {"auditor": priya.pk})
    assert response.status_code == 302
    assert SampledChild.objects.get(pk=sample.pk).assignment.auditor == priya
    assert can(priya, sample.family, Action.VIEW)
    assert not can(before, sample.family, Action.VIEW)
    # Charlie holds the child's case in Pod Downs: not offered, and refused if posted.
    refused = signed_in(world.quinn).post(
        url("assign", sample.pk), {"auditor": world.cast.charlie.pk}
    )
    assert "Select a valid choice" in refused.text or "holds this child" in refused.text


def test_domains_change_between_cycles_never_inside_one(world: World) -> None:
    cycle = a_cycle(world, per_pod=1)
    client = signed_in(world.quinn)
    response = client.post(
        url("domain_add"), {"name": "Working with the family's network", "in_use": "on"}
    )
    assert response.status_code == 302
    clash = client.post(url("domain_add"), {"name": "assessment and analysis", "in_use": "on"})
    assert "There is already a domain called assessment and analysis" in clash.text
    assert cycle.domains.count() == 7  # the open cycle keeps its seven
    later = a_cycle(world, per_pod=1, starts=date(2026, 12, 1))
    assert later.domains.count() == 8
