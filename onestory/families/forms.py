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
from onestory.families import codes
from onestory.families.access import Action, families_for
from onestory.families.models import (
    AdoptionDecision,
    AdoptionPlacement,
    Assessment,
    CareEpisode,
    CareLeaverContact,
    CareProceedings,
    CINEpisode,
    CINPlan,
    CPPlan,
    CPReview,
    DeprivationOfLiberty,
    Family,
    FamilyMember,
    HealthOutcomes,
    InitialConference,
    MemberRole,
    MissingEpisode,
    Person,
    PreviousPermanence,
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
    if isinstance(db_field, models.BooleanField) and db_field.null:
        # A question that may not have been asked yet: yes, no, or not answered (null), the
        # return's 1, 0 or blank.
        widget = forms.NullBooleanSelect()
        widget.choices = [("unknown", "Not answered"), ("true", "Yes"), ("false", "No")]
        return db_field.formfield(form_class=forms.NullBooleanField, widget=widget, **kwargs)
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
    """A person's details, with what the returns ask of a child: the reason there is no UPN
    beside the UPN, and, for a young woman, whether she is a mother."""

    upn = identifier_field("upn", normalise_upn)
    former_upn = identifier_field("former_upn", normalise_upn)
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
            "no_upn_reason",
            "former_upn",
            "nhs_number",
            "first_language",
            "disabilities",
            "is_mother",
            "first_child_born",
            "date_of_death",
        ]
        labels = {"is_mother": "Is she a mother?"}
        help_texts = {
            "disabilities": "Select all that apply, or 'No disability'.",
            "no_upn_reason": "Only if there is no Unique Pupil Number.",
            "former_upn": "If the child had another Unique Pupil Number before.",
            "is_mother": "Asked of girls and young women who are looked after.",
            "first_child_born": "Only if she is a mother.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date_of_death"].not_future = True  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upn, reason = cleaned.get("upn"), cleaned.get("no_upn_reason")
        if upn and reason:
            self.add_error("no_upn_reason", "Give the UPN or the reason there is none, not both")
        elif not upn and not reason and self._in_a_return():
            self.add_error(
                "upn", "Enter the Unique Pupil Number, or choose the reason there is none"
            )
        if self._in_a_return():
            # The blanks both returns refuse, asked for here rather than found in the summer.
            for name, message in (
                ("sex", "Choose the sex"),
                ("ethnicity", "Choose the ethnicity"),
                ("disabilities", "Select the disabilities, or 'No disability'"),
            ):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
            born = cleaned.get("date_of_birth") or cleaned.get("expected_date_of_birth")
            if not born and "date_of_birth" not in self.errors:
                self.add_error("date_of_birth", "Enter the date of birth")
        disabilities = cleaned.get("disabilities") or []
        if codes.Disability.NONE in disabilities and len(disabilities) > 1:
            self.add_error("disabilities", "Select 'No disability' on its own, or the disabilities")
        mother, first_born = cleaned.get("is_mother"), cleaned.get("first_child_born")
        if mother is not None and cleaned.get("sex") == codes.Sex.MALE:
            self.add_error("is_mother", "Answer whether she is a mother only for a girl or woman")
        if first_born and mother is not True:
            self.add_error(
                "first_child_born", "Give her first child's date of birth only if she is a mother"
            )
        elif mother is True and not first_born:
            self.add_error("first_child_born", "Enter the date of birth of her first child")
        born = cleaned.get("date_of_birth")
        for name, message in (
            ("first_child_born", "Her first child's date of birth must be after her own"),
            ("date_of_death", "The date of death cannot be before the date of birth"),
        ):
            day = cleaned.get(name)
            if born and day and day < born and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def _in_a_return(self) -> bool:
        """A child in the SSDA903 or the CIN census, whose returns refuse a blank sex,
        ethnicity, date of birth, disability, or UPN with no reason (SSDA903 rule 442)."""
        person = self.instance
        if person.pk is None:
            return False
        if not hasattr(self, "_returned"):
            self._returned = person.care_episodes.exists() or person.cin_episodes.exists()
        return self._returned


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
            "care_episode": CareEpisode.objects.filter(child=child),
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
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # The census wants a primary need for every referral that goes further.
        needed = not cleaned.get("no_further_action") and "primary_need" not in self.errors
        if needed and not cleaned.get("primary_need"):
            self.add_error(
                "primary_need", "Choose the primary need, unless there was no further action"
            )
        return cleaned

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
    """The conference follows an enquiry, or, held without one in this episode, the referral."""

    class Meta(RecordForm.Meta):
        model = InitialConference
        fields = ["enquiry", "episode", "date", "plan_made"]
        labels = {
            "enquiry": "Section 47 enquiry",
            "episode": "Referral, if there was no section 47 enquiry in this episode",
            "date": "Date of the conference",
            "plan_made": "A child protection plan was made",
        }
        help_texts = {
            "enquiry": "The enquiry the conference followed.",
            "episode": (
                "Only when the enquiry was made in an earlier episode or by another council."
            ),
        }
        error_messages = {"enquiry": {"unique": "This enquiry already has an initial conference."}}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        enquiry, episode = cleaned.get("enquiry"), cleaned.get("episode")
        if "enquiry" in self.errors or "episode" in self.errors:
            return cleaned
        if enquiry and episode:
            self.add_error("episode", "Choose the section 47 enquiry or the referral, not both")
        elif not enquiry and not episode:
            self.add_error(
                "enquiry",
                "Choose the section 47 enquiry, or the referral if there was no enquiry. "
                "If neither is listed, add it first.",
            )
        return cleaned


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
    """An episode of care. The return needs both postcodes and, for a registered placement,
    its Ofsted URN (rule 218), except for a short break (rules 214 and 398)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("legal_status") in codes.SHORT_BREAK_LEGAL_STATUSES:
            return cleaned
        for name, message in (
            ("home_postcode", "Enter the postcode of the child's home"),
            ("placement_postcode", "Enter the postcode of the placement"),
        ):
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        placement = cleaned.get("placement")
        registered = placement and placement not in codes.PLACEMENT_TYPES_WITHOUT_URN
        if registered and not cleaned.get("urn") and "urn" not in self.errors:
            self.add_error("urn", "Enter the placement's Ofsted URN: it is a registered placement")
        return cleaned

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


class HealthOutcomesForm(EpisodeForm[HealthOutcomes]):
    class Meta(RecordForm.Meta):
        model = HealthOutcomes
        fields = [
            "year",
            "immunisations",
            "teeth_check",
            "health_assessment",
            "health_check",
            "substance_misuse",
            "intervention_received",
            "intervention_offered",
            "convicted",
            "sdq_score",
            "sdq_reason",
        ]
        labels = {
            "year": "Year ending 31 March",
            "immunisations": "Immunisations up to date",
            "teeth_check": "Teeth checked by a dentist in the year",
            "health_assessment": "Annual health assessment up to date",
            "health_check": "Development assessments up to date (children under 5)",
            "substance_misuse": "Identified as having a substance misuse problem",
            "intervention_received": "Received an intervention for the problem",
            "intervention_offered": "Offered an intervention (if none was received)",
            "convicted": "Convicted or given a final warning or reprimand (aged 10 or over)",
            "sdq_score": "Strengths and Difficulties Questionnaire (SDQ) score",
            "sdq_reason": "Reason there is no SDQ score",
        }
        help_texts = {
            "year": "For example, 2026 for 1 April 2025 to 31 March 2026.",
            "sdq_score": "From 0 to 40. Aged 4 to 16 only.",
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("substance_misuse") is not True:
            for name in ("intervention_received", "intervention_offered"):
                if cleaned.get(name) is not None:
                    self.add_error(name, "Answer this only for a substance misuse problem")
        elif (
            cleaned.get("intervention_received") and cleaned.get("intervention_offered") is not None
        ):
            self.add_error(
                "intervention_offered", "Answer this only if no intervention was received"
            )
        score, reason = cleaned.get("sdq_score"), cleaned.get("sdq_reason")
        if score is not None and score > 40:
            self.add_error("sdq_score", "The SDQ score must be a number from 0 to 40")
        elif score is not None and reason:
            self.add_error("sdq_reason", "Give the SDQ score or the reason there is none, not both")
        return cleaned


class PreviousPermanenceForm(EpisodeForm[PreviousPermanence]):
    class Meta(RecordForm.Meta):
        model = PreviousPermanence
        fields = ["care_episode", "order", "council", "order_date"]
        labels = {
            "care_episode": "The care episode that started the period of care",
            "order": "Permanence order before this period of care",
            "council": "Council that arranged it",
            "order_date": "Date of the order",
        }
        help_texts = {
            "council": "Its 3-digit number, or WAL, SCO or NIR, or NUK for outside the UK.",
        }
        error_messages = {
            "care_episode": {
                "required": "Choose the care episode. If it is not listed, add it first.",
                "unique": "This care episode already has its previous permanence recorded.",
            }
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cleaned["council"] = (cleaned.get("council") or "").strip().upper()
        order = cleaned.get("order")
        if order == codes.PermanenceOrder.Z1:
            for name in ("council", "order_date"):
                if cleaned.get(name):
                    self.add_error(name, "Leave this empty when there was no previous order")
        elif order:
            if not cleaned["council"]:
                self.add_error("council", "Enter the council that arranged the order")
            if not cleaned.get("order_date") and "order_date" not in self.errors:
                self.add_error("order_date", "Enter the date of the order")
        episode = cleaned.get("care_episode")
        if episode and episode.reason_new_episode != codes.ReasonNewEpisode.S:
            self.add_error(
                "care_episode", "Choose the care episode that started the period of care"
            )
        return cleaned


class CareLeaverContactForm(EpisodeForm[CareLeaverContact]):
    class Meta(RecordForm.Meta):
        model = CareLeaverContact
        fields = ["year", "in_touch", "activity", "accommodation"]
        labels = {
            "year": "Year ending 31 March",
            "in_touch": "Was the council in touch around their birthday?",
            "activity": "Main activity",
            "accommodation": "Accommodation",
        }
        help_texts = {"year": "For example, 2026 for 1 April 2025 to 31 March 2026."}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        touch = cleaned.get("in_touch")
        for name in ("activity", "accommodation"):
            value = cleaned.get(name)
            if value is None:
                continue
            if touch in codes.IN_TOUCH_NOTHING_ASKED and value != "0":
                self.add_error(
                    name, "Choose 'Not known' when the young person has died or returned home"
                )
            elif touch == codes.InTouch.YES and value == "0":
                self.add_error(name, f"Choose their {name}: the council is in touch")
        return cleaned


class DeprivationOfLibertyForm(EpisodeForm[DeprivationOfLiberty]):
    class Meta(RecordForm.Meta):
        model = DeprivationOfLiberty
        fields = ["start", "end"]
        labels = {"start": "Date the order started", "end": "Date the order ended"}
        help_texts = {"end": "Leave empty while the order is in force."}


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
    # Another way to reach the owner, for a record that hangs off one thing or another (a
    # conference after an enquiry, or on the referral when there was none).
    or_owner: str = ""

    def of(self, owner: Person | Family) -> Q:
        """The records of this kind that belong to `owner`."""
        mine = Q(**{self.owner: owner})
        return mine | Q(**{self.or_owner: owner}) if self.or_owner else mine

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
        or_owner="episode__child",
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
    "health-outcomes": EpisodeKind(HealthOutcomesForm, "health outcomes record"),
    "previous-permanence": EpisodeKind(
        PreviousPermanenceForm, "previous permanence", "care_episode__child", article="the"
    ),
    "care-leaver": EpisodeKind(CareLeaverContactForm, "care leaver record"),
    "deprivation-of-liberty": EpisodeKind(DeprivationOfLibertyForm, "deprivation of liberty order"),
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
