"""The small demo council's pre-proceedings (onestory/demo/preproceedings.py)."""

from __future__ import annotations

from datetime import date

from django.db.models import F

from onestory.demo.preproceedings import ACT_APPLIES, SINCE
from onestory.families.models import CareProceedings
from onestory.outcomes import preproceedings as measures
from onestory.pods.models import PodMembership
from onestory.preproceedings.models import Outcome, PreProceedings, Response
from onestory.stories.models import Entry, Kind, Status
from onestory.test import SMALL_COUNCIL_TODAY

TODAY = SMALL_COUNCIL_TODAY


def test_every_care_application_since_2024_has_pre_proceedings_before_it(small_council) -> None:
    applications = CareProceedings.objects.filter(
        application_date__gte=SINCE, application_date__lte=TODAY
    )
    assert applications.count() > 0
    assert applications.filter(pre_proceedings__isnull=True).count() == 0
    periods = PreProceedings.objects.filter(outcome=Outcome.CARE_APPLICATION)
    assert not periods.filter(letter_date__gt=F("proceedings__application_date")).exists()
    assert small_council["preproceedings.PreProceedings"] == PreProceedings.objects.count()


def test_the_offer_before_and_after_the_act(small_council) -> None:
    before = PreProceedings.objects.filter(letter_date__lt=ACT_APPLIES)
    after = PreProceedings.objects.filter(letter_date__gte=ACT_APPLIES)
    assert after.exists()
    assert not after.filter(fgdm_in_letter=False).exists()  # all offered, in the letter
    offered = before.filter(fgdm_offered_on__isnull=False).count() / before.count()
    assert 0.6 < offered < 0.9
    answered = PreProceedings.objects.exclude(fgdm_response="")
    accepted = answered.filter(fgdm_response=Response.ACCEPTED).count() / answered.count()
    assert 0.65 < accepted < 0.95
    assert PreProceedings.objects.filter(fgdm_plan_agreed=True).exclude(fgdm_plan="").exists()


def test_stepped_down_and_open_today_in_the_demo_pod(small_council) -> None:
    assert PreProceedings.objects.filter(outcome=Outcome.STEPPED_DOWN).exists()
    demo_pod = (
        PodMembership.objects.filter(staff__user__username="demo-pod-manager")
        .order_by("-start")
        .values_list("pod_id", flat=True)
        .first()
    )
    open_now = PreProceedings.objects.filter(ended__isnull=True, family__pod=demo_pod)
    assert open_now.count() == 3
    assert open_now.filter(created_by__username="demo-social-worker").count() == 3


def test_each_step_is_on_the_story(small_council) -> None:
    entries = Entry.objects.filter(kind=Kind.PRE_PROCEEDINGS)
    assert entries.count() == small_council["stories.Entry (pre-proceedings)"]
    assert entries.count() >= 3 * PreProceedings.objects.count() - 1
    assert not entries.exclude(status=Status.FINAL).exists()
    assert not entries.filter(concerns__isnull=True).exists()
    assert entries.filter(story__contains="letter before proceedings").exists()


def test_the_measures_have_values(small_council) -> None:
    offered, held = measures.offered_share(TODAY), measures.held_share(TODAY)
    assert offered is not None and held is not None and offered >= held
    assert measures.offered_share(date(2023, 12, 31)) in (None, 0.0)
