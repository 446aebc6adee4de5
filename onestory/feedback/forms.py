"""Forms for the log and the public page. The staff forms name their fields after the arguments
of the function they feed (`log_item`, `start_stage`, `extend_stage`, `respond`), so `run` passes
the cleaned data straight through and puts any error on the field it names, with what the user
typed kept. Every text field has a size limit, the same as the database's."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from onestory.accounts.models import User
from onestory.families.models import Family
from onestory.feedback.models import (
    CONTACT_MAX,
    LEARNING_MAX,
    REASON_MAX,
    SUMMARY_MAX,
    Channel,
    Kind,
    Outcome,
    Source,
    StageNumber,
)
from onestory.lib.govuk_dates import GovukDateField
from onestory.pods.access import current
from onestory.pods.forms import ActionForm
from onestory.pods.models import Pod

RADIOS = forms.RadioSelect


def too_long(what: str, limit: int) -> dict[str, str]:
    return {"max_length": f"{what} must be {limit:,} characters or fewer"}


def text(label: str, limit: int, *, required: bool, what: str, rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter {what.lower()}", **too_long(what, limit)},
    )


def choice(label: str, choices: Any, message: str, **extra: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=RADIOS,
        error_messages={"required": message, "invalid_choice": message},
        **extra,
    )


# --- Staff ---------------------------------------------------------------------------------


class WorkerField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class ItemForm(ActionForm):
    kind = choice(
        "What is it?", Kind.choices, "Choose whether it is a compliment, complaint or comment"
    )
    source = choice("Who is it from?", Source.choices, "Choose who it is from")
    channel = choice("How did it arrive?", Channel.choices, "Choose how it arrived")
    received = GovukDateField(label="Date received")
    summary = text("Summary", SUMMARY_MAX, required=True, what="The summary", rows=6)
    reply_wanted = forms.BooleanField(label="They want a reply", required=False)
    contact = text(
        "Contact details (optional unless they want a reply)",
        CONTACT_MAX,
        required=False,
        what="The contact details",
        rows=3,
    )
    pod = forms.ModelChoiceField(
        queryset=Pod.objects.none(), required=False, label="Pod it is about (optional)"
    )
    worker = WorkerField(
        queryset=User.objects.none(), required=False, label="Worker it is about (optional)"
    )
    family_reference = forms.CharField(
        label="Family reference (optional)",
        max_length=40,
        required=False,
        help_text="The family's reference from their record, if it is about a family.",
        error_messages=too_long("The family reference", 40),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        pod = self.fields["pod"]
        assert isinstance(pod, forms.ModelChoiceField)
        pod.queryset = Pod.objects.filter(current(today)).order_by("name")
        pod.empty_label = "Not about a pod"
        worker = self.fields["worker"]
        assert isinstance(worker, forms.ModelChoiceField)
        worker.queryset = User.objects.filter(is_active=True, staff__isnull=False).order_by(
            "first_name", "last_name"
        )
        worker.empty_label = "Not about a worker"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reference = (data.pop("family_reference", "") or "").strip()
        data["family"] = None
        if reference:
            family = Family.objects.filter(reference__iexact=reference).first()
            if family is None:
                self.add_error("family_reference", "No family has this reference: check it")
            data["family"] = family
        return data


class StartStageForm(ActionForm):
    number = forms.TypedChoiceField(
        label="Which stage?",
        choices=StageNumber.choices,
        coerce=int,
        widget=RADIOS,
        error_messages={"required": "Choose the stage", "invalid_choice": "Choose the stage"},
    )
    started = GovukDateField(label="Date the stage started")


class VersionedForm(ActionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ExtendForm(VersionedForm):
    extended_due = GovukDateField(label="New date due")
    extension_reason = text(
        "Reason for the extension", REASON_MAX, required=False, what="The reason", rows=3
    )


class RespondForm(VersionedForm):
    responded = GovukDateField(label="Date of the response", required=False)
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Not decided yet"), *Outcome.choices],
        required=False,
        widget=RADIOS,
        error_messages={"invalid_choice": "Choose the outcome from the list"},
    )
    learning = text(
        "What the service learned (optional)",
        LEARNING_MAX,
        required=False,
        what="What the service learned",
    )


class LogFilterForm(forms.Form):
    """The log's filters, read from the query string."""

    kind = forms.ChoiceField(choices=[("", "Any"), *Kind.choices], required=False)
    source = forms.ChoiceField(
        label="Who from", choices=[("", "Anyone"), *Source.choices], required=False
    )
    stage = forms.ChoiceField(
        label="Stage now",
        choices=[("", "Any"), ("1", "Stage 1"), ("2", "Stage 2"), ("3", "Stage 3")],
        required=False,
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)


# --- Public --------------------------------------------------------------------------------


class PublicKindForm(forms.Form):
    kind = choice(
        "What would you like to send us?",
        [
            (Kind.COMPLIMENT, "A compliment: something that went well"),
            (Kind.COMPLAINT, "A complaint: something that went wrong"),
            (Kind.COMMENT, "A comment or suggestion"),
        ],
        "Choose whether you want to send a compliment, a complaint or a comment",
    )


class PublicSourceForm(forms.Form):
    source = choice(
        "Who are you?",
        Source.choices,
        "Choose who you are",
        help_text="If you are writing for someone else, choose who they are.",
    )


class PublicSummaryForm(forms.Form):
    summary = forms.CharField(
        label="Tell us about it, in your own words",
        help_text="What happened, when, and who was involved. If it is a complaint, tell us "
        "what you would like to happen now.",
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Enter what you want to tell us",
            **too_long("What you tell us", SUMMARY_MAX),
        },
    )
    # The honeypot: hidden from people and their assistive technology, filled in by robots.
    website = forms.CharField(required=False, max_length=200)


class PublicReplyForm(forms.Form):
    reply_wanted = choice(
        "Would you like a reply?",
        [("yes", "Yes"), ("no", "No")],
        "Choose yes if you would like a reply",
    )
    contact = forms.CharField(
        label="Your name and how we can contact you",
        help_text="For example, an email address, phone number or postal address.",
        max_length=CONTACT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=too_long("Your contact details", CONTACT_MAX),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reply_wanted") == "yes" and not (data.get("contact") or "").strip():
            self.add_error(
                "contact",
                "Enter your name and how we can contact you, or choose no if you do not "
                "want a reply",
            )
        return data
