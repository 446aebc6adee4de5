"""What a family's record is made of, across every app: the rows a disposal removes.

Starting from the family and the people who belong to no other family, every row that points
at a removed row is removed too, until nothing more is found. Each foreign key that can be
followed this way must be listed in `DECISIONS` with the reason it is followed: a key that is
not (a new app's, say) stops the disposal with a plain error before anything is touched, and
`tests/test_graph.py` fails until someone decides. Every decision so far is "remove": a row
that points at a family's record is about that family, and keeping it would keep part of the
record past its date. Rows in the append-only tables (history and the access log) are not
removed here but by the database function in `purge.py`.

The keys are followed with the database's own deferred foreign key checks in force, so the
order of the deletes does not matter; PROTECT keys (most of them) are honoured by removing
what they protect in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.apps import apps
from django.db import models

from onestory.core.append_only import append_only_tables

# app_label.Model.field -> why it is followed (every one: the row is removed).
DECISIONS: dict[str, str] = {
    # families
    "families.Family_restricted_to.family": "who is named on the family",
    "families.FamilyMember.family": "who belongs to the family",
    "families.FamilyMember.person": "the memberships of a person removed",
    "families.MembershipRequest.family": "requests to join the family",
    "families.MembershipRequest.person": "requests for a removed person to join a family",
    "families.EmergencyAccess.family": "emergency access to the family",
    "families.AuditAccess.family": "an auditor's way in to the family",
    "families.Allocation.child": "who held a removed child",
    "families.Cover.child": "cover for a removed child",
    "families.PodTransfer.family": "the family's moves between pods",
    "families.CINEpisode.child": "a removed child's episodes",
    "families.CINEpisode.family": "the family's episodes",
    "families.Assessment.episode": "part of a removed episode",
    "families.Section47Enquiry.episode": "part of a removed episode",
    "families.InitialConference.enquiry": "part of a removed enquiry",
    "families.CINPlan.episode": "part of a removed episode",
    "families.CPPlan.episode": "part of a removed episode",
    "families.CPPlan.child": "a removed child's plans",
    "families.CPReview.plan": "part of a removed plan",
    "families.CareEpisode.child": "a removed child's care episodes",
    "families.Review.child": "a removed child's reviews",
    "families.MissingEpisode.child": "a removed child's missing episodes",
    "families.UASCPeriod.child": "a removed child's UASC periods",
    "families.AdoptionDecision.child": "a removed child's adoption decisions",
    "families.AdoptionPlacement.child": "a removed child's adoption placements",
    "families.InitialConference.episode": "part of a removed episode",
    "families.HealthOutcomes.child": "a removed child's health outcomes",
    "families.PreviousPermanence.care_episode": "part of a removed care episode",
    "families.CareLeaverContact.child": "a removed care leaver's circumstances",
    "families.DeprivationOfLiberty.child": "a removed child's deprivation of liberty orders",
    "families.CareProceedings.family": "the family's care proceedings",
    "families.CareProceedings_children.careproceedings": "the children in removed proceedings",
    "families.CareProceedings_children.person": "a removed child in proceedings",
    # stories
    "stories.Entry.family": "the family's story",
    "stories.Entry_concerns.entry": "who a removed entry concerns",
    "stories.Entry_concerns.person": "entries' links to a removed person",
    "stories.Entry_seen.entry": "who was seen, in a removed entry",
    "stories.Entry_seen.person": "entries' links to a removed person",
    "stories.Entry_seen_alone.entry": "who was seen alone, in a removed entry",
    "stories.Entry_seen_alone.person": "entries' links to a removed person",
    "stories.Amendment.entry": "amendments to a removed entry",
    "stories.SignOff.entry": "sign-offs of a removed entry",
    "stories.CensusAuthorisation.assessment": "links to a removed assessment",
    "stories.CensusAuthorisation.entry": "links to a removed entry",
    "stories.FamilyCopy.family": "the family's search copy",
    # supervision: casework discussed in supervision is part of the family's record; the
    # sessions themselves (the worker's supervision) are not, and stay.
    "supervision.CaseworkRecord.family": "the family's casework supervision",
    "supervision.CaseworkRecord.entry": "casework linked to a removed entry",
    "supervision.ChildRating.record": "part of a removed casework record",
    "supervision.ChildRating.child": "a removed child's ratings",
    "supervision.Action.record": "actions of a removed casework record",
    # audits: the audit of a child's record goes with the record; the cycle's figures already
    # taken (outcomes snapshots) are counts and stay.
    "audits.SampledChild.child": "a removed child sampled for audit",
    "audits.SampledChild.family": "the family sampled for audit",
    "audits.Assignment.sample": "who was to audit a removed sample",
    "audits.Audit.sample": "the audit of a removed sample",
    "audits.Audit_themes.audit": "themes of a removed audit",
    "audits.DomainGrade.audit": "grades of a removed audit",
    "audits.Moderation.audit": "moderation of a removed audit",
    "audits.ModeratedGrade.moderation": "grades of a removed moderation",
    "audits.AuditAction.audit": "actions of a removed audit",
    # feedback: a complaint about the family names and describes it; the complaints figures
    # already reported are counts and stay.
    "feedback.Item.family": "compliments and complaints about the family",
    "feedback.Stage.item": "stages of a removed complaint",
    "feedback.Stage.previous": "later stages of a removed complaint",
    # pre-proceedings: the family's letters, meetings and offers are its record.
    "preproceedings.PreProceedings.family": "the family's pre-proceedings",
    "preproceedings.PreProceedings.proceedings": "pre-proceedings before removed proceedings",
    "preproceedings.PreProceedings_children.person": "pre-proceedings' links to a removed child",
    "preproceedings.PreProceedings_children.preproceedings": "the children in removed periods",
    # returns: a check's finding names the child; the return already sent is the council's.
    "returns.Finding.child": "a check's findings about a removed child",
    # retention: a hold's reasons are about the family (only lifted holds can be here).
    "retention.LegalHold.family": "the family's lifted legal holds",
}

# Kept on purpose, never followed: the disposal's own request (its family becomes empty and
# the tombstone says what went).
KEPT = {"retention.Disposal.family"}


def _label(model: type[models.Model], field: models.Field[Any, Any]) -> str:
    return f"{model._meta.label}.{field.name}"


def _ordinary_models() -> list[type[models.Model]]:
    import pghistory.models

    append_only = set(append_only_tables())
    found = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or issubclass(model, pghistory.models.Event):
            continue
        if meta.db_table in append_only:
            continue
        found.append(model)
    return found


Edge = tuple[type[models.Model], models.ForeignKey[Any, Any]]


def edges() -> list[Edge]:
    """Every foreign key that leads, directly or through other rows, to a family or a person,
    except those of the append-only tables."""
    family = apps.get_model("families", "Family")
    person = apps.get_model("families", "Person")
    reached = {family, person}
    found: dict[str, Edge] = {}
    grew = True
    while grew:
        grew = False
        for model in _ordinary_models():
            for field in model._meta.concrete_fields:
                if not isinstance(field, models.ForeignKey) or field.related_model not in reached:
                    continue
                label = _label(model, field)
                if label in KEPT or label in found:
                    continue
                found[label] = (model, field)
                if model not in reached:
                    reached.add(model)
                    grew = True
    return list(found.values())


def undecided() -> list[str]:
    return sorted(_label(m, f) for m, f in edges() if _label(m, f) not in DECISIONS)


class Undecided(Exception):
    pass


def collect(family_id: int) -> dict[type[models.Model], set[Any]]:
    """The primary keys, by model, of every row in the family's record. One query per key per
    round (a handful of rounds: entries, then their amendments, and so on)."""
    missing = undecided()
    if missing:
        raise Undecided("Nobody has decided what a disposal does with " + ", ".join(missing) + ".")
    family = apps.get_model("families", "Family")
    person = apps.get_model("families", "Person")
    member = apps.get_model("families", "FamilyMember")
    rows: dict[type[models.Model], set[Any]] = defaultdict(set)
    rows[family].add(family_id)
    # People who belong to this family and no other; someone who also belongs to a family that
    # is kept stays, with that family's records about them.
    ours = set(member.objects.filter(family_id=family_id).values_list("person_id", flat=True))
    elsewhere = set(
        member.objects.filter(person_id__in=ours)
        .exclude(family_id=family_id)
        .values_list("person_id", flat=True)
    )
    rows[person] |= ours - elsewhere
    fresh = {model: set(ids) for model, ids in rows.items()}
    all_edges = edges()
    while fresh:
        found: dict[type[models.Model], set[Any]] = defaultdict(set)
        for model, field in all_edges:
            targets = fresh.get(field.related_model)
            if not targets:
                continue
            pks = model._base_manager.filter(**{f"{field.attname}__in": targets}).values_list(
                "pk", flat=True
            )
            new = set(pks) - rows[model]
            if new:
                found[model] |= new
        for model, ids in found.items():
            rows[model] |= ids
        fresh = {model: ids for model, ids in found.items() if ids}
    return dict(rows)
