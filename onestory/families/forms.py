"""Forms for the records that business support and pod staff keep: people, who is in a family,
and each child's statutory episodes.

Every save goes through a ModelForm, so the model's validators and the database's rules (an end
before its start, two CP plans at once) come back as plain messages on the page, with what the
user typed still in the form, never as a server error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.text import capfirst

from onestory.accounts.models import User
from onestory.families.access import Action, families_for
from onestory.families.models import (
    AdoptionDecision,
    AdoptionPlacement,
    Assessment,
    CareEpisode,
    CareProceedings,
    CINEpisode,
    CINPlan,
    CPPlan,
    CPReview,
    Family,
    FamilyMember,
    InitialConference,
    MemberRole,
    MissingEpisode,
    Person,
    Review,
    Section47Enquiry,
    UASCPeriod,
)
from onestory.lib.forms import CHECKBOXES, plain_english
from onestory.lib.govuk_dates import GovukDateField
from onestory.lib.history import recorded
from onestory.lib.identifiers import normalise_nhs_number, normalise_upn

M = TypeVar("M", bound=models.Model)


def govuk_formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """The GOV.UK pattern for each kind of model field: dates as day, month and year boxes,
    several choices from a code list as checkboxes."""
    if isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        return db_field.formfield(form_class=GovukDateField, **kwargs)
    if isinstance(db_field, ArrayField) and db_field.base_field.choices:
        return forms.MultipleChoiceField(
            choices=db_field.base_field.choices,
            required=not db_field.blank,
            label=capfirst(db_field.verbose_name),
            help_text=db_field.help_text,
            widget=forms.CheckboxSelectMultiple,
            **CHECKBOXES,
        )
    if isinstance(db_field, models.ManyToManyField):
        return db_field.formfield(widget=forms.CheckboxSelectMultiple, **CHECKBOXES)
    return db_field.formfield(**kwargs)


def date_order_rules(model: type[models.Model]) -> Iterator[tuple[str, str, str]]:
    """(start, end, message) for each "the end cannot be before the start" rule of the model,
    read from its check constraints (onestory.lib.periods.end_not_before_start), so the rule
    is written once, in the model."""
    for constraint in model._meta.constraints:
        condition = getattr(constraint, "condition", None)
        if not isinstance(constraint, models.CheckConstraint) or not isinstance(condition, Q):
            continue
        match condition.children:
            case [(str(empty), True), (str(after), models.F() as start)] if empty.endswith(
                "__isnull"
            ) and after == empty.replace("__isnull", "__gte"):
                message = str(constraint.violation_error_message)
                yield start.deconstruct()[1][0], after.removesuffix("__gte"), message


class RecordForm(forms.ModelForm[M]):
    class Meta:
        formfield_callback = govuk_formfield

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            plain_english(field)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        # Checked here as well as by the database, for two reasons: the message belongs on
        # the end date, where the user will correct it; and a reversed period must not reach
        # the exclusion constraints' checks, whose query PostgreSQL refuses for such a range.
        for start, end, message in date_order_rules(self._meta.model):
            first, last = (
                cleaned.get(name) if name in self.fields else getattr(self.instance, name)
                for name in (start, end)
            )
            if first and last and last < first:
                self.add_error(end if end in self.fields else None, message)
        return cleaned

    def _get_validation_exclusions(self) -> set[str]:
        # ModelForm leaves fields that are not on the form out of model validation, and with
        # them every rule that involves them: the family and person the view sets, the start
        # date behind "the end cannot be before the start", the child behind "one CP plan at a
        # time". Checking the whole instance turns such a clash into a message on the page
        # rather than an IntegrityError from the database. Fields on the form that already
        # failed stay out, as Django intends. (The method is private, so not in django-stubs.)
        excluded: set[str] = super()._get_validation_exclusions()  # type: ignore[misc]
        return {name for name in excluded if name in self.fields}


class IdentifierField(forms.CharField):
    """A national identifier accepted as people type it (spaces, lower case): cleaned to its
    stored form before its length is checked."""

    def __init__(self, *, normalise: Callable[[str], str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.normalise = normalise

    def to_python(self, value: Any) -> str:
        return self.normalise(str(super().to_python(value)))

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # No maxlength in the page: people type spaces that the stored form drops.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def identifier_field(name: str, normalise: Callable[[str], str]) -> IdentifierField:
    model_field = Person._meta.get_field(name)
    assert isinstance(model_field, models.CharField)
    return IdentifierField(
        normalise=normalise,
        max_length=model_field.max_length,
        required=False,
        label=capfirst(model_field.verbose_name),
        help_text=model_field.help_text,
    )


# --- People and membership ----------------------------------------------------------------


class PersonForm(RecordForm[Person]):
    upn = identifier_field("upn", normalise_upn)
    nhs_number = identifier_field("nhs_number", normalise_nhs_number)

    class Meta(RecordForm.Meta):
        model = Person
        fields = [
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "expected_date_of_birth",
            "sex",
            "ethnicity",
            "upn",
            "nhs_number",
            "first_language",
            "disabilities",
        ]
        help_texts = {"disabilities": "Select all that apply."}


class NewMemberForm(PersonForm):
    """A new person and their place in the family, in one form and one save."""

    role = forms.ChoiceField(label="Role in the family", choices=MemberRole.choices)
    start = GovukDateField(label="Date they joined the family")

    field_order = ["role", "start"]

    def save_into(self, family: Family, *, by: User) -> FamilyMember:
        # One write: a person is never saved without their place in the family.
        with recorded(by, "families.add_new_member"):
            person = self.save()
            return FamilyMember.objects.create(
                family=family,
                person=person,
                role=self.cleaned_data["role"],
                start=self.cleaned_data["start"],
            )


class MembershipForm(RecordForm[FamilyMember]):
    """Someone already known to the service joining this family (a child moving household)."""

    class Meta(RecordForm.Meta):
        model = FamilyMember
        fields = ["role", "start", "end"]
        labels = {
            "role": "Role in the family",
            "start": "Date they joined the family",
            "end": "Date they left the family",
        }
        help_texts = {"end": "Leave empty if they are still in the family."}


class EndMembershipForm(RecordForm[FamilyMember]):
    class Meta(RecordForm.Meta):
        model = FamilyMember
        fields = ["end"]
        labels = {"end": "Date they left the family"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end"].required = True


# --- Statutory episodes -------------------------------------------------------------------


class EpisodeForm(RecordForm[M]):
    """A statutory episode of a child (or, for care proceedings, of a family).

    Choices that point at other records (the referral an assessment belongs to, the children an
    application covers) offer only that child's or that family's records, so an id from
    elsewhere is refused as an invalid choice. Dates are of things that have happened, so none
    may be in the future.
    """

    def __init__(
        self,
        *args: Any,
        user: User,
        child: Person | None = None,
        family: Family | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, models.QuerySet[Any]] = {
            "episode": CINEpisode.objects.filter(child=child),
            "enquiry": Section47Enquiry.objects.filter(episode__child=child),
            "plan": CPPlan.objects.filter(child=child),
            "family": families_for(user, Action.EDIT).filter(members__person=child).distinct(),
            "children": Person.objects.in_family(family, role=MemberRole.CHILD)
            if family
            else Person.objects.none(),
        }
        for name, field in self.fields.items():
            if isinstance(field, GovukDateField):
                field.not_future = True
            if name in choices and isinstance(field, forms.ModelChoiceField):
                field.queryset = choices[name]


EPISODE = "Referral and CIN episode"
NEED_A_REFERRAL = "Choose the referral. If it is not listed, add the referral first."


class CINEpisodeForm(EpisodeForm[CINEpisode]):
    class Meta(RecordForm.Meta):
        model = CINEpisode
        fields = [
            "family",
            "start",
            "referral_source",
            "primary_need",
            "no_further_action",
            "end",
            "closure_reason",
        ]
        labels = {
            "family": "The family the referral is about",
            "start": "Referral date",
            "referral_source": "Source of the referral",
            "primary_need": "Primary need",
            "no_further_action": "No further action after the referral",
            "end": "Date the episode closed",
            "closure_reason": "Reason for closure",
        }
        help_texts = {"end": "Leave empty while the episode is open."}


class AssessmentForm(EpisodeForm[Assessment]):
    class Meta(RecordForm.Meta):
        model = Assessment
        fields = ["episode", "start", "authorised", "factors"]
        labels = {
            "episode": EPISODE,
            "start": "Date the assessment started",
            "authorised": "Date the assessment was authorised",
            "factors": "Factors identified at the end of the assessment",
        }
        help_texts = {"factors": "Select all that apply."}
        error_messages = {"episode": {"required": NEED_A_REFERRAL}}


class Section47EnquiryForm(EpisodeForm[Section47Enquiry]):
    class Meta(RecordForm.Meta):
        model = Section47Enquiry
        fields = ["episode", "start", "conference_not_required"]
        labels = {
            "episode": EPISODE,
            "start": "Date the enquiry started",
            "conference_not_required": "An initial child protection conference is not required",
        }
        error_messages = {"episode": {"required": NEED_A_REFERRAL}}


class InitialConferenceForm(EpisodeForm[InitialConference]):
    class Meta(RecordForm.Meta):
        model = InitialConference
        fields = ["enquiry", "date", "plan_made"]
        labels = {
            "enquiry": "Section 47 enquiry",
            "date": "Date of the conference",
            "plan_made": "A child protection plan was made",
        }
        error_messages = {
            "enquiry": {
                "required": "Choose the section 47 enquiry. If it is not listed, add it first.",
                "unique": "This enquiry already has an initial conference.",
            }
        }


class CINPlanForm(EpisodeForm[CINPlan]):
    class Meta(RecordForm.Meta):
        model = CINPlan
        fields = ["episode", "start", "end"]
        labels = {"episode": EPISODE, "start": "Plan start date", "end": "Plan end date"}
        help_texts = {"end": "Leave empty while the plan is in place."}
        error_messages = {"episode": {"required": NEED_A_REFERRAL}}


class CPPlanForm(EpisodeForm[CPPlan]):
    class Meta(RecordForm.Meta):
        model = CPPlan
        fields = ["episode", "start", "initial_category", "latest_category", "end"]
        labels = {
            "episode": EPISODE,
            "start": "Plan start date",
            "initial_category": "Initial category of abuse",
            "latest_category": "Latest category of abuse",
            "end": "Plan end date",
        }
        help_texts = {"end": "Leave empty while the plan is in place."}
        error_messages = {"episode": {"required": NEED_A_REFERRAL}}


class CPReviewForm(EpisodeForm[CPReview]):
    class Meta(RecordForm.Meta):
        model = CPReview
        fields = ["plan", "date"]
        labels = {"plan": "Child protection plan", "date": "Date of the review conference"}
        error_messages = {
            "plan": {
                "required": "Choose the child protection plan. If it is not listed, add it first."
            }
        }


class CareEpisodeForm(EpisodeForm[CareEpisode]):
    class Meta(RecordForm.Meta):
        model = CareEpisode
        fields = [
            "start",
            "reason_new_episode",
            "legal_status",
            "category_of_need",
            "placement",
            "provider",
            "home_postcode",
            "placement_postcode",
            "urn",
            "end",
            "reason_ceased",
            "reason_place_change",
        ]
        labels = {
            "start": "Date the episode started",
            "reason_new_episode": "Reason for the new episode",
            "legal_status": "Legal status",
            "category_of_need": "Category of need",
            "placement": "Placement type",
            "provider": "Placement provider",
            "home_postcode": "Postcode of the child's home",
            "placement_postcode": "Postcode of the placement",
            "end": "Date the episode ceased",
            "reason_ceased": "Reason the episode ceased",
            "reason_place_change": "Reason for the change of placement",
        }
        help_texts = {"end": "Leave empty while the episode continues."}


class ReviewForm(EpisodeForm[Review]):
    class Meta(RecordForm.Meta):
        model = Review
        fields = ["date", "participation"]
        labels = {"date": "Review date", "participation": "How the child took part"}


class MissingEpisodeForm(EpisodeForm[MissingEpisode]):
    class Meta(RecordForm.Meta):
        model = MissingEpisode
        fields = ["kind", "start", "end"]
        labels = {
            "kind": "Missing, or away without authorisation",
            "start": "Date it started",
            "end": "Date it ended",
        }


class UASCPeriodForm(EpisodeForm[UASCPeriod]):
    class Meta(RecordForm.Meta):
        model = UASCPeriod
        fields = ["start", "end"]
        labels = {
            "start": "Date the child became an unaccompanied asylum-seeking child",
            "end": "Date the child stopped being an unaccompanied asylum-seeking child",
        }


class AdoptionDecisionForm(EpisodeForm[AdoptionDecision]):
    class Meta(RecordForm.Meta):
        model = AdoptionDecision
        fields = [
            "decided",
            "matched",
            "foster_carer_adoption",
            "number_of_adopters",
            "adopter_sex",
            "adopter_legal_status",
        ]
        labels = {
            "decided": "Date of the decision that the child should be placed for adoption",
            "matched": "Date the child was matched with adopters",
            "foster_carer_adoption": "Adopted by the child's foster carer",
            "number_of_adopters": "Number of adopters",
            "adopter_sex": "Sex of the adopters",
            "adopter_legal_status": "Legal status of the adopters",
        }


class AdoptionPlacementForm(EpisodeForm[AdoptionPlacement]):
    class Meta(RecordForm.Meta):
        model = AdoptionPlacement
        fields = ["start", "end", "reason_ceased"]
        labels = {
            "start": "Date of the decision that the child should be placed for adoption",
            "end": "Date the decision ceased",
            "reason_ceased": "Reason the decision ceased",
        }


class CareProceedingsForm(EpisodeForm[CareProceedings]):
    class Meta(RecordForm.Meta):
        model = CareProceedings
        fields = [
            "children",
            "application_date",
            "court",
            "orders_sought",
            "outcome",
            "concluded",
        ]
        labels = {
            "children": "Children the application is about",
            "application_date": "Date of the section 31 application",
            "court": "Court",
            "orders_sought": "Orders sought",
            "outcome": "Outcome",
            "concluded": "Date the proceedings concluded",
        }
        error_messages = {"children": {"required": "Choose the children the application is about."}}


@dataclass(frozen=True)
class EpisodeKind:
    """One kind of statutory record: its form, its name, and how to find its owner.

    `owner` is the lookup from a record to the child (or family) whose page it belongs to;
    a record is only ever fetched through it, so an id from another child answers 404.
    """

    form: type[EpisodeForm[Any]]
    name: str
    owner: str = "child"
    article: str = "a"

    @property
    def model(self) -> type[models.Model]:
        return self.form._meta.model

    @property
    def for_family(self) -> bool:
        return self.owner == "family"

    def new(self, owner: Person | Family) -> models.Model:
        # Kinds that hang off a referral get their child through the referral chosen.
        if "__" in self.owner:
            return self.model()
        return self.model(**{self.owner: owner})


EPISODES: dict[str, EpisodeKind] = {
    "referral": EpisodeKind(CINEpisodeForm, "referral and CIN episode"),
    "assessment": EpisodeKind(AssessmentForm, "assessment", "episode__child", "an"),
    "section-47-enquiry": EpisodeKind(Section47EnquiryForm, "section 47 enquiry", "episode__child"),
    "initial-conference": EpisodeKind(
        InitialConferenceForm,
        "initial child protection conference",
        "enquiry__episode__child",
        "an",
    ),
    "cin-plan": EpisodeKind(CINPlanForm, "CIN plan", "episode__child"),
    "cp-plan": EpisodeKind(CPPlanForm, "child protection plan"),
    "cp-review": EpisodeKind(CPReviewForm, "child protection review", "plan__child"),
    "care-episode": EpisodeKind(CareEpisodeForm, "care episode"),
    "review": EpisodeKind(ReviewForm, "review"),
    "missing": EpisodeKind(MissingEpisodeForm, "missing episode"),
    "uasc": EpisodeKind(UASCPeriodForm, "UASC period"),
    "adoption-decision": EpisodeKind(AdoptionDecisionForm, "adoption decision", article="an"),
    "adoption-placement": EpisodeKind(
        AdoptionPlacementForm, "decision to place for adoption", article="a"
    ),
    "care-proceedings": EpisodeKind(
        CareProceedingsForm, "care proceedings", "family", article="new"
    ),
}


class JoinRequestForm(forms.Form):
    """Asking for someone another pod holds to join this family."""

    role = forms.ChoiceField(label="Role in the family", choices=MemberRole.choices)
    start = GovukDateField(label="Date they joined the family")
    reason = forms.CharField(
        label="Why are they joining this family?",
        help_text="Their pod manager reads this before agreeing.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say why they are joining this family"},
    )
