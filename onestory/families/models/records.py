from __future__ import annotations

import secrets
import uuid
from datetime import date
from typing import Any

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from onestory.families import codes
from onestory.lib.history import history
from onestory.lib.identifiers import (
    normalise_nhs_number,
    normalise_upn,
    validate_nhs_number,
    validate_upn,
)
from onestory.lib.periods import Period, end_not_before_start, no_overlap
from onestory.pods.models import Pod

# No 0, 1, I or O: references are read out over the phone.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def new_reference() -> str:
    # 32**7 references: a clash among even a million families is a one-in-thirty-thousand
    # chance per new family, and the unique constraint turns it into an error, not a mix-up.
    return "F" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(7))


class FamilyQuerySet(models.QuerySet["Family"]):
    def open(self) -> FamilyQuerySet:
        return self.filter(closed__isnull=True)


@pghistory.track(*history())
class Family(models.Model):
    """A household the service works with. Its story is told once, to the family."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(
        max_length=12,
        unique=True,
        default=new_reference,
        editable=False,
        help_text="A short reference to use on the phone.",
    )
    name = models.CharField(max_length=150, help_text="For example: the Okafor family.")
    pod = models.ForeignKey(Pod, on_delete=models.PROTECT, related_name="families")
    opened = models.DateField()
    closed = models.DateField(null=True, blank=True)
    restricted = models.BooleanField(
        default=False,
        help_text="Visible only to the people named on the record.",
    )
    restricted_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="restricted_families"
    )

    objects = FamilyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "families"
        ordering = ["name"]
        constraints = [end_not_before_start("family_closed_after_opened", "opened", "closed")]
        # A pod's open families: most of a pod's families are closed (2,300 of 2,400 at the
        # `large` scale), and with the pod alone the open ones were found by reading them all.
        indexes = [models.Index(fields=["pod", "closed"], name="family_pod_by_closing")]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"


# Who is named on a restricted family is in its history (docs/security.md,
# promise 10). pghistory tracks an auto-made link table through a proxy of it, so that its
# triggers are in the migrations.
@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent(), obj_field=None)
class FamilyRestrictedTo(Family.restricted_to.through):  # type: ignore[misc,name-defined]
    class Meta:
        proxy = True
        verbose_name = "person named on a restricted family"


class PersonQuerySet(models.QuerySet["Person"]):
    def in_family(self, family: Family | int, *, role: str | None = None) -> PersonQuerySet:
        """People who belong, or belonged, to the family (in that role, when given).

        One subquery, so the family and the role are matched on the same membership: chained
        filters over `memberships` would also find a parent here who is a child elsewhere."""
        members = FamilyMember.objects.filter(person=OuterRef("pk"), family=family)
        if role is not None:
            members = members.filter(role=role)
        return self.filter(Exists(members))


@pghistory.track(*history())
class Person(models.Model):
    """Anyone in a family's story: children, parents, carers and others."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(
        max_length=100, blank=True, help_text="The name they like to be called, if different."
    )
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="For an unborn child."
    )
    sex = models.CharField(max_length=1, choices=codes.Sex.choices, blank=True)
    ethnicity = models.CharField(max_length=4, choices=codes.Ethnicity.choices, blank=True)
    upn = models.CharField(
        "Unique Pupil Number",
        max_length=13,
        blank=True,
        validators=[validate_upn],
        help_text="13 characters, starting with its check letter.",
    )
    nhs_number = models.CharField(
        "NHS number",
        max_length=10,
        blank=True,
        validators=[validate_nhs_number],
        help_text="10 digits, for example 943 476 5919.",
    )
    # Why there is no UPN (CIN census UPNunknown; the SSDA903 writes UN1 to UN5 as the UPN).
    no_upn_reason = models.CharField(
        "Reason there is no UPN",
        max_length=3,
        choices=codes.UPNUnknown.choices,
        blank=True,
        db_default="",
    )
    former_upn = models.CharField(  # CIN census FormerUPN
        "Former Unique Pupil Number",
        max_length=13,
        blank=True,
        db_default="",
        validators=[validate_upn],
    )
    date_of_death = models.DateField(null=True, blank=True)  # CIN census PersonDeathDate
    # (The new text columns default to "" in the database too, so that rows copied in bulk
    # without them, as the demo council's are, are valid.)
    # SSDA903 Header MOTHER and MC_DOB: asked of young women in care. Null is "not asked".
    is_mother = models.BooleanField("Is she a mother?", null=True, blank=True)
    first_child_born = models.DateField("Date of birth of her first child", null=True, blank=True)
    # The child's id in the statutory returns (SSDA903 CHILD, CIN census LAchildID). Blank for
    # children recorded here, who are returned under their database id; a child brought in from
    # another system's returns keeps that system's id, so that their returns continue.
    return_id = models.CharField(
        "ID in statutory returns", max_length=10, blank=True, db_default=""
    )
    first_language = models.CharField(max_length=60, blank=True)
    disabilities = ArrayField(
        models.CharField(max_length=4, choices=codes.Disability.choices),
        default=list,
        blank=True,
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "people"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(date_of_birth__isnull=False, expected_date_of_birth__isnull=False),
                name="person_born_or_expected_not_both",
                violation_error_message=(
                    "Give a date of birth or an expected date of birth, not both."
                ),
            ),
            models.UniqueConstraint(
                fields=["upn"],
                condition=~Q(upn=""),
                name="person_upn_unique",
                violation_error_message="Another person already has this Unique Pupil Number.",
            ),
            models.UniqueConstraint(
                fields=["return_id"],
                condition=~Q(return_id=""),
                name="person_return_id_unique",
                violation_error_message="Another person already has this ID in the returns.",
            ),
            models.CheckConstraint(
                condition=Q(upn="") | Q(no_upn_reason=""),
                name="person_upn_or_reason_not_both",
                violation_error_message="Give the UPN or the reason there is none, not both.",
            ),
            models.CheckConstraint(
                condition=Q(first_child_born__isnull=True) | Q(is_mother=True),
                name="person_first_child_only_for_a_mother",
                violation_error_message=(
                    "Give her first child's date of birth only if she is a mother."
                ),
            ),
            models.CheckConstraint(
                condition=Q(date_of_death__isnull=True)
                | Q(date_of_birth__isnull=True)
                | Q(date_of_death__gte=F("date_of_birth")),
                name="person_died_after_born",
                violation_error_message="The date of death cannot be before the date of birth.",
            ),
            models.UniqueConstraint(
                fields=["nhs_number"],
                condition=~Q(nhs_number=""),
                name="person_nhs_number_unique",
                violation_error_message="Another person already has this NHS number.",
            ),
        ]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return self.name_of(self.first_name, self.last_name)

    @staticmethod
    def name_of(first_name: str, last_name: str) -> str:
        """A full name from its parts, for lists read as values rather than people."""
        return f"{first_name} {last_name}"

    @property
    def known_as(self) -> str:
        return self.preferred_name or self.first_name

    def age_on(self, day: date) -> int | None:
        born = self.date_of_birth
        if born is None or born > day:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def clean_fields(self, exclude: Any = None) -> None:
        # Numbers are often typed with spaces ("943 476 5919"): store them without, before the
        # length and check-digit validators see them.
        self.upn = normalise_upn(self.upn)
        self.former_upn = normalise_upn(self.former_upn)
        self.nhs_number = normalise_nhs_number(self.nhs_number)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        today = timezone.localdate()
        if self.date_of_birth and self.date_of_birth > today:
            raise ValidationError(
                {
                    "date_of_birth": "The date of birth cannot be in the future. "
                    "For an unborn child, give the expected date of birth instead."
                }
            )


class MemberRole(models.TextChoices):
    CHILD = "child", "Child"
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    OTHER = "other", "Other"


@pghistory.track(*history())
class FamilyMember(Period):
    """A person belonging to a family over a period. Children can move between households."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=10, choices=MemberRole.choices)

    class Meta:
        ordering = ["family", "role", "start"]
        constraints = [
            end_not_before_start("familymember_end_not_before_start"),
            no_overlap(
                "familymember_once_at_a_time",
                "family",
                "person",
                message="This person is already in this family for some of these dates.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.family} ({self.get_role_display()})"


@pghistory.track(*history())
class MembershipRequest(models.Model):
    """A request for someone another pod holds to join this family, and the decision on it.

    Joining a family gives its pod the person's record, so it needs the agreement of the pod
    manager of a family the person belongs to now (docs/decisions/0005-need-to-know.md,
    "People"). The membership is made only when they agree, by them, with who asked kept here.
    """

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="join_requests")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="join_requests")
    role = models.CharField(max_length=10, choices=MemberRole.choices)
    start = models.DateField("date they joined the family")
    reason = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    agreed = models.BooleanField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="membershiprequest_has_a_reason"),
            models.CheckConstraint(
                condition=(
                    Q(agreed__isnull=True, decided_by__isnull=True, decided_at__isnull=True)
                    | Q(agreed__isnull=False, decided_by__isnull=False, decided_at__isnull=False)
                ),
                name="membershiprequest_decided_with_who_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("requested_by")),
                name="membershiprequest_not_agreed_by_the_asker",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} to join {self.family}"
