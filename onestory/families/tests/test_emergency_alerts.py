"""Who is told of an emergency access grant: the family's pod manager today, and nobody who
managed the pod once and has moved on."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from onestory.accounts.models import Alert, Role
from onestory.families.access import grant_emergency_access
from onestory.pods.models import PodMembership, PodRole
from onestory.test import LONG_AGO, Cast, make_staff, make_user


def test_only_the_current_pod_manager_is_alerted(cast: Cast) -> None:
    # Olu managed Pod Harbour until last year and is a social worker in Pod Downs now.
    olu = make_user("olu", Role.POD_MANAGER, "Olu", "Adebayo", mfa=False, password=None)
    staff = make_staff(olu, None, None)
    moved_on = timezone.localdate() - timedelta(days=365)
    PodMembership.objects.create(
        staff=staff,
        pod=cast.harbour,
        role=PodRole.POD_MANAGER,
        fte=Decimal("0.50"),  # beside Priya: the database allows one full-time manager
        start=LONG_AGO,
        end=moved_on,
    )
    PodMembership.objects.create(
        staff=staff,
        pod=cast.downs,
        role=PodRole.SOCIAL_WORKER,
        fte=Decimal("1.00"),
        start=moved_on,
    )
    grant_emergency_access(
        user=cast.charlie, family=cast.okafors, reason="Police called about Jayden tonight"
    )
    assert [a.user for a in Alert.objects.all()] == [cast.priya]
    assert "Charlie Nash" in Alert.objects.get().text


def test_a_manager_who_starts_tomorrow_is_not_yet_alerted(cast: Cast) -> None:
    newcomer = make_user("nia", Role.POD_MANAGER, "Nia", "Jones", mfa=False, password=None)
    PodMembership.objects.create(
        staff=make_staff(newcomer, None, None),
        pod=cast.harbour,
        role=PodRole.POD_MANAGER,
        fte=Decimal("0.50"),
        start=timezone.localdate() + timedelta(days=1),
    )
    grant_emergency_access(
        user=cast.charlie, family=cast.okafors, reason="Police called about Jayden tonight"
    )
    assert [a.user for a in Alert.objects.all()] == [cast.priya]
