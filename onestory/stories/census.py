"""The CIN census's assessment dates, taken from the pod manager's sign-off.

CIN census <Assessments>: AssessmentActualStartDate is when the assessment began and
AssessmentAuthorisationDate when a manager authorised it. An assessment entry in the story is
the assessment written up, and its sign-off is that authorisation; so signing it off records
the dates on each concerned child's census assessment, rather than someone typing them again
on the child's record (data is entered once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef
from django.utils import timezone

from onestory.families.models import Assessment, CINEpisode, FamilyMember, MemberRole, Person

if TYPE_CHECKING:
    from onestory.stories.models import Entry, SignOff


@dataclass(frozen=True)
class AssessmentsAuthorised:
    updated: list[Person]  # children whose census assessment the sign-off authorised
    no_episode: list[Person]  # children the entry concerns with no open CIN episode

    def summary(self) -> str:
        parts = []
        if self.updated:
            records = "record" if len(self.updated) == 1 else "records"
            parts.append(f"Census assessment {records} updated for {_names(self.updated)}.")
        if self.no_episode:
            parts.append(
                f"No census record updated for {_names(self.no_episode)}: "
                "no open child in need episode."
            )
        return " ".join(parts)


def _names(people: list[Person]) -> str:
    names = [p.full_name for p in people]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def authorise_assessments(entry: Entry, sign_off: SignOff) -> AssessmentsAuthorised:
    """For each child the entry concerns with a CIN episode open on the entry's date, links
    the episode's assessment to the entry (a CensusAuthorisation) and authorises it on the
    sign-off's date.

    The assessment is the one already linked to this entry; else the latest one recorded by
    hand that is not yet authorised and started by the entry's date (its start is kept); else a
    new one that starts on the entry's date. Call it inside the sign-off's transaction."""
    day = timezone.localdate(entry.occurred_at)
    authorised = timezone.localdate(sign_off.at)
    is_child = FamilyMember.objects.filter(
        person=OuterRef("pk"), family=entry.family_id, role=MemberRole.CHILD
    )
    concerned: list[Person] = list(
        entry.concerns.annotate(is_child=Exists(is_child)).order_by("last_name", "first_name", "pk")
    )
    episodes: dict[int, CINEpisode] = {}
    # A child with two open referrals (records kept in two households) is counted in this
    # family's, then in the latest.
    for episode in CINEpisode.objects.open_on(day).filter(child__in=concerned):
        rank = (episode.family_id == entry.family_id, episode.start, episode.pk)
        held = episodes.get(episode.child_id)
        if held is None or rank > (held.family_id == entry.family_id, held.start, held.pk):
            episodes[episode.child_id] = episode
    updated = []
    for person in concerned:
        episode = episodes.get(person.pk)
        if episode is None:
            continue
        assessment = _assessment(episode, entry, day)
        assessment.authorised = authorised
        assessment.save()
        entry.census_authorisations.get_or_create(assessment=assessment)
        updated.append(person)
    missing = [p for p in concerned if p.is_child and p.pk not in episodes]  # type: ignore[attr-defined]
    return AssessmentsAuthorised(updated=updated, no_episode=missing)


def _assessment(episode: CINEpisode, entry: Entry, day: date) -> Assessment:
    # Row locks, and the conditions rechecked after waiting for them: two assessments signed
    # off at once cannot both claim the same hand-recorded assessment.
    mine = Assessment.objects.select_for_update(of=("self",)).filter(episode=episode)
    found = mine.filter(authorisation__entry=entry).first() or (
        mine.filter(authorisation__isnull=True, authorised__isnull=True, start__lte=day)
        .order_by("-start", "-pk")
        .first()
    )
    return found or Assessment(episode=episode, start=day)
