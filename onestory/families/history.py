"""A readable account of what changed in a family's record, who changed it and when.

Built from the history the database keeps (django-pghistory's event tables, written by
triggers), so it covers every change, including bulk updates and deletes made outside a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model
from pghistory.models import Events

from onestory.accounts.models import User
from onestory.families.access import Action, families_for
from onestory.lib.dates import long_date

LABELS = {"insert": "Added", "update": "Changed", "delete": "Removed"}
# Fields whose values mean nothing to a reader.
HIDDEN = {"id", "uuid", "pgh_obj", "pgh_id", "search_vector", "version"}  # search index, draft lock


@dataclass
class Change:
    at: datetime
    who: str
    what: str
    record: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)


def _field(model: type[Model], name: str) -> Field[Any, Any] | None:
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, Field) else None


def _display(model: type[Model], name: str, value: Any) -> str:
    if value in (None, "", []):
        return "(blank)"
    model_field = _field(model, name)
    if model_field is None:
        return str(value)
    choices = dict(model_field.flatchoices) if model_field.choices else {}
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return long_date(date.fromisoformat(value))
        except ValueError:
            pass
    return str(choices.get(value, value))


def _label(model: type[Model], name: str) -> str:
    model_field = _field(model, name)
    if model_field is None:
        return name.replace("_", " ")
    verbose = str(model_field.verbose_name)
    return verbose[:1].upper() + verbose[1:]


# What was written in a story, kept out of the history of a user who may not read the story
# itself (information governance see that it changed, and who changed it, not what it says).
STORY_TEXT = {"story", "child_words", "reflection", "next_steps", "third_party", "text", "reason"}


def _family_of(event: Any, via: dict[tuple[str, int], int] | None = None) -> int | None:
    """The family an event belongs to, if any: its own, or (for a link such as who an entry
    concerns) that of the record it links, looked up beforehand in `via`."""
    if event.pgh_obj_model == "families.Family":
        return int(event.pgh_obj_id)
    family = event.pgh_data.get("family_id", event.pgh_data.get("family"))
    if family is not None:
        return int(family)
    for key in LINKED:
        if event.pgh_data.get(key) is not None and via is not None:
            return via.get((key, int(event.pgh_data[key])))
    return None


# Links recorded in history name the record they belong to, not its family.
LINKED = {"entry_id": ("stories", "Entry"), "careproceedings_id": ("families", "CareProceedings")}


def _families_via_links(events: list[Any]) -> dict[tuple[str, int], int]:
    found: dict[tuple[str, int], int] = {}
    for key, (app, name) in LINKED.items():
        ids = {int(e.pgh_data[key]) for e in events if e.pgh_data.get(key) is not None}
        if ids:
            rows = apps.get_model(app, name).objects.filter(pk__in=ids)
            found |= {(key, pk): family for pk, family in rows.values_list("pk", "family_id")}
    return found


def history_of(
    *objects: Model, user: User, families_only: bool = False, limit: int = 500
) -> list[Change]:
    """Changes to these records and to the records that refer to them, newest first, as the
    user may see them: a change belonging to a family whose history the user may not see (a
    child's membership of a restricted family, say) is left out, and story text is shown only
    to those who may read the family's story. `families_only` keeps only the changes that
    belong to one of those families: for a person the user reaches only through families they
    have left, whose own record (episodes, worker, placement) has moved on without them."""
    # "References" covers both the records' own events (their pgh_obj points at them) and the
    # events of rows with a foreign key to them (members, episodes, grants).
    # pghistory asks for one model at a time.
    by_model: dict[type[Model], list[Model]] = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    events = sorted(
        (
            event
            for group in by_model.values()
            for event in Events.objects.references(group).order_by("-pgh_created_at")[:limit]  # type: ignore[no-untyped-call]
        ),
        key=lambda e: (e.pgh_created_at, e.pgh_slug),
        reverse=True,
    )
    # An event can reference several of the objects (a membership names family and person).
    unique = {e.pgh_slug: e for e in reversed(events)}
    events = sorted(unique.values(), key=lambda e: (e.pgh_created_at, e.pgh_slug), reverse=True)
    via = _families_via_links(events)
    families = {f for f in (_family_of(e, via) for e in events) if f is not None}
    may_see = set(
        families_for(user, Action.HISTORY).filter(pk__in=families).values_list("pk", flat=True)
    )
    may_read = set(
        families_for(user, Action.VIEW).filter(pk__in=may_see).values_list("pk", flat=True)
    )
    events = [
        e
        for e in events
        if _family_of(e, via) in may_see or (_family_of(e, via) is None and not families_only)
    ][:limit]
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context}
    users = {u.pk: str(u) for u in User.objects.filter(pk__in=[i for i in user_ids if i])}
    changes = []
    for event in events:
        model = apps.get_model(event.pgh_obj_model)
        context = event.pgh_context or {}
        who = users.get(context.get("user") or 0, "The system (no signed-in user)")
        record = f"{model._meta.verbose_name}: {_describe(model, event.pgh_data)}"
        change = Change(
            at=event.pgh_created_at,
            who=who,
            what=LABELS.get(event.pgh_label, event.pgh_label.title()),
            record=record[:1].upper() + record[1:],
        )
        if event.pgh_label == "update" and event.pgh_diff:
            readable = _family_of(event, via) in may_read or _family_of(event, via) is None
            for name, (old, new) in sorted(event.pgh_diff.items()):
                if name in HIDDEN or name.endswith("_id"):
                    continue
                if name in STORY_TEXT and model._meta.app_label == "stories" and not readable:
                    change.fields.append((_label(model, name), "(not shown)", "(not shown)"))
                    continue
                change.fields.append(
                    (_label(model, name), _display(model, name, old), _display(model, name, new))
                )
            if not change.fields:
                continue
        changes.append(change)
    return changes


def _describe(model: type[Model], data: dict[str, Any]) -> str:
    if "first_name" in data and "last_name" in data:
        return f"{data['first_name']} {data['last_name']}"
    if "name" in data:
        return str(data["name"])
    for key in ("start", "date", "application_date", "decided", "granted_at"):
        if data.get(key):
            return (
                f"from {_display(model, key, data[key])}"
                if key == "start"
                else str(_display(model, key, data[key]))
            )
    return f"record {data.get('id', '')}"
