from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from onestory.audits.access import sees_audits
from onestory.demo.models import DemoCouncil
from onestory.families.access import (
    administers_the_system,
    can_keep_records,
    finds_people,
    sees_families_list,
)
from onestory.feedback.access import keeps_the_log, sees_complaints
from onestory.lib.urls import link
from onestory.outcomes.access import can_see_outcomes
from onestory.pods.access import can_see_overview
from onestory.preproceedings.access import sees_pre_proceedings
from onestory.retention.access import sees_retention
from onestory.returns.access import sees_returns
from onestory.supervision.access import takes_part_in_supervision
from onestory.surveys.access import uses_your_voice


def navigation(request: HttpRequest) -> list[dict[str, Any]]:
    """The service navigation: only pages that exist and that this user may open."""
    # No user on a request refused before AuthenticationMiddleware (a bad Host header): the
    # error page still renders, with no navigation.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items: list[dict[str, Any]] = [{"text": "Home", "href": link("core:home")}]
    if sees_families_list(user):
        items.append({"text": "Families", "href": link("families:list")})
    if can_keep_records(user) or keeps_the_log(user):
        items.append({"text": "What's due", "href": link("stories:due")})
    if can_keep_records(user):
        items.append({"text": "Search stories", "href": link("stories:search")})
    if can_see_overview(user):
        items.append({"text": "Pods", "href": link("pods:list")})
    if takes_part_in_supervision(user):
        items.append({"text": "Supervision", "href": link("supervision:mine")})
    if sees_audits(user):
        items.append({"text": "Audits", "href": link("audits:home")})
    if sees_complaints(user):
        items.append({"text": "Complaints", "href": link("feedback:log")})
    if sees_pre_proceedings(user):
        items.append({"text": "Pre-proceedings", "href": link("preproceedings:open")})
    if sees_retention(user):
        items.append({"text": "Retention", "href": link("retention:review")})
    if uses_your_voice(user):
        items.append({"text": "Your Voice", "href": link("surveys:index")})
    if can_see_outcomes(user):
        items.append({"text": "Outcomes", "href": link("outcomes:dashboard")})
    if sees_returns(user):
        items.append({"text": "Statutory returns", "href": link("returns:index")})
    if finds_people(user):
        items.append({"text": "Find a person", "href": link("access:search")})
    if administers_the_system(user):
        items.append({"text": "Administration", "href": link("admin:index")})
    for item in items:
        item["current"] = request.path == item["href"]
    return items


def demo_council() -> DemoCouncil | None:
    return DemoCouncil.objects.first() if settings.DEMO_MODE else None


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.SERVICE_NAME,
        "council_name": settings.COUNCIL_NAME,
        "demo_mode": settings.DEMO_MODE,
        "navigation": navigation(request),
        # A callable, so the query runs only on the page that shows it (the sign-in page).
        "demo_council": demo_council,
    }
