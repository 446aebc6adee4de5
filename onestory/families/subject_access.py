"""Subject access (UK GDPR article 15; docs/security.md, promise 28): everything held about a
person, in story order, with information about other people flagged for the officer to consider
redacting.

Information governance produce it; producing it is logged by the chokepoint that fetched the
person (`get_person_for(..., Action.SUBJECT_ACCESS)`). It holds only what the officer may see:
a restricted family they are not named on is left out, with its members and its story.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from onestory.accounts.models import User
from onestory.families.access import Action, families_for
from onestory.families.models import (
    Allocation,
    CareEpisode,
    CareLeaverContact,
    CareProceedings,
    CINEpisode,
    CPPlan,
    DeprivationOfLiberty,
    Family,
    FamilyMember,
    HealthOutcomes,
    MissingEpisode,
    Person,
    Review,
    UASCPeriod,
)
from onestory.lib.dates import long_date

# A page builder, so it may read the story (docs/decisions/0010-one-way-dependencies.md).
from onestory.stories.models import Entry


@dataclass
class Item:
    day: date
    title: str
    details: list[str] = field(default_factory=list)
    # Names or facts about someone other than the subject: consider redacting before release.
    third_party: list[str] = field(default_factory=list)


@dataclass
class Bundle:
    person: Person
    items: list[Item]

    @property
    def flagged(self) -> int:
        return sum(1 for item in self.items if item.third_party)


def _when(start: date, end: date | None) -> str:
    return f"{long_date(start)} to {long_date(end)}" if end else f"from {long_date(start)}"


def bundle_for(person: Person, *, user: User) -> Bundle:
    items: list[Item] = []
    reachable = families_for(user, Action.SUBJECT_ACCESS)
    memberships = FamilyMember.objects.filter(person=person, family__in=reachable).select_related(
        "family"
    )
    for membership in memberships:
        others = (
            FamilyMember.objects.filter(family=membership.family)
            .exclude(person=person)
            .select_related("person")
        )
        items.append(
            Item(
                membership.start,
                f"Member of {membership.family.name} as {membership.get_role_display().lower()}",
                [_when(membership.start, membership.end)],
                [f"{m.person.full_name} ({m.get_role_display().lower()})" for m in others],
            )
        )
    for allocation in Allocation.objects.filter(child=person).select_related("worker", "pod"):
        reason = allocation.get_change_reason_display() or "first allocation"
        items.append(
            Item(
                allocation.start,
                f"Social worker: {allocation.worker} ({allocation.pod})",
                [_when(allocation.start, allocation.end), f"Reason: {reason}"],
            )
        )
    for episode in CINEpisode.objects.filter(child=person).prefetch_related(
        "assessments", "enquiries__conference", "cin_plans", "conferences"
    ):
        details = [f"Referral source: {episode.get_referral_source_display()}"]
        if episode.primary_need:
            details.append(f"Primary need: {episode.get_primary_need_display()}")
        if episode.end:
            reason = episode.get_closure_reason_display()
            details.append(f"Closed {long_date(episode.end)}: {reason}")
        items.append(Item(episode.start, "Referral and child in need episode", details))
        for assessment in episode.assessments.all():
            items.append(Item(assessment.start, "Assessment started", _assessment(assessment)))
        for enquiry in episode.enquiries.all():
            items.append(Item(enquiry.start, "Section 47 enquiry started"))
        for plan in episode.cin_plans.all():
            items.append(Item(plan.start, "Child in need plan", [_when(plan.start, plan.end)]))
        for conference in episode.conferences.all():
            made = ["A child protection plan was made"] if conference.plan_made else []
            items.append(Item(conference.date, "Initial child protection conference", made))
    for cp in CPPlan.objects.filter(child=person):
        items.append(
            Item(
                cp.start,
                f"Child protection plan ({cp.get_latest_category_display().lower()})",
                [_when(cp.start, cp.end)],
            )
        )
    for care in CareEpisode.objects.filter(child=person).select_related("previous_permanence"):
        details = [
            _when(care.start, care.end),
            f"Legal status: {care.get_legal_status_display()}",
            f"Placement: {care.get_placement_display()}",
        ]
        permanence = getattr(care, "previous_permanence", None)
        if permanence is not None:
            details.append(f"Order before this care: {permanence.get_order_display()}")
        items.append(Item(care.start, "Episode of care", details))
    # The returns' yearly records, dated by the 31 March that ends their year.
    for outcomes in HealthOutcomes.objects.filter(child=person):
        items.append(Item(date(outcomes.year, 3, 31), "Health outcomes for the year", []))
    for contact in CareLeaverContact.objects.filter(child=person):
        items.append(
            Item(
                date(contact.year, 3, 31),
                "Care leaver's circumstances",
                [
                    contact.get_in_touch_display(),
                    contact.get_activity_display(),
                    contact.get_accommodation_display(),
                ],
            )
        )
    for order in DeprivationOfLiberty.objects.filter(child=person):
        items.append(
            Item(order.start, "Deprivation of liberty order", [_when(order.start, order.end)])
        )
    for review in Review.objects.filter(child=person):
        items.append(Item(review.date, "Review", [review.get_participation_display()]))
    for missing in MissingEpisode.objects.filter(child=person):
        when = [_when(missing.start, missing.end)]
        items.append(Item(missing.start, missing.get_kind_display(), when))
    for uasc in UASCPeriod.objects.filter(child=person):
        when = [_when(uasc.start, uasc.end)]
        items.append(Item(uasc.start, "Unaccompanied asylum-seeking child", when))
    proceedings_here = CareProceedings.objects.filter(children=person, family__in=reachable)
    for proceedings in proceedings_here.prefetch_related("children"):
        siblings = [c.full_name for c in proceedings.children.all() if c.pk != person.pk]
        items.append(
            Item(
                proceedings.application_date,
                f"Care application to {proceedings.court}",
                [f"Outcome: {proceedings.get_outcome_display() or 'not yet known'}"],
                siblings,
            )
        )
    items += _story(person, reachable)
    items.sort(key=lambda item: item.day)
    return Bundle(person=person, items=items)


def _story(person: Person, reachable: QuerySet[Family]) -> list[Item]:
    """The finished story entries about the person, with amendments; what is marked as about
    other people, or not for sharing, is flagged for the officer to consider redacting."""
    entries = (
        Entry.objects.final()
        .filter(concerns=person, family__in=reachable)
        .select_related("family", "author")
        .prefetch_related("amendments")
        .order_by("occurred_at", "id")
    )
    items = []
    for entry in entries:
        details = [f"Written by {entry.author} in the story of {entry.family.name}", entry.story]
        details += [
            text for text in (entry.child_words, entry.reflection, entry.next_steps) if text
        ]
        details += [f"Amended: {a.text} (reason: {a.reason})" for a in entry.amendments.all()]
        flagged = [entry.third_party] if entry.third_party else []
        if entry.not_for_sharing:
            flagged.append("The whole entry is marked not for sharing with the family.")
        day = timezone.localdate(entry.occurred_at)
        items.append(Item(day, entry.get_kind_display(), details, flagged))
    return items


def _assessment(assessment: object) -> list[str]:
    authorised = getattr(assessment, "authorised", None)
    return [f"Authorised {long_date(authorised)}"] if authorised else ["Not yet authorised"]
