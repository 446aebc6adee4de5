"""The database keeps the rules: no end before a start, no overlapping periods, full history."""

from __future__ import annotations

from datetime import date

import pghistory
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from onestory.families.models import Allocation, CareEpisode, FamilyMember, Person
from onestory.pods.models import Staff
from onestory.test import Cast, child_of

pytestmark = pytest.mark.django_db


def care_episode(child: Person, start: date, end: date | None) -> CareEpisode:
    return CareEpisode(
        child=child,
        reason_new_episode="S",
        legal_status="V2",
        category_of_need="N1",
        placement="U4",
        provider="PR1",
        reason_ceased="E4A" if end else "",
        start=start,
        end=end,
    )


def test_the_database_refuses_an_end_before_a_start(cast: Cast) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        care_episode(child_of(cast.okafors), date(2024, 5, 1), date(2024, 4, 1)).save()
    assert not CareEpisode.objects.exists()


def test_the_database_refuses_overlapping_care_episodes(cast: Cast) -> None:
    child = child_of(cast.okafors)
    care_episode(child, date(2024, 1, 1), date(2024, 6, 1)).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        care_episode(child, date(2024, 5, 1), None).save()
    # Back to back is not an overlap: one episode ends the day the next begins.
    care_episode(child, date(2024, 6, 1), None).save()
    assert CareEpisode.objects.count() == 2


def test_overlapping_allocations_refused_with_a_plain_message(cast: Cast) -> None:
    child = child_of(cast.okafors)
    sam = Staff.objects.get(user=cast.sam)
    Allocation.objects.create(child=child, worker=sam, pod=cast.harbour, start=date(2024, 1, 1))
    second = Allocation(child=child, worker=sam, pod=cast.harbour, start=date(2024, 3, 1))
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "already has a social worker for some of these dates" in str(error.value)


def test_a_person_added_twice_to_a_family_at_once_is_refused(cast: Cast) -> None:
    member = cast.okafors.members.first()
    assert member is not None
    again = FamilyMember(
        family=cast.okafors, person=member.person, role=member.role, start=date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        again.full_clean()
    assert "already in this family for some of these dates" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        again.save()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nhs_number", "9434765918", "last digit should be 9, not 8"),
        ("upn", "A801200005001", "check letter"),
        ("ethnicity", "XXXX", "not a valid choice"),
    ],
)
def test_bad_identifiers_and_codes_are_refused_on_the_field(
    cast: Cast, field: str, value: str, message: str
) -> None:
    person = child_of(cast.okafors)
    setattr(person, field, value)
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert field in error.value.message_dict
    assert message in " ".join(error.value.message_dict[field])


def test_every_change_is_kept_with_bulk_updates_and_deletes(cast: Cast) -> None:
    events = apps.get_model("families", "PersonEvent")
    person = child_of(cast.okafors)
    before = events.objects.count()
    with pghistory.context(user=cast.ben.pk):
        Person.objects.filter(pk=person.pk).update(preferred_name="Jay")
    update = events.objects.filter(pgh_obj=person, pgh_label="update").latest("pgh_id")
    assert update.preferred_name == "Jay"
    assert update.pgh_context.metadata["user"] == cast.ben.pk

    spare = Person.objects.create(first_name="Temp", last_name="Record")
    Person.objects.filter(pk=spare.pk).delete()
    deleted = events.objects.filter(pgh_label="delete", first_name="Temp")
    assert deleted.count() == 1
    assert events.objects.count() == before + 3  # update, insert, delete
