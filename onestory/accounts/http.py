"""The request every signed-in page receives, declared once for the type checker."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict
from django_htmx.middleware import HtmxDetails

from onestory.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request that reached a view past the sign-in and MFA middleware, so its user is a
    real account; `htmx` (django-htmx) says whether htmx asked for a fragment of the page."""

    user: User
    htmx: HtmxDetails


def posted(request: HttpRequest) -> QueryDict | None:
    """The form data to bind: the POST on a submission, None (an unbound form) otherwise.

    Not `request.POST or None`, which leaves a form unbound when it is posted empty, so that
    a submission with nothing filled in is never told its errors."""
    return request.POST if request.method == "POST" else None
