"""The kinds of document the task worker can make, registered by the features that own them.

A report belongs to a feature that comes later in the dependency order than exports
(docs/decisions/0010-one-way-dependencies.md), so the exports app cannot import it. Instead
each feature registers its kinds here when its app is ready, as onestory/lib/due.py does for
What's due:

    registry.register(
        "audits.cycle_report",
        label="Audit cycle report (PDF)",
        build=build_cycle_report,  # (export, progress) -> Made
        may_ask=may_ask_for_cycle_report,  # (user, parameters) -> bool
    )

`may_ask` is asked when the document is requested, again by the worker before it is made, and
again at every download: someone who has lost the right to see a report cannot fetch a copy
made before. A builder reads the parameters from `export.parameters`, calls `progress(percent)`
as it goes, and returns the file. For a problem the person asking can act on, it raises
`CannotMake("plain English")`, which is shown to them; any other exception is logged and they
see a general apology, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from onestory.exports.models import Export


@dataclass(frozen=True)
class Made:
    """The finished document."""

    filename: str
    content_type: str
    content: bytes


Progress = Callable[[int], None]
Builder = Callable[["Export", Progress], Made]
MayAsk = Callable[[Any, dict[str, Any]], bool]


class CannotMake(Exception):
    """A builder's reason, in plain English for the person who asked, why it cannot make the
    document (the cycle was removed, the period has no figures)."""


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    build: Builder
    may_ask: MayAsk


_kinds: dict[str, Kind] = {}


def register(key: str, *, label: str, build: Builder, may_ask: MayAsk) -> None:
    """Called from an AppConfig's `ready`. Registering the same key again (the test runner may
    call `ready` twice) replaces it."""
    _kinds[key] = Kind(key=key, label=label, build=build, may_ask=may_ask)


def kind(key: str) -> Kind | None:
    return _kinds.get(key)


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: k.key)


def may_ask(user: Any, key: str, parameters: dict[str, Any]) -> bool:
    """Whether this user may ask for (and download) this kind of document with these
    parameters. An unknown kind is refused."""
    found = _kinds.get(key)
    if found is None or not getattr(user, "is_active", False):
        return False
    return bool(found.may_ask(user, parameters))
