"""Who may see and download a document made in the background: one TABLE of role x relation
x action, driving the list filter (`exports_for`), the object check (`can`, `get_export_for`)
and the generated matrix tests (tests/test_access.py).

A document is only ever for the person who asked for it (the `CREATOR` relation): nobody
else, whatever their role, may see its progress or download it, and a document past its
expiry is gone. Anyone else gets 404, the same answer as for a document that does not exist.
Whether someone may ask for a kind of document at all is the owning feature's decision
(`registry.may_ask`), asked again at each download.
"""

from __future__ import annotations

from enum import StrEnum
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from onestory.accounts.models import Role, User
from onestory.exports.models import Export


class Action(StrEnum):
    SEE = "see"  # "Your documents" and a document's progress
    DOWNLOAD = "download"


class Relation(StrEnum):
    CREATOR = "creator"  # the user asked for this document


A = Action
R = Relation
OWN = {R.CREATOR: frozenset({A.SEE, A.DOWNLOAD})}

# Every role may have documents of its own: which kinds each may ask for is up to the feature
# that registers them. No role reaches anyone else's.
TABLE: dict[str, dict[Relation, frozenset[Action]]] = {role: OWN for role in Role}


def rules_for(user: object) -> dict[Relation, frozenset[Action]]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return {}
    return TABLE.get(getattr(user, "role", ""), {})


def sees_documents(user: object) -> bool:
    """For the navigation item "Your documents": by role, with no query."""
    return any(A.SEE in actions for actions in rules_for(user).values())


NOTHING = Q(pk__in=[])


def _relation_filters(user: User) -> dict[Relation, Q]:
    return {R.CREATOR: Q(created_by=user)}


def exports_for(user: User, action: Action) -> QuerySet[Export]:
    """The list filter: unexpired documents on which the user may take this action, without
    their files (ask for `content` only to download)."""
    filters = _relation_filters(user)
    condition = NOTHING
    for relation, actions in rules_for(user).items():
        if action in actions:
            condition |= filters[relation]
    return Export.objects.filter(condition, expires_at__gt=timezone.now()).defer("content")


def relations(user: User, export: Export) -> set[Relation]:
    return {R.CREATOR} if export.created_by_id == user.pk else set()


def can(user: User, export: Export, action: Action) -> bool:
    if export.expired:
        return False
    rules = rules_for(user)
    return any(action in rules.get(relation, frozenset()) for relation in relations(user, export))


def get_export_for(user: User, uuid: UUID, action: Action, *, with_file: bool = False) -> Export:
    """The unexpired document with this UUID if the user may take this action on it; 404
    otherwise. The file itself is read only for a download."""
    found = exports_for(user, action)
    if with_file:
        found = found.defer(None)
    export = found.filter(uuid=uuid).first()
    if export is None:
        raise Http404("No such document")
    return export
