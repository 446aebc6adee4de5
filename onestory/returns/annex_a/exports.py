"""The Annex A workbook as a document made in the background by onestory/exports: asked for
with the day of the lists (`{"on": "2026-11-29"}`). Like the other returns' files it holds
every child's details, so whoever may make a return's files may ask for it
(`onestory.returns.access`, Action.MAKE): asked when it is requested, when it is made and at
every download."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from onestory.exports import registry
from onestory.exports.models import Export
from onestory.returns.access import Action, may
from onestory.returns.annex_a.workbook import XLSX, write

KIND = "returns.annex_a"


def may_ask(user: Any, parameters: dict[str, Any]) -> bool:
    return may(user, Action.MAKE)


def parameters_for(day: date) -> dict[str, Any]:
    return {"on": day.isoformat()}


def build(export: Export, progress: registry.Progress) -> registry.Made:
    try:
        day = date.fromisoformat(str(export.parameters.get("on", "")))
    except ValueError:
        raise registry.CannotMake("Give the day the lists are for, as a date.") from None
    progress(10)
    out = BytesIO()
    write(day, out)
    progress(90)
    return registry.Made(f"annex-a-{day.isoformat()}.xlsx", XLSX, out.getvalue())


def register() -> None:
    registry.register(KIND, label="Ofsted Annex A lists (xlsx)", build=build, may_ask=may_ask)
