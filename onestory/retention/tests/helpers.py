"""Test helpers for retention: officers, and a family made due for disposal."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from onestory.accounts.models import Role, User
from onestory.families.models import Family
from onestory.retention.models import RecordType, Rule
from onestory.test import make_user


def officers() -> tuple[User, User]:
    """Two information governance officers: one asks, the other approves."""
    iris = make_user("iris-ig", Role.INFORMATION_GOVERNANCE, "Iris", "Bennett", password=None)
    owen = make_user("owen-ig", Role.INFORMATION_GOVERNANCE, "Owen", "Marsh", password=None)
    return iris, owen


def keep_for_a_year() -> None:
    """Every rule one year, so that any closed family with born children is due now."""
    for kind in RecordType:
        Rule.objects.update_or_create(record_type=kind, defaults={"years": 1})


def close(family: Family, on: date | None = None) -> Family:
    Family.objects.filter(pk=family.pk).update(closed=on or timezone.localdate())
    family.refresh_from_db()
    return family
