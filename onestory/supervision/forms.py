"""Forms for the supervision pages. Each hands the write function what it needs and puts any
error it raises on the field it names, with everything typed kept (`ActionForm.run`).

The session and group forms are built for the families in front of them: for each, a box to
say it was discussed, the reflection and analysis, the decisions, a rating for each child and
an action; and one more family, typed by its reference, for a family not on the list."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict

from onestory.accounts.models import User
from onestory.families.models import Family, Person
from onestory.lib.forms import CHECKBOXES
from onestory.lib.govuk_dates import GovukDateField
from onestory.pods.forms import ActionForm
from onestory.supervision import records
from onestory.supervision.models import WORKING_DAY_MINUTES, CaseworkRecord, Rating, Standards
from onestory.supervision.records import ActionNote, CaseworkNote

T = TypeVar("T")
TEXTAREA = forms.Textarea(attrs={"rows": 4})


class PeopleField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


def minutes_field() -> forms.IntegerField:
    return forms.IntegerField(
        label="Minutes",
        help_text=f"How long it lasted, in minutes: no more than {WORKING_DAY_MINUTES}.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter how many minutes it lasted",
            "invalid": "Minutes must be a whole number, for example 90",
        },
    )


def people_field(label: str, people: QuerySet[User], *, required: bool = True) -> PeopleField:
    return PeopleField(
        queryset=people,
        label=label,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": f"Choose {label.lower()}"},
        **CHECKBOXES,
    )


class ScheduleForm(ActionForm):
    scheduled_for = GovukDateField(label="Date of the session")


@dataclass
class Block:
    """A part of the form with its own heading: one family, or the session itself."""

    heading: str
    fields: list[forms.BoundField]
    hint: str = ""


class CaseworkForm(ActionForm):
    """A session (1:1 or group) with a casework record for each family discussed."""

    def __init__(
        self,
        *args: Any,
        families: Iterable[tuple[Family, list[Person]]],
        owners: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.families = list(families)
        # Read once: a choice of owner for each family must not query once for each.
        self.owners = {str(user.pk): user for user in owners}
        for family, children in self.families:
            self._add_family(f"f{family.pk}", family.name, children)
        self._add_family("other", "another family", [])

    def _add_family(self, p: str, name: str, children: list[Person]) -> None:
        f = self.fields
        if p == "other":
            f[f"{p}_family"] = forms.CharField(
                label="Family reference",
                required=False,
                max_length=12,
                help_text="For a family not listed above, for example F7K2M9QD.",
                widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
            )
        else:
            f[f"{p}_family"] = forms.BooleanField(label=f"We discussed {name}", required=False)
        f[f"{p}_reflection"] = forms.CharField(
            label=f"Reflection and analysis: {name}", required=False, widget=TEXTAREA
        )
        f[f"{p}_decisions"] = forms.CharField(
            label=f"Decisions: {name}",
            required=False,
            widget=TEXTAREA,
            help_text="These go on the family's story when the record is final: write them "
            "to the family.",
        )
        for child in children:
            f[f"{p}_rating_{child.pk}"] = forms.TypedChoiceField(
                label=f"{child.full_name}'s experience of safe and stable care",
                choices=[("", "Not rated"), *Rating.choices],
                coerce=int,
                required=False,
            )
        f[f"{p}_action"] = forms.CharField(label=f"Action: {name}", required=False)
        f[f"{p}_owner"] = forms.ChoiceField(
            label="Who does it",
            required=False,
            choices=[("", "Choose one")]
            + [(pk, u.get_full_name() or u.username) for pk, u in self.owners.items()],
        )
        f[f"{p}_due"] = GovukDateField(label="Due by", required=False)

    def blocks(self) -> list[Block]:
        found = []
        for family, _ in self.families:
            p = f"f{family.pk}"
            found.append(
                Block(family.name, [self[n] for n in self.fields if n.startswith(f"{p}_")])
            )
        others = [self[n] for n in self.fields if n.startswith("other_")]
        found.append(Block("Another family", others, hint="Only if you discussed one."))
        return found

    def session_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if not n.startswith(("f", "other_"))]

    def notes(self) -> list[CaseworkNote]:
        data = self.cleaned_data
        found = []
        for family, children in self.families:
            p = f"f{family.pk}"
            if data.get(f"{p}_family"):
                found.append(self._note(p, family, family.name, children))
        reference = (data.get("other_family") or "").strip().upper()
        if reference:
            typed = Family.objects.filter(reference=reference).first()
            found.append(self._note("other", typed, f"the family {reference}", []))
        return found

    def _note(
        self, p: str, family: Family | None, label: str, children: list[Person]
    ) -> CaseworkNote:
        data = self.cleaned_data
        ratings = {
            c: data[f"{p}_rating_{c.pk}"] for c in children if data.get(f"{p}_rating_{c.pk}")
        }
        action = ActionNote(
            text=data.get(f"{p}_action") or "",
            owner=self.owners.get(data.get(f"{p}_owner") or ""),
            due=data.get(f"{p}_due"),
        )
        return CaseworkNote(
            prefix=p,
            family=family,
            family_label=label,
            reflection=data.get(f"{p}_reflection") or "",
            decisions=data.get(f"{p}_decisions") or "",
            ratings=ratings,
            actions=[action],
        )

    def call(self, action: Callable[..., Any], **extra: Any) -> bool:
        """Calls the write with the session's own fields and the families' notes."""
        session = {
            n: self.cleaned_data.get(n) for n in self.fields if not n.startswith(("f", "other_"))
        }
        try:
            action(**session, casework=self.notes(), **extra)
        except ValidationError as error:
            for name, texts in error.message_dict.items():
                self.add_error(name if name in self.fields else None, texts)
            return False
        return True


class RecordSessionForm(CaseworkForm):
    held_on = GovukDateField(label="Date it was held")
    minutes = minutes_field()
    present = people_field("Who was there", User.objects.none())
    wellbeing = forms.CharField(label="Wellbeing", required=False, widget=TEXTAREA)
    workload = forms.CharField(label="Workload", required=False, widget=TEXTAREA)
    learning = forms.CharField(label="Learning and development", required=False, widget=TEXTAREA)

    def __init__(self, *args: Any, present: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = present

    def personal_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("wellbeing", "workload", "learning")]

    def session_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("held_on", "minutes", "present")]


class GroupForm(CaseworkForm):
    held_on = GovukDateField(label="Date it was held")
    minutes = minutes_field()
    attendees = people_field("Who was there", User.objects.none())

    def __init__(self, *args: Any, attendees: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = attendees

    def session_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("held_on", "minutes", "attendees")]


class CaseworkEditForm(forms.Form):
    reflection = forms.CharField(label="Reflection and analysis", widget=TEXTAREA)
    decisions = forms.CharField(
        label="Decisions",
        widget=TEXTAREA,
        help_text="These go on the family's story when the record is final: write them to the "
        "family.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_record(cls, data: Any, record: CaseworkRecord) -> CaseworkEditForm:
        initial = {"reflection": record.reflection, "decisions": record.decisions}
        return cls(data, initial={**initial, "version": record.version})

    def save(self, record: CaseworkRecord, *, by: User) -> bool:
        """Saves the record; on a conflict, keeps what was typed, says so, and takes the new
        version so that the next save, made knowingly, goes through."""
        if record.is_final:
            self.add_error(None, "This casework record is final: it can no longer be changed.")
            return False
        data = {k: self.cleaned_data[k] for k in ("reflection", "decisions")}
        saved = run_keeping_errors(
            self,
            records.save_casework,
            record=record,
            expected_version=self.cleaned_data["version"],
            by=by,
            **data,
        )
        if saved is False:
            record.refresh_from_db()
            conflict(self, record.version, CONFLICT)
        return bool(saved)


CONFLICT = (
    "Someone else saved this casework record after you opened it. Your text is kept below and "
    "theirs is shown above it: compare them, then save again."
)


def run_keeping_errors(form: forms.Form, action: Callable[..., T], **values: Any) -> T | None:
    try:
        return action(**values)
    except ValidationError as error:
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
        return None


def conflict(form: forms.Form, version: int, message: str) -> None:
    """Takes the version now saved, so that the next save, made knowingly, goes through."""
    data = QueryDict(mutable=True)
    data.update(form.data)
    data["version"] = str(version)
    form.data = data
    form.add_error(None, message)


class RPGForm(ActionForm):
    held_on = GovukDateField(label="Date it was held")
    minutes = minutes_field()
    attendees = people_field("Who was there", User.objects.none(), required=False)
    themes = forms.CharField(
        label="Themes",
        widget=TEXTAREA,
        help_text="Do not name families, children or anyone the service works with.",
    )
    learning = forms.CharField(
        label="Learning",
        widget=TEXTAREA,
        help_text="What the group learned. No case decisions: those belong in supervision.",
    )

    def __init__(self, *args: Any, attendees: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = attendees


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to read these notes?",
        help_text="The supervisee and their supervisor can see that you read them, and why.",
        widget=TEXTAREA,
        max_length=1000,
        error_messages={"required": "Enter why you need to read these notes"},
    )


def _days(label: str, hint: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=366,
        help_text=hint,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be more than 0",
            "max_value": f"{label} must be 366 or less",
        },
    )


class StandardsForm(ActionForm):
    one_to_one_days = _days("Days between 1:1 sessions", "31 means at least monthly.")
    minutes_a_month = _days("1:1 minutes a month", "The national standard is at least 90.")
    asye_weekly_weeks = _days("Weeks of weekly 1:1s at the start of the ASYE")
    asye_fortnightly_months = _days("Months of fortnightly 1:1s from the start of the ASYE")
    family_days = _days("Days within which every open family is discussed")
    rpg_days = _days("Days between Reflective Practice Groups")
    version = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_standards(cls, data: Any, standards: Standards) -> StandardsForm:
        initial = {name: getattr(standards, name) for name in records.STANDARD_FIELDS}
        return cls(data, initial={**initial, "version": standards.version})

    def save(self, *, by: User) -> bool:
        data = dict(self.cleaned_data)
        saved = run_keeping_errors(
            self, records.edit_standards, expected_version=data.pop("version"), by=by, **data
        )
        if saved is False:
            conflict(
                self,
                Standards.current().version,
                "Someone else changed the standards after you opened this page. What you typed "
                "is kept below and the standards now in force are shown above: check them, "
                "then save again.",
            )
        return bool(saved)
