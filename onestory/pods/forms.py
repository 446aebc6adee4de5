"""Forms for the pod pages. Each names its fields after the arguments of the function it feeds
(`allocate`, `arrange_cover`, ...), so `run` can pass the cleaned data straight through and
put any error the function raises on the field it is about, with what the user typed kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from onestory.families.codes import SocialWorkerChangeReason
from onestory.families.models import Person
from onestory.lib.forms import CHECKBOXES
from onestory.lib.govuk_dates import GovukDateField
from onestory.pods.access import current
from onestory.pods.allocation import COVERING_ROLES
from onestory.pods.models import CASE_HOLDING_ROLES, Pod, PodMembership, PodRole, Staff

T = TypeVar("T")
CHANGE_REASONS = [
    (code, label)
    for code, label in SocialWorkerChangeReason.choices
    if code != SocialWorkerChangeReason.FCONTA
]


class ActionForm(forms.Form):
    def run(self, action: Callable[..., T], **extra: Any) -> T | None:
        """Calls the action with the cleaned data; on bad input, the action's message goes on
        the field it names (or above the form) and None comes back. The action's transaction
        has already been rolled back, so nothing is saved."""
        try:
            return action(**self.cleaned_data, **extra)
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {}
            if not messages:
                self.add_error(None, error)
            for name, texts in messages.items():
                field = name if name in self.fields and name != NON_FIELD_ERRORS else None
                self.add_error(field, texts)
            return None


class StaffChoiceField(forms.ModelChoiceField[Staff]):
    """A member of staff by name; with `pods`, the pod each is in, for choices across pods."""

    pods: dict[int, str] | None = None

    def label_from_instance(self, obj: Staff) -> str:
        name = f"{obj.first_name} {obj.last_name}"
        return f"{name} ({self.pods.get(obj.pk, '')})" if self.pods else name


class ChildrenField(forms.ModelMultipleChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name


def set_choices(form: forms.Form, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def members_in(pod: Pod, day: date, roles: frozenset[str]) -> QuerySet[Staff]:
    return Staff.objects.filter(
        Q(memberships__end__isnull=True) | Q(memberships__end__gt=day),
        memberships__pod=pod,
        memberships__start__lte=day,
        memberships__role__in=roles,
    ).order_by("first_name", "last_name")


def date_field(label: str, *, hint: str = "", required: bool = True) -> GovukDateField:
    return GovukDateField(label=label, help_text=hint, required=required)


def fte_field() -> forms.DecimalField:
    return forms.DecimalField(
        label="FTE",
        min_value=Decimal("0.01"),
        max_value=Decimal("1.00"),
        decimal_places=2,
        help_text="Full-time equivalent, for example 0.8 for four days a week.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter their FTE, for example 0.8",
            "invalid": "FTE must be a number, for example 0.8",
            "min_value": "FTE must be more than 0",
            "max_value": "FTE must be 1 or less: 1 is full time",
        },
    )


def required(message: str) -> dict[str, str]:
    """GOV.UK error messages say what to do, not that a field is required."""
    return {"required": message}


CHOOSE_WORKER = required("Choose the social worker")
CHOOSE_REASON = required("Choose the reason for the change")


class AllocateChildForm(ActionForm):
    worker = StaffChoiceField(
        queryset=Staff.objects.none(),
        label="Social worker",
        empty_label="Choose a social worker",
        error_messages=CHOOSE_WORKER,
    )
    start = date_field("Date they become the child's social worker")
    reason = forms.ChoiceField(
        label="Reason for the change",
        choices=[("", "Choose a reason"), *CHANGE_REASONS],
        help_text="The reason recorded for the DfE (SSDA903 SW_REASON).",
        error_messages=CHOOSE_REASON,
    )

    def __init__(self, *args: Any, pod: Pod, changing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "worker", members_in(pod, timezone.localdate(), CASE_HOLDING_ROLES))
        if not changing:
            # A first social worker: the reason is always "first contact" (FCONTA).
            del self.fields["reason"]


class AllocateFamilyForm(ActionForm):
    children = ChildrenField(
        queryset=Person.objects.none(),
        label="Children to allocate",
        help_text="Brothers and sisters stay with one social worker unless there is a reason.",
        widget=forms.CheckboxSelectMultiple,
        error_messages=required("Choose at least one child"),
        **CHECKBOXES,
    )
    worker = StaffChoiceField(
        queryset=Staff.objects.none(),
        label="Social worker",
        empty_label="Choose a social worker",
        error_messages=CHOOSE_WORKER,
    )
    start = date_field("Date they become the children's social worker")
    reason = forms.ChoiceField(
        label="Reason for the change",
        choices=[("", "Choose a reason"), *CHANGE_REASONS],
        required=False,
        help_text="For children who already have a social worker (SSDA903 SW_REASON).",
    )

    def __init__(self, *args: Any, pod: Pod, children: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "children", Person.objects.filter(pk__in=[c.pk for c in children]))
        self.fields["children"].initial = [c.pk for c in children]
        set_choices(self, "worker", members_in(pod, timezone.localdate(), CASE_HOLDING_ROLES))


class TransferForm(ActionForm):
    to_pod = forms.ModelChoiceField(
        queryset=Pod.objects.none(),
        label="Move the family to",
        empty_label="Choose a pod",
        error_messages=required("Choose the pod the family is moving to"),
    )
    day = date_field("Date of the transfer")
    reason = forms.CharField(
        label="Why is the family moving?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages=required("Say why the family is moving to another pod"),
    )
    worker = StaffChoiceField(
        queryset=Staff.objects.none(),
        label="Social worker in the new pod (optional)",
        help_text="Leave this empty for the new pod's manager to allocate the children.",
        required=False,
        empty_label="None: the new pod will allocate",
    )
    change_reason = forms.ChoiceField(
        label="Reason for the change of social worker",
        choices=CHANGE_REASONS,
        initial=SocialWorkerChangeReason.TSPROC,
        error_messages=CHOOSE_REASON,
    )

    def __init__(self, *args: Any, pod: Pod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        pods = Pod.objects.filter(current(today)).exclude(pk=pod.pk)
        set_choices(self, "to_pod", pods)
        memberships = PodMembership.objects.open_on(today).filter(
            pod__in=pods, role__in=CASE_HOLDING_ROLES
        )
        worker = self.fields["worker"]
        assert isinstance(worker, StaffChoiceField)
        worker.queryset = Staff.objects.filter(pk__in=memberships.values("staff")).order_by(
            "first_name", "last_name"
        )
        worker.pods = dict(memberships.values_list("staff_id", "pod__name"))


class CoverForm(ActionForm):
    covering = StaffChoiceField(
        queryset=Staff.objects.none(),
        label="Who will cover?",
        empty_label="Choose who will cover",
        error_messages=required("Choose who will cover"),
    )
    start = date_field("Date the cover starts")
    end = date_field(
        "Date the cover ends",
        hint="Cover runs up to this day, usually the day they are back.",
    )

    def __init__(self, *args: Any, pod: Pod, absent: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        covering = members_in(pod, timezone.localdate(), COVERING_ROLES).exclude(pk=absent.pk)
        set_choices(self, "covering", covering)


class CoverEndForm(ActionForm):
    end = date_field(
        "Date the cover ends",
        hint="Earlier to end it sooner, later to extend it. Cover runs up to this day.",
    )


class MemberAddForm(ActionForm):
    staff = StaffChoiceField(
        queryset=Staff.objects.none(),
        label="Member of staff",
        help_text="People in post who are not in a pod today.",
        empty_label="Choose a member of staff",
        error_messages=required("Choose the member of staff"),
    )
    role = forms.ChoiceField(
        label="Role in the pod",
        choices=PodRole.choices,
        error_messages=required("Choose their role in the pod"),
    )
    fte = fte_field()
    start = date_field("Date they join the pod")
    end = date_field("Date they leave the pod (optional)", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        set_choices(
            self,
            "staff",
            Staff.objects.open_on(today)
            .exclude(pk__in=PodMembership.objects.open_on(today).values("staff"))
            .order_by("first_name", "last_name"),
        )


class MemberChangeForm(ActionForm):
    role = forms.ChoiceField(
        label="Role in the pod",
        choices=PodRole.choices,
        error_messages=required("Choose their role in the pod"),
    )
    fte = fte_field()
    day = date_field("Date of the change")


class MemberEndForm(ActionForm):
    end = date_field("Date they leave the pod", hint="The first day they are no longer in the pod.")
