from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


class SecurityHeadersMiddleware:
    """Headers every response carries, errors included (docs/security.md, promise 18).

    It sits first in MIDDLEWARE so that it also sees the responses other middleware builds.
    Django's SecurityMiddleware sends HSTS only over HTTPS; behind a TLS-terminating proxy that
    is every request in production.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Case data must never sit in a shared computer's cache or the back button.
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, private"
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


# C0 controls, DEL and C1 controls: nothing a person types into a search box. PostgreSQL refuses
# a NUL in text outright, which would otherwise surface as a 500.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class ControlCharactersMiddleware:
    """A control character anywhere in the query string is a plain 400, before any view
    (docs/security.md, promise 21).

    Only query strings, and so every GET form: a POST body keeps its tabs and line breaks (a
    story is written in paragraphs), and its fields are cleaned by their forms. The page says
    what went wrong and echoes nothing that was sent. It sits after AuthenticationMiddleware,
    so that the page has the site's header and navigation.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any(
            _CONTROL_CHARACTERS.search(text)
            for name, values in request.GET.lists()
            for text in [name, *values]
        ):
            return render(request, "400.html", status=400)
        return self.get_response(request)
