"""A finished check built by hand for the page tests (the real validator runs in
test_checks.py): findings for a child of Pod Harbour, a child of Pod Downs, a CHILD One Story
does not hold, the whole file, and a rule that cannot apply."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from onestory.accounts.models import User
from onestory.families.models import CareEpisode
from onestory.returns.models import Check, Finding, Return, Status
from onestory.test import Cast, child_of

MESSAGE_103 = "The ethnicity code is either not valid or has not been entered."
MESSAGE_SW17 = "No social worker episode is open on 31 March for a child in the return."


def done_check(
    cast: Cast, *, by: User | None = None, findings: bool = True, year: int = 2026
) -> Check:
    now = timezone.now()
    check = Check.objects.create(
        return_name=Return.SSDA903,
        year=year,
        asked_by=by or cast.alex,
        asked_at=now - timedelta(minutes=1),
        started_at=now - timedelta(minutes=1),
        finished_at=now,
        status=Status.DONE,
        children=12,
        failed_rules=["231", "233"],
        skipped_rules=["1008"],
    )
    if not findings:
        return check
    jayden, lily = child_of(cast.okafors), child_of(cast.nashes)
    episode = CareEpisode.objects.create(
        child=jayden,
        start=date(2025, 6, 1),
        reason_new_episode="S",
        legal_status="C2",
        category_of_need="N1",
        placement="U4",
        provider="PR1",
    )
    Finding.objects.bulk_create(
        [
            Finding(
                check_run=check,
                child_ref=str(jayden.pk),
                child=jayden,
                table="Episodes",
                rule="103",
                message=MESSAGE_103,
                record_kind="care-episode",
                record_pk=episode.pk,
            ),
            Finding(
                check_run=check,
                child_ref=str(jayden.pk),
                child=jayden,
                table="Header",
                rule="102",
                message="Date of birth is not a valid date.",
            ),
            Finding(
                check_run=check,
                child_ref=str(lily.pk),
                child=lily,
                table="Header",
                rule="103",
                message=MESSAGE_103,
            ),
            Finding(
                check_run=check,
                child_ref="99999",
                table="Header",
                rule="103",
                message=MESSAGE_103,
            ),
            Finding(
                check_run=check,
                child_ref=str(lily.pk),
                child=lily,
                table="SWEpisodes",
                rule="SW17STG2",
                message=MESSAGE_SW17,
            ),
        ]
    )
    check.found = 5
    check.save(update_fields=["found"])
    return check
